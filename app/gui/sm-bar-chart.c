/* sm-bar-chart.c: counts per hour as bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with cairo: one bar per hour with its count above it and the hour
 * below; the current hour is drawn lighter (it is not over yet).
 */

#define G_LOG_DOMAIN "sm-bar-chart"

#include "config.h"

#include <math.h>

#include "sm-bar-chart.h"
#include "sm-chart-util.h"

struct _SmBarChart
{
  GtkWidget  parent_instance;

  GArray    *values;
  GPtrArray *labels;
  int        current;
};

G_DEFINE_FINAL_TYPE (SmBarChart, sm_bar_chart, GTK_TYPE_WIDGET)

static void
sm_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SmBarChart *self = SM_BAR_CHART (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  guint n = self->values->len;
  double max = 1, slot, bar_w, label_h = 18, value_h = 18, base;
  GdkRGBA color, fg = { 0.5, 0.5, 0.5, 1 };
  cairo_t *cr;

  if (n == 0 || w < 20 || h < 50)
    return;

  for (guint i = 0; i < n; i++)
    max = MAX (max, g_array_index (self->values, double, i));

  /* Bars in the widget's colour, text in the theme's */
  gtk_style_context_get_color (context, &color);
  gtk_style_context_lookup_color (context, "theme_fg_color", &fg);
  cr = sm_chart_begin (widget, snapshot);

  slot = w / n;
  bar_w = MAX (4, slot * 0.64);
  base = h - label_h - 4;

  /* The base line */
  sm_chart_set_source (cr, &fg, 0.25);
  cairo_rectangle (cr, 0, base, w, 1);
  cairo_fill (cr);

  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (self->values, double, i);
      double bh = (base - value_h - 4) * v / max;
      double x = i * slot + (slot - bar_w) / 2;
      gboolean current = (int)i == self->current;

      /* The hour still running is lighter: it is not over yet */
      sm_chart_set_source (cr, &color, current ? 0.45 : 0.9);
      if (bh > 0)
        {
          double r = MIN (4, bar_w / 2);

          cairo_new_sub_path (cr);
          cairo_arc (cr, x + r, base - bh + r, r, G_PI, 1.5 * G_PI);
          cairo_arc (cr, x + bar_w - r, base - bh + r, r, 1.5 * G_PI, 2 * G_PI);
          cairo_line_to (cr, x + bar_w, base);
          cairo_line_to (cr, x, base);
          cairo_close_path (cr);
          cairo_fill (cr);
        }

      if (v > 0)
        {
          g_autofree char *text = g_strdup_printf ("%.0f", v);

          gdk_cairo_set_source_rgba (cr, &fg);
          sm_chart_show_text (cr, widget, text, x + bar_w / 2, base - bh - value_h, 0.5, INFINITY,
                              12, PANGO_WEIGHT_BOLD);
        }

      if (i < self->labels->len)
        {
          sm_chart_set_source (cr, &fg, 0.7);
          sm_chart_show_text (cr, widget, g_ptr_array_index (self->labels, i), x + bar_w / 2, base + 3,
                              0.5, INFINITY, 11, current ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        }
    }

  cairo_destroy (cr);
}

static void
sm_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  sm_chart_measure (orientation, 200, 420, 110, 160, minimum, natural);
}

static void
sm_bar_chart_finalize (GObject *object)
{
  SmBarChart *self = (SmBarChart *)object;

  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_bar_chart_parent_class)->finalize (object);
}

static void
sm_bar_chart_class_init (SmBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_bar_chart_finalize;
  widget_class->snapshot = sm_bar_chart_snapshot;
  widget_class->measure = sm_bar_chart_measure;

  sm_chart_class_init (widget_class, "barchart");
}

static void
sm_bar_chart_init (SmBarChart *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->labels = g_ptr_array_new_with_free_func (g_free);
  self->current = -1;
}

GtkWidget *
sm_bar_chart_new (void)
{
  return g_object_new (SM_TYPE_BAR_CHART, NULL);
}

/**
 * sm_bar_chart_set_bars:
 * @values: (array length=n_bars): the counts
 * @labels: (array length=n_bars): the label under each bar
 * @current: the bar still filling up, or -1
 */
void
sm_bar_chart_set_bars (SmBarChart         *self,
                       const double       *values,
                       const char * const *labels,
                       guint               n_bars,
                       int                 current)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  g_return_if_fail (SM_IS_BAR_CHART (self));

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_bars);
  g_ptr_array_set_size (self->labels, 0);
  for (guint i = 0; i < n_bars; i++)
    {
      g_ptr_array_add (self->labels, g_strdup (labels[i]));
      g_string_append_printf (summary, "%s%s: %.0f", i > 0 ? ", " : "", labels[i], values[i]);
    }
  self->current = current;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
