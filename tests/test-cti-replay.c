/* test-cti-replay.c: the replay source, and the call controller on the
 * bundled demo calls (screen pop, risk rules, contact records, journal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sm-call-controller.h"
#include "sm-call-journal.h"
#include "sm-cti-replay.h"
#include "sm-demo.h"
#include "sm-risk.h"

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *)user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond)                                                               \
  G_STMT_START {                                                                     \
    guint _id = g_timeout_add_seconds (20, timeout_cb, (gpointer) #cond);            \
    while (!(cond))                                                                  \
      g_main_context_iteration (NULL, TRUE);                                         \
    g_source_remove (_id);                                                           \
  } G_STMT_END

static char *
demo_calls_path (void)
{
  return g_build_filename (g_getenv ("SEATMATE_DATADIR"), "demo", "calls.jsonl", NULL);
}

static void
collect_cb (SmCtiSource *source,
            SmCallEvent *event,
            GPtrArray   *events)
{
  g_ptr_array_add (events, sm_call_event_ref (event));
}

static void
finished_cb (SmCtiReplay *replay,
             gboolean    *finished)
{
  *finished = TRUE;
}

static void
test_replay_parse_errors (void)
{
  static const struct { const char *data; const char *message; } cases[] = {
    { "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"a\",\"event\":\"ringing\"}\nnot json\n",
      "calls.jsonl:2: " },
    { "# comment\n\n{\"time\":\"yesterday\",\"call\":\"a\",\"event\":\"ringing\"}\n", "calls.jsonl:3: " },
    { "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"a\",\"event\":\"exploded\"}\n", "calls.jsonl:1: " },
    { "{\"time\":\"2026-01-05T09:00:00Z\",\"event\":\"ringing\"}\n", "calls.jsonl:1: " },
    { "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"a\",\"event\":\"dtmf\"}\n", "calls.jsonl:1: " },
    { "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"a\",\"event\":\"ringing\",\"number\":5}\n", "calls.jsonl:1: " },
    { "{\"time\":\"2026-01-05T09:00:09Z\",\"call\":\"a\",\"event\":\"ringing\"}\n"
      "{\"time\":\"2026-01-05T09:00:01Z\",\"call\":\"a\",\"event\":\"ended\"}\n", "calls.jsonl:2: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (cases[i].data, "calls.jsonl", &error);

      g_assert_null (replay);
      g_assert_error (error, SM_CTI_ERROR, SM_CTI_ERROR_PROTOCOL);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }
}

static void
test_replay_round_trip (void)
{
  g_autofree char *path = demo_calls_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  /* Every bundled line parses and prints back to the same fields */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmCallEvent) event = NULL;
      g_autofree char *json = NULL;

      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;
      event = sm_call_event_parse (lines[i], -1, &error);
      g_assert_no_error (error);
      json = sm_call_event_to_json (event);
      g_assert_cmpstr (json, ==, lines[i]);
      n++;
    }
  g_assert_cmpuint (n, >, 40);
}

static void
test_replay_demo_script (void)
{
  g_autofree char *path = demo_calls_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_file (path, &error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  g_autoptr(GHashTable) calls = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean finished = FALSE;
  gboolean chinese = FALSE;
  SmCallEvent *first_customer = NULL;

  g_assert_no_error (error);
  g_signal_connect (replay, "call-event", G_CALLBACK (collect_cb), events);
  g_signal_connect (replay, "finished", G_CALLBACK (finished_cb), &finished);
  sm_cti_replay_set_speed (replay, 0);
  sm_cti_source_start (SM_CTI_SOURCE (replay));
  WAIT_FOR (finished);

  g_assert_cmpuint (events->len, ==, sm_cti_replay_get_n_events (replay));
  for (guint i = 0; i < events->len; i++)
    {
      SmCallEvent *event = g_ptr_array_index (events, i);

      g_hash_table_add (calls, event->call);
      if (event->type == SM_CALL_EVENT_TRANSCRIPT && g_strcmp0 (event->speaker, "customer") == 0 &&
          first_customer == NULL)
        first_customer = event;
      if (event->type == SM_CALL_EVENT_TRANSCRIPT && g_strcmp0 (event->text, "你好，我的信用卡丢了，想挂失一下") == 0)
        chinese = TRUE;
    }

  /* Several calls; the first caller explains a card that has not arrived */
  g_assert_cmpuint (g_hash_table_size (calls), >=, 6);
  g_assert_nonnull (first_customer);
  g_assert_cmpstr (first_customer->call, ==, "demo-1");
  g_assert_true (strstr (first_customer->text, "haven't received my new card") != NULL);
  g_assert_true (chinese);
}

static void
test_replay_pretend_phone (void)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"x\",\"event\":\"ringing\",\"direction\":\"inbound\",\"number\":\"+1\"}\n"
    "{\"time\":\"2026-01-05T09:00:00.200Z\",\"call\":\"x\",\"event\":\"answered\"}\n"
    "{\"time\":\"2026-01-05T09:00:00.400Z\",\"call\":\"x\",\"event\":\"held\"}\n"
    "{\"time\":\"2026-01-05T09:00:00.600Z\",\"call\":\"x\",\"event\":\"ended\",\"reason\":\"caller hung up\"}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", &error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  gboolean finished = FALSE;

  g_assert_no_error (error);
  g_signal_connect (replay, "call-event", G_CALLBACK (collect_cb), events);
  g_signal_connect (replay, "finished", G_CALLBACK (finished_cb), &finished);
  sm_cti_replay_set_speed (replay, 1.0);
  sm_cti_source_start (SM_CTI_SOURCE (replay));
  WAIT_FOR (events->len == 1);

  /* The agent answers and hangs up before the script does: the script's
   * own answered, held and ended for that call are dropped */
  sm_cti_source_answer_async (SM_CTI_SOURCE (replay), "x", NULL, NULL, NULL);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((SmCallEvent *)g_ptr_array_index (events, 1))->type, ==, SM_CALL_EVENT_ANSWERED);
  sm_cti_source_hangup_async (SM_CTI_SOURCE (replay), "x", NULL, NULL, NULL);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_cmpstr (((SmCallEvent *)g_ptr_array_index (events, 2))->reason, ==, "agent hung up");
  WAIT_FOR (finished);
  g_assert_cmpuint (events->len, ==, 3);
}

static void
test_replay_loop (void)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"x\",\"event\":\"ringing\",\"number\":\"+1\"}\n"
    "{\"time\":\"2026-01-05T09:00:01Z\",\"call\":\"x\",\"event\":\"ended\"}\n";
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);

  g_signal_connect (replay, "call-event", G_CALLBACK (collect_cb), events);
  sm_cti_replay_set_speed (replay, 0);
  sm_cti_replay_set_loop (replay, TRUE, 1);
  sm_cti_source_start (SM_CTI_SOURCE (replay));
  WAIT_FOR (events->len >= 6);
  sm_cti_source_stop (SM_CTI_SOURCE (replay));

  /* Each round has its own call ids, so contact records never collide */
  g_assert_cmpstr (((SmCallEvent *)g_ptr_array_index (events, 0))->call, ==, "x");
  g_assert_cmpstr (((SmCallEvent *)g_ptr_array_index (events, 2))->call, ==, "x~2");
  g_assert_cmpstr (((SmCallEvent *)g_ptr_array_index (events, 4))->call, ==, "x~3");
}

/* The controller on the demo database and the demo calls */

typedef struct
{
  char             *dir;
  SmStore          *store;
  SmContext        *context;
  SmCallController *controller;
  GPtrArray        *popped;
} Fixture;

static void
popped_cb (SmCallController *controller,
           SmCall           *call,
           Fixture          *fixture)
{
  g_ptr_array_add (fixture->popped, g_object_ref (call));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = g_dir_make_tmp ("seatmate-replay-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "demo.db", NULL);
  fixture->store = sm_demo_open (db, sm_now_ms (), &error);
  g_assert_no_error (error);
  fixture->context = sm_context_new (fixture->store, NULL, TRUE);
  fixture->popped = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->popped);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fixture->dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
  g_free (fixture->dir);
}

static SmCall *
popped (Fixture    *fixture,
        const char *id)
{
  for (guint i = 0; i < fixture->popped->len; i++)
    if (g_str_equal (sm_call_get_id (g_ptr_array_index (fixture->popped, i)), id))
      return g_ptr_array_index (fixture->popped, i);
  return NULL;
}

static gboolean
has_rule (GPtrArray  *risks,
          const char *rule)
{
  for (guint i = 0; risks != NULL && i < risks->len; i++)
    if (g_str_equal (((SmRiskAlert *)g_ptr_array_index (risks, i))->rule_id, rule))
      return TRUE;
  return FALSE;
}

static char *
query_text (SmStore    *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

/* What the desk sees of each demo call at its pop, while it is live: the
 * controller forgets a call once its after-call work is over, and the
 * next answered call ends that */
static void
demo_popped_cb (SmCallController *controller,
                SmCall           *call,
                Fixture          *fixture)
{
  GPtrArray *risks = sm_call_controller_get_risks (controller, call);
  GString *rules = g_string_new (",");
  const char *id = sm_call_get_id (call);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; risks != NULL && i < risks->len; i++)
    g_string_append_printf (rules, "%s,", ((SmRiskAlert *)g_ptr_array_index (risks, i))->rule_id);
  g_object_set_data_full (G_OBJECT (call), "test-risks", g_string_free (rules, FALSE), g_free);
  g_object_set_data (G_OBJECT (call), "test-high-risk", GINT_TO_POINTER (sm_risk_has_high (risks)));
  g_object_set_data (G_OBJECT (call), "test-matches",
                     GUINT_TO_POINTER (sm_call_controller_get_matches (controller, call)->len));

  /* Unknown number: "new customer" creates one */
  if (g_str_equal (id, "demo-2"))
    {
      g_autofree char *created = sm_call_controller_create_customer (controller, call, "Alex Morgan",
                                                                      &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sm_call_get_customer_id (call), ==, created);
    }

  /* Shared number: no customer until the agent picks one */
  if (g_str_equal (id, "demo-7"))
    {
      g_assert_null (sm_call_get_customer_id (call));
      g_assert_true (sm_call_controller_choose_customer (controller, call, "cust-71", &error));
      g_assert_no_error (error);
    }

  popped_cb (controller, call, fixture);
}

static gboolean
popped_with_rule (Fixture    *fixture,
                  const char *id,
                  const char *rule)
{
  g_autofree char *needle = g_strdup_printf (",%s,", rule);
  SmCall *call = popped (fixture, id);

  g_assert_nonnull (call);
  return strstr (g_object_get_data (G_OBJECT (call), "test-risks"), needle) != NULL;
}

static void
test_controller_demo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = demo_calls_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_file (path, &error);
  g_autoptr(GPtrArray) journal = NULL;
  g_autofree char *text = NULL;
  gboolean finished = FALSE;
  SmCall *call;

  g_assert_no_error (error);
  sm_cti_replay_set_speed (replay, 0);
  g_signal_connect (replay, "finished", G_CALLBACK (finished_cb), &finished);
  fixture->controller = sm_call_controller_new (fixture->context, SM_CTI_SOURCE (replay));
  sm_call_controller_set_acw_timeout (fixture->controller, 0);
  g_signal_connect (fixture->controller, "call-popped", G_CALLBACK (demo_popped_cb), fixture);
  WAIT_FOR (finished);

  /* Known customer: Jane Doe, popped with her customer id, no risk. Her
   * after-call work ended when the agent answered the next call. */
  call = popped (fixture, "demo-1");
  g_assert_nonnull (call);
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-42");
  g_assert_cmpstr (sm_call_get_dtmf (call), ==, "4821");
  g_assert_true (strstr (sm_call_get_customer_text (call), "haven't received my new card") != NULL);
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_ENDED);
  g_assert_cmpint (sm_call_get_hold_ms (call), >=, 0);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (call), "test-risks"), ==, ",");
  text = query_text (fixture->store,
                     "SELECT a.acw_end_ms = b.answered_ms AND a.acw_end_ms >= a.ended_ms "
                     "FROM contacts a, contacts b WHERE a.id = 'c-demo-1' AND b.id = 'c-demo-2'");
  g_assert_cmpstr (text, ==, "1");
  g_clear_pointer (&text, g_free);

  /* Unknown number: no match at the pop; the customer created for it is found */
  call = popped (fixture, "demo-2");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (call), "test-matches")), ==, 0);
  {
    g_autoptr(GPtrArray) found = sm_customer_lookup_number (fixture->store, "+12025550142", &error);

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (sm_customer_get_name (g_ptr_array_index (found, 0)), ==, "Alex Morgan");
  }

  /* High risk: fraud watch, open regulatory complaint */
  call = popped (fixture, "demo-3");
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-23");
  g_assert_true (popped_with_rule (fixture, "demo-3", "fraud_watch"));
  g_assert_true (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (call), "test-high-risk")));
  call = popped (fixture, "demo-5");
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-61");
  g_assert_true (popped_with_rule (fixture, "demo-5", "regulatory_complaint"));

  /* Chinese caller */
  call = popped (fixture, "demo-4");
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-17");
  g_assert_true (strstr (sm_call_get_customer_text (call), "挂失") != NULL);

  /* Shared number: two matches, the agent's pick is the customer */
  call = popped (fixture, "demo-7");
  g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (call), "test-matches")), ==, 2);
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-71");

  /* Contact records, written at hang-up (ACW still running) */
  text = query_text (fixture->store, "SELECT disposition || ',' || transferred FROM contacts WHERE id = 'c-demo-5'");
  g_assert_cmpstr (text, ==, "transferred,1");
  g_clear_pointer (&text, g_free);
  text = query_text (fixture->store, "SELECT disposition || ',' || (answered_ms IS NULL) FROM contacts WHERE id = 'c-demo-6'");
  g_assert_cmpstr (text, ==, "abandoned,1");
  g_clear_pointer (&text, g_free);
  text = query_text (fixture->store, "SELECT hold_s >= 0 AND answered_ms >= offered_ms FROM contacts WHERE id = 'c-demo-1'");
  g_assert_cmpstr (text, ==, "1");
  g_clear_pointer (&text, g_free);

  /* The abandoned call is in the agent's journal */
  journal = sm_call_journal_list (fixture->store, sm_context_get_agent_id (fixture->context),
                                  sm_now_ms (), &error);
  g_assert_no_error (error);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < journal->len; i++)
      {
        SmJournalEntry *entry = g_ptr_array_index (journal, i);

        if (g_strcmp0 (entry->ref, "c-demo-6") == 0)
          {
            found = TRUE;
            g_assert_cmpint (entry->kind, ==, SM_JOURNAL_ABANDONED);
            g_assert_cmpstr (entry->number, ==, "+12025550188");
            g_assert_cmpstr (entry->customer_name, ==, "Priya Natarajan");
          }
      }
    g_assert_true (found);
  }

  /* The last call is still in after-call work; finishing it completes
   * the record and frees the agent */
  call = popped (fixture, "demo-7");
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_ACW);
  text = query_text (fixture->store, "SELECT acw_end_ms IS NULL FROM contacts WHERE id = 'c-demo-7'");
  g_assert_cmpstr (text, ==, "1");
  g_clear_pointer (&text, g_free);
  sm_call_controller_finish_acw (fixture->controller, call);
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_ENDED);
  text = query_text (fixture->store, "SELECT acw_end_ms >= ended_ms FROM contacts WHERE id = 'c-demo-7'");
  g_assert_cmpstr (text, ==, "1");
  g_clear_pointer (&text, g_free);
}

static void
test_controller_acw_timeout (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"t\",\"event\":\"ringing\",\"number\":\"+12025550123\"}\n"
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"t\",\"event\":\"answered\"}\n"
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"t\",\"event\":\"ended\"}\n";
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", NULL);
  SmCallList *calls = sm_context_get_calls (fixture->context);
  SmAgentState state;
  SmCall *call;

  sm_cti_replay_set_speed (replay, 0);
  fixture->controller = sm_call_controller_new (fixture->context, SM_CTI_SOURCE (replay));
  sm_call_controller_set_acw_timeout (fixture->controller, 1);
  g_signal_connect (fixture->controller, "call-popped", G_CALLBACK (popped_cb), fixture);

  WAIT_FOR ((call = popped (fixture, "t")) != NULL && sm_call_get_state (call) == SM_CALL_STATE_ACW);
  g_assert_true (sm_store_get_agent_state (fixture->store, sm_context_get_agent_id (fixture->context),
                                           &state, NULL));
  g_assert_cmpint (state, ==, SM_AGENT_STATE_ACW);
  g_assert_cmpint (sm_call_controller_get_acw_deadline (fixture->controller, call), >, 0);

  /* The acw-timeout ends ACW by itself */
  WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_ENDED);
  g_assert_null (sm_call_list_get_current (calls));
  g_assert_true (sm_store_get_agent_state (fixture->store, sm_context_get_agent_id (fixture->context),
                                           &state, NULL));
  g_assert_cmpint (state, ==, SM_AGENT_STATE_AVAILABLE);
}

static void
test_controller_commands_greyed (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"g\",\"event\":\"ringing\",\"number\":\"+12025550123\"}\n";
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", NULL);
  SmCall *call;

  sm_cti_replay_set_speed (replay, 0);
  fixture->controller = sm_call_controller_new (fixture->context, SM_CTI_SOURCE (replay));
  g_signal_connect (fixture->controller, "call-popped", G_CALLBACK (popped_cb), fixture);
  WAIT_FOR ((call = popped (fixture, "g")) != NULL);

  /* Ringing: answer and hang up apply, the rest is greyed out */
  g_assert_true (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_ANSWER, call));
  g_assert_true (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_HANGUP, call));
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_HOLD, call));
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_TRANSFER, call));
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_DTMF, call));

  sm_call_controller_command (fixture->controller, SM_CTI_COMMAND_ANSWER, call, NULL);
  WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_TALKING);
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_ANSWER, call));
  g_assert_true (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_HOLD, call));
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_RESUME, call));

  sm_call_controller_command (fixture->controller, SM_CTI_COMMAND_HOLD, call, NULL);
  WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_HELD);
  g_assert_true (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_RESUME, call));

  sm_call_controller_command (fixture->controller, SM_CTI_COMMAND_MUTE, call, NULL);
  WAIT_FOR (sm_call_controller_get_muted (fixture->controller, call));

  sm_call_controller_command (fixture->controller, SM_CTI_COMMAND_TRANSFER, call, "8001");
  WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_ACW);
  g_assert_true (sm_call_controller_get_transferred (fixture->controller, call));
  g_assert_false (sm_call_controller_can (fixture->controller, SM_CTI_COMMAND_HANGUP, call));
}

static void
test_risk_rules (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  SmRiskOptions options = { 2, 30 };
  gint64 now = sm_now_ms ();

  /* cust-31 is flagged vulnerable */
  alerts = sm_risk_evaluate (fixture->store, "cust-31", now, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (has_rule (alerts, "vulnerable"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Repeat complainer: three complaint work orders within the window */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO work_orders (id, customer_id, channel, complaint_level, created_ms,"
                         " updated_ms, status) VALUES ('WO-T-%d', 'cust-64', 'inbound_call', 'general',"
                         " %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'closed')",
                         i, now - (gint64)(i * 10 + 1) * 24 * 3600 * 1000,
                         now - (gint64)(i * 10 + 1) * 24 * 3600 * 1000);

      g_assert_true (sm_store_exec (fixture->store, sql, &error));
    }
  /* 1, 11 and 21 days ago: three in 30 days */
  alerts = sm_risk_evaluate (fixture->store, "cust-64", now, NULL, &error);
  g_assert_true (has_rule (alerts, "repeat_complainer"));
  g_clear_pointer (&alerts, g_ptr_array_unref);
  /* A 15-day window (a settings key) sees only two */
  options.complaint_threshold = 3;
  options.complaint_days = 15;
  alerts = sm_risk_evaluate (fixture->store, "cust-64", now, &options, &error);
  g_assert_false (has_rule (alerts, "repeat_complainer"));
  g_clear_pointer (&alerts, g_ptr_array_unref);
  /* ... unless the threshold is two */
  options.complaint_threshold = 2;
  alerts = sm_risk_evaluate (fixture->store, "cust-64", now, &options, &error);
  g_assert_true (has_rule (alerts, "repeat_complainer"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Rules are data: disabling one turns it off */
  g_assert_true (sm_store_exec (fixture->store,
                                "UPDATE risk_rules SET enabled = 0 WHERE id = 'vulnerable'", &error));
  alerts = sm_risk_evaluate (fixture->store, "cust-31", now, NULL, &error);
  g_assert_false (has_rule (alerts, "vulnerable"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Nobody: nothing */
  alerts = sm_risk_evaluate (fixture->store, "cust-42", now, NULL, &error);
  g_assert_cmpuint (alerts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cti-replay/parse-errors", test_replay_parse_errors);
  g_test_add_func ("/cti-replay/round-trip", test_replay_round_trip);
  g_test_add_func ("/cti-replay/demo-script", test_replay_demo_script);
  g_test_add_func ("/cti-replay/pretend-phone", test_replay_pretend_phone);
  g_test_add_func ("/cti-replay/loop", test_replay_loop);
  g_test_add ("/call-controller/demo", Fixture, NULL, fixture_set_up, test_controller_demo,
              fixture_tear_down);
  g_test_add ("/call-controller/acw-timeout", Fixture, NULL, fixture_set_up,
              test_controller_acw_timeout, fixture_tear_down);
  g_test_add ("/call-controller/commands-greyed", Fixture, NULL, fixture_set_up,
              test_controller_commands_greyed, fixture_tear_down);
  g_test_add ("/risk/rules", Fixture, NULL, fixture_set_up, test_risk_rules, fixture_tear_down);

  return g_test_run ();
}
