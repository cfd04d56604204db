/* bench-wo.c: work-order figures: save latency, list and search with 100,000 work orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-wo [N_WORK_ORDERS] [TEST_WO_PANEL]
 *
 * Seeds N (100,000) work orders into a fresh database, then measures the
 * save of a new work order (validation, masking, id, clocks, history and
 * search index, one transaction), the draft save, the five lists of the
 * pane and full-text search, and prints p50/p99/max in milliseconds. With
 * the path of test-wo-panel (and an X display) it also runs the standard
 * call and prints its keystrokes and clicks.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm-work-order-store.h"

#define DAY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void
report (const char *name,
        GArray     *samples)
{
  double *v = (double *)samples->data;
  guint n = samples->len;

  qsort (v, n, sizeof (double), compare_double);
  printf ("%-34s n=%-5u p50=%7.3f ms  p99=%7.3f ms  max=%7.3f ms\n", name, n,
          v[n / 2], v[MIN (n - 1, (guint)(n * 0.99))], v[n - 1]);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  static const char * const notes[] = {
    "Customer lost the card on the bus; blocked and replacement ordered.",
    "客户反映年费未按承诺减免，要求退还。",
    "Refund from the merchant not showing after 10 days.",
    "客户称卡片被ATM吞卡，已登记。",
    "Two unrecognised online payments, dispute form sent.",
    "客户要求提高临时额度用于出国旅行。",
    "Top-up failed twice, customer unhappy with the app.",
    "客户投诉催收电话过于频繁。",
  };
  static const char * const searches[] = {
    "card", "年费", "refund", "dispute", "WO-2026", "blocked", "投诉", "unrecognised payments",
  };
  /* N, or the path of a database seeded before (to measure again) */
  gboolean reuse = argc > 1 && g_file_test (argv[1], G_FILE_TEST_IS_REGULAR);
  guint n_orders = argc > 1 && !reuse ? (guint)atoi (argv[1]) : 100000;
  g_autofree char *dir = reuse ? NULL : g_dir_make_tmp ("seatmate-bench-wo-XXXXXX", NULL);
  g_autofree char *path = reuse ? g_strdup (argv[1]) : g_build_filename (dir, "bench.db", NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  SmWoPolicy policy;
  gint64 now = sm_now_ms ();
  double t;

  store = sm_store_open (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  wos = sm_work_order_store_new (store);
  if (!sm_work_order_store_load_reference (wos, &error))
    g_error ("%s", error->message);
  categories = sm_work_order_store_list_categories (wos);
  sm_wo_policy_init (&policy);

  /* Seed */
  t = now_ms ();
  sm_store_begin (store, NULL);
  for (guint i = 0; !reuse && i < n_orders; i++)
    {
      g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
      SmWoCategory *c = g_ptr_array_index (categories, g_rand_int_range (rand, 0, categories->len));
      g_autofree char *agent = g_strdup_printf ("a%d", g_rand_int_range (rand, 1, 40));
      g_autofree char *customer = g_strdup_printf ("cust-%d", g_rand_int_range (rand, 1, 20000));
      SmWoPrefill in = { .customer_id = customer, .category = c,
                         .notes = notes[i % G_N_ELEMENTS (notes)] };

      wo->id = g_strdup_printf ("WO-B-%07u", i);
      wo->agent = g_strdup (agent);
      wo->created_ms = now - g_rand_int_range (rand, 0, 60) * DAY_MS - g_rand_int_range (rand, 0, 86400) * 1000;
      sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, in.notes, TRUE);
      sm_work_order_prefill (wo, &in);
      wo->status = g_rand_int_range (rand, 0, 10) < 7 ? SM_WO_STATUS_CLOSED
                                                       : g_rand_int_range (rand, 0, 3);
      if (!sm_work_order_store_write (store, wo, &policy, "imported", agent, wo->created_ms, &error))
        g_error ("%s", error->message);
    }
  sm_store_commit (store, NULL);
  printf ("seeded %u work orders in %.1f s (%s)\n", n_orders, (now_ms () - t) / 1000, path);
  printf ("store rows: work_orders=%" G_GINT64_FORMAT "\n", sm_store_count (store, "work_orders"));

  /* Save latency: a new, valid work order from the form */
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
      g_autoptr(SmWoCategory) c = sm_work_order_store_lookup_intent (wos, "lost_or_stolen_card");
      SmWoPrefill in = { .call_id = "bench", .customer_id = "cust-42", .category = c };
      double start;

      sm_work_order_prefill (wo, &in);
      sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION,
                                "Lost on the bus, card 4111 1111 1111 1111 blocked", TRUE);
      start = now_ms ();
      if (!sm_work_order_store_save (wos, wo, "a7", now + i, &error))
        g_error ("%s", error->message);
      t = now_ms () - start;
      g_array_append_val (samples, t);
    }
  report ("save (new work order)", samples);
  g_array_set_size (samples, 0);

  /* Draft save (every change of the form) */
  {
    g_autoptr(SmWorkOrder) wo = sm_work_order_new ();

    wo->call_id = g_strdup ("bench");
    for (guint i = 0; i < 1000; i++)
      {
        g_autofree char *text = g_strdup_printf ("note %u", i);
        double start;

        sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, text, TRUE);
        start = now_ms ();
        if (!sm_work_order_store_save_draft (wos, "a7", wo, now, &error))
          g_error ("%s", error->message);
        t = now_ms () - start;
        g_array_append_val (samples, t);
      }
    report ("draft save", samples);
    g_array_set_size (samples, 0);
  }

  /* From a change of the form to its draft on disk (the 300 ms promise) */
  {
    g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
    int saved = 0;

    wo->call_id = g_strdup ("bench");
    g_signal_connect_swapped (wos, "draft-saved", G_CALLBACK (g_atomic_int_inc), &saved);
    for (guint i = 0; i < 100; i++)
      {
        g_autofree char *text = g_strdup_printf ("typed %u", i);
        int before = saved;
        double start = now_ms ();

        sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, text, TRUE);
        sm_work_order_store_schedule_draft (wos, "a7", wo);
        while (saved == before)
          g_main_context_iteration (NULL, TRUE);
        t = now_ms () - start;
        g_array_append_val (samples, t);
      }
    report ("change to draft on disk", samples);
    g_array_set_size (samples, 0);
  }

  /* Lists of the pane (100 rows, as the pane shows) */
  {
    static const char * const names[] = { "mine", "open", "near due", "overdue", "complaints" };

    for (guint f = SM_WO_LIST_MINE; f <= SM_WO_LIST_COMPLAINTS; f++)
      {
        g_autofree char *label = g_strdup_printf ("list %s", names[f]);
        guint rows = 0;

        for (guint i = 0; i < 100; i++)
          {
            g_autoptr(GPtrArray) list = NULL;
            double start = now_ms ();

            list = sm_work_order_store_list (wos, f, "a7", NULL, now, 100, &error);
            t = now_ms () - start;
            if (list == NULL)
              g_error ("%s", error->message);
            rows = list->len;
            g_array_append_val (samples, t);
          }
        report (label, samples);
        printf ("%-34s (%u rows)\n", "", rows);
        g_array_set_size (samples, 0);
      }
    g_array_set_size (samples, 0);
    for (guint f = SM_WO_LIST_MINE; f <= SM_WO_LIST_COMPLAINTS; f++)
      for (guint i = 0; i < 100; i++)
        {
          g_autoptr(GPtrArray) list = NULL;
          double start = now_ms ();

          list = sm_work_order_store_list (wos, f, "a7", NULL, now, 100, &error);
          t = now_ms () - start;
          g_array_append_val (samples, t);
        }
    report ("list filter (all five)", samples);
    g_array_set_size (samples, 0);

    /* The counts line of the pane (open, near due, overdue, complaints) */
    for (guint i = 0; i < 100; i++)
      {
        double start = now_ms ();

        for (guint f = SM_WO_LIST_OPEN; f <= SM_WO_LIST_COMPLAINTS; f++)
          sm_work_order_store_count (wos, f, "a7", now);
        t = now_ms () - start;
        g_array_append_val (samples, t);
      }
    report ("counts (four figures)", samples);
    g_array_set_size (samples, 0);
    for (guint f = SM_WO_LIST_OPEN; f <= SM_WO_LIST_COMPLAINTS; f++)
      {
        static const char * const count_names[] = { "mine", "open", "near due", "overdue", "complaints" };
        g_autofree char *label = g_strdup_printf ("count %s", count_names[f]);

        for (guint i = 0; i < 50; i++)
          {
            double start = now_ms ();

            sm_work_order_store_count (wos, f, "a7", now);
            t = now_ms () - start;
            g_array_append_val (samples, t);
          }
        report (label, samples);
        g_array_set_size (samples, 0);
      }
  }

  /* Search over all text */
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    for (guint f = SM_WO_LIST_MINE; f <= SM_WO_LIST_ALL; f += SM_WO_LIST_ALL)
      for (guint i = 0; i < 25; i++)
        {
          g_autoptr(GPtrArray) list = NULL;
          double start = now_ms ();

          list = sm_work_order_store_list (wos, f, "a7", searches[s], now, 100, &error);
          t = now_ms () - start;
          if (list == NULL)
            g_error ("%s", error->message);
          g_array_append_val (samples, t);
        }
  report ("search (8 queries, mine and all)", samples);
  g_array_set_size (samples, 0);

  /* Each query alone (all work orders), to see the worst one */
  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autofree char *label = g_strdup_printf ("search “%s”", searches[s]);
      guint rows = 0;

      for (guint i = 0; i < 25; i++)
        {
          g_autoptr(GPtrArray) list = NULL;
          double start = now_ms ();

          list = sm_work_order_store_list (wos, SM_WO_LIST_ALL, "a7", searches[s], now, 100, &error);
          t = now_ms () - start;
          rows = list->len;
          g_array_append_val (samples, t);
        }
      report (label, samples);
      printf ("%-34s (%u rows)\n", "", rows);
      g_array_set_size (samples, 0);
    }

  /* The standard call, driven with key events by test-wo-panel */
  if (argc > 2 && g_getenv ("DISPLAY") != NULL)
    {
      g_autofree char *out = NULL;
      int status = 0;
      const char *child_argv[] = { argv[2], NULL };

      if (g_spawn_sync (NULL, (char **)child_argv, NULL, 0, NULL, NULL, &out, NULL, &status, &error))
        {
          const char *line = out != NULL ? strstr (out, "# standard call:") : NULL;
          if (line != NULL)
            printf ("%.*s\n", (int)strcspn (line, "\n"), line);
          else
            printf ("standard call: test-wo-panel printed no counts (exit %d)\n", status);
        }
    }
  else
    {
      printf ("standard call: pass the path of test-wo-panel and run under Xvfb for the key counts\n");
    }

  /* A database this run seeded goes away with it */
  if (!reuse)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };

      g_clear_object (&wos);
      g_clear_object (&store);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_remove (file);
        }
      g_rmdir (dir);
    }

  return 0;
}
