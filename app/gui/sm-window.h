/* sm-window.h: the agent's desk on monitor 1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-application.h"
#include "sm-context.h"

G_BEGIN_DECLS

#define SM_TYPE_WINDOW (sm_window_get_type ())

G_DECLARE_FINAL_TYPE (SmWindow, sm_window, SM, WINDOW, GtkApplicationWindow)

SmWindow  *sm_window_new                 (SmApplication *app,
                                          SmContext     *context);
SmContext *sm_window_get_context         (SmWindow      *self);
void       sm_window_show_banner         (SmWindow      *self,
                                          const char    *message);
void       sm_window_hide_banner         (SmWindow      *self);

G_END_DECLS
