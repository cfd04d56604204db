/* sm-demo-generator.h: a realistic day of a team, as JSON Lines records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   n_agents;
  gint64  day_start_ms;   /* local midnight of the day */
  gint64  until_ms;       /* 0: the whole day; else the day stops here */
  guint32 seed;
} SmDemoGeneratorOptions;

/* Receives one JSON object per call, without the newline */
typedef void (*SmDemoLineFunc) (const char *line,
                                gpointer    user_data);

typedef struct
{
  guint n_agents;
  guint n_shifts;
  guint n_states;
  guint n_contacts;
  guint n_abandoned;
  guint n_work_orders;
} SmDemoGeneratorStats;

void     sm_demo_generator_options_init (SmDemoGeneratorOptions       *options);
gboolean sm_demo_generator_parse_date   (const char                   *date,
                                         gint64                       *day_start_ms);
void     sm_demo_generator_run          (const SmDemoGeneratorOptions *options,
                                         SmDemoLineFunc                func,
                                         gpointer                      user_data,
                                         SmDemoGeneratorStats         *stats);

G_END_DECLS
