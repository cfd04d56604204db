/* sm-dashboard-window.h: the agent's shift and performance, on monitor 2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-application.h"

G_BEGIN_DECLS

#define SM_TYPE_DASHBOARD_WINDOW (sm_dashboard_window_get_type ())

G_DECLARE_FINAL_TYPE (SmDashboardWindow, sm_dashboard_window, SM, DASHBOARD_WINDOW, GtkApplicationWindow)

SmDashboardWindow *sm_dashboard_window_new     (SmApplication     *app,
                                                SmContext         *context);
void               sm_dashboard_window_place   (SmDashboardWindow *self);
void               sm_dashboard_window_toggle  (SmDashboardWindow *self);
GdkMonitor        *sm_dashboard_window_choose_monitor (GdkDisplay *display,
                                                       const char *remembered);
void               sm_dashboard_window_refresh (SmDashboardWindow *self);
void               sm_dashboard_window_load_css (void);

G_END_DECLS
