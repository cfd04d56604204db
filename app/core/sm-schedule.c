/* sm-schedule.c: shifts and activities per agent, and adherence to them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A schedule is a list of activities per agent (work, break, lunch,
 * meeting, training), kept in the shifts table. An agent is in adherence
 * when the recorded state matches the scheduled activity (KPI.md):
 * `work` matches available, on_contact and acw; every other activity
 * matches the state of the same name.
 */

#define G_LOG_DOMAIN "sm-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-csv.h"
#include "sm-schedule.h"

/* No scheduled activity is longer than this; it bounds index range scans */
#define MAX_ACTIVITY_MS (24 * 3600 * 1000LL)

G_DEFINE_QUARK (sm-schedule-error-quark, sm_schedule_error)

static const char * const activity_names[] = {
  "work", "break", "lunch", "meeting", "training",
};

G_STATIC_ASSERT (G_N_ELEMENTS (activity_names) == SM_N_ACTIVITIES);

const char *
sm_activity_to_string (SmActivity activity)
{
  g_return_val_if_fail (activity < SM_N_ACTIVITIES, NULL);
  return activity_names[activity];
}

gboolean
sm_activity_from_string (const char *str,
                         SmActivity *activity)
{
  for (guint i = 0; str != NULL && i < SM_N_ACTIVITIES; i++)
    {
      if (g_str_equal (str, activity_names[i]))
        {
          *activity = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
sm_activity_get_label (SmActivity activity)
{
  switch (activity)
    {
    case SM_ACTIVITY_WORK:
      return C_("activity", "Work");
    case SM_ACTIVITY_BREAK:
      return C_("activity", "Break");
    case SM_ACTIVITY_LUNCH:
      return C_("activity", "Lunch");
    case SM_ACTIVITY_MEETING:
      return C_("activity", "Meeting");
    case SM_ACTIVITY_TRAINING:
      return C_("activity", "Training");
    case SM_N_ACTIVITIES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * sm_activity_matches_state:
 *
 * Returns: whether an agent in @state adheres to @activity (KPI.md)
 */
gboolean
sm_activity_matches_state (SmActivity   activity,
                           SmAgentState state)
{
  switch (activity)
    {
    case SM_ACTIVITY_WORK:
      return state == SM_AGENT_STATE_AVAILABLE ||
             state == SM_AGENT_STATE_ON_CONTACT ||
             state == SM_AGENT_STATE_ACW;
    case SM_ACTIVITY_BREAK:
      return state == SM_AGENT_STATE_BREAK;
    case SM_ACTIVITY_LUNCH:
      return state == SM_AGENT_STATE_LUNCH;
    case SM_ACTIVITY_MEETING:
      return state == SM_AGENT_STATE_MEETING;
    case SM_ACTIVITY_TRAINING:
      return state == SM_AGENT_STATE_TRAINING;
    case SM_N_ACTIVITIES:
    default:
      return FALSE;
    }
}

void
sm_shift_free (SmShift *shift)
{
  if (shift == NULL)
    return;

  g_free (shift->agent);
  g_free (shift);
}

/**
 * sm_schedule_load:
 * @agent: (nullable): one agent, or every agent
 *
 * Returns: (transfer full) (element-type SmShift): the activities that
 *   overlap [@from_ms, @to_ms), sorted by agent and start
 */
GPtrArray *
sm_schedule_load (SmStore     *store,
                  const char  *agent,
                  gint64       from_ms,
                  gint64       to_ms,
                  GError     **error)
{
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_shift_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  stmt = sm_store_prepare (store,
                           "SELECT agent, activity, start_ms, end_ms FROM shifts"
                           " WHERE start_ms < ?2 AND start_ms >= ?1 - ?4 AND end_ms > ?1"
                           " AND (?3 IS NULL OR agent = ?3)"
                           " ORDER BY agent, start_ms",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  sqlite3_bind_text (stmt, 3, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, MAX_ACTIVITY_MS);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SmShift *shift = g_new0 (SmShift, 1);

      shift->agent = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      if (!sm_activity_from_string ((const char *)sqlite3_column_text (stmt, 1), &shift->activity))
        shift->activity = SM_ACTIVITY_WORK;
      shift->start_ms = sqlite3_column_int64 (stmt, 2);
      shift->end_ms = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (shifts, shift);
    }

  if (rc != SQLITE_DONE)
    {
      sm_store_set_error (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&shifts);
}

/**
 * sm_schedule_find_at:
 * @shifts: (element-type SmShift): one agent's activities, sorted
 *
 * Returns: (nullable): the activity scheduled at @at_ms
 */
const SmShift *
sm_schedule_find_at (GPtrArray *shifts,
                     gint64     at_ms)
{
  for (guint i = 0; shifts != NULL && i < shifts->len; i++)
    {
      const SmShift *shift = g_ptr_array_index (shifts, i);

      if (shift->start_ms <= at_ms && at_ms < shift->end_ms)
        return shift;
    }

  return NULL;
}

/**
 * sm_schedule_find_next_pause:
 * @shifts: (element-type SmShift): one agent's activities, sorted
 *
 * Returns: (nullable): the first break or lunch that starts after @after_ms
 */
const SmShift *
sm_schedule_find_next_pause (GPtrArray *shifts,
                             gint64     after_ms)
{
  for (guint i = 0; shifts != NULL && i < shifts->len; i++)
    {
      const SmShift *shift = g_ptr_array_index (shifts, i);

      if (shift->start_ms > after_ms &&
          (shift->activity == SM_ACTIVITY_BREAK || shift->activity == SM_ACTIVITY_LUNCH))
        return shift;
    }

  return NULL;
}

/**
 * sm_schedule_sweep_adherence:
 * @shifts: one agent's activities, sorted by start, not overlapping
 * @states: the same agent's states, sorted by start, not overlapping
 * @func: called for each span where the state matches the activity
 *
 * Walks both lists once. Time outside every activity is never reported.
 */
void
sm_schedule_sweep_adherence (const SmShift     *shifts,
                             guint              n_shifts,
                             const SmStateSpan *states,
                             guint              n_states,
                             SmSpanFunc         func,
                             gpointer           user_data)
{
  guint i = 0, j = 0;

  while (i < n_shifts && j < n_states)
    {
      const SmShift *shift = &shifts[i];
      const SmStateSpan *state = &states[j];
      gint64 start = MAX (shift->start_ms, state->start_ms);
      gint64 end = MIN (shift->end_ms, state->end_ms);

      if (start < end && sm_activity_matches_state (shift->activity, state->state))
        func (start, end, user_data);

      if (shift->end_ms <= state->end_ms)
        i++;
      else
        j++;
    }
}

/* CSV import */

typedef struct
{
  char       *agent;
  SmActivity  activity;
  gint64      start_ms;
  gint64      end_ms;
  guint       line;
} CsvRow;

static void
csv_row_clear (gpointer data)
{
  CsvRow *row = data;

  g_free (row->agent);
}

static int
csv_row_compare (gconstpointer a,
                 gconstpointer b)
{
  const CsvRow *ra = a, *rb = b;
  int cmp = g_strcmp0 (ra->agent, rb->agent);

  if (cmp != 0)
    return cmp;
  return (ra->start_ms > rb->start_ms) - (ra->start_ms < rb->start_ms);
}

/* RFC 3339, or a local time such as "2026-01-05 08:00" or "2026-01-05T08:00:00" */
static gboolean
parse_time (const char *text,
            gint64     *ms)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (strlen (copy) >= 16 && copy[10] == ' ')
    copy[10] = 'T';

  if (sm_time_parse_ms (copy, ms))
    return TRUE;

  if (strlen (copy) == 16)
    {
      g_autofree char *with_seconds = g_strconcat (copy, ":00", NULL);
      g_free (copy);
      copy = g_steal_pointer (&with_seconds);
    }

  local = g_time_zone_new_local ();
  dt = g_date_time_new_from_iso8601 (copy, local);
  if (dt == NULL || copy[10] != 'T')
    return FALSE;

  *ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

static gboolean
is_header (GStrv row)
{
  return g_strv_length (row) == 4 &&
         g_ascii_strcasecmp (g_strstrip (row[0]), "agent") == 0 &&
         g_ascii_strcasecmp (g_strstrip (row[1]), "activity") == 0;
}

static gboolean
read_csv_rows (SmCsvReader  *reader,
               const char   *name,
               GArray       *rows,
               GError      **error)
{
  gboolean first = TRUE;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) fields = NULL;
      CsvRow row = { 0 };
      guint line = 0;

      if (!sm_csv_reader_next (reader, &fields, &line, &local_error))
        {
          if (local_error != NULL)
            {
              g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                           "%s: %s", name, local_error->message);
              return FALSE;
            }
          return TRUE;
        }

      if (first && is_header (fields))
        {
          first = FALSE;
          continue;
        }
      first = FALSE;

      if (g_strv_length (fields) != 4)
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: expected 4 fields (agent,activity,start,end), found %u"),
                       name, line, g_strv_length (fields));
          return FALSE;
        }

      for (guint i = 0; i < 4; i++)
        g_strstrip (fields[i]);

      if (fields[0][0] == '\0')
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: the agent is empty"), name, line);
          return FALSE;
        }
      if (!sm_activity_from_string (fields[1], &row.activity))
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: unknown activity “%s” (expected work, break, lunch, meeting or training)"),
                       name, line, fields[1]);
          return FALSE;
        }
      if (!parse_time (fields[2], &row.start_ms) || !parse_time (fields[3], &row.end_ms))
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: a time is not valid (use 2026-01-05T08:00:00Z or 2026-01-05 08:00)"),
                       name, line);
          return FALSE;
        }
      if (row.end_ms <= row.start_ms)
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: the activity ends before it starts"), name, line);
          return FALSE;
        }
      if (row.end_ms - row.start_ms > MAX_ACTIVITY_MS)
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: an activity cannot last more than 24 hours"), name, line);
          return FALSE;
        }

      row.agent = g_strdup (fields[0]);
      row.line = line;
      g_array_append_val (rows, row);
    }
}

static gboolean
write_rows (SmStore  *store,
            GArray   *rows,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;

  del = sm_store_prepare (store,
                          "DELETE FROM shifts WHERE agent = ?1 AND start_ms < ?3 AND end_ms > ?2",
                          error);
  ins = del == NULL ? NULL
                    : sm_store_prepare (store,
                                        "INSERT INTO shifts (agent, activity, start_ms, end_ms)"
                                        " VALUES (?1, ?2, ?3, ?4)",
                                        error);
  if (ins == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len;)
    {
      const CsvRow *first = &g_array_index (rows, CsvRow, i);
      gint64 span_start = first->start_ms, span_end = first->end_ms;
      guint j;

      /* Replace what the store had for this agent over the imported span */
      for (j = i; j < rows->len && g_str_equal (g_array_index (rows, CsvRow, j).agent, first->agent); j++)
        span_end = MAX (span_end, g_array_index (rows, CsvRow, j).end_ms);

      sqlite3_reset (del);
      sqlite3_bind_text (del, 1, first->agent, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (del, 2, span_start);
      sqlite3_bind_int64 (del, 3, span_end);
      if (sqlite3_step (del) != SQLITE_DONE)
        return sm_store_set_error (store, sqlite3_errcode (sm_store_get_db (store)), error);

      for (; i < j; i++)
        {
          const CsvRow *row = &g_array_index (rows, CsvRow, i);

          sqlite3_reset (ins);
          sqlite3_bind_text (ins, 1, row->agent, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (ins, 2, sm_activity_to_string (row->activity), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (ins, 3, row->start_ms);
          sqlite3_bind_int64 (ins, 4, row->end_ms);
          if (sqlite3_step (ins) != SQLITE_DONE)
            return sm_store_set_error (store, sqlite3_errcode (sm_store_get_db (store)), error);
        }
    }

  return TRUE;
}

static gboolean
import_reader (SmStore      *store,
               SmCsvReader  *reader,
               const char   *name,
               guint        *n_imported,
               GError      **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (CsvRow));

  g_array_set_clear_func (rows, csv_row_clear);

  if (!read_csv_rows (reader, name, rows, error))
    return FALSE;

  g_array_sort (rows, csv_row_compare);

  /* One agent cannot do two things at once */
  for (guint i = 1; i < rows->len; i++)
    {
      const CsvRow *prev = &g_array_index (rows, CsvRow, i - 1);
      const CsvRow *row = &g_array_index (rows, CsvRow, i);

      if (g_str_equal (prev->agent, row->agent) && row->start_ms < prev->end_ms)
        {
          g_set_error (error, SM_SCHEDULE_ERROR, SM_SCHEDULE_ERROR_INVALID,
                       _("%s:%u: the activity overlaps the one on line %u for agent “%s”"),
                       name, MAX (prev->line, row->line), MIN (prev->line, row->line), row->agent);
          return FALSE;
        }
    }

  if (!sm_store_begin (store, error))
    return FALSE;

  if (!write_rows (store, rows, error) || !sm_store_commit (store, error))
    {
      sm_store_rollback (store);
      return FALSE;
    }

  if (n_imported != NULL)
    *n_imported = rows->len;

  return TRUE;
}

/**
 * sm_schedule_import_csv_data:
 * @name: the name of the input, for error messages
 *
 * Imports `agent,activity,start,end` rows (a header row is optional). Each
 * agent's activities in the input replace what the store had for that
 * agent over the same span, so importing a file twice changes nothing.
 * A bad row is reported as NAME:LINE and nothing is imported.
 */
gboolean
sm_schedule_import_csv_data (SmStore     *store,
                             const char  *data,
                             gssize       length,
                             const char  *name,
                             guint       *n_imported,
                             GError     **error)
{
  g_autoptr(SmCsvReader) reader = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  reader = sm_csv_reader_new_from_data (data, length);
  return import_reader (store, reader, name, n_imported, error);
}

gboolean
sm_schedule_import_csv (SmStore     *store,
                        const char  *path,
                        guint       *n_imported,
                        GError     **error)
{
  g_autoptr(SmCsvReader) reader = NULL;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  reader = sm_csv_reader_new_from_file (path, error);
  if (reader == NULL)
    return FALSE;

  return import_reader (store, reader, path, n_imported, error);
}

/* Adherence now */

static gboolean
state_at (SmStore      *store,
          const char   *agent,
          gint64        now_ms,
          SmAgentState *state)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sm_store_prepare (store,
                           "SELECT state, end_ms FROM agent_states"
                           " WHERE agent = ?1 AND start_ms <= ?2"
                           " ORDER BY start_ms DESC LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL && sqlite3_column_int64 (stmt, 1) <= now_ms)
    return FALSE;

  return sm_agent_state_from_string ((const char *)sqlite3_column_text (stmt, 0), state);
}

/**
 * sm_schedule_agent_now:
 * @activity: (out): the activity scheduled now
 * @adherent: (out): whether the agent's state matches it
 *
 * Returns: %TRUE if the agent has an activity scheduled at @now_ms
 */
gboolean
sm_schedule_agent_now (SmStore    *store,
                       const char *agent,
                       gint64      now_ms,
                       SmActivity *activity,
                       gboolean   *adherent)
{
  g_autoptr(GPtrArray) shifts = NULL;
  const SmShift *shift;
  SmAgentState state;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  shifts = sm_schedule_load (store, agent, now_ms, now_ms + 1, NULL);
  shift = sm_schedule_find_at (shifts, now_ms);
  if (shift == NULL)
    return FALSE;

  *activity = shift->activity;
  *adherent = state_at (store, agent, now_ms, &state) &&
              sm_activity_matches_state (shift->activity, state);
  return TRUE;
}

/**
 * sm_schedule_in_adherence_now:
 * @team: (nullable): only the agents of this team
 * @in_adherence: (out): agents whose state matches their scheduled activity
 * @scheduled: (out): agents with an activity scheduled at @now_ms
 *
 * The two counts of KPI.md "In adherence now".
 */
gboolean
sm_schedule_in_adherence_now (SmStore     *store,
                              const char  *team,
                              gint64       now_ms,
                              gint64      *in_adherence,
                              gint64      *scheduled,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  *in_adherence = 0;
  *scheduled = 0;

  stmt = sm_store_prepare (store,
                           "SELECT s.activity,"
                           "  (SELECT st.state || ' ' || coalesce (st.end_ms, '') FROM agent_states st"
                           "    WHERE st.agent = s.agent AND st.start_ms <= ?1"
                           "    ORDER BY st.start_ms DESC LIMIT 1)"
                           " FROM shifts s"
                           " WHERE s.start_ms <= ?1 AND s.start_ms > ?1 - ?3 AND s.end_ms > ?1"
                           " AND (?2 IS NULL OR s.agent IN (SELECT id FROM agents WHERE team = ?2))"
                           " GROUP BY s.agent",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now_ms);
  sqlite3_bind_text (stmt, 2, team, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, MAX_ACTIVITY_MS);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *current = (const char *)sqlite3_column_text (stmt, 1);
      SmActivity activity;
      SmAgentState state;

      if (!sm_activity_from_string ((const char *)sqlite3_column_text (stmt, 0), &activity))
        continue;

      (*scheduled)++;

      if (current != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (current, " ", 2);
          gboolean open = parts[1] == NULL || parts[1][0] == '\0' ||
                          g_ascii_strtoll (parts[1], NULL, 10) > now_ms;

          if (open && sm_agent_state_from_string (parts[0], &state) &&
              sm_activity_matches_state (activity, state))
            (*in_adherence)++;
        }
    }

  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  return TRUE;
}
