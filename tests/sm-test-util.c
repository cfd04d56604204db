/* sm-test-util.c: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "sm-demo.h"
#include "sm-test-util.h"

/**
 * sm_test_timeout_cb:
 * @what: (type utf8): the condition that did not come true
 *
 * The timeout of SM_TEST_WAIT_FOR(): fails the test.
 */
gboolean
sm_test_timeout_cb (gpointer what)
{
  g_error ("Timed out waiting for %s", (const char *)what);
  return G_SOURCE_REMOVE;
}

/**
 * sm_test_spin:
 *
 * Dispatches what is pending on the main context, without blocking.
 */
void
sm_test_spin (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/**
 * sm_test_init:
 *
 * g_test_init() with isolated directories, but with the system data
 * directories kept: isolation hides the system MIME database, without which
 * GTK cannot tell an SVG icon from any other file.
 */
void
sm_test_init (int    *argc,
              char ***argv)
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);
}

/**
 * sm_test_demo_context:
 * @tmp_template: the g_dir_make_tmp() template of the database's directory
 *
 * Returns: (transfer full): a demo context on a fresh demo database moved
 *   to now, with the real settings
 */
SmContext *
sm_test_demo_context (const char *tmp_template)
{
  g_autofree char *dir = g_dir_make_tmp (tmp_template, NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);

  return sm_context_new (store, settings, TRUE);
}

void
sm_test_watch_connection_cb (SmCtiSource *source,
                             gboolean     connected,
                             const char  *message,
                             SmTestWatch *watch)
{
  if (connected)
    watch->n_connected++;
  else
    watch->n_disconnected++;
}

void
sm_test_watch_command_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  SmTestWatch *watch = user_data;

  g_clear_error (&watch->error);
  watch->ok = sm_cti_source_command_finish (SM_CTI_SOURCE (object), result, &watch->error);
  watch->done = TRUE;
}
