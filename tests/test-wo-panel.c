/* test-wo-panel.c: the standard call, driven from the keyboard (needs an X display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "My card is lost", a known customer: from answer to a saved, valid work
 * order, with real key events synthesised through XTest. Counts the mouse
 * clicks (none are ever sent) and the keystrokes outside the notes.
 */

#include "config.h"

#include <glib/gstdio.h>
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

/* Temporary folders, removed when the tests are done */
static GPtrArray *tmp_dirs;

static char *
make_tmp_dir (void)
{
  char *dir = g_dir_make_tmp ("seatmate-wo-gui-XXXXXX", NULL);

  g_assert_nonnull (dir);
  g_ptr_array_add (tmp_dirs, g_strdup (dir));
  return dir;
}

static void
remove_tmp_dirs (void)
{
  static const char * const files[] = { "demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal" };

  for (guint i = 0; i < tmp_dirs->len; i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (files); j++)
        {
          g_autofree char *file = g_build_filename (g_ptr_array_index (tmp_dirs, i), files[j], NULL);
          g_remove (file);
        }
      g_rmdir (g_ptr_array_index (tmp_dirs, i));
    }
  g_ptr_array_unref (tmp_dirs);
}

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

/* With WO_PANEL_SCREENSHOT=FILE.png, keeps a picture of the window */
static void
maybe_screenshot (GtkWidget *window)
{
  const char *path = g_getenv ("WO_PANEL_SCREENSHOT");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;

  if (path == NULL)
    return;

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  gdk_texture_save_to_png (texture, path);
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
  g_autofree char *dir = make_tmp_dir ();
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

  /* Alt+E belongs to the notes alone on the whole desk */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    guint n = 0;

    collect (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      {
        GtkLabel *label = g_ptr_array_index (labels, i);

        if (gtk_widget_get_mapped (GTK_WIDGET (label)) &&
            gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (label)) == GDK_KEY_e)
          n++;
      }
    g_assert_cmpuint (n, ==, 1);
  }

  /* Alt+E: to the notes; type them; the customer hangs up; Ctrl+Enter */
  press (&d, XK_Alt_L, XK_e);
  type_notes (&d, NOTES);
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->description, ==, NOTES);
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_ACW, sm_now_ms ()));
  pump (100);
  maybe_screenshot (GTK_WIDGET (window));
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

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type,
              guint      index)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  g_assert_cmpuint (found->len, >, index);
  return g_ptr_array_index (found, index);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (found, i)), action) == 0)
      return g_ptr_array_index (found, i);

  g_assert_not_reached ();
}

static gboolean
label_shows (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) &&
          strstr (gtk_label_get_text (GTK_LABEL (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The rest of the form, through its actions and widgets */
static void
test_form_features (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes_text = NULL;
  GtkWidget *window, *notes, *list;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  SmWorkOrderPanel *panel;
  const SmWorkOrder *form;
  SmWoStatus before;
  GtkListBoxRow *row;
  g_autofree char *id = NULL;

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);

  panel = g_object_new (SM_TYPE_WORK_ORDER_PANEL, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 1000);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  sm_work_order_panel_set_context (panel, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (200);

  /* An empty form: Save is disabled and says why; no error is shown yet */
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (panel), "work-order.save")));
  g_assert_true (label_shows (GTK_WIDGET (panel), "Cannot save yet: Enter the customer of the call"));
  g_assert_false (label_shows (GTK_WIDGET (panel), "Choose a category"));

  /* Ctrl+Enter on it shows every problem inline and goes to the first */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "work-order.try-save", NULL));
  pump (50);
  g_assert_true (label_shows (GTK_WIDGET (panel), "Choose a category"));
  g_assert_true (label_shows (GTK_WIDGET (panel), "Add at least one disposition code"));
  g_assert_true (gtk_widget_has_focus (find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT,  0)));

  /* Tab follows the eye, top to bottom and left to right */
  {
    GtkWidget *expected[] = {
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY, 0),      /* customer */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN, 0),  /* channel */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY, 1),      /* category */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN, 1),  /* priority */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN, 2),  /* complaint level */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW, 0),  /* summary */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW, 1),  /* notes */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY, 2),      /* disposition */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY, 3),      /* department */
      find_by_type (GTK_WIDGET (panel), GTK_TYPE_ENTRY, 4),      /* call-back */
    };

    gtk_widget_grab_focus (expected[0]);
    for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
      {
        GtkWidget *focus;

        g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
        focus = gtk_window_get_focus (GTK_WINDOW (window));
        g_assert_true (focus == expected[i] || gtk_widget_is_ancestor (focus, expected[i]));
      }
  }

  /* Esc goes back to the notes */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "work-order.focus-notes", NULL));
  notes = find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW, 1);
  g_assert_true (gtk_widget_has_focus (notes));

  /* ::keyword and a space insert the canned text */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_interactive (buffer, &end, "Lost. ::blocked", -1, TRUE);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_interactive (buffer, &end, " ", -1, TRUE);
  pump (20);
  form = sm_work_order_panel_get_work_order (panel);
  g_assert_cmpstr (form->description, ==, "Lost. Card blocked at the customer's request. ");
  g_assert_true (form->touched & SM_WO_FIELD_DESCRIPTION);

  /* The assist pane's wording and articles */
  sm_work_order_panel_insert_notes (panel, "Replacement in 5 to 7 days.");
  sm_work_order_panel_link_article (panel, "kb-lost", "Lost or stolen cards");
  sm_work_order_panel_link_article (panel, "kb-lost", "Lost or stolen cards");
  pump (20);
  form = sm_work_order_panel_get_work_order (panel);
  g_assert_cmpstr (form->description, ==,
                   "Lost. Card blocked at the customer's request. \nReplacement in 5 to 7 days.");
  g_assert_cmpuint (g_strv_length (form->article_ids), ==, 1);
  g_assert_true (label_shows (GTK_WIDGET (panel), "Lost or stolen cards"));

  /* Complaint words in the notes raise the complaint level */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_interactive (buffer, &end, " Customer will complain to the regulator.", -1, TRUE);
  pump (20);
  form = sm_work_order_panel_get_work_order (panel);
  g_assert_cmpint (form->complaint_level, ==, SM_WO_LEVEL_REGULATORY);

  /* The draft is in the store within the delay */
  pump (400);
  wos = sm_work_order_store_new (store);
  {
    g_autoptr(SmWorkOrder) draft = sm_work_order_store_load_draft (wos, "a7", NULL);
    g_assert_nonnull (draft);
    g_assert_true (g_str_has_prefix (draft->description, "Lost. Card blocked"));
  }

  /* History and lifecycle: open the first of my work orders */
  list = find_by_type (GTK_WIDGET (panel), GTK_TYPE_LIST_BOX, 0);
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  /* The rows are rebuilt when the list reloads: keep a copy */
  id = g_strdup (g_object_get_data (G_OBJECT (row), "work-order-id"));
  g_assert_nonnull (id);
  {
    g_autoptr(SmWorkOrder) wo = sm_work_order_store_load (wos, id, &error);
    before = wo->status;
  }
  g_signal_emit_by_name (list, "row-activated", row);
  pump (20);
  g_assert_true (label_shows (GTK_WIDGET (panel), id));
  g_assert_true (label_shows (GTK_WIDGET (panel), "Imported"));

  {
    SmWoStatus to = SM_WO_N_STATUSES;

    for (SmWoStatus s = 0; s < SM_WO_N_STATUSES && to == SM_WO_N_STATUSES; s++)
      if (sm_wo_status_can_change (before, s))
        to = s;
    g_assert_cmpint (to, <, SM_WO_N_STATUSES);

    /* An illegal step is refused and changes nothing */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "work-order.transition", "s",
                                               before == SM_WO_STATUS_RECEIVED ? "closed" : "received"));
    pump (20);
    {
      g_autoptr(SmWorkOrder) wo = sm_work_order_store_load (wos, id, &error);
      g_assert_cmpint (wo->status, ==, before);
    }

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "work-order.transition", "s",
                                               sm_wo_status_to_string (to)));
    pump (20);
    {
      g_autoptr(SmWorkOrder) wo = sm_work_order_store_load (wos, id, &error);
      g_assert_cmpint (wo->status, ==, to);
    }
  }
  history = sm_work_order_store_history (wos, id, &error);
  g_assert_cmpstr (((SmWoEvent *)g_ptr_array_index (history, history->len - 1))->agent, ==, "a7");

  gtk_window_destroy (GTK_WINDOW (window));
  pump (50);
}

/* A new call never drops the agent's work on the previous one */
static void
test_next_call (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmCall) a = NULL;
  g_autoptr(SmCall) b = NULL;
  g_autoptr(SmCall) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  GtkWidget *window;
  SmWorkOrderPanel *panel;
  SmCallList *calls;

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);
  calls = sm_context_get_calls (context);
  wos = sm_work_order_store_new (store);

  panel = g_object_new (SM_TYPE_WORK_ORDER_PANEL, NULL);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  sm_work_order_panel_set_context (panel, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (100);

  /* Call A: filled, the agent types notes; the form is valid */
  a = sm_call_new ("next-a", SM_CALL_DIRECTION_INBOUND, "+12025550123", NULL, sm_now_ms ());
  sm_call_list_add (calls, a);
  sm_call_list_set_current (calls, a);
  sm_call_set_intent (a, "lost_or_stolen_card", 0.9);
  pump (50);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW, 1)));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_interactive (buffer, &end, "Lost in a taxi", -1, TRUE);
  pump (50);

  /* Call B arrives: A's work order is saved, B gets a fresh form */
  b = sm_call_new ("next-b", SM_CALL_DIRECTION_INBOUND, "+12025550177", NULL, sm_now_ms ());
  sm_call_list_add (calls, b);
  sm_call_list_set_current (calls, b);
  sm_call_set_intent (b, "card_arrival", 0.9);
  pump (50);
  rows = sm_work_order_store_list (wos, SM_WO_LIST_MINE, "a7", "taxi", sm_now_ms (), 10, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((SmWoRow *)g_ptr_array_index (rows, 0))->wo->call_id, ==, "next-a");
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->call_id, ==, "next-b");
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->customer_id, ==, "cust-23");
  g_assert_true (label_shows (GTK_WIDGET (panel), "when the next call came"));

  /* On B the agent leaves the summary blank: call C does not take the form */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_by_type (GTK_WIDGET (panel), GTK_TYPE_TEXT_VIEW, 0))), "", -1);
  pump (50);
  c = sm_call_new ("next-c", SM_CALL_DIRECTION_INBOUND, "+8613800138000", NULL, sm_now_ms ());
  sm_call_list_add (calls, c);
  sm_call_list_set_current (calls, c);
  pump (50);
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->call_id, ==, "next-b");
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->customer_id, ==, "cust-23");
  g_assert_true (label_shows (GTK_WIDGET (panel), "is not finished"));

  gtk_window_destroy (GTK_WINDOW (window));
  pump (50);
}

/* The draft left by a killed app comes back at the next start */
static void
test_draft_restored (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmWorkOrder) draft = sm_work_order_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  SmWorkOrderPanel *panel;
  const SmWorkOrder *form;

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);

  wos = sm_work_order_store_new (store);
  draft->call_id = g_strdup ("killed-1");
  sm_work_order_set_string (draft, SM_WO_FIELD_CUSTOMER, "cust-42", FALSE);
  sm_work_order_set_string (draft, SM_WO_FIELD_DESCRIPTION, "half-typed notes", TRUE);
  g_assert_true (sm_work_order_store_save_draft (wos, "a7", draft, sm_now_ms (), &error));

  panel = g_object_new (SM_TYPE_WORK_ORDER_PANEL, NULL);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  sm_work_order_panel_set_context (panel, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (100);

  form = sm_work_order_panel_get_work_order (panel);
  g_assert_cmpstr (form->call_id, ==, "killed-1");
  g_assert_cmpstr (form->customer_id, ==, "cust-42");
  g_assert_cmpstr (form->description, ==, "half-typed notes");
  g_assert_true (form->touched & SM_WO_FIELD_DESCRIPTION);
  g_assert_true (label_shows (GTK_WIDGET (panel), "Draft restored (call killed-1)"));

  gtk_window_destroy (GTK_WINDOW (window));
  pump (50);
}

/* The category completes as you type, in Chinese or English, from the keyboard */
static void
test_category_completion (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  SmWorkOrderPanel *panel;
  GtkWidget *window;
  Driver d = { 0 };

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("Needs an X11 display for XTest");
      return;
    }
  d.dpy = gdk_x11_display_get_xdisplay (display);

  store = sm_demo_open (path, sm_now_ms (), &error);
  g_assert_no_error (error);
  context = sm_context_new (store, settings, TRUE);

  panel = g_object_new (SM_TYPE_WORK_ORDER_PANEL, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  sm_work_order_panel_set_context (panel, context);
  gtk_window_present (GTK_WINDOW (window));
  pump (300);
  XSetInputFocus (d.dpy, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  XSync (d.dpy, False);
  pump (200);

  /* Alt+G, "swallow" (an English sub-category word), Down, Return */
  press (&d, XK_Alt_L, XK_g);
  type_notes (&d, "swallow");
  pump (200);
  press (&d, NoSymbol, XK_Down);
  press (&d, NoSymbol, XK_Return);
  pump (100);

  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->category, ==, "Card services");
  g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->subcategory, ==, "Card retained by ATM");
  g_assert_true (sm_work_order_panel_get_work_order (panel)->touched & SM_WO_FIELD_CATEGORY);

  /* The Chinese name finds it too (typed through the input method) */
  {
    /* The focus is still in the category field */
    GtkEditable *editable = GTK_EDITABLE (gtk_window_get_focus (GTK_WINDOW (window)));
    int pos = 0;

    gtk_editable_delete_text (editable, 0, -1);
    gtk_editable_insert_text (editable, "寄送时效", -1, &pos);
    gtk_editable_set_position (editable, -1);
    pump (200);
    press (&d, NoSymbol, XK_Down);
    press (&d, NoSymbol, XK_Return);
    pump (100);
    g_assert_cmpstr (sm_work_order_panel_get_work_order (panel)->subcategory, ==, "Card delivery time");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  pump (50);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", data_dirs != NULL ? data_dirs : "/usr/local/share:/usr/share", TRUE);

  /* Other panes may warn about data a test seat does not have (such as
   * the intent model); only criticals fail this test. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/wo-panel/standard-call", test_standard_call);
  g_test_add_func ("/wo-panel/form-features", test_form_features);
  g_test_add_func ("/wo-panel/next-call", test_next_call);
  g_test_add_func ("/wo-panel/draft-restored", test_draft_restored);
  g_test_add_func ("/wo-panel/category-completion", test_category_completion);

  tmp_dirs = g_ptr_array_new_with_free_func (g_free);
  ret = g_test_run ();
  remove_tmp_dirs ();

  return ret;
}
