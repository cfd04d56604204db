/* test-wo-store.c: work orders in the store: save, lists, search, history, drafts, crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sm-call.h"
#include "sm-demo.h"
#include "sm-work-order-store.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define T0 G_GINT64_CONSTANT (1767600000000) /* 2026-01-05T08:00:00Z */

typedef struct
{
  char             *dir;
  char             *path;
  SmStore          *store;
  SmWorkOrderStore *wos;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("seatmate-wo-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "seat.db", NULL);
  f->store = sm_store_open (f->path, &error);
  g_assert_no_error (error);
  f->wos = sm_work_order_store_new (f->store);
  g_assert_true (sm_work_order_store_load_reference (f->wos, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&f->wos);
  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static SmWorkOrder *
lost_card (Fixture    *f,
           const char *call_id,
           const char *customer)
{
  SmWorkOrder *wo = sm_work_order_new ();
  g_autoptr(SmWoCategory) category = sm_work_order_store_lookup_intent (f->wos, "lost_or_stolen_card");
  SmWoPrefill in = { .call_id = call_id, .customer_id = customer, .category = category };

  sm_work_order_prefill (wo, &in);
  return wo;
}

static void
test_reference (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autofree char *canned = NULL;
  g_autofree char *canned_zh = NULL;
  g_auto(GStrv) departments = NULL;
  g_autofree char *path = NULL;
  const char * const extra[] = { "credit_limit", "statement_repayment", "complaint" };
  JsonArray *intents;

  /* Every BANKING77 intent, and the Chinese-only ones, are mapped */
  path = g_build_filename (g_getenv ("SEATMATE_DATADIR"), "banking77", "categories.json", NULL);
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  intents = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (intents), ==, 77);
  for (guint i = 0; i < json_array_get_length (intents); i++)
    {
      g_autoptr(SmWoCategory) c =
        sm_work_order_store_lookup_intent (f->wos, json_array_get_string_element (intents, i));

      g_assert_nonnull (c);
      g_assert_nonnull (c->category_zh);
      g_assert_nonnull (c->subcategory_zh);
      g_assert_nonnull (c->template_en);
      g_assert_true (c->resolution_hours > 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autoptr(SmWoCategory) c = sm_work_order_store_lookup_intent (f->wos, extra[i]);
      g_assert_nonnull (c);
    }
  g_assert_null (sm_work_order_store_lookup_intent (f->wos, "no_such_intent"));

  categories = sm_work_order_store_list_categories (f->wos);
  g_assert_cmpuint (categories->len, >=, 60);

  {
    g_autoptr(SmWoCategory) c = sm_work_order_store_lookup_category (f->wos, "挂失", "卡片遗失或被盗");
    g_assert_nonnull (c);
    g_assert_cmpstr (c->intent, ==, "lost_or_stolen_card");
  }

  canned = sm_work_order_store_lookup_canned (f->wos, "blocked", FALSE);
  canned_zh = sm_work_order_store_lookup_canned (f->wos, "blocked", TRUE);
  g_assert_cmpstr (canned, ==, "Card blocked at the customer's request.");
  g_assert_cmpstr (canned_zh, ==, "已应客户要求冻结卡片。");
  g_assert_null (sm_work_order_store_lookup_canned (f->wos, "nope", FALSE));

  departments = sm_work_order_store_list_departments (f->wos);
  g_assert_true (g_strv_contains ((const char * const *)departments, "Complaints team"));

  /* Loading again changes nothing */
  g_assert_true (sm_work_order_store_load_reference (f->wos, &error));
  g_assert_cmpint (sm_store_count (f->store, "wo_categories"), ==, 80);
}

static void
test_save_and_history (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SmWorkOrder) wo = lost_card (f, "call-1", "cust-42");
  g_autoptr(SmWorkOrder) loaded = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  SmWoEvent *event;

  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION,
                            "Card 4111 1111 1111 1111 lost on the bus; ID 11010519491231002X", TRUE);

  /* Invalid: refused with the form's messages, nothing stored */
  {
    g_autoptr(SmWorkOrder) bad = sm_work_order_new ();
    g_assert_false (sm_work_order_store_save (f->wos, bad, "a7", T0, &error));
    g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "Choose a category"));
    g_clear_error (&error);
    g_assert_cmpint (sm_store_count (f->store, "work_orders"), ==, 0);
  }

  g_assert_true (sm_work_order_store_save (f->wos, wo, "a7", T0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wo->id, ==, "WO-20260105-0001");
  g_assert_cmpint (wo->created_ms, ==, T0);
  g_assert_cmpstr (wo->agent, ==, "a7");
  g_assert_cmpint (wo->first_response_due_ms, ==, T0 + HOUR_MS);
  g_assert_cmpint (wo->resolution_due_ms, ==, T0 + 24 * HOUR_MS);
  /* Masked when saved */
  g_assert_null (strstr (wo->description, "4111"));
  g_assert_null (strstr (wo->description, "1101051949"));

  loaded = sm_work_order_store_load (f->wos, wo->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->description, ==,
                   "Card •••• 1111 lost on the bus; ID ••••••••••••••002X");
  g_assert_cmpstr (loaded->call_id, ==, "call-1");
  g_assert_cmpstr (loaded->category, ==, "Lost or stolen");
  g_assert_cmpstr (loaded->dispositions[0], ==, "card_blocked");

  /* The second of the day */
  {
    g_autoptr(SmWorkOrder) two = lost_card (f, "call-2", "cust-17");
    g_assert_true (sm_work_order_store_save (f->wos, two, "a7", T0 + 1000, &error));
    g_assert_cmpstr (two->id, ==, "WO-20260105-0002");
  }

  /* Lifecycle through the store, stamped, illegal refused */
  g_assert_false (sm_work_order_store_transition (f->wos, wo->id, SM_WO_STATUS_CLOSED, "a7",
                                                  T0 + 2000, &error));
  g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_true (sm_work_order_store_transition (f->wos, wo->id, SM_WO_STATUS_DISPATCHED, "a7",
                                                 T0 + 3000, &error));
  g_assert_true (sm_work_order_store_transition (f->wos, wo->id, SM_WO_STATUS_IN_PROGRESS, "a3",
                                                 T0 + 4000, &error));
  g_assert_true (sm_work_order_store_transition (f->wos, wo->id, SM_WO_STATUS_RESOLVED, "a3",
                                                 T0 + 5000, &error));
  g_assert_no_error (error);

  history = sm_work_order_store_history (f->wos, wo->id, &error);
  g_assert_cmpuint (history->len, ==, 4);
  event = g_ptr_array_index (history, 0);
  g_assert_cmpstr (event->event, ==, "created");
  g_assert_cmpint (event->at_ms, ==, T0);
  event = g_ptr_array_index (history, 2);
  g_assert_cmpstr (event->event, ==, "in_progress");
  g_assert_cmpstr (event->agent, ==, "a3");
  g_assert_cmpint (event->from, ==, SM_WO_STATUS_DISPATCHED);
  event = g_ptr_array_index (history, 3);
  g_assert_cmpint (event->to, ==, SM_WO_STATUS_RESOLVED);
  g_assert_cmpint (event->at_ms, ==, T0 + 5000);
}

static guint
list_len (Fixture         *f,
          GPtrArray      **rows,
          SmWoListFilter   filter,
          const char      *search,
          gint64           now)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (rows, g_ptr_array_unref);
  *rows = sm_work_order_store_list (f->wos, filter, "a7", search, now, 100, &error);
  g_assert_no_error (error);

  return (*rows)->len;
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gint64 now = T0 + 50 * 60 * 1000; /* 50 minutes later */

  /* a7: a lost card (urgent, first response due in 1 h: near due at 48 min) */
  {
    g_autoptr(SmWorkOrder) wo = lost_card (f, "call-1", "cust-42");
    sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "Lost near the 挂失 office", TRUE);
    g_assert_true (sm_work_order_store_save (f->wos, wo, "a7", T0, &error));
  }
  /* a3: a regulatory complaint created 20 days ago: overdue */
  {
    g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
    g_autoptr(SmWoCategory) c = sm_work_order_store_lookup_intent (f->wos, "complaint");
    SmWoPrefill in = { .call_id = "call-9", .customer_id = "cust-61", .category = c,
                       .notes = "客户表示将向金融监管部门投诉年费问题" };

    sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, in.notes, TRUE);
    sm_work_order_prefill (wo, &in);
    sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, "投诉年费未减免", TRUE);
    g_assert_cmpint (wo->complaint_level, ==, SM_WO_LEVEL_REGULATORY);
    g_assert_true (sm_work_order_store_save (f->wos, wo, "a3", T0 - 20 * 24 * HOUR_MS, &error));
    g_assert_no_error (error);
  }
  /* a7: a card delivery question, resolved (clocks stopped) */
  {
    g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
    g_autoptr(SmWoCategory) c = sm_work_order_store_lookup_intent (f->wos, "card_arrival");
    SmWoPrefill in = { .call_id = "call-3", .customer_id = "cust-23", .category = c };

    sm_work_order_prefill (wo, &in);
    g_assert_true (sm_work_order_store_save (f->wos, wo, "a7", T0 - HOUR_MS, &error));
    g_assert_true (sm_work_order_store_transition (f->wos, wo->id, SM_WO_STATUS_RESOLVED, "a7",
                                                   T0 - HOUR_MS + 1000, &error));
  }

#define LIST(filter, search) list_len (f, &rows, filter, search, now)

  g_assert_cmpuint (LIST (SM_WO_LIST_MINE, NULL), ==, 2);
  g_assert_cmpuint (LIST (SM_WO_LIST_OPEN, NULL), ==, 2);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, NULL), ==, 3);
  g_assert_cmpuint (LIST (SM_WO_LIST_NEAR_DUE, NULL), ==, 1);
  g_assert_cmpstr (((SmWoRow *)g_ptr_array_index (rows, 0))->wo->call_id, ==, "call-1");
  g_assert_cmpuint (LIST (SM_WO_LIST_OVERDUE, NULL), ==, 1);
  g_assert_cmpstr (((SmWoRow *)g_ptr_array_index (rows, 0))->wo->customer_id, ==, "cust-61");
  g_assert_cmpuint (LIST (SM_WO_LIST_COMPLAINTS, NULL), ==, 1);

  /* Search over all text: English words by prefix, Chinese words, ids */
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "bus"), ==, 0);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "offi"), ==, 1);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "年费"), ==, 1);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "挂失"), ==, 1);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "replacement ordered"), ==, 1);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "Complaints team"), ==, 1);
  g_assert_cmpuint (LIST (SM_WO_LIST_MINE, "年费"), ==, 0);
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "\"*"), ==, 0);
  /* Customer names (from the demo customers table) */
  g_assert_true (sm_store_exec (f->store,
                                "INSERT INTO customers (id, name) VALUES ('cust-42', 'Jane Doe')",
                                &error));
  g_assert_cmpuint (LIST (SM_WO_LIST_ALL, "Jane"), ==, 1);
  g_assert_cmpstr (((SmWoRow *)g_ptr_array_index (rows, 0))->customer_name, ==, "Jane Doe");

  g_assert_cmpint (sm_work_order_store_count (f->wos, SM_WO_LIST_OVERDUE, "a7", now), ==, 1);
  g_assert_cmpint (sm_work_order_store_count (f->wos, SM_WO_LIST_MINE, "a7", now), ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
#undef LIST
}

static void
test_drafts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SmWorkOrder) wo = lost_card (f, "call-7", "cust-42");
  g_autoptr(SmWorkOrder) back = NULL;
  g_autoptr(GError) error = NULL;
  gint64 updated = 0;
  int saved = 0;

  g_assert_null (sm_work_order_store_load_draft (f->wos, "a7", NULL));

  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "typing…", TRUE);
  g_assert_true (sm_work_order_store_save_draft (f->wos, "a7", wo, T0, &error));
  back = sm_work_order_store_load_draft (f->wos, "a7", &updated);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->call_id, ==, "call-7");
  g_assert_cmpstr (back->description, ==, "typing…");
  g_assert_cmpuint (back->touched, ==, SM_WO_FIELD_DESCRIPTION);
  g_assert_cmpint (updated, ==, T0);
  g_clear_pointer (&back, sm_work_order_free);

  /* Drafts are masked too */
  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "card 4111 1111 1111 1111", TRUE);
  g_assert_true (sm_work_order_store_save_draft (f->wos, "a7", wo, T0, &error));
  back = sm_work_order_store_load_draft (f->wos, "a7", NULL);
  g_assert_cmpstr (back->description, ==, "card •••• 1111");
  g_clear_pointer (&back, sm_work_order_free);
  {
    g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (f->store,
                                                     "SELECT count(*) FROM work_order_drafts"
                                                     " WHERE work_order LIKE '%4111 1111%'", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  }

  /* Scheduled drafts land on the main loop */
  g_signal_connect_swapped (f->wos, "draft-saved", G_CALLBACK (g_atomic_int_inc), &saved);
  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "typing more", TRUE);
  sm_work_order_store_schedule_draft (f->wos, "a7", wo);
  sm_work_order_store_schedule_draft (f->wos, "a7", wo);
  while (saved == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (saved, ==, 1);
  back = sm_work_order_store_load_draft (f->wos, "a7", NULL);
  g_assert_cmpstr (back->description, ==, "typing more");
  g_clear_pointer (&back, sm_work_order_free);

  /* Discarding also drops a draft waiting for its timer */
  sm_work_order_store_schedule_draft (f->wos, "a7", wo);
  g_assert_true (sm_work_order_store_discard_draft (f->wos, "a7", &error));
  sm_work_order_store_flush_draft (f->wos);
  g_assert_null (sm_work_order_store_load_draft (f->wos, "a7", NULL));
  g_assert_cmpint (saved, ==, 1);
}

static void
test_prefill_from_call (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SmCall) call = NULL;
  g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = sm_now_ms ();

  g_assert_true (sm_demo_seed (f->store, now, &error));
  g_assert_no_error (error);

  /* A known customer found by number; the top intent picks the category */
  call = sm_call_new ("pop-1", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", now - 60000);
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_TALKING, now - 50000));
  sm_call_add_transcript (call, "customer", "my card is lost", now - 40000);
  sm_call_set_intent (call, "lost_or_stolen_card", 0.92);

  sm_work_order_store_prefill_from_call (f->wos, wo, call, FALSE, now);
  g_assert_cmpstr (wo->customer_id, ==, "cust-42");
  g_assert_cmpstr (wo->call_id, ==, "pop-1");
  g_assert_cmpint (wo->channel, ==, SM_WO_CHANNEL_INBOUND_CALL);
  g_assert_cmpstr (wo->subcategory, ==, "Lost or stolen card");
  g_assert_cmpint (wo->priority, ==, SM_WO_PRIORITY_URGENT);
  g_assert_null (strstr (wo->summary, "Call "));

  /* At hang-up the after-call summary joins the template */
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_ACW, now));
  sm_work_order_store_prefill_from_call (f->wos, wo, call, FALSE, now);
  g_assert_nonnull (strstr (wo->summary, "\nCall 0:50; intents: lost_or_stolen_card"));

  {
    g_autoptr(GPtrArray) problems = sm_work_order_validate (wo, now);
    g_assert_cmpuint (problems->len, ==, 0);
  }

  /* A risk flag (cust-23 is on fraud watch) raises the priority */
  {
    g_autoptr(SmCall) flagged = sm_call_new ("pop-2", SM_CALL_DIRECTION_INBOUND, "+12025550177",
                                             NULL, now);
    g_autoptr(SmWorkOrder) w2 = sm_work_order_new ();

    sm_call_set_intent (flagged, "card_arrival", 0.8);
    sm_work_order_store_prefill_from_call (f->wos, w2, flagged, FALSE, now);
    g_assert_cmpstr (w2->customer_id, ==, "cust-23");
    g_assert_cmpint (w2->priority, ==, SM_WO_PRIORITY_HIGH);
  }

  /* A Chinese-speaking customer (cust-17) gets the Chinese template */
  {
    g_autoptr(SmCall) zh = sm_call_new ("pop-zh", SM_CALL_DIRECTION_INBOUND, "+8613800138000",
                                        NULL, now);
    g_autoptr(SmWorkOrder) w4 = sm_work_order_new ();

    sm_call_set_intent (zh, "lost_or_stolen_card", 0.8);
    sm_work_order_store_prefill_from_call (f->wos, w4, zh, FALSE, now);
    g_assert_cmpstr (w4->customer_id, ==, "cust-17");
    g_assert_cmpstr (w4->summary, ==, "客户挂失卡片；已冻结卡片并补办新卡。");
  }

  /* A repeat contact on the same reason within 7 days */
  {
    g_autoptr(SmCall) again = sm_call_new ("pop-3", SM_CALL_DIRECTION_INBOUND, "+12025550123",
                                           NULL, now);
    g_autoptr(SmWorkOrder) w3 = sm_work_order_new ();
    g_autoptr(SmWorkOrder) saved = sm_work_order_copy (wo);

    g_assert_true (sm_work_order_store_save (f->wos, saved, "a7", now, &error));
    g_assert_no_error (error);
    sm_call_set_intent (again, "lost_or_stolen_card", 0.8);
    sm_work_order_set_string (w3, SM_WO_FIELD_DESCRIPTION, "Customer is unhappy, complains", TRUE);
    sm_work_order_store_prefill_from_call (f->wos, w3, again, FALSE, now + 1000);
    g_assert_cmpint (w3->complaint_level, ==, SM_WO_LEVEL_SERIOUS);
  }
}

/* The crash test: a child process keeps changing a draft (as the panel
 * does while the agent types) and is killed with SIGKILL; the draft comes
 * back with its call link. */

static int
crash_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = sm_store_open (path, &error);
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmWorkOrder) wo = NULL;
  int saved = 0;

  if (store == NULL)
    return 2;

  wos = sm_work_order_store_new (store);
  wo = sm_work_order_new ();
  wo->call_id = g_strdup ("call-crash");
  g_signal_connect_swapped (wos, "draft-saved", G_CALLBACK (g_atomic_int_inc), &saved);

  for (guint i = 0; ; i++)
    {
      g_autofree char *text = g_strdup_printf ("note %u", i);
      int before = saved;

      sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, text, TRUE);
      sm_work_order_store_schedule_draft (wos, "a7", wo);
      while (saved == before)
        g_main_context_iteration (NULL, TRUE);

      /* Tell the parent which note is on disk, then go on typing */
      printf ("saved %u\n", i);
      fflush (stdout);
    }

  return 0;
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmWorkOrder) draft = NULL;
  g_autofree char *exe = NULL;
  guint last = 0;
  guint n;

  /* Let the child open the database itself */
  g_clear_object (&f->wos);
  g_clear_object (&f->store);

  exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            exe, "--crash-child", f->path, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  for (n = 0; n < 5; n++)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (sscanf (line, "saved %u", &last) == 1);
    }

  /* Killed mid work order */
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* The next start finds the draft with its call link */
  store = sm_store_open (f->path, &error);
  g_assert_no_error (error);
  wos = sm_work_order_store_new (store);
  draft = sm_work_order_store_load_draft (wos, "a7", NULL);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->call_id, ==, "call-crash");
  g_assert_true (g_str_has_prefix (draft->description, "note "));
  g_assert_cmpuint (g_ascii_strtoull (draft->description + 5, NULL, 10), >=, last);
  g_assert_true (draft->touched & SM_WO_FIELD_DESCRIPTION);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/wo-store/reference", test_reference);
  ADD ("/wo-store/save-and-history", test_save_and_history);
  ADD ("/wo-store/lists", test_lists);
  ADD ("/wo-store/drafts", test_drafts);
  ADD ("/wo-store/prefill-from-call", test_prefill_from_call);
  ADD ("/wo-store/crash", test_crash);

#undef ADD

  return g_test_run ();
}
