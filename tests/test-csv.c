/* test-csv.c: the RFC 4180 CSV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "sm-csv.h"

/* Reads every row; bad rows become "!<line>:<code>". Each row is "<line>|f1|f2…". */
static char *
read_all (const char *data,
          gssize      length)
{
  g_autoptr(SmCsvReader) reader = sm_csv_reader_new_from_data (data, length);
  g_autoptr(GString) out = g_string_new (NULL);

  for (;;)
    {
      g_auto(GStrv) row = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;

      if (!sm_csv_reader_next (reader, &row, &line, &error))
        {
          if (error == NULL)
            break;
          g_assert_error (error, SM_CSV_ERROR, error->code);
          g_string_append_printf (out, "!%d:%s\n", error->code, error->message);
          continue;
        }
      g_string_append_printf (out, "%u", line);
      for (guint i = 0; row[i] != NULL; i++)
        g_string_append_printf (out, "|%s", row[i]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_csv_simple (void)
{
  g_autofree char *got = read_all ("text,category\nhello,a\nworld,b", -1);

  g_assert_cmpstr (got, ==, "1|text|category\n2|hello|a\n3|world|b\n");
}

/* Real rows of BANKING77's train.csv (lines 1247-1253 and 1729-1731 of the
 * file), with quoted newlines, an apostrophe and quoted commas. */
static const char banking77_rows[] =
  "text,category\n"
  "I can't use my card because it is not working.,card_not_working\n"
  "\"\n"
  "I can't seem to be able to use my card\n"
  "\n"
  "\n"
  "\",card_not_working\n"
  "\"My card isn't working at all, I need assistance. It's really frustrating.\",card_not_working\n"
  "\"\n"
  "How do I unblock my PIN?\",pin_blocked\n"
  "What happens if I forget my PIN?,pin_blocked\n"
  "\"I put in a payment a while ago and it has still not cleared and is showing up as "
  "\"\"pending\"\", how long does it take to clear?\",pending_card_payment\n";

static void
test_csv_banking77_rows (void)
{
  g_autofree char *got = read_all (banking77_rows, -1);

  g_assert_cmpstr (got, ==,
                   "1|text|category\n"
                   "2|I can't use my card because it is not working.|card_not_working\n"
                   "3|\nI can't seem to be able to use my card\n\n\n|card_not_working\n"
                   "8|My card isn't working at all, I need assistance. It's really frustrating.|card_not_working\n"
                   "9|\nHow do I unblock my PIN?|pin_blocked\n"
                   "11|What happens if I forget my PIN?|pin_blocked\n"
                   "12|I put in a payment a while ago and it has still not cleared and is showing up as "
                   "\"pending\", how long does it take to clear?|pending_card_payment\n");
}

static void
test_csv_crlf_bom_empty (void)
{
  g_autofree char *got = read_all ("\xEF\xBB\xBFtext,category\r\n\r\n\"a\r\nb\",x\r\n,\r\nlast,\r\n", -1);

  /* CRLF ends rows, but is kept inside a quoted field; empty lines are skipped;
   * empty fields stay. */
  g_assert_cmpstr (got, ==, "1|text|category\n3|a\r\nb|x\n5||\n6|last|\n");
}

static void
test_csv_unicode (void)
{
  g_autofree char *got = read_all ("text,category\n\"喂，你好,我信用卡丢了\",lost_or_stolen_card\n", -1);

  g_assert_cmpstr (got, ==, "1|text|category\n2|喂，你好,我信用卡丢了|lost_or_stolen_card\n");
}

static void
test_csv_bad_rows (void)
{
  g_autofree char *got = NULL;

  /* A stray quote inside an unquoted field, text after a closing quote, then
   * good rows: both bad rows are reported with their lines and reading goes on. */
  got = read_all ("text,category\n"
                  "he said \"hi\",greeting\n"
                  "ok,a\n"
                  "\"quoted\" tail,b\n"
                  "\"multi\nline\",c\n"
                  "bad \xff byte,d\n"
                  "fine,e\n", -1);
  g_assert_cmpstr (got, ==,
                   "1|text|category\n"
                   "!1:Line 2: a quote inside an unquoted field (quote the whole field and double the quote)\n"
                   "3|ok|a\n"
                   "!1:Line 4: unexpected text after a closing quote\n"
                   "5|multi\nline|c\n"
                   "!2:Line 7: the row is not valid UTF-8\n"
                   "8|fine|e\n");
}

static void
test_csv_unterminated (void)
{
  g_autofree char *got = read_all ("text,category\nok,a\n\"never closed,b\nmore,c\n", -1);

  g_assert_cmpstr (got, ==,
                   "1|text|category\n2|ok|a\n"
                   "!0:Line 3: quoted field is not closed before the end of the file\n");
}

static void
test_csv_nul (void)
{
  static const char data[] = "a,b\nx\0y,z\nq,r\n";
  g_autofree char *got = read_all (data, sizeof data - 1);

  g_assert_cmpstr (got, ==, "1|a|b\n!3:Line 2: the row contains a NUL byte\n3|q|r\n");
}

static void
test_csv_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-csv-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "rows.csv", NULL);
  g_autoptr(SmCsvReader) reader = NULL;
  g_auto(GStrv) row = NULL;
  guint line = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "a,\"b\nc\"\n", -1, &error));
  g_assert_no_error (error);

  reader = sm_csv_reader_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (sm_csv_reader_next (reader, &row, &line, &error));
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpstr (row[1], ==, "b\nc");
  g_assert_cmpuint (sm_csv_reader_get_line (reader), ==, 3);
  g_clear_pointer (&row, g_strfreev);
  g_assert_false (sm_csv_reader_next (reader, &row, &line, &error));
  g_assert_no_error (error);
  g_assert_null (row);

  g_assert_null (sm_csv_reader_new_from_file ("/nonexistent/seatmate.csv", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: these tests use no user directories, and
   * GLib 2.74 leaks the isolated paths of every test case. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/simple", test_csv_simple);
  g_test_add_func ("/csv/banking77-rows", test_csv_banking77_rows);
  g_test_add_func ("/csv/crlf-bom-empty", test_csv_crlf_bom_empty);
  g_test_add_func ("/csv/unicode", test_csv_unicode);
  g_test_add_func ("/csv/bad-rows", test_csv_bad_rows);
  g_test_add_func ("/csv/unterminated", test_csv_unterminated);
  g_test_add_func ("/csv/nul", test_csv_nul);
  g_test_add_func ("/csv/file", test_csv_file);

  return g_test_run ();
}
