/* sm-metrics.h: the figures of KPI.md over contacts, agent states and shifts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_METRICS_ERROR (sm_metrics_error_quark ())

typedef enum
{
  SM_METRICS_ERROR_INVALID,
} SmMetricsError;

/* Every ratio and average of KPI.md, in the order `seatmate-admin metrics`
 * prints them */
typedef enum
{
  SM_FIGURE_SERVICE_LEVEL,
  SM_FIGURE_ASA,
  SM_FIGURE_ABANDONMENT_RATE,
  SM_FIGURE_AHT,
  SM_FIGURE_AVERAGE_ACW,
  SM_FIGURE_HOLD_RATIO,
  SM_FIGURE_TRANSFER_RATE,
  SM_FIGURE_FCR,
  SM_FIGURE_CSAT,
  SM_FIGURE_NPS,
  SM_FIGURE_OCCUPANCY,
  SM_FIGURE_ADHERENCE,
  SM_FIGURE_CONFORMANCE,
  SM_N_FIGURES
} SmFigure;

typedef enum
{
  SM_FIGURE_UNIT_PERCENT,
  SM_FIGURE_UNIT_SECONDS,
  SM_FIGURE_UNIT_SCORE,      /* NPS: −100…100 */
} SmFigureUnit;

/* What to compute. Contacts count in the interval in which they were
 * offered; state and shift time is cut at interval edges. */
typedef struct
{
  gint64      from_ms;          /* inclusive */
  gint64      to_ms;            /* exclusive */
  gint64      interval_ms;      /* 0: one interval from from_ms to to_ms */
  const char *agent;            /* nullable: every agent */
  const char *queue;            /* nullable: every queue */
  guint       service_level_s;  /* T of service level X/T */
  guint       short_abandon_s;  /* abandons that waited less are short */
  gint64      now_ms;           /* end of open state intervals */
} SmMetricsQuery;

/* The sums behind the figures of one interval. Times in milliseconds. */
typedef struct
{
  gint64 start_ms;
  gint64 end_ms;

  /* Contacts */
  gint64 offered;
  gint64 answered;
  gint64 abandoned;
  gint64 short_abandoned;
  gint64 handled;
  gint64 answered_within_t;
  gint64 wait_answered_ms;
  gint64 talk_ms;
  gint64 acw_ms;
  gint64 hold_ms;
  gint64 transferred;
  gint64 fcr_resolved;
  gint64 fcr_eligible;
  gint64 csat_good;
  gint64 csat_rated;
  gint64 nps_promoters;
  gint64 nps_detractors;
  gint64 nps_rated;

  /* Agent states and shifts */
  gint64 state_ms[SM_AGENT_STATE_N_STATES];
  gint64 scheduled_ms;
  gint64 scheduled_work_ms;
  gint64 adherent_ms;
} SmMetricsCounts;

GQuark        sm_metrics_error_quark      (void);

void          sm_metrics_query_init       (SmMetricsQuery         *query);
GArray       *sm_metrics_compute          (SmStore                *store,
                                           const SmMetricsQuery   *query,
                                           GError                **error);
void          sm_metrics_counts_add       (SmMetricsCounts        *sum,
                                           const SmMetricsCounts  *counts);
gboolean      sm_metrics_get_figure       (const SmMetricsCounts  *counts,
                                           SmFigure                figure,
                                           double                 *value);

const char   *sm_figure_get_name          (SmFigure                figure);
const char   *sm_figure_get_label         (SmFigure                figure);
const char   *sm_figure_get_definition    (SmFigure                figure);
SmFigureUnit  sm_figure_get_unit          (SmFigure                figure);
char         *sm_figure_format            (SmFigure                figure,
                                           gboolean                has_value,
                                           double                  value);

gboolean      sm_metrics_parse_duration   (const char             *text,
                                           gint64                 *ms);

/* Live queue figures: contacts offered, not answered, not ended */
gboolean      sm_metrics_queue_now        (SmStore                *store,
                                           const char             *queue,
                                           gint64                  now_ms,
                                           gint64                 *waiting,
                                           gint64                 *longest_wait_ms,
                                           GError                **error);

G_END_DECLS
