/* test-labels.c: the words shown for stored intents and contact outcomes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sm-csv.h"
#include "sm-labels.h"
#include "sm-paths.h"

static void
assert_title (const char *intent,
              const char *expected)
{
  g_autofree char *title = sm_intent_title (intent);
  g_assert_cmpstr (title, ==, expected);
}

static void
test_intent_titles (void)
{
  assert_title ("lost_or_stolen_card", "Lost or stolen card");
  assert_title ("Refund_not_showing_up", "Refund not showing up");
  /* BANKING77's one label with a question mark */
  assert_title ("reverted_card_payment?", "Reverted card payment");
  /* An intent the map does not know (a retrained model's) reads as words */
  assert_title ("card_on_fire", "Card on fire");
  assert_title ("x", "X");
  assert_title ("", "");
}

static void
test_outcomes (void)
{
  g_assert_cmpstr (sm_outcome_label ("callback"), ==, "callback");
  g_assert_cmpstr (sm_outcome_label ("no_answer"), ==, "no answer");
  g_assert_cmpstr (sm_outcome_label (NULL), ==, "no outcome");
  /* An outcome from another system is shown as it is */
  g_assert_cmpstr (sm_outcome_label ("goodwill_credit"), ==, "goodwill_credit");
}

/* Every intent of the category map has a Chinese name of its own */
static void
test_chinese (void)
{
  g_autofree char *map = NULL;
  g_autoptr(SmCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) row = NULL;
  guint n = 0;

  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("the zh_CN.UTF-8 locale is not installed (.ci/setup makes it)");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  assert_title ("lost_or_stolen_card", "卡片遗失或被盗");
  g_assert_cmpstr (sm_outcome_label ("resolved"), ==, "已解决");

  map = sm_paths_find_data ("work-orders/categories.csv");
  g_assert_nonnull (map);
  reader = sm_csv_reader_new_from_file (map, &error);
  g_assert_no_error (error);
  g_assert_true (sm_csv_reader_next (reader, &row, NULL, &error));   /* the header */
  g_clear_pointer (&row, g_strfreev);
  while (sm_csv_reader_next (reader, &row, NULL, &error))
    {
      g_autofree char *title = sm_intent_title (row[0]);

      g_assert_true (g_utf8_validate (title, -1, NULL));
      if (!g_str_equal (row[0], "complaint"))
        g_assert_cmpstr (title, ==, row[4]);   /* subcategory_zh */
      g_clear_pointer (&row, g_strfreev);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 80);

  setlocale (LC_ALL, "C");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/labels/intent-titles", test_intent_titles);
  g_test_add_func ("/labels/outcomes", test_outcomes);
  g_test_add_func ("/labels/chinese", test_chinese);

  return g_test_run ();
}
