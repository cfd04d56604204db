/* sm-bar-chart.h: counts per hour as bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SM_TYPE_BAR_CHART (sm_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (SmBarChart, sm_bar_chart, SM, BAR_CHART, GtkWidget)

GtkWidget *sm_bar_chart_new      (void);
void       sm_bar_chart_set_bars (SmBarChart         *self,
                                  const double       *values,
                                  const char * const *labels,
                                  guint               n_bars,
                                  int                 current);

G_END_DECLS
