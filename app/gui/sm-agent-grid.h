/* sm-agent-grid.h: every agent as a tile with state and time in state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-store.h"

G_BEGIN_DECLS

typedef struct
{
  char         *id;
  char         *name;
  SmAgentState  state;
  gint64        since_ms;
} SmAgentTile;

#define SM_TYPE_AGENT_GRID (sm_agent_grid_get_type ())

G_DECLARE_FINAL_TYPE (SmAgentGrid, sm_agent_grid, SM, AGENT_GRID, GtkWidget)

GtkWidget *sm_agent_grid_new          (void);
void       sm_agent_grid_set_agents   (SmAgentGrid       *self,
                                       const SmAgentTile *tiles,
                                       guint              n_tiles,
                                       gint64             now_ms);
guint      sm_agent_grid_get_columns  (SmAgentGrid       *self);
void       sm_agent_tile_clear        (SmAgentTile       *tile);

const char *sm_agent_state_get_short_label (SmAgentState state);
const char *sm_agent_state_get_code        (SmAgentState state);
void        sm_agent_state_get_color       (SmAgentState state,
                                            GdkRGBA     *color);

G_END_DECLS
