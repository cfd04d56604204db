/* sm-call-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-context.h"

G_BEGIN_DECLS

#define SM_TYPE_CALL_PANEL (sm_call_panel_get_type ())

G_DECLARE_FINAL_TYPE (SmCallPanel, sm_call_panel, SM, CALL_PANEL, GtkWidget)

void sm_call_panel_set_context (SmCallPanel *self,
                              SmContext *context);

G_END_DECLS
