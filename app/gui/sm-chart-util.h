/* sm-chart-util.h: drawing shared by the cairo-drawn chart widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For sm_chart_show_text(): keep the weight of the widget's own font */
#define SM_CHART_WEIGHT_INHERIT ((PangoWeight)0)

void     sm_chart_class_init (GtkWidgetClass *widget_class,
                              const char     *css_name);
void     sm_chart_measure    (GtkOrientation  orientation,
                              int             min_width,
                              int             nat_width,
                              int             min_height,
                              int             nat_height,
                              int            *minimum,
                              int            *natural);
cairo_t *sm_chart_begin      (GtkWidget      *widget,
                              GtkSnapshot    *snapshot);
void     sm_chart_set_source (cairo_t        *cr,
                              const GdkRGBA  *color,
                              double          alpha);
void     sm_chart_show_text  (cairo_t        *cr,
                              GtkWidget      *widget,
                              const char     *text,
                              double          x,
                              double          y,
                              double          xalign,
                              double          max_width,
                              double          size,
                              PangoWeight     weight);

G_END_DECLS
