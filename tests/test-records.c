/* test-records.c: JSON Lines import and the demo data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sm-customer.h"
#include "sm-demo.h"
#include "sm-records.h"

static SmStore *
new_store (void)
{
  g_autoptr(GError) error = NULL;
  SmStore *store = sm_store_open (":memory:", &error);

  g_assert_no_error (error);
  return store;
}

static gboolean
import_text (SmStore          *store,
             const char       *text,
             SmRecordsImport  *import,
             GError          **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, -1, NULL);
  return sm_records_import_stream (store, stream, "input.jsonl", import, error);
}

static void
test_records_import (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  SmRecordsImport import = { 0 };
  const char *text =
    "{\"type\":\"contact\",\"id\":\"c1\",\"queue\":\"cards\",\"agent\":\"a7\","
    "\"offered\":\"2026-01-05T09:00:00Z\",\"answered\":\"2026-01-05T09:00:10Z\","
    "\"ended\":\"2026-01-05T09:03:30Z\",\"acw_end\":\"2026-01-05T09:04:00Z\",\"hold_s\":12,"
    "\"transferred\":false,\"disposition\":\"resolved\",\"customer\":\"cust-42\","
    "\"reason\":\"card_arrival\",\"csat\":5,\"nps\":null,\"unknown_field\":[1,2]}\n"
    "\n"
    "{\"type\":\"state\",\"agent\":\"a7\",\"state\":\"available\",\"start\":\"2026-01-05T08:00:00Z\","
    "\"end\":\"2026-01-05T09:00:00Z\"}\n"
    "{\"type\":\"shift\",\"agent\":\"a7\",\"activity\":\"work\",\"start\":\"2026-01-05T08:00:00Z\","
    "\"end\":\"2026-01-05T12:00:00Z\"}\n";

  g_assert_true (import_text (store, text, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (import.n_contacts, ==, 1);
  g_assert_cmpuint (import.n_states, ==, 1);
  g_assert_cmpuint (import.n_shifts, ==, 1);
  g_assert_cmpint (sm_store_count (store, "contacts"), ==, 1);
}

static void
test_records_bad_line_imports_nothing (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    /* line 3 is not JSON */
    "{\"type\":\"agent\",\"id\":\"a1\",\"name\":\"Ann\"}\n"
    "{\"type\":\"agent\",\"id\":\"a2\",\"name\":\"Bo\"}\n"
    "{\"type\":\"agent\",\"id\":\n",
    /* line 2 answers before it was offered */
    "{\"type\":\"agent\",\"id\":\"a1\",\"name\":\"Ann\"}\n"
    "{\"type\":\"contact\",\"id\":\"c1\",\"offered\":\"2026-01-05T09:00:00Z\","
    "\"answered\":\"2026-01-05T08:00:00Z\"}\n",
    /* line 2 has an unknown state */
    "{\"type\":\"agent\",\"id\":\"a1\",\"name\":\"Ann\"}\n"
    "{\"type\":\"state\",\"agent\":\"a7\",\"state\":\"napping\",\"start\":\"2026-01-05T08:00:00Z\"}\n",
    /* line 2 has a time without a zone */
    "{\"type\":\"agent\",\"id\":\"a1\",\"name\":\"Ann\"}\n"
    "{\"type\":\"shift\",\"agent\":\"a7\",\"activity\":\"work\",\"start\":\"2026-01-05 08:00\","
    "\"end\":\"2026-01-05T12:00:00Z\"}\n",
    /* line 1 is an array */
    "[1,2,3]\n",
  };
  const char *where[] = { "input.jsonl:3:", "input.jsonl:2:", "input.jsonl:2:",
                          "input.jsonl:2:", "input.jsonl:1:" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (import_text (store, bad[i], NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, where[i]));
      g_clear_error (&error);
      g_assert_cmpint (sm_store_count (store, "agents"), ==, 0);
    }
}

static void
test_records_demo_seed (void)
{
  g_autoptr(SmStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = 0;
  SmCustomer *customer;

  g_assert_true (sm_time_parse_ms ("2026-11-25T15:30:00Z", &now));
  g_assert_true (sm_demo_seed (store, now, &error));
  g_assert_no_error (error);
  g_assert_true (sm_demo_is_seeded (store));
  g_assert_cmpint (sm_store_count (store, "customers"), >=, 8);
  g_assert_cmpint (sm_store_count (store, "work_orders"), >=, 5);
  g_assert_cmpint (sm_store_count (store, "contacts"), >, 100);

  /* The recorded day is moved so that its "now" is ours: nothing is later */
  stmt = sm_store_prepare (store, "SELECT max(coalesce(acw_end_ms, ended_ms)) FROM contacts", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), <=, now);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >, now - 3600 * 1000);

  /* The baresip test caller is a known customer */
  found = sm_customer_lookup_number (store, "+12025550123", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  customer = g_ptr_array_index (found, 0);
  g_assert_cmpstr (sm_customer_get_name (customer), ==, "Jane Doe");
  g_assert_cmpstr (sm_customer_get_cards (customer)[0], ==, "•••• 4821 · Platinum Visa");
  g_assert_cmpuint (sm_customer_get_open_work_orders (customer), ==, 1);
  g_assert_cmpuint (sm_customer_get_recent_contacts (customer)->len, <=, 5);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Two customers share a household number: both come back */
  found = sm_customer_lookup_number (store, "+12025550111", &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = sm_customer_lookup_number (store, "+19999999999", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Seeding again changes nothing */
  g_assert_true (sm_demo_seed (store, now, &error));
  g_assert_cmpint (sm_store_count (store, "customers"), ==, 10);
}

static void
test_records_demo_open (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seatmate-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *real = g_build_filename (dir, "real.db", NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 day1 = 0, day2 = 0;

  g_assert_true (sm_time_parse_ms ("2026-11-24T15:00:00Z", &day1));
  g_assert_true (sm_time_parse_ms ("2026-11-25T15:00:00Z", &day2));

  store = sm_demo_open (path, day1, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_exec (store, "INSERT INTO agents (id, name) VALUES ('zz', 'Demo user')", &error));
  g_clear_object (&store);

  /* Same day: what was done in the demo stays */
  store = sm_demo_open (path, day1 + 3600 * 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_count (store, "agents"), ==, 11);
  g_clear_object (&store);

  /* Next day: seeded afresh so the demo shows today */
  store = sm_demo_open (path, day2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_count (store, "agents"), ==, 10);
  g_clear_object (&store);

  /* A real database is never turned into a demo one */
  store = sm_store_open (real, &error);
  g_assert_true (sm_demo_seed (store, day1, &error));
  g_clear_object (&store);
  store = sm_demo_open (real, day2, &error);
  g_assert_null (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/records/import", test_records_import);
  g_test_add_func ("/records/bad-line-imports-nothing", test_records_bad_line_imports_nothing);
  g_test_add_func ("/records/demo-seed", test_records_demo_seed);
  g_test_add_func ("/records/demo-open", test_records_demo_open);

  return g_test_run ();
}
