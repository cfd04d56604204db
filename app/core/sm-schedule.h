/* sm-schedule.h: shifts and activities per agent, and adherence to them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_SCHEDULE_ERROR (sm_schedule_error_quark ())

typedef enum
{
  SM_SCHEDULE_ERROR_INVALID,
} SmScheduleError;

/* The scheduled activities of DESIGN.md "shift" records */
typedef enum
{
  SM_ACTIVITY_WORK,
  SM_ACTIVITY_BREAK,
  SM_ACTIVITY_LUNCH,
  SM_ACTIVITY_MEETING,
  SM_ACTIVITY_TRAINING,
  SM_N_ACTIVITIES
} SmActivity;

typedef struct
{
  char       *agent;
  SmActivity  activity;
  gint64      start_ms;
  gint64      end_ms;
} SmShift;

/* A recorded agent state, its end already cut (open intervals end "now") */
typedef struct
{
  SmAgentState state;
  gint64       start_ms;
  gint64       end_ms;
} SmStateSpan;

typedef void (*SmSpanFunc) (gint64   start_ms,
                            gint64   end_ms,
                            gpointer user_data);

GQuark         sm_schedule_error_quark      (void);

const char    *sm_activity_to_string        (SmActivity          activity);
gboolean       sm_activity_from_string      (const char         *str,
                                             SmActivity         *activity);
const char    *sm_activity_get_label        (SmActivity          activity);
gboolean       sm_activity_matches_state    (SmActivity          activity,
                                             SmAgentState        state);

void           sm_shift_free                (SmShift            *shift);
GPtrArray     *sm_schedule_load             (SmStore            *store,
                                             const char         *agent,
                                             gint64              from_ms,
                                             gint64              to_ms,
                                             GError            **error);
const SmShift *sm_schedule_find_at          (GPtrArray          *shifts,
                                             gint64              at_ms);
const SmShift *sm_schedule_find_next_pause  (GPtrArray          *shifts,
                                             gint64              after_ms);

void           sm_schedule_sweep_adherence  (const SmShift      *shifts,
                                             guint               n_shifts,
                                             const SmStateSpan  *states,
                                             guint               n_states,
                                             SmSpanFunc          func,
                                             gpointer            user_data);

gboolean       sm_schedule_import_csv_data  (SmStore            *store,
                                             const char         *data,
                                             gssize              length,
                                             const char         *name,
                                             guint              *n_imported,
                                             GError            **error);
gboolean       sm_schedule_import_csv       (SmStore            *store,
                                             const char         *path,
                                             guint              *n_imported,
                                             GError            **error);

gboolean       sm_schedule_agent_now        (SmStore            *store,
                                             const char         *agent,
                                             gint64              now_ms,
                                             SmActivity         *activity,
                                             gboolean           *adherent);
gboolean       sm_schedule_in_adherence_now (SmStore            *store,
                                             const char         *team,
                                             gint64              now_ms,
                                             gint64             *in_adherence,
                                             gint64             *scheduled,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmShift, sm_shift_free)

G_END_DECLS
