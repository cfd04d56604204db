/* sm-wallboard-window.h: the supervisor's team board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-application.h"

G_BEGIN_DECLS

#define SM_TYPE_WALLBOARD_WINDOW (sm_wallboard_window_get_type ())

G_DECLARE_FINAL_TYPE (SmWallboardWindow, sm_wallboard_window, SM, WALLBOARD_WINDOW, GtkApplicationWindow)

SmWallboardWindow *sm_wallboard_window_new                (SmApplication     *app,
                                                           SmContext         *context);
void               sm_wallboard_window_present_on_monitor (SmWallboardWindow *self,
                                                           int                monitor);
void               sm_wallboard_window_refresh            (SmWallboardWindow *self,
                                                           gboolean           today_now);
void               sm_wallboard_window_show_page          (SmWallboardWindow *self,
                                                           const char        *name);

G_END_DECLS
