/* test-store.c: SmStore on real SQLite files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sm-store.h"

static char *
tmp_path (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("seatmate-store-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
}

static void
test_store_create (void)
{
  g_autofree char *path = tmp_path ("sub/dir/seatmate.db");
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GStatBuf st;

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sm_store_get_schema_version (store), ==, sm_store_get_latest_version ());

  stmt = sm_store_prepare (store, "PRAGMA journal_mode", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "wal");
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = sm_store_prepare (store, "PRAGMA foreign_keys", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Foreign keys are enforced */
  g_assert_false (sm_store_exec (store,
                                 "INSERT INTO cards (customer_id, masked) VALUES ('nobody', '•••• 1')",
                                 &error));
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A loose mode on an existing file is tightened */
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_store_reopen_keeps_data (void)
{
  g_autofree char *path = tmp_path ("seatmate.db");
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_exec (store, "INSERT INTO agents (id, name) VALUES ('a1', 'Ann')", &error));
  g_clear_object (&store);

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_count (store, "agents"), ==, 1);
}

static void
test_store_migrates_old (void)
{
  g_autofree char *path = tmp_path ("old.db");
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  /* A database from before the first schema: empty, user_version 0, with
   * a table of its own that the migration must keep. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE keepme (x); INSERT INTO keepme VALUES (42);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_get_schema_version (store), ==, sm_store_get_latest_version ());
  g_assert_cmpint (sm_store_count (store, "keepme"), ==, 1);
  g_assert_cmpint (sm_store_count (store, "work_orders"), ==, 0);
}

static void
test_store_refuses_corrupt (void)
{
  g_autofree char *path = tmp_path ("corrupt.db");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GString *junk = g_string_new (NULL);

  for (guint i = 0; i < 4096; i++)
    g_string_append_c (junk, (char)(i * 7 + 3));
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  g_string_free (junk, TRUE);
  before = file_checksum (path);

  store = sm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_store_refuses_damaged_schema (void)
{
  g_autofree char *path = tmp_path ("damaged.db");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&store);

  /* Overwrite the schema page (page 1 after the 100-byte header) */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 4096);
  memset (contents + 100, 0xA5, 3000);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  before = file_checksum (path);

  store = sm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_CORRUPT);

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_store_refuses_newer (void)
{
  g_autofree char *path = tmp_path ("newer.db");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  sql = g_strdup_printf ("CREATE TABLE future (x); PRAGMA user_version = %d;",
                         sm_store_get_latest_version () + 1);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_checksum (path);

  store = sm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_TOO_NEW);

  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_store_refuses_locked (void)
{
  g_autofree char *path = tmp_path ("locked.db");
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int to_child[2], to_parent[2];
  char byte = 0;
  pid_t pid;

  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_exec (store, "INSERT INTO agents (id, name) VALUES ('a1', 'Ann')", &error));
  g_clear_object (&store);

  g_assert_cmpint (pipe (to_child), ==, 0);
  g_assert_cmpint (pipe (to_parent), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* Another process holds the write lock until told to let go */
      sqlite3 *db = NULL;
      int ok = sqlite3_open (path, &db) == SQLITE_OK &&
               sqlite3_exec (db, "BEGIN EXCLUSIVE; UPDATE agents SET name = 'Bo';",
                             NULL, NULL, NULL) == SQLITE_OK;
      byte = ok ? 'L' : 'E';
      if (write (to_parent[1], &byte, 1) != 1 || read (to_child[0], &byte, 1) != 1)
        _exit (2);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (db);
      _exit (0);
    }

  g_assert_cmpint (read (to_parent[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'L');

  store = sm_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SM_STORE_ERROR, SM_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_cmpint (write (to_child[1], "x", 1), ==, 1);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);

  /* Once the other process is gone, the data is all there */
  store = sm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sm_store_count (store, "agents"), ==, 1);
}

static void
test_store_agent_state (void)
{
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SmAgentState state;
  gint64 since;

  store = sm_store_open (":memory:", &error);
  g_assert_no_error (error);

  g_assert_false (sm_store_get_agent_state (store, "a7", &state, &since));
  g_assert_true (sm_store_record_agent_state (store, "a7", SM_AGENT_STATE_AVAILABLE, 1000, &error));
  g_assert_true (sm_store_record_agent_state (store, "a7", SM_AGENT_STATE_AVAILABLE, 1500, &error));
  g_assert_true (sm_store_record_agent_state (store, "a7", SM_AGENT_STATE_BREAK, 2000, &error));
  g_assert_true (sm_store_record_agent_state (store, "a8", SM_AGENT_STATE_LUNCH, 2500, &error));
  g_assert_true (sm_store_record_agent_state (store, "a7", SM_AGENT_STATE_AVAILABLE, 3000, &error));
  g_assert_no_error (error);

  g_assert_true (sm_store_get_agent_state (store, "a7", &state, &since));
  g_assert_cmpint (state, ==, SM_AGENT_STATE_AVAILABLE);
  g_assert_cmpint (since, ==, 3000);

  stmt = sm_store_prepare (store,
                           "SELECT state, start_ms, end_ms FROM agent_states WHERE agent = 'a7'"
                           " ORDER BY start_ms",
                           &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "available");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 1000);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 2000);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "break");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, 3000);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (stmt, 2), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static void
test_store_time (void)
{
  g_autofree char *text = NULL;
  gint64 ms = 0;

  g_assert_true (sm_time_parse_ms ("2026-01-05T14:00:00Z", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1767621600000));
  text = sm_time_format_ms (ms + 250);
  g_assert_cmpstr (text, ==, "2026-01-05T14:00:00.250Z");
  g_assert_true (sm_time_parse_ms ("2026-01-05T22:00:00+08:00", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1767621600000));

  g_assert_false (sm_time_parse_ms ("2026-01-05", &ms));
  g_assert_false (sm_time_parse_ms ("2026-01-05T14:00:00", &ms));
  g_assert_false (sm_time_parse_ms ("yesterday at noon", &ms));
  g_assert_false (sm_time_parse_ms (NULL, &ms));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/create", test_store_create);
  g_test_add_func ("/store/reopen-keeps-data", test_store_reopen_keeps_data);
  g_test_add_func ("/store/migrates-old", test_store_migrates_old);
  g_test_add_func ("/store/refuses-corrupt", test_store_refuses_corrupt);
  g_test_add_func ("/store/refuses-damaged-schema", test_store_refuses_damaged_schema);
  g_test_add_func ("/store/refuses-newer", test_store_refuses_newer);
  g_test_add_func ("/store/refuses-locked", test_store_refuses_locked);
  g_test_add_func ("/store/agent-state", test_store_agent_state);
  g_test_add_func ("/store/time", test_store_time);

  return g_test_run ();
}
