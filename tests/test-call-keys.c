/* test-call-keys.c: the call keys with real X key events (XTest), from a
 * text field, where GtkText's own Ctrl+Shift+A once swallowed the answer key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "sm-call-controller.h"
#include "sm-cti-replay.h"
#include "sm-demo.h"
#include "sm-test-gtk.h"
#include "sm-window.h"

static Display *dpy;

static void
pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Ctrl+Shift+letter, or a single key when @chord is FALSE */
static void
key (KeySym   keysym,
     gboolean chord)
{
  KeyCode control = XKeysymToKeycode (dpy, XK_Control_L);
  KeyCode shift = XKeysymToKeycode (dpy, XK_Shift_L);
  KeyCode code = XKeysymToKeycode (dpy, keysym);

  g_assert_cmpuint (code, !=, 0);
  if (chord)
    {
      XTestFakeKeyEvent (dpy, control, True, CurrentTime);
      XTestFakeKeyEvent (dpy, shift, True, CurrentTime);
    }
  XTestFakeKeyEvent (dpy, code, True, CurrentTime);
  XTestFakeKeyEvent (dpy, code, False, CurrentTime);
  if (chord)
    {
      XTestFakeKeyEvent (dpy, shift, False, CurrentTime);
      XTestFakeKeyEvent (dpy, control, False, CurrentTime);
    }
  XSync (dpy, False);
  pump (80);
}

static gboolean
shows (GtkWidget  *root,
       const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sm_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_call_keys (void)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"k1\",\"event\":\"ringing\",\"direction\":\"inbound\","
    "\"number\":\"+12025550123\"}\n"
    "{\"time\":\"2026-01-05T09:30:00Z\",\"call\":\"k1\",\"event\":\"ended\"}\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("seatmate-call-keys-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCtiReplay) replay = NULL;
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GdkDisplay *display = gdk_display_get_default ();
  SmCallList *calls;
  SmWindow *window;
  SmCall *call;

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("Needs an X11 display for XTest");
      return;
    }
  dpy = gdk_x11_display_get_xdisplay (display);

  store = sm_demo_open (db, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);
  calls = sm_context_get_calls (context);
  replay = sm_cti_replay_new_from_data (script, "script", &error);
  g_assert_no_error (error);
  controller = sm_call_controller_new (context, SM_CTI_SOURCE (replay));
  sm_call_controller_set_acw_timeout (controller, 0);
  sm_call_controller_attach (controller);

  window = sm_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (500);
  XSetInputFocus (dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  XSync (dpy, False);
  pump (300);

  SM_TEST_WAIT_FOR (sm_call_list_get_current (calls) != NULL);
  call = sm_call_list_get_current (calls);

  /* The focus in a text field (the knowledge search) */
  sm_test_collect (GTK_WIDGET (window), GTK_TYPE_TEXT, entries);
  g_assert_cmpuint (entries->len, >, 0);
  g_assert_true (gtk_widget_grab_focus (g_ptr_array_index (entries, 0)));
  pump (100);

  /* Ctrl+Shift+A answers from there */
  key (XK_a, TRUE);
  SM_TEST_WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_TALKING);

  /* Ctrl+Shift+D opens the keypad; typed digits go to the caller */
  key (XK_d, TRUE);
  pump (300);
  key (XK_4, FALSE);
  key (XK_2, FALSE);
  SM_TEST_WAIT_FOR (shows (GTK_WIDGET (window), "You sent 42"));

  /* Ctrl+Shift+H holds and resumes */
  key (XK_h, TRUE);
  SM_TEST_WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_HELD);
  key (XK_h, TRUE);
  SM_TEST_WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_TALKING);

  /* Ctrl+Shift+E hangs up, Ctrl+Shift+R ends after-call work */
  g_object_ref (call);
  key (XK_e, TRUE);
  SM_TEST_WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_ACW);
  key (XK_r, TRUE);
  SM_TEST_WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_ENDED);
  g_object_unref (call);
  g_assert_null (sm_call_list_get_current (calls));

  gtk_window_destroy (GTK_WINDOW (window));
  pump (100);
  g_clear_object (&controller);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  sm_test_init (&argc, &argv);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/seatmate-test-bus", TRUE);
  gdk_set_allowed_backends ("x11");

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/call-keys/from-a-text-field", test_call_keys);

  return g_test_run ();
}
