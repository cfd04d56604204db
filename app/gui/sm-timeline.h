/* sm-timeline.h: today's shift, planned and actual, with "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-schedule.h"

G_BEGIN_DECLS

#define SM_TYPE_TIMELINE (sm_timeline_get_type ())

G_DECLARE_FINAL_TYPE (SmTimeline, sm_timeline, SM, TIMELINE, GtkWidget)

GtkWidget *sm_timeline_new        (void);
void       sm_timeline_set_range  (SmTimeline        *self,
                                   gint64             from_ms,
                                   gint64             to_ms,
                                   gint64             now_ms);
void       sm_timeline_set_shifts (SmTimeline        *self,
                                   GPtrArray         *shifts);
void       sm_timeline_set_states (SmTimeline        *self,
                                   const SmStateSpan *states,
                                   guint              n_states);

G_END_DECLS
