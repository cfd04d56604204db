/* test-call-panel.c: the call pane driven by a replay source (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sm-call-controller.h"
#include "sm-call-panel.h"
#include "sm-cti-replay.h"
#include "sm-demo.h"
#include "sm-test-gtk.h"
#include "sm-window.h"

static GtkWidget *
find_button (GtkWidget  *root,
             const char *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  sm_test_collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      return g_ptr_array_index (buttons, i);

  g_error ("No button for %s", action);
  return NULL;
}

/* A label showing @text (containing it if @partial), on screen */
static GtkLabel *
find_label_full (GtkWidget  *root,
                 const char *text,
                 gboolean    partial,
                 gboolean    mapped)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  sm_test_collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      const char *shown = gtk_label_get_text (label);

      if ((!mapped || gtk_widget_get_mapped (GTK_WIDGET (label))) &&
          (partial ? strstr (shown, text) != NULL : g_strcmp0 (shown, text) == 0))
        return label;
    }

  return NULL;
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text,
            gboolean    partial)
{
  return find_label_full (root, text, partial, TRUE);
}

/* The demo database, seeded once and copied for each test */
static char *template_db;

typedef struct
{
  char             *dir;
  SmContext        *context;
  SmCtiReplay      *replay;
  SmCallController *controller;
  SmWindow         *window;
} Desk;

static void
desk_open (Desk       *desk,
           const char *script)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  g_autoptr(SmStore) store = NULL;

  desk->dir = g_dir_make_tmp ("seatmate-call-panel-XXXXXX", &error);
  db = g_build_filename (desk->dir, "demo.db", NULL);
  if (template_db == NULL)
    {
      g_autofree char *tdir = g_dir_make_tmp ("seatmate-call-panel-template-XXXXXX", &error);

      template_db = g_build_filename (tdir, "demo.db", NULL);
      g_clear_object (&store);
      store = sm_demo_open (template_db, sm_now_ms (), &error);
      g_assert_no_error (error);
      g_clear_object (&store);
    }
  {
    g_autoptr(GFile) from = g_file_new_for_path (template_db);
    g_autoptr(GFile) to = g_file_new_for_path (db);

    g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  store = sm_store_open (db, &error);
  g_assert_no_error (error);
  desk->context = sm_context_new (store, settings, TRUE);

  desk->replay = sm_cti_replay_new_from_data (script, "script", &error);
  g_assert_no_error (error);
  desk->controller = sm_call_controller_new (desk->context, SM_CTI_SOURCE (desk->replay));
  sm_call_controller_set_acw_timeout (desk->controller, 0);
  sm_call_controller_attach (desk->controller);

  desk->window = sm_window_new (NULL, desk->context);
  gtk_window_present (GTK_WINDOW (desk->window));
  sm_test_spin ();
}

static void
desk_close (Desk *desk)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", desk->dir);

  gtk_window_destroy (GTK_WINDOW (desk->window));
  sm_test_spin ();
  g_clear_object (&desk->controller);
  g_clear_object (&desk->replay);
  g_clear_object (&desk->context);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (desk->dir);
}

static SmCall *
current (Desk *desk)
{
  return sm_call_list_get_current (sm_context_get_calls (desk->context));
}

#define RING(id, number) \
  "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"" id "\",\"event\":\"ringing\"," \
  "\"direction\":\"inbound\",\"number\":\"" number "\"}\n" \
  "{\"time\":\"2026-01-05T09:30:00Z\",\"call\":\"" id "\",\"event\":\"ended\"}\n"

static void
test_call_panel_controls (void)
{
  Desk desk = { 0 };
  GtkWidget *root;

  desk_open (&desk, RING ("p1", "+12025550123"));
  root = GTK_WIDGET (desk.window);
  SM_TEST_WAIT_FOR (current (&desk) != NULL);
  sm_test_spin ();

  /* Ringing: the pop shows the customer; only answer and hang up apply */
  g_assert_nonnull (find_label (root, "Jane Doe", FALSE));
  g_assert_nonnull (find_label (root, "•••• 4821 · Platinum Visa", FALSE));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.answer")));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.hang-up")));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.hold")));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.mute")));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.transfer")));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.keypad")));
  /* greyed out, not hidden */
  g_assert_true (gtk_widget_get_visible (find_button (root, "call.hold")));

  /* The window-wide key (Ctrl+Shift+A) answers */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "answer"));
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_TALKING);
  sm_test_spin ();
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.answer")));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.hold")));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.keypad")));

  /* Hold turns into Resume */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "hold"));
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_HELD);
  sm_test_spin ();
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button (root, "call.hold"))), ==, "Res_ume");
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "hold"));
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_TALKING);

  /* Mute toggles */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "mute"));
  SM_TEST_WAIT_FOR (sm_call_controller_get_muted (desk.controller, current (&desk)));
  sm_test_spin ();
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button (root, "call.mute"))), ==, "Un_mute");

  /* Hang up: after-call work with Ready, then the pane is idle */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "hang-up"));
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_ACW);
  sm_test_spin ();
  g_assert_nonnull (find_label (root, "After-call work", TRUE));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.hang-up")));
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "ready"));
  SM_TEST_WAIT_FOR (current (&desk) == NULL);
  sm_test_spin ();
  g_assert_nonnull (find_label (root, "No call right now", FALSE));

  desk_close (&desk);
}

static void
test_call_panel_transfer (void)
{
  Desk desk = { 0 };
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkWidget *root;
  GtkEntry *entry = NULL;

  desk_open (&desk, RING ("p2", "+12025550123"));
  root = GTK_WIDGET (desk.window);
  SM_TEST_WAIT_FOR (current (&desk) != NULL);
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "answer"));
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_TALKING);

  /* Ctrl+Shift+T opens the transfer entry; Enter transfers */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "transfer"));
  sm_test_spin ();
  sm_test_collect (root, GTK_TYPE_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    if (g_strcmp0 (gtk_entry_get_placeholder_text (g_ptr_array_index (entries, i)),
                   "Number or extension to transfer to") == 0)
      entry = g_ptr_array_index (entries, i);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "8001");
  g_signal_emit_by_name (entry, "activate");
  SM_TEST_WAIT_FOR (sm_call_get_state (current (&desk)) == SM_CALL_STATE_ACW);
  g_assert_true (sm_call_controller_get_transferred (desk.controller, current (&desk)));

  desk_close (&desk);
}

static void
test_call_panel_risk_banner (void)
{
  Desk desk = { 0 };
  GtkLabel *banner;

  desk_open (&desk, RING ("p3", "+12025550177"));
  SM_TEST_WAIT_FOR (current (&desk) != NULL);
  sm_test_spin ();

  banner = find_label (GTK_WIDGET (desk.window), "Fraud watch", TRUE);
  g_assert_nonnull (banner);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "risk-banner"));

  desk_close (&desk);
}

static void
test_call_panel_unknown_number (void)
{
  Desk desk = { 0 };
  g_autoptr(GPtrArray) found = NULL;
  GtkWidget *root;

  desk_open (&desk, RING ("p4", "+12025550142"));
  root = GTK_WIDGET (desk.window);
  SM_TEST_WAIT_FOR (current (&desk) != NULL);
  sm_test_spin ();

  g_assert_nonnull (find_label (root, "This number is not in the customer records.", FALSE));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.new-customer")));

  /* One key creates the customer */
  g_assert_true (gtk_widget_activate_action (root, "desk.call", "s", "new-customer"));
  sm_test_spin ();
  found = sm_customer_lookup_number (sm_context_get_store (desk.context), "+12025550142", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (sm_call_get_customer_id (current (&desk)), ==,
                   sm_customer_get_id (g_ptr_array_index (found, 0)));
  g_assert_null (find_label (root, "This number is not in the customer records.", FALSE));
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.new-customer")));

  desk_close (&desk);
}

static void
test_call_panel_picker (void)
{
  Desk desk = { 0 };
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *root;
  GtkListBoxRow *anna = NULL;

  desk_open (&desk, RING ("p5", "+12025550111"));
  root = GTK_WIDGET (desk.window);
  SM_TEST_WAIT_FOR (current (&desk) != NULL);
  sm_test_spin ();

  g_assert_nonnull (find_label (root, "Several customers have this number. Who is calling?", FALSE));
  sm_test_collect (root, GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkListBoxRow *row = g_ptr_array_index (rows, i);
      const char *id = g_object_get_data (G_OBJECT (row), "customer-id");

      if (g_strcmp0 (id, "cust-71") == 0)
        anna = row;
    }
  g_assert_nonnull (anna);
  g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (anna)), "row-activated", anna);
  sm_test_spin ();
  g_assert_cmpstr (sm_call_get_customer_id (current (&desk)), ==, "cust-71");
  g_assert_nonnull (find_label (root, "Anna Becker", FALSE));

  desk_close (&desk);
}

static void
test_call_panel_disconnected_banner (void)
{
  Desk desk = { 0 };
  g_autoptr(GPtrArray) revealers = g_ptr_array_new ();
  GtkWidget *root;
  GtkRevealer *banner = NULL;
  GtkLabel *label;

  desk_open (&desk, RING ("p6", "+12025550123"));
  root = GTK_WIDGET (desk.window);
  SM_TEST_WAIT_FOR (current (&desk) != NULL);

  /* The softphone goes away mid-call */
  sm_cti_source_emit_connected (SM_CTI_SOURCE (desk.replay), FALSE, "gone");
  sm_test_spin ();
  label = find_label_full (root, "Softphone disconnected: Seatmate is reconnecting", TRUE, FALSE);
  g_assert_nonnull (label);
  for (GtkWidget *w = GTK_WIDGET (label); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_REVEALER (w))
      {
        banner = GTK_REVEALER (w);
        break;
      }
  g_assert_nonnull (banner);
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  /* Nothing applies while it is away */
  g_assert_false (gtk_widget_get_sensitive (find_button (root, "call.answer")));

  /* It is back: the banner goes, the call is still there */
  sm_cti_source_emit_connected (SM_CTI_SOURCE (desk.replay), TRUE, NULL);
  sm_test_spin ();
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_true (gtk_widget_get_sensitive (find_button (root, "call.answer")));

  desk_close (&desk);
}

int
main (int   argc,
      char *argv[])
{
  sm_test_init (&argc, &argv);

  /* No notification server here: fail fast instead of autolaunching a bus
   * (test-cti-notify covers notifications) */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/seatmate-test-bus", TRUE);

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/call-panel/controls", test_call_panel_controls);
  g_test_add_func ("/call-panel/transfer", test_call_panel_transfer);
  g_test_add_func ("/call-panel/risk-banner", test_call_panel_risk_banner);
  g_test_add_func ("/call-panel/unknown-number", test_call_panel_unknown_number);
  g_test_add_func ("/call-panel/picker", test_call_panel_picker);
  g_test_add_func ("/call-panel/disconnected-banner", test_call_panel_disconnected_banner);

  return g_test_run ();
}
