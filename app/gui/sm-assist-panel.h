/* sm-assist-panel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-context.h"
#include "sm-intent-model.h"

G_BEGIN_DECLS

#define SM_TYPE_ASSIST_PANEL (sm_assist_panel_get_type ())

G_DECLARE_FINAL_TYPE (SmAssistPanel, sm_assist_panel, SM, ASSIST_PANEL, GtkWidget)

void           sm_assist_panel_set_context       (SmAssistPanel *self,
                                                  SmContext     *context);
void           sm_assist_panel_set_model         (SmAssistPanel *self,
                                                  SmIntentModel *model);
SmIntentModel *sm_assist_panel_get_model         (SmAssistPanel *self);
void           sm_assist_panel_set_notes_text    (SmAssistPanel *self,
                                                  const char    *text);
void           sm_assist_panel_focus_search      (SmAssistPanel *self);
void           sm_assist_panel_refresh           (SmAssistPanel *self);
const char    *sm_assist_panel_get_top_intent    (SmAssistPanel *self);
const char    *sm_assist_panel_get_top_article   (SmAssistPanel *self);
const char    *sm_assist_panel_get_shown_article (SmAssistPanel *self);

G_END_DECLS
