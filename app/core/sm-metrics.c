/* sm-metrics.c: the figures of KPI.md over contacts, agent states and shifts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the contacts of the period (plus the seven days after it,
 * which FCR needs), one over the agent states and one over the shifts. The
 * sums land in one SmMetricsCounts per interval; figures are computed from
 * the sums, so intervals can be added up and a figure whose denominator is
 * zero is "no data" (FALSE), never 0.
 */

#define G_LOG_DOMAIN "sm-metrics"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sm-metrics.h"
#include "sm-schedule.h"

#define DAY_MS       (24 * 3600 * 1000LL)
#define FCR_WINDOW_MS (7 * DAY_MS)
/* States longer than this that started before the period are not seen */
#define STATE_LOOKBACK_MS (2 * DAY_MS)
#define MAX_INTERVALS 100000

G_DEFINE_QUARK (sm-metrics-error-quark, sm_metrics_error)

typedef struct
{
  const char   *name;
  const char   *label;
  const char   *definition;
  SmFigureUnit  unit;
} FigureInfo;

static const FigureInfo figures[SM_N_FIGURES] = {
  [SM_FIGURE_SERVICE_LEVEL] = {
    "service_level", N_("Service level"),
    N_("Contacts answered within T seconds ÷ (answered + abandoned − short abandons) × 100, "
       "for contacts offered in the period."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_ASA] = {
    "asa", N_("Average speed of answer"),
    N_("Σ wait of answered contacts ÷ answered contacts. Wait = answered − offered."),
    SM_FIGURE_UNIT_SECONDS },
  [SM_FIGURE_ABANDONMENT_RATE] = {
    "abandonment_rate", N_("Abandonment rate"),
    N_("(Abandoned − short abandons) ÷ (offered − short abandons) × 100. "
       "A short abandon waited less than the short-abandon threshold."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_AHT] = {
    "aht", N_("Average handle time"),
    N_("Σ handle time ÷ handled contacts. Handle time = talk (hold included) + after-call work."),
    SM_FIGURE_UNIT_SECONDS },
  [SM_FIGURE_AVERAGE_ACW] = {
    "average_acw", N_("Average after-call work"),
    N_("Σ after-call work ÷ handled contacts. After-call work = ACW end − call end (0 without ACW)."),
    SM_FIGURE_UNIT_SECONDS },
  [SM_FIGURE_HOLD_RATIO] = {
    "hold_ratio", N_("Hold ratio"),
    N_("Σ hold time ÷ Σ talk time × 100, over handled contacts."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_TRANSFER_RATE] = {
    "transfer_rate", N_("Transfer rate"),
    N_("Handled contacts that were transferred ÷ handled contacts × 100."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_FCR] = {
    "fcr", N_("First contact resolution"),
    N_("Handled contacts resolved with no other contact from the same customer for the same reason "
       "in the 7 days after ÷ handled contacts that have a customer and a reason × 100."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_CSAT] = {
    "csat", N_("Customer satisfaction"),
    N_("Contacts rated 4 or 5 ÷ contacts with a rating × 100 (scale 1–5)."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_NPS] = {
    "nps", N_("Net promoter score"),
    /* xgettext:no-c-format */
    N_("% of rated contacts scoring 9–10 − % scoring 0–6 (scale 0–10; −100 to 100)."),
    SM_FIGURE_UNIT_SCORE },
  [SM_FIGURE_OCCUPANCY] = {
    "occupancy", N_("Occupancy"),
    N_("Time on contact + after-call work ÷ time available + on contact + after-call work × 100."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_ADHERENCE] = {
    "adherence", N_("Schedule adherence"),
    N_("Time in shifts when the state matches the scheduled activity ÷ scheduled time × 100. "
       "Work matches available, on contact and after-call work."),
    SM_FIGURE_UNIT_PERCENT },
  [SM_FIGURE_CONFORMANCE] = {
    "conformance", N_("Schedule conformance"),
    N_("Time available + on contact + after-call work ÷ scheduled work time × 100."),
    SM_FIGURE_UNIT_PERCENT },
};

const char *
sm_figure_get_name (SmFigure figure)
{
  g_return_val_if_fail (figure < SM_N_FIGURES, NULL);
  return figures[figure].name;
}

const char *
sm_figure_get_label (SmFigure figure)
{
  g_return_val_if_fail (figure < SM_N_FIGURES, NULL);
  return _(figures[figure].label);
}

const char *
sm_figure_get_definition (SmFigure figure)
{
  g_return_val_if_fail (figure < SM_N_FIGURES, NULL);
  return _(figures[figure].definition);
}

SmFigureUnit
sm_figure_get_unit (SmFigure figure)
{
  g_return_val_if_fail (figure < SM_N_FIGURES, SM_FIGURE_UNIT_PERCENT);
  return figures[figure].unit;
}

/**
 * sm_figure_format:
 *
 * Returns: (transfer full): the value for display, or "—" for no data
 */
char *
sm_figure_format (SmFigure figure,
                  gboolean has_value,
                  double   value)
{
  if (!has_value)
    return g_strdup ("—");

  switch (sm_figure_get_unit (figure))
    {
    case SM_FIGURE_UNIT_SECONDS:
      if (value >= 600)
        /* TRANSLATORS: a duration in minutes and seconds, such as 12:05 */
        return g_strdup_printf (_("%d:%02d"), (int)round (value) / 60, (int)round (value) % 60);
      /* TRANSLATORS: a duration in seconds */
      return g_strdup_printf (_("%.0f s"), value);
    case SM_FIGURE_UNIT_SCORE:
      return g_strdup_printf ("%+.0f", value);
    case SM_FIGURE_UNIT_PERCENT:
    default:
      return g_strdup_printf ("%.1f %%", value);
    }
}

void
sm_metrics_query_init (SmMetricsQuery *query)
{
  memset (query, 0, sizeof *query);
  query->service_level_s = 20;
  query->short_abandon_s = 5;
  query->now_ms = sm_now_ms ();
  query->to_ms = G_MAXINT64 / 2;
}

/**
 * sm_metrics_parse_duration:
 * @text: such as "30m", "1h", "900s" or "15" (minutes)
 */
gboolean
sm_metrics_parse_duration (const char *text,
                           gint64     *ms)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  gint64 n, unit = 60000;

  if (text == NULL)
    return FALSE;

  copy = g_strstrip (g_strdup (text));
  n = g_ascii_strtoll (copy, &end, 10);
  if (end == copy || n <= 0)
    return FALSE;

  if (g_str_equal (end, "s"))
    unit = 1000;
  else if (g_str_equal (end, "m") || g_str_equal (end, "min") || *end == '\0')
    unit = 60000;
  else if (g_str_equal (end, "h"))
    unit = 3600000;
  else if (g_str_equal (end, "d"))
    unit = DAY_MS;
  else
    return FALSE;

  if (n > G_MAXINT64 / unit)
    return FALSE;

  *ms = n * unit;
  return TRUE;
}

void
sm_metrics_counts_add (SmMetricsCounts       *sum,
                       const SmMetricsCounts *counts)
{
  gint64 *a = (gint64 *)sum;
  const gint64 *b = (const gint64 *)counts;
  gsize first = G_STRUCT_OFFSET (SmMetricsCounts, offered) / sizeof (gint64);

  G_STATIC_ASSERT (sizeof (SmMetricsCounts) % sizeof (gint64) == 0);

  if (sum->end_ms == 0 && sum->start_ms == 0)
    {
      sum->start_ms = counts->start_ms;
      sum->end_ms = counts->end_ms;
    }
  else
    {
      sum->start_ms = MIN (sum->start_ms, counts->start_ms);
      sum->end_ms = MAX (sum->end_ms, counts->end_ms);
    }

  for (gsize i = first; i < sizeof (SmMetricsCounts) / sizeof (gint64); i++)
    a[i] += b[i];
}

static gboolean
ratio (double  num,
       double  den,
       double  scale,
       double *value)
{
  if (den <= 0)
    return FALSE;

  *value = num / den * scale;
  return TRUE;
}

/**
 * sm_metrics_get_figure:
 * @value: (out): percent, seconds or score
 *
 * Returns: %FALSE when the figure's denominator is zero ("no data")
 */
gboolean
sm_metrics_get_figure (const SmMetricsCounts *c,
                       SmFigure               figure,
                       double                *value)
{
  const gint64 *s = c->state_ms;
  double v = 0;
  gboolean ok = FALSE;

  switch (figure)
    {
    case SM_FIGURE_SERVICE_LEVEL:
      ok = ratio (c->answered_within_t, c->answered + c->abandoned - c->short_abandoned, 100, &v);
      break;
    case SM_FIGURE_ASA:
      ok = ratio (c->wait_answered_ms, c->answered, 0.001, &v);
      break;
    case SM_FIGURE_ABANDONMENT_RATE:
      ok = ratio (c->abandoned - c->short_abandoned, c->offered - c->short_abandoned, 100, &v);
      break;
    case SM_FIGURE_AHT:
      ok = ratio (c->talk_ms + c->acw_ms, c->handled, 0.001, &v);
      break;
    case SM_FIGURE_AVERAGE_ACW:
      ok = ratio (c->acw_ms, c->handled, 0.001, &v);
      break;
    case SM_FIGURE_HOLD_RATIO:
      ok = ratio (c->hold_ms, c->talk_ms, 100, &v);
      break;
    case SM_FIGURE_TRANSFER_RATE:
      ok = ratio (c->transferred, c->handled, 100, &v);
      break;
    case SM_FIGURE_FCR:
      ok = ratio (c->fcr_resolved, c->fcr_eligible, 100, &v);
      break;
    case SM_FIGURE_CSAT:
      ok = ratio (c->csat_good, c->csat_rated, 100, &v);
      break;
    case SM_FIGURE_NPS:
      ok = ratio (c->nps_promoters - c->nps_detractors, c->nps_rated, 100, &v);
      break;
    case SM_FIGURE_OCCUPANCY:
      ok = ratio (s[SM_AGENT_STATE_ON_CONTACT] + s[SM_AGENT_STATE_ACW],
                  s[SM_AGENT_STATE_AVAILABLE] + s[SM_AGENT_STATE_ON_CONTACT] + s[SM_AGENT_STATE_ACW],
                  100, &v);
      break;
    case SM_FIGURE_ADHERENCE:
      ok = ratio (c->adherent_ms, c->scheduled_ms, 100, &v);
      break;
    case SM_FIGURE_CONFORMANCE:
      ok = ratio (s[SM_AGENT_STATE_AVAILABLE] + s[SM_AGENT_STATE_ON_CONTACT] + s[SM_AGENT_STATE_ACW],
                  c->scheduled_work_ms, 100, &v);
      break;
    case SM_N_FIGURES:
    default:
      g_return_val_if_reached (FALSE);
    }

  if (ok && value != NULL)
    *value = v;

  return ok;
}

/* Intervals */

typedef struct
{
  const SmMetricsQuery *query;
  SmMetricsCounts      *buckets;
  guint                 n_buckets;
  gint64                origin_ms;
  gint64                limit_ms;   /* min (to, now): end of state and shift time */
} Ctx;

static guint
bucket_of (Ctx    *ctx,
           gint64  t)
{
  gint64 i;

  if (ctx->query->interval_ms <= 0)
    return 0;

  i = (t - ctx->origin_ms) / ctx->query->interval_ms;
  return (guint)CLAMP (i, 0, (gint64)ctx->n_buckets - 1);
}

/* Adds the part of [start, end) inside the period to a field of each
 * interval it crosses */
static void
add_span (Ctx    *ctx,
          gint64  start,
          gint64  end,
          gsize   field_offset)
{
  start = MAX (start, ctx->query->from_ms);
  end = MIN (end, ctx->limit_ms);

  while (start < end)
    {
      guint b = bucket_of (ctx, start);
      SmMetricsCounts *c = &ctx->buckets[b];
      gint64 stop = MIN (end, c->end_ms);

      if (stop <= start)
        break;

      G_STRUCT_MEMBER (gint64, c, field_offset) += stop - start;
      start = stop;
    }
}

/* FCR: whether a contact has a repeat, by (customer, reason)
 *
 * Every contact with a customer and a reason is kept as a 64-bit hash of the
 * two and its offered time; sorted by (key, offered), the contact that
 * follows a candidate with the same key is its next contact.
 */
typedef struct
{
  guint64 key;
  gint64  offered;
  gint32  bucket;     /* -1: not a candidate (outside the period or not resolved) */
  gint32  strings;    /* index into the candidates' strings, filtered scans only */
} FcrEntry;

static guint64
fcr_key (const char *customer,
         const char *reason)
{
  guint64 h = 14695981039346656037ULL;

  for (const char *p = customer; *p; p++)
    h = (h ^ (guchar)*p) * 1099511628211ULL;
  h = (h ^ 0x1f) * 1099511628211ULL;
  for (const char *p = reason; *p; p++)
    h = (h ^ (guchar)*p) * 1099511628211ULL;

  return h;
}

/* LSD radix sort on the key, 16 bits a pass: no comparisons, four passes
 * over the array. Only equal keys need to end up together. */
static void
fcr_sort (FcrEntry *entries,
          gsize     n)
{
  g_autofree FcrEntry *tmp = g_new (FcrEntry, n);
  g_autofree gsize *count = g_new (gsize, 65536);
  FcrEntry *from = entries, *to = tmp;

  for (guint shift = 0; shift < 64; shift += 16)
    {
      gsize sum = 0;

      memset (count, 0, 65536 * sizeof (gsize));
      for (gsize i = 0; i < n; i++)
        count[(from[i].key >> shift) & 0xffff]++;
      for (gsize d = 0; d < 65536; d++)
        {
          gsize c = count[d];
          count[d] = sum;
          sum += c;
        }
      for (gsize i = 0; i < n; i++)
        to[count[(from[i].key >> shift) & 0xffff]++] = from[i];

      /* After an even number of passes the result is back in entries */
      FcrEntry *swap = from;
      from = to;
      to = swap;
    }
}

static gboolean
repeat_in_store (sqlite3_stmt *stmt,
                 const char   *customer,
                 const char   *reason,
                 gint64        offered)
{
  gboolean found;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, customer, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, offered);
  sqlite3_bind_int64 (stmt, 3, offered + FCR_WINDOW_MS);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static gboolean
resolve_fcr (SmStore   *store,
             Ctx       *ctx,
             GArray    *entries,
             GPtrArray *strings,
             GError   **error)
{
  g_autoptr(sqlite3_stmt) repeat = NULL;
  FcrEntry *e = (FcrEntry *)(void *)entries->data;
  guint n = entries->len;

  /* With a filter the scan did not see every later contact of a customer:
   * ask the store about the ones it could have missed. */
  if (strings != NULL)
    {
      repeat = sm_store_prepare (store,
                                 "SELECT 1 FROM contacts WHERE customer = ?1 AND offered_ms > ?2"
                                 " AND offered_ms <= ?3 AND reason = ?4 LIMIT 1",
                                 error);
      if (repeat == NULL)
        return FALSE;
    }

  fcr_sort (e, n);

  for (guint g = 0; g < n;)
    {
      guint g_end = g + 1;

      while (g_end < n && e[g_end].key == e[g].key)
        g_end++;

      for (guint i = g; i < g_end; i++)
        {
          gboolean repeated = FALSE;

          if (e[i].bucket < 0)
            continue;

          /* Any contact of the same key offered in (offered, offered + 7 days] */
          for (guint k = g; k < g_end && !repeated; k++)
            repeated = e[k].offered > e[i].offered && e[k].offered <= e[i].offered + FCR_WINDOW_MS;

          if (!repeated && strings != NULL)
            {
              const char *customer = g_ptr_array_index (strings, e[i].strings);
              const char *reason = customer + strlen (customer) + 1;

              repeated = repeat_in_store (repeat, customer, reason, e[i].offered);
            }

          if (!repeated)
            ctx->buckets[e[i].bucket].fcr_resolved++;
        }

      g = g_end;
    }

  return TRUE;
}

/* A full scan reads pages in order; going through the offered_ms index jumps
 * between pages. The scan wins when the period holds a good share of the rows. */
static gboolean
prefer_full_scan (SmStore *store,
                  gint64   from_ms,
                  gint64   to_ms,
                  gint64  *max_rowid)
{
  g_autoptr(sqlite3_stmt) total = NULL;
  g_autoptr(sqlite3_stmt) some = NULL;
  gint64 n_total, n_some;

  *max_rowid = 0;
  total = sm_store_prepare (store, "SELECT max (rowid) FROM contacts", NULL);
  if (total == NULL || sqlite3_step (total) != SQLITE_ROW)
    return FALSE;
  n_total = *max_rowid = sqlite3_column_int64 (total, 0);
  if (n_total < 20000)
    return FALSE;

  /* Counting a sample of the range on the covering index is cheap */
  some = sm_store_prepare (store,
                           "SELECT count (*) FROM (SELECT 1 FROM contacts"
                           " WHERE offered_ms >= ?1 AND offered_ms < ?2 LIMIT ?3)",
                           NULL);
  if (some == NULL)
    return FALSE;
  sqlite3_bind_int64 (some, 1, from_ms);
  sqlite3_bind_int64 (some, 2, to_ms);
  sqlite3_bind_int64 (some, 3, n_total / 8 + 1);
  if (sqlite3_step (some) != SQLITE_ROW)
    return FALSE;
  n_some = sqlite3_column_int64 (some, 0);

  return n_some > n_total / 8;
}

/* One scan over the contacts, or over a range of their rowids */
typedef struct
{
  const Ctx       *ctx;
  SmMetricsCounts *buckets;      /* where the sums go */
  GArray          *fcr;          /* FcrEntry */
  GPtrArray       *strings;      /* filtered scans only */
  gint64           scan_to;
  gboolean         full_scan;
  gint64           rowid_lo;     /* rowid_lo < rowid <= rowid_hi, when rowid_hi > 0 */
  gint64           rowid_hi;
} ScanPart;

static gboolean
scan_part (SmStore   *store,
           ScanPart  *part,
           GError   **error)
{
  const Ctx *ctx = part->ctx;
  const SmMetricsQuery *q = ctx->query;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  GArray *fcr = part->fcr;
  GPtrArray *strings = part->strings;
  gint64 t_ms = (gint64)q->service_level_s * 1000;
  gint64 short_ms = (gint64)q->short_abandon_s * 1000;
  int rc;

  g_string_append (sql,
                   "SELECT offered_ms, answered_ms, ended_ms, acw_end_ms, hold_s, transferred,"
                   " disposition = 'resolved', customer, reason, csat, nps FROM contacts");
  if (q->agent != NULL)
    g_string_append (sql, " INDEXED BY contacts_agent_offered");
  else if (part->full_scan)
    g_string_append (sql, " NOT INDEXED");
  g_string_append (sql, " WHERE offered_ms >= ?1 AND offered_ms < ?2");
  if (q->agent != NULL)
    g_string_append (sql, " AND agent = ?3");
  if (q->queue != NULL)
    g_string_append (sql, " AND queue = ?4");
  if (part->rowid_hi > 0)
    g_string_append (sql, " AND rowid > ?5 AND rowid <= ?6");

  stmt = sm_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, q->from_ms);
  sqlite3_bind_int64 (stmt, 2, part->scan_to);
  if (q->agent != NULL)
    sqlite3_bind_text (stmt, 3, q->agent, -1, SQLITE_STATIC);
  if (q->queue != NULL)
    sqlite3_bind_text (stmt, 4, q->queue, -1, SQLITE_STATIC);
  if (part->rowid_hi > 0)
    {
      sqlite3_bind_int64 (stmt, 5, part->rowid_lo);
      sqlite3_bind_int64 (stmt, 6, part->rowid_hi);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 offered = sqlite3_column_int64 (stmt, 0);
      const char *customer = (const char *)sqlite3_column_text (stmt, 7);
      const char *reason = (const char *)sqlite3_column_text (stmt, 8);
      gboolean has_key = customer != NULL && reason != NULL;
      gboolean answered, ended;
      FcrEntry entry;
      guint b;
      SmMetricsCounts *c;

      if (has_key)
        {
          entry.key = fcr_key (customer, reason);
          entry.offered = offered;
          entry.bucket = -1;
          entry.strings = -1;
        }

      if (offered >= q->to_ms)
        {
          if (has_key)
            g_array_append_val (fcr, entry);
          continue;
        }

      b = bucket_of ((Ctx *)ctx, offered);
      c = &part->buckets[b];
      answered = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      ended = sqlite3_column_type (stmt, 2) != SQLITE_NULL;

      c->offered++;

      if (answered)
        {
          gint64 wait = sqlite3_column_int64 (stmt, 1) - offered;

          c->answered++;
          c->wait_answered_ms += wait;
          if (wait <= t_ms)
            c->answered_within_t++;
        }
      else if (ended)
        {
          gint64 wait = sqlite3_column_int64 (stmt, 2) - offered;

          c->abandoned++;
          if (wait < short_ms)
            c->short_abandoned++;
        }

      if (answered && ended)
        {
          gint64 ended_ms = sqlite3_column_int64 (stmt, 2);
          gint64 talk = ended_ms - sqlite3_column_int64 (stmt, 1);
          gint64 acw = sqlite3_column_type (stmt, 3) != SQLITE_NULL
                         ? sqlite3_column_int64 (stmt, 3) - ended_ms : 0;

          c->handled++;
          c->talk_ms += talk;
          c->acw_ms += acw;
          c->hold_ms += sqlite3_column_int64 (stmt, 4) * 1000;
          if (sqlite3_column_int (stmt, 5))
            c->transferred++;

          if (has_key)
            {
              c->fcr_eligible++;
              if (sqlite3_column_int (stmt, 6) == 1)
                {
                  entry.bucket = b;
                  if (strings != NULL)
                    {
                      /* customer and reason, NUL-separated */
                      gsize lc = strlen (customer), lr = strlen (reason);
                      char *pair = g_malloc (lc + lr + 2);

                      memcpy (pair, customer, lc + 1);
                      memcpy (pair + lc + 1, reason, lr + 1);
                      entry.strings = strings->len;
                      g_ptr_array_add (strings, pair);
                    }
                }
            }
        }

      if (has_key)
        g_array_append_val (fcr, entry);

      if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
        {
          int csat = sqlite3_column_int (stmt, 9);

          c->csat_rated++;
          if (csat >= 4)
            c->csat_good++;
        }

      if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
        {
          int nps = sqlite3_column_int (stmt, 10);

          c->nps_rated++;
          if (nps >= 9)
            c->nps_promoters++;
          else if (nps <= 6)
            c->nps_detractors++;
        }
    }

  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  return TRUE;
}

/* The upper half of a large scan, on its own connection in a thread */
typedef struct
{
  char     *path;
  ScanPart  part;
  GError   *error;
  gboolean  ok;
} ScanThread;

static gpointer
scan_thread (gpointer data)
{
  ScanThread *t = data;
  g_autoptr(SmStore) store = sm_store_open (t->path, &t->error);

  t->ok = store != NULL && scan_part (store, &t->part, &t->error);
  return NULL;
}

static gboolean
is_file_store (SmStore *store)
{
  const char *path = sm_store_get_path (store);

  return path != NULL && *path != '\0' && !g_str_equal (path, ":memory:") &&
         !g_str_has_prefix (path, "file:") && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* Contacts: a period with many rows in a database file is read by two
 * connections at once, each over half of the rowids */
static gboolean
scan_contacts (SmStore  *store,
               Ctx      *ctx,
               GError  **error)
{
  const SmMetricsQuery *q = ctx->query;
  g_autoptr(GArray) fcr = g_array_new (FALSE, FALSE, sizeof (FcrEntry));
  g_autoptr(GPtrArray) strings = NULL;
  gboolean filtered = q->agent != NULL || q->queue != NULL;
  gint64 scan_to = q->to_ms < G_MAXINT64 - FCR_WINDOW_MS ? q->to_ms + FCR_WINDOW_MS : G_MAXINT64;
  gint64 max_rowid = 0;
  ScanPart part = { ctx, ctx->buckets, fcr, NULL, scan_to, FALSE, 0, 0 };

  if (filtered)
    strings = part.strings = g_ptr_array_new_with_free_func (g_free);
  else
    part.full_scan = prefer_full_scan (store, q->from_ms, scan_to, &max_rowid);

  if (part.full_scan && max_rowid >= 20000 && is_file_store (store) && g_get_num_processors () > 1)
    {
      ScanThread t = { g_strdup (sm_store_get_path (store)), part, NULL, FALSE };
      GThread *thread;
      gboolean ok;

      t.part.buckets = g_new0 (SmMetricsCounts, ctx->n_buckets);
      for (guint i = 0; i < ctx->n_buckets; i++)
        {
          t.part.buckets[i].start_ms = ctx->buckets[i].start_ms;
          t.part.buckets[i].end_ms = ctx->buckets[i].end_ms;
        }
      t.part.fcr = g_array_new (FALSE, FALSE, sizeof (FcrEntry));
      t.part.rowid_lo = max_rowid / 2;
      t.part.rowid_hi = G_MAXINT64;
      part.rowid_lo = G_MININT64;
      part.rowid_hi = max_rowid / 2;

      g_debug ("Scanning %" G_GINT64_FORMAT " rows on two connections", max_rowid);
      thread = g_thread_new ("sm-metrics-scan", scan_thread, &t);
      ok = scan_part (store, &part, error);
      g_thread_join (thread);

      if (ok && !t.ok)
        {
          /* No second connection (busy, say): read that half here */
          g_debug ("Scanning on one connection: %s", t.error != NULL ? t.error->message : "");
          part.rowid_lo = max_rowid / 2;
          part.rowid_hi = G_MAXINT64;
          ok = scan_part (store, &part, error);
        }
      else if (ok)
        {
          for (guint i = 0; i < ctx->n_buckets; i++)
            sm_metrics_counts_add (&ctx->buckets[i], &t.part.buckets[i]);
          g_array_append_vals (fcr, t.part.fcr->data, t.part.fcr->len);
        }

      g_clear_error (&t.error);
      g_free (t.part.buckets);
      g_array_unref (t.part.fcr);
      g_free (t.path);
      if (!ok)
        return FALSE;
    }
  else if (!scan_part (store, &part, error))
    {
      return FALSE;
    }

  return resolve_fcr (store, ctx, fcr, strings, error);
}

/* States and shifts
 *
 * Both are read in table order and sorted here by (agent, start): agent
 * names are interned to small numbers, so the sort compares integers.
 */
typedef struct
{
  guint       agent;
  SmStateSpan span;
} AgentState;

typedef struct
{
  guint   agent;
  SmShift shift;
} AgentShift;

static int
agent_state_compare (const void *a,
                     const void *b)
{
  const AgentState *x = a, *y = b;

  if (x->agent != y->agent)
    return x->agent < y->agent ? -1 : 1;
  return (x->span.start_ms > y->span.start_ms) - (x->span.start_ms < y->span.start_ms);
}

static int
agent_shift_compare (const void *a,
                     const void *b)
{
  const AgentShift *x = a, *y = b;

  if (x->agent != y->agent)
    return x->agent < y->agent ? -1 : 1;
  return (x->shift.start_ms > y->shift.start_ms) - (x->shift.start_ms < y->shift.start_ms);
}

static guint
intern_agent (GHashTable *agents,
              const char *name)
{
  gpointer value;

  if (g_hash_table_lookup_extended (agents, name, NULL, &value))
    return GPOINTER_TO_UINT (value);

  value = GUINT_TO_POINTER (g_hash_table_size (agents));
  g_hash_table_insert (agents, g_strdup (name), value);
  return GPOINTER_TO_UINT (value);
}

static void
adherent_cb (gint64   start_ms,
             gint64   end_ms,
             gpointer user_data)
{
  add_span (user_data, start_ms, end_ms, G_STRUCT_OFFSET (SmMetricsCounts, adherent_ms));
}

static gboolean
scan_states_and_shifts (SmStore  *store,
                        Ctx      *ctx,
                        GError  **error)
{
  const SmMetricsQuery *q = ctx->query;
  g_autoptr(sqlite3_stmt) states = NULL;
  g_autoptr(sqlite3_stmt) shifts = NULL;
  g_autoptr(GArray) state_rows = g_array_new (FALSE, FALSE, sizeof (AgentState));
  g_autoptr(GArray) shift_rows = g_array_new (FALSE, FALSE, sizeof (AgentShift));
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (SmStateSpan));
  g_autoptr(GArray) activities = g_array_new (FALSE, FALSE, sizeof (SmShift));
  g_autoptr(GHashTable) agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i, j;
  int rc;

  if (ctx->limit_ms <= q->from_ms)
    return TRUE;

  /* One agent: the (agent, start_ms) index; the team: the start_ms index */
  states = sm_store_prepare (store,
                             q->agent != NULL
                               ? "SELECT agent, state, start_ms, end_ms FROM agent_states"
                                 " WHERE agent = ?3 AND start_ms < ?2 AND start_ms >= ?1 - ?4"
                                 " AND (end_ms IS NULL OR end_ms > ?1)"
                               : "SELECT agent, state, start_ms, end_ms FROM agent_states"
                                 " WHERE start_ms < ?2 AND start_ms >= ?1 - ?4"
                                 " AND (end_ms IS NULL OR end_ms > ?1) AND ?3 IS NULL",
                             error);
  if (states == NULL)
    return FALSE;

  sqlite3_bind_int64 (states, 1, q->from_ms);
  sqlite3_bind_int64 (states, 2, ctx->limit_ms);
  sqlite3_bind_text (states, 3, q->agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (states, 4, STATE_LOOKBACK_MS);

  while ((rc = sqlite3_step (states)) == SQLITE_ROW)
    {
      AgentState row;

      if (!sm_agent_state_from_string ((const char *)sqlite3_column_text (states, 1), &row.span.state))
        continue;
      row.span.start_ms = MAX (sqlite3_column_int64 (states, 2), q->from_ms);
      row.span.end_ms = sqlite3_column_type (states, 3) == SQLITE_NULL
                          ? ctx->limit_ms : MIN (sqlite3_column_int64 (states, 3), ctx->limit_ms);
      if (row.span.end_ms <= row.span.start_ms)
        continue;
      row.agent = intern_agent (agents, (const char *)sqlite3_column_text (states, 0));
      g_array_append_val (state_rows, row);
    }
  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  shifts = sm_store_prepare (store,
                             q->agent != NULL
                               ? "SELECT agent, activity, start_ms, end_ms FROM shifts"
                                 " WHERE agent = ?3 AND start_ms < ?2 AND start_ms >= ?1 - ?4 AND end_ms > ?1"
                               : "SELECT agent, activity, start_ms, end_ms FROM shifts"
                                 " WHERE start_ms < ?2 AND start_ms >= ?1 - ?4 AND end_ms > ?1 AND ?3 IS NULL",
                             error);
  if (shifts == NULL)
    return FALSE;

  sqlite3_bind_int64 (shifts, 1, q->from_ms);
  sqlite3_bind_int64 (shifts, 2, ctx->limit_ms);
  sqlite3_bind_text (shifts, 3, q->agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (shifts, 4, DAY_MS);

  while ((rc = sqlite3_step (shifts)) == SQLITE_ROW)
    {
      AgentShift row = { 0 };

      if (!sm_activity_from_string ((const char *)sqlite3_column_text (shifts, 1), &row.shift.activity))
        continue;
      row.shift.start_ms = MAX (sqlite3_column_int64 (shifts, 2), q->from_ms);
      row.shift.end_ms = MIN (sqlite3_column_int64 (shifts, 3), ctx->limit_ms);
      if (row.shift.end_ms <= row.shift.start_ms)
        continue;
      row.agent = intern_agent (agents, (const char *)sqlite3_column_text (shifts, 0));
      g_array_append_val (shift_rows, row);
    }
  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  /* An empty GArray has no data pointer, which qsort may not be given */
  if (state_rows->len > 0)
    qsort (state_rows->data, state_rows->len, sizeof (AgentState), agent_state_compare);
  if (shift_rows->len > 0)
    qsort (shift_rows->data, shift_rows->len, sizeof (AgentShift), agent_shift_compare);

  /* A later state cuts an earlier one of the same agent that was never closed */
  for (i = 0; i + 1 < state_rows->len; i++)
    {
      AgentState *row = &g_array_index (state_rows, AgentState, i);
      AgentState *next = row + 1;

      if (next->agent == row->agent && row->span.end_ms > next->span.start_ms)
        row->span.end_ms = MAX (row->span.start_ms, next->span.start_ms);
    }

  for (i = 0; i < state_rows->len; i++)
    {
      const SmStateSpan *span = &g_array_index (state_rows, AgentState, i).span;

      g_array_append_val (spans, *span);
      add_span (ctx, span->start_ms, span->end_ms,
                G_STRUCT_OFFSET (SmMetricsCounts, state_ms) + span->state * sizeof (gint64));
    }

  for (i = 0; i < shift_rows->len; i++)
    {
      const SmShift *shift = &g_array_index (shift_rows, AgentShift, i).shift;

      g_array_append_val (activities, *shift);
      add_span (ctx, shift->start_ms, shift->end_ms, G_STRUCT_OFFSET (SmMetricsCounts, scheduled_ms));
      if (shift->activity == SM_ACTIVITY_WORK)
        add_span (ctx, shift->start_ms, shift->end_ms,
                  G_STRUCT_OFFSET (SmMetricsCounts, scheduled_work_ms));
    }

  /* Adherence, agent by agent */
  j = 0;
  for (i = 0; i < shift_rows->len;)
    {
      guint agent = g_array_index (shift_rows, AgentShift, i).agent;
      guint i_end = i, j_start;

      while (i_end < shift_rows->len && g_array_index (shift_rows, AgentShift, i_end).agent == agent)
        i_end++;
      while (j < state_rows->len && g_array_index (state_rows, AgentState, j).agent < agent)
        j++;
      j_start = j;
      while (j < state_rows->len && g_array_index (state_rows, AgentState, j).agent == agent)
        j++;

      sm_schedule_sweep_adherence (&g_array_index (activities, SmShift, i), i_end - i,
                                   &g_array_index (spans, SmStateSpan, j_start), j - j_start,
                                   adherent_cb, ctx);
      i = i_end;
    }

  return TRUE;
}

/**
 * sm_metrics_compute:
 *
 * Returns: (transfer full) (element-type SmMetricsCounts): one entry per
 *   interval from @query->from_ms to @query->to_ms, or %NULL on error
 */
GArray *
sm_metrics_compute (SmStore               *store,
                    const SmMetricsQuery  *query,
                    GError               **error)
{
  g_autoptr(GArray) buckets = NULL;
  Ctx ctx = { query };
  gint64 n;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (query->to_ms <= query->from_ms)
    {
      g_set_error (error, SM_METRICS_ERROR, SM_METRICS_ERROR_INVALID,
                   _("The period ends before it starts"));
      return NULL;
    }

  if (query->interval_ms > 0)
    {
      gint64 iv = query->interval_ms;

      ctx.origin_ms = query->from_ms - (((query->from_ms % iv) + iv) % iv);
      n = (query->to_ms - ctx.origin_ms + iv - 1) / iv;
      if (n > MAX_INTERVALS)
        {
          g_set_error (error, SM_METRICS_ERROR, SM_METRICS_ERROR_INVALID,
                       _("The period has more than %d intervals; choose longer intervals"),
                       MAX_INTERVALS);
          return NULL;
        }
    }
  else
    {
      ctx.origin_ms = query->from_ms;
      n = 1;
    }

  buckets = g_array_sized_new (FALSE, TRUE, sizeof (SmMetricsCounts), n);
  g_array_set_size (buckets, n);
  for (gint64 i = 0; i < n; i++)
    {
      SmMetricsCounts *c = &g_array_index (buckets, SmMetricsCounts, i);

      if (query->interval_ms > 0)
        {
          c->start_ms = MAX (query->from_ms, ctx.origin_ms + i * query->interval_ms);
          c->end_ms = MIN (query->to_ms, ctx.origin_ms + (i + 1) * query->interval_ms);
        }
      else
        {
          c->start_ms = query->from_ms;
          c->end_ms = query->to_ms;
        }
    }

  ctx.buckets = (SmMetricsCounts *)(void *)buckets->data;
  ctx.n_buckets = n;
  ctx.limit_ms = MIN (query->to_ms, query->now_ms);

  if (!scan_contacts (store, &ctx, error) ||
      !scan_states_and_shifts (store, &ctx, error))
    return NULL;

  return g_steal_pointer (&buckets);
}

/**
 * sm_metrics_queue_now:
 * @queue: (nullable): one queue, or every queue
 * @waiting: (out): contacts offered, not answered and not ended
 * @longest_wait_ms: (out): the longest of their waits, 0 with none
 */
gboolean
sm_metrics_queue_now (SmStore     *store,
                      const char  *queue,
                      gint64       now_ms,
                      gint64      *waiting,
                      gint64      *longest_wait_ms,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  stmt = sm_store_prepare (store,
                           "SELECT count(*), min(offered_ms) FROM contacts"
                           " WHERE answered_ms IS NULL AND ended_ms IS NULL AND offered_ms <= ?1"
                           " AND (?2 IS NULL OR queue = ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now_ms);
  sqlite3_bind_text (stmt, 2, queue, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return sm_store_set_error (store, rc, error);

  *waiting = sqlite3_column_int64 (stmt, 0);
  *longest_wait_ms = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                       ? 0 : MAX (0, now_ms - sqlite3_column_int64 (stmt, 1));
  return TRUE;
}
