/* sm-work-order-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-context.h"
#include "sm-work-order.h"

G_BEGIN_DECLS

#define SM_TYPE_WORK_ORDER_PANEL (sm_work_order_panel_get_type ())

G_DECLARE_FINAL_TYPE (SmWorkOrderPanel, sm_work_order_panel, SM, WORK_ORDER_PANEL, GtkWidget)

void               sm_work_order_panel_set_context    (SmWorkOrderPanel *self,
                                                       SmContext        *context);
void               sm_work_order_panel_insert_notes   (SmWorkOrderPanel *self,
                                                       const char       *text);
void               sm_work_order_panel_link_article   (SmWorkOrderPanel *self,
                                                       const char       *id,
                                                       const char       *title);
const SmWorkOrder *sm_work_order_panel_get_work_order (SmWorkOrderPanel *self);
void               sm_work_order_panel_focus_notes    (SmWorkOrderPanel *self);

G_END_DECLS
