/* test-fts-tokenizer.c: the FTS5 tokenizer for Chinese and English
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <sqlite3.h>
#include <string.h>

#include "sm-fts-tokenizer.h"

static void
collect_cb (const char *token,
            int         length,
            int         start,
            int         end,
            gboolean    colocated,
            gpointer    user_data)
{
  GString *out = user_data;

  if (out->len > 0)
    g_string_append_c (out, ' ');
  if (colocated)
    g_string_append_c (out, '+');
  g_string_append_len (out, token, length);
}

static sqlite3 *
open_db (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sm_fts_tokenizer_register (db), ==, SQLITE_OK);

  return db;
}

static char *
tokens (sqlite3           *db,
        const char        *text,
        SmFtsTokenizeMode  mode)
{
  GString *out = g_string_new (NULL);

  g_assert_true (sm_fts_tokenize (db, text, mode, collect_cb, out));
  return g_string_free (out, FALSE);
}

static void
test_han_bigrams (void)
{
  sqlite3 *db = open_db ();
  g_autofree char *doc = tokens (db, "信用卡挂失", SM_FTS_TOKENIZE_DOCUMENT);
  g_autofree char *query = tokens (db, "信用卡挂失", SM_FTS_TOKENIZE_QUERY);
  g_autofree char *one = tokens (db, "卡", SM_FTS_TOKENIZE_QUERY);
  g_autofree char *one_doc = tokens (db, "卡", SM_FTS_TOKENIZE_DOCUMENT);

  /* Documents: overlapping bigrams, and the last character at the last
   * bigram's position; queries never get the trailing character */
  g_assert_cmpstr (doc, ==, "信用 用卡 卡挂 挂失 +失");
  g_assert_cmpstr (query, ==, "信用 用卡 卡挂 挂失");
  g_assert_cmpstr (one, ==, "卡");
  g_assert_cmpstr (one_doc, ==, "卡");

  sqlite3_close (db);
}

static void
test_two_character_query (void)
{
  sqlite3 *db = open_db ();
  g_autofree char *q1 = tokens (db, "额度", SM_FTS_TOKENIZE_QUERY);
  g_autofree char *q2 = tokens (db, "挂失", SM_FTS_TOKENIZE_QUERY);

  /* Not "额度 度": that would need 度 to end a run in the document */
  g_assert_cmpstr (q1, ==, "额度");
  g_assert_cmpstr (q2, ==, "挂失");

  sqlite3_close (db);
}

static void
test_mixed_and_english (void)
{
  sqlite3 *db = open_db ();
  g_autofree char *mixed = tokens (db, "ATM吞卡了，Cards received!", SM_FTS_TOKENIZE_QUERY);
  g_autofree char *english = tokens (db, "Activating the CARDS", SM_FTS_TOKENIZE_DOCUMENT);
  g_autofree char *digits = tokens (db, "7个工作日", SM_FTS_TOKENIZE_DOCUMENT);
  g_autofree char *accents = tokens (db, "Café", SM_FTS_TOKENIZE_DOCUMENT);

  g_assert_cmpstr (mixed, ==, "atm 吞卡 卡了 card receiv");
  g_assert_cmpstr (english, ==, "activ the card");
  g_assert_cmpstr (digits, ==, "7 个工 工作 作日 +日");
  g_assert_cmpstr (accents, ==, "cafe");

  sqlite3_close (db);
}

static void
test_invalid_utf8 (void)
{
  sqlite3 *db = open_db ();
  g_autofree char *out = tokens (db, "ab\xff\xfe 卡片\xe4", SM_FTS_TOKENIZE_DOCUMENT);

  /* Nothing crashes and the valid parts are still there */
  g_assert_nonnull (strstr (out, "卡片"));

  sqlite3_close (db);
}

static int
count_matches (sqlite3    *db,
               const char *match)
{
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
test_fts5_table (void)
{
  sqlite3 *db = open_db ();

  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'seatmate');"
                                 "INSERT INTO t VALUES ('客户申请临时额度调整，额度不足');"
                                 "INSERT INTO t VALUES ('信用卡丢失请立即挂失并补卡');"
                                 "INSERT INTO t VALUES ('每年的年费可以减免');"
                                 "INSERT INTO t VALUES ('The new cards were delivered by post');"
                                 "INSERT INTO t VALUES ('ATM吞卡怎么办');",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);

  /* Two-character Chinese terms, which unicode61 and trigram miss */
  g_assert_cmpint (count_matches (db, "\"额度\""), ==, 1);
  g_assert_cmpint (count_matches (db, "\"挂失\""), ==, 1);
  g_assert_cmpint (count_matches (db, "\"年费\""), ==, 1);
  /* A longer run is a phrase of bigrams */
  g_assert_cmpint (count_matches (db, "\"临时额度\""), ==, 1);
  g_assert_cmpint (count_matches (db, "\"临时挂失\""), ==, 0);
  /* One character as a prefix, also at the end of a run */
  g_assert_cmpint (count_matches (db, "\"卡\"*"), ==, 2);
  g_assert_cmpint (count_matches (db, "\"费\"*"), ==, 1);
  /* English with stemming, and mixed text */
  g_assert_cmpint (count_matches (db, "\"card\" \"deliver\""), ==, 1);
  g_assert_cmpint (count_matches (db, "\"delivering\""), ==, 1);
  g_assert_cmpint (count_matches (db, "\"atm\" \"吞卡\""), ==, 1);

  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fts-tokenizer/han-bigrams", test_han_bigrams);
  g_test_add_func ("/fts-tokenizer/two-character-query", test_two_character_query);
  g_test_add_func ("/fts-tokenizer/mixed-and-english", test_mixed_and_english);
  g_test_add_func ("/fts-tokenizer/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/fts-tokenizer/fts5-table", test_fts5_table);

  return g_test_run ();
}
