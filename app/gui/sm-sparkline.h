/* sm-sparkline.h: a small line of a figure over the last hours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SM_TYPE_SPARKLINE (sm_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (SmSparkline, sm_sparkline, SM, SPARKLINE, GtkWidget)

GtkWidget *sm_sparkline_new         (void);
void       sm_sparkline_set_values  (SmSparkline  *self,
                                     const double *values,
                                     guint         n_values);
void       sm_sparkline_set_target  (SmSparkline  *self,
                                     gboolean      has_target,
                                     double        target);

G_END_DECLS
