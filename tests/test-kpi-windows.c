/* test-kpi-windows.c: the dashboard and the wallboard on real data (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "sm-agent-grid.h"
#include "sm-dashboard-window.h"
#include "sm-demo-generator.h"
#include "sm-demo.h"
#include "sm-records.h"
#include "sm-wallboard-window.h"

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

static char *
all_text (GtkWidget *root)
{
  GString *text = g_string_new (NULL);

  collect_labels (root, text);
  return g_string_free (text, FALSE);
}

static void
spin (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
append_line (const char *line,
             gpointer    user_data)
{
  g_string_append (user_data, line);
  g_string_append_c (user_data, '\n');
}

/* A generated team day in a database file, cut at 10:30 */
static SmContext *
team_context (char **dir_out)
{
  g_autofree char *dir = g_dir_make_tmp ("seatmate-kpi-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "team.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *now = NULL;
  SmDemoGeneratorOptions options;

  store = sm_store_open (path, &error);
  g_assert_no_error (error);

  sm_demo_generator_options_init (&options);
  options.n_agents = 30;
  g_assert_true (sm_demo_generator_parse_date ("2026-01-05", &options.day_start_ms));
  options.until_ms = options.day_start_ms + (10 * 60 + 30) * 60000LL;
  sm_demo_generator_run (&options, append_line, lines, NULL);
  in = g_memory_input_stream_new_from_data (lines->str, lines->len, NULL);
  g_assert_true (sm_records_import_stream (store, in, "team.jsonl", NULL, &error));
  g_assert_no_error (error);

  now = sm_time_format_ms (options.until_ms);
  g_setenv ("SEATMATE_FAKE_NOW", now, TRUE);

  *dir_out = g_steal_pointer (&dir);
  return sm_context_new (store, settings, FALSE);
}

static void
test_wallboard_team (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(SmContext) context = team_context (&dir);
  g_autofree char *text = NULL;
  SmWallboardWindow *window;

  window = sm_wallboard_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  sm_wallboard_window_refresh (window, TRUE);
  spin ();

  text = all_text (GTK_WIDGET (window));
  g_test_message ("%s", text);

  /* Every tile says what it measures and what its thresholds are */
  g_assert_nonnull (strstr (text, "Service level today"));
  g_assert_nonnull (strstr (text, "Target ≥ 80 % answered in 20 s"));
  g_assert_nonnull (strstr (text, "red above 3:00"));
  g_assert_nonnull (strstr (text, "Complaints due soon"));
  g_assert_nonnull (strstr (text, "agents signed in"));
  /* Today's figures arrived: the service level is a number, not "—" */
  g_assert_null (strstr (text, "No data yet"));

  /* No personal data: customer ids and phone numbers never show */
  g_assert_null (strstr (text, "cust-"));
  g_assert_null (strstr (text, "+1202"));

  /* The agents page: the legend counts agents by state, with the tiles' codes */
  sm_wallboard_window_show_page (window, "agents");
  spin ();
  g_free (text);
  text = all_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "[ Agents ]"));
  g_assert_nonnull (strstr (text, "CALL\nOn call "));
  g_assert_nonnull (strstr (text, "RDY\nReady "));

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
  g_unsetenv ("SEATMATE_FAKE_NOW");
}

/* The wallboard on an in-memory store computes today's figures in place */
static void
test_wallboard_memory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) store = sm_store_open (":memory:", &error);
  g_autoptr(SmContext) context = sm_context_new (store, NULL, FALSE);
  g_autofree char *text = NULL;
  SmWallboardWindow *window;

  window = sm_wallboard_window_new (NULL, context);
  sm_wallboard_window_refresh (window, FALSE);
  text = all_text (GTK_WIDGET (window));
  /* No contacts: no data, never 0 % */
  g_assert_nonnull (strstr (text, "No data yet"));
  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
}

static void
test_dashboard_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seatmate-dash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SmDashboardWindow *window;

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);

  window = sm_dashboard_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  sm_dashboard_window_refresh (window);
  spin ();

  text = all_text (GTK_WIDGET (window));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "My shift today"));
  g_assert_nonnull (strstr (text, "Contacts handled"));
  g_assert_nonnull (strstr (text, "Average handle time"));
  g_assert_nonnull (strstr (text, "Target ≤ 300 s"));
  g_assert_nonnull (strstr (text, "Schedule adherence"));
  /* The demo day has contacts for agent a7: a figure, not "—" everywhere */
  g_assert_nonnull (strstr (text, " s\n"));

  gtk_window_destroy (GTK_WINDOW (window));
  spin ();
}

int
main (int   argc,
      char *argv[])
{
  const char *data_dirs = g_getenv ("XDG_DATA_DIRS");
  g_autofree char *saved = g_strdup (data_dirs);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (saved != NULL)
    g_setenv ("XDG_DATA_DIRS", saved, TRUE);

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/wallboard/team", test_wallboard_team);
  g_test_add_func ("/wallboard/memory", test_wallboard_memory);
  g_test_add_func ("/dashboard/demo", test_dashboard_demo);

  return g_test_run ();
}
