/* test-wo-panel.c: the standard call, driven from the keyboard (needs an X display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "My card is lost", a known customer: from answer to a saved, valid work
 * order, with real key events synthesised through XTest. Counts the mouse
 * clicks (none are ever sent) and the keystrokes outside the notes.
 */

#include "config.h"

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <string.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "sm-demo.h"
#include "sm-window.h"
#include "sm-work-order-panel.h"
#include "sm-work-order-store.h"

#define NOTES "lost it on the bus this morning, card blocked"

typedef struct
{
  Display *dpy;
  guint    keystrokes;   /* outside the notes */
  guint    typed;        /* inside the notes */
  guint    clicks;
} Driver;

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

static void
key (Driver  *d,
     KeySym   modifier,
     KeySym   keysym)
{
  KeyCode mod = modifier != NoSymbol ? XKeysymToKeycode (d->dpy, modifier) : 0;
  KeyCode code = XKeysymToKeycode (d->dpy, keysym);

  g_assert_cmpuint (code, !=, 0);
  if (mod != 0)
    XTestFakeKeyEvent (d->dpy, mod, True, CurrentTime);
  XTestFakeKeyEvent (d->dpy, code, True, CurrentTime);
  XTestFakeKeyEvent (d->dpy, code, False, CurrentTime);
  if (mod != 0)
    XTestFakeKeyEvent (d->dpy, mod, False, CurrentTime);
  XSync (d->dpy, False);
  pump (60);
}

/* A keystroke (or a chord) outside the notes: counted */
static void
press (Driver *d,
       KeySym  modifier,
       KeySym  keysym)
{
  d->keystrokes++;
  key (d, modifier, keysym);
}

static void
type_notes (Driver     *d,
            const char *text)
{
  for (const char *p = text; *p; p++)
    {
      KeySym sym = *p == ' ' ? XK_space : *p == ',' ? XK_comma : (KeySym)*p;

      d->typed++;
      key (d, NoSymbol, sym);
    }
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static SmWorkOrderPanel *
find_panel (GtkWidget *root)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, SM_TYPE_WORK_ORDER_PANEL, found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static void
saved_cb (SmWorkOrderPanel *panel,
          const char       *id,
          char            **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_standard_call (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seatmate-wo-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCall) call = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmWorkOrder) wo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved_id = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  SmWorkOrderPanel *panel;
  SmWindow *window;
  Driver d = { 0 };
  gint64 now = sm_now_ms ();

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("Needs an X11 display for XTest");
      return;
    }
  d.dpy = gdk_x11_display_get_xdisplay (display);

  store = sm_demo_open (path, now, &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);

  window = sm_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (500);

  panel = find_panel (GTK_WIDGET (window));
  g_signal_connect (panel, "saved", G_CALLBACK (saved_cb), &saved_id);

  /* Give the window the X input focus (there is no window manager) */
  XSetInputFocus (d.dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  XSync (d.dpy, False);
  pump (300);

  /* The call rings and is answered (by the telephony source) */
  call = sm_call_new ("std-1", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_call_list_set_current (sm_context_get_calls (context), call);
  pump (100);
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_TALKING, sm_now_ms ()));
  sm_call_add_transcript (call, "customer", "my card is lost", sm_now_ms ());
  pump (300);

  /* The assist pane sets the top intent; without a model, stand in for it */
  if (g_strcmp0 (sm_call_get_intent (call), "lost_or_stolen_card") != 0)
    sm_call_set_intent (call, "lost_or_stolen_card", 0.93);
  pump (100);

  /* Already filled from the call and the intent */
  {
    const SmWorkOrder *form = sm_work_order_panel_get_work_order (panel);

    g_assert_cmpstr (form->call_id, ==, "std-1");
    g_assert_cmpstr (form->customer_id, ==, "cust-42");
    g_assert_cmpstr (form->subcategory, ==, "Lost or stolen card");
  }

  /* Alt+N: to the notes; type them; the customer hangs up; Ctrl+Enter */
  press (&d, XK_Alt_L, XK_n);
  type_notes (&d, NOTES);
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->description, ==, NOTES);
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_ACW, sm_now_ms ()));
  pump (100);
  press (&d, XK_Control_L, XK_Return);
  for (guint i = 0; i < 100 && saved_id == NULL; i++)
    pump (20);

  g_test_message ("standard call: %u keystrokes outside the notes, %u clicks, %u typed in the notes",
                  d.keystrokes, d.clicks, d.typed);
  g_print ("# standard call: keystrokes outside notes = %u, clicks = %u\n", d.keystrokes, d.clicks);

  g_assert_nonnull (saved_id);
  g_assert_cmpuint (d.clicks, ==, 0);
  g_assert_cmpuint (d.keystrokes, <=, 5);

  /* The stored row */
  wos = sm_work_order_store_new (store);
  wo = sm_work_order_store_load (wos, saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wo->call_id, ==, "std-1");
  g_assert_cmpstr (wo->customer_id, ==, "cust-42");
  g_assert_cmpstr (wo->agent, ==, "a7");
  g_assert_cmpint (wo->channel, ==, SM_WO_CHANNEL_INBOUND_CALL);
  g_assert_cmpstr (wo->category, ==, "Lost or stolen");
  g_assert_cmpstr (wo->subcategory, ==, "Lost or stolen card");
  g_assert_cmpint (wo->priority, ==, SM_WO_PRIORITY_URGENT);
  g_assert_cmpint (wo->status, ==, SM_WO_STATUS_RECEIVED);
  g_assert_cmpstr (wo->description, ==, NOTES);
  g_assert_true (g_str_has_prefix (wo->summary, "Card reported lost or stolen"));
  g_assert_nonnull (strstr (wo->summary, "intents: lost_or_stolen_card"));
  g_assert_cmpstr (wo->dispositions[0], ==, "card_blocked");
  g_assert_true (wo->resolution_due_ms > wo->created_ms);
  {
    g_autoptr(GPtrArray) problems = sm_work_order_validate (wo, wo->created_ms);
    g_assert_cmpuint (problems->len, ==, 0);
  }

  /* The draft is gone; the list shows the new work order first */
  g_assert_null (sm_work_order_store_load_draft (wos, "a7", NULL));
  {
    g_autoptr(GPtrArray) rows = sm_work_order_store_list (wos, SM_WO_LIST_MINE, "a7", NULL,
                                                          sm_now_ms (), 1, &error);
    g_assert_cmpstr (((SmWoRow *)g_ptr_array_index (rows, 0))->wo->id, ==, saved_id);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  pump (50);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  /* Other panes may warn about data a test seat does not have (such as
   * the intent model); only criticals fail this test. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/wo-panel/standard-call", test_standard_call);

  return g_test_run ();
}
