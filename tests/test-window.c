/* test-window.c: the desk window on the demo database (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "sm-assist-panel.h"
#include "sm-call-panel.h"
#include "sm-dashboard-window.h"
#include "sm-demo.h"
#include "sm-test-gtk.h"
#include "sm-window.h"
#include "sm-work-order-panel.h"

static GtkDropDown *
find_state_dropdown (GtkWidget *window)
{
  g_autoptr(GPtrArray) dropdowns = sm_test_find_all (window, GTK_TYPE_DROP_DOWN);

  for (guint i = 0; i < dropdowns->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (dropdowns, i)), "agent-state") == 0)
      return g_ptr_array_index (dropdowns, i);

  g_assert_not_reached ();
}

static void
test_window_panes (void)
{
  g_autoptr(SmContext) context = sm_test_demo_context ("seatmate-gui-XXXXXX");
  g_autoptr(GPtrArray) paneds = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  SmWindow *window;
  gboolean found_agent = FALSE;

  window = sm_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  sm_test_spin ();

  /* Three panes side by side: call | (assist | work order); the first two
   * GtkPaneds in tree order are the desk's (panes may split inside too) */
  paneds = sm_test_find_all (GTK_WIDGET (window), GTK_TYPE_PANED);
  g_assert_cmpuint (paneds->len, >=, 2);
  g_assert_true (gtk_paned_get_end_child (g_ptr_array_index (paneds, 0)) == g_ptr_array_index (paneds, 1));
  g_assert_true (SM_IS_CALL_PANEL (gtk_paned_get_start_child (g_ptr_array_index (paneds, 0))));
  g_assert_true (SM_IS_ASSIST_PANEL (gtk_paned_get_start_child (g_ptr_array_index (paneds, 1))));
  g_assert_true (SM_IS_WORK_ORDER_PANEL (gtk_paned_get_end_child (g_ptr_array_index (paneds, 1))));

  /* The header shows the demo agent by name */
  labels = sm_test_find_all (GTK_WIDGET (window), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "Wang Fang (王芳)") == 0)
      found_agent = TRUE;
  g_assert_true (found_agent);

  /* The work order pane lists the agent's work orders from the store */
  rows = sm_test_find_all (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);
  g_assert_cmpuint (rows->len, >=, 5);

  /* The state selector offers the six states an agent picks */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (find_state_dropdown (GTK_WIDGET (window)))),
                    ==, 6);

  gtk_window_destroy (GTK_WINDOW (window));
  sm_test_spin ();
}

static void
test_window_state_selector_records (void)
{
  g_autoptr(SmContext) context = sm_test_demo_context ("seatmate-gui-XXXXXX");
  GtkDropDown *dropdown;
  SmStore *store = sm_context_get_store (context);
  SmAgentState state;
  SmWindow *window;
  gint64 before;

  window = sm_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  sm_test_spin ();

  before = sm_store_count (store, "agent_states");

  /* Choosing "Lunch" (index 2) in the selector records an interval */
  dropdown = find_state_dropdown (GTK_WIDGET (window));
  gtk_drop_down_set_selected (dropdown, 2);
  sm_test_spin ();
  g_assert_true (sm_store_get_agent_state (store, "a7", &state, NULL));
  g_assert_cmpint (state, ==, SM_AGENT_STATE_LUNCH);
  g_assert_cmpint (sm_store_count (store, "agent_states"), ==, before + 1);

  /* The keyboard action does the same and moves the selector */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "agent.state", "s", "training"));
  sm_test_spin ();
  g_assert_true (sm_store_get_agent_state (store, "a7", &state, NULL));
  g_assert_cmpint (state, ==, SM_AGENT_STATE_TRAINING);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
  sm_test_spin ();
}

static void
test_window_call_pops_customer (void)
{
  g_autoptr(SmContext) context = sm_test_demo_context ("seatmate-gui-XXXXXX");
  g_autoptr(SmCall) call = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  SmWindow *window;
  gboolean name = FALSE, card = FALSE;

  window = sm_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));

  call = sm_call_new ("t1", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_test_spin ();

  labels = sm_test_find_all (GTK_WIDGET (window), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_text (g_ptr_array_index (labels, i));
      name |= g_strcmp0 (text, "Jane Doe") == 0;
      card |= g_strcmp0 (text, "•••• 4821 · Platinum Visa") == 0;
    }
  g_assert_true (name);
  g_assert_true (card);

  gtk_window_destroy (GTK_WINDOW (window));
  sm_test_spin ();
}

static void
test_dashboard_one_monitor (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  /* Xvfb shows GTK one monitor: the dashboard is a normal window */
  if (g_list_model_get_n_items (gdk_display_get_monitors (display)) == 1)
    g_assert_null (sm_dashboard_window_choose_monitor (display, NULL));
  else
    g_assert_nonnull (sm_dashboard_window_choose_monitor (display, NULL));
}

int
main (int   argc,
      char *argv[])
{
  sm_test_init (&argc, &argv);

  if (!gtk_init_check ())
    return 77;

  g_test_add_func ("/window/panes", test_window_panes);
  g_test_add_func ("/window/state-selector-records", test_window_state_selector_records);
  g_test_add_func ("/window/call-pops-customer", test_window_call_pops_customer);
  g_test_add_func ("/dashboard/one-monitor", test_dashboard_one_monitor);

  return g_test_run ();
}
