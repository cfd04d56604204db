/* sm-work-order-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-context.h"

G_BEGIN_DECLS

#define SM_TYPE_WORK_ORDER_PANEL (sm_work_order_panel_get_type ())

G_DECLARE_FINAL_TYPE (SmWorkOrderPanel, sm_work_order_panel, SM, WORK_ORDER_PANEL, GtkWidget)

void sm_work_order_panel_set_context (SmWorkOrderPanel *self,
                                    SmContext *context);

G_END_DECLS
