/* sm-sparkline.c: a small line of a figure over the last hours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values that are NAN ("no data" in that hour) leave a gap in the line. The
 * target, when there is one, is a dashed line, and the last value a dot.
 */

#define G_LOG_DOMAIN "sm-sparkline"

#include "config.h"

#include <math.h>

#include "sm-chart-util.h"
#include "sm-sparkline.h"

struct _SmSparkline
{
  GtkWidget  parent_instance;

  GArray    *values;
  gboolean   has_target;
  double     target;
};

G_DEFINE_FINAL_TYPE (SmSparkline, sm_sparkline, GTK_TYPE_WIDGET)

static void
sm_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SmSparkline *self = SM_SPARKLINE (widget);
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);
  const double *v = (const double *)(void *)self->values->data;
  guint n = self->values->len;
  double lo = INFINITY, hi = -INFINITY;
  double pad = 4;
  gboolean drawing = FALSE;
  GdkRGBA color;
  cairo_t *cr;
  int last = -1;

  if (n == 0 || w < 10 || h < 6)
    return;

  for (guint i = 0; i < n; i++)
    if (!isnan (v[i]))
      {
        lo = MIN (lo, v[i]);
        hi = MAX (hi, v[i]);
        last = i;
      }
  if (last < 0)
    return;
  if (self->has_target)
    {
      lo = MIN (lo, self->target);
      hi = MAX (hi, self->target);
    }
  if (hi - lo < 1e-9)
    {
      hi += 1;
      lo -= 1;
    }

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = sm_chart_begin (widget, snapshot);

#define X(i) (pad + (n > 1 ? (double)(i) / (n - 1) : 0.5) * (w - 2 * pad))
#define Y(val) (h - pad - ((val) - lo) / (hi - lo) * (h - 2 * pad))

  if (self->has_target)
    {
      static const double dash[] = { 3, 3 };

      sm_chart_set_source (cr, &color, 0.45);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, pad, round (Y (self->target)) + 0.5);
      cairo_line_to (cr, w - pad, round (Y (self->target)) + 0.5);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  gdk_cairo_set_source_rgba (cr, &color);
  /* Thicker on a tall sparkline, such as on the wallboard */
  cairo_set_line_width (cr, MAX (2, h / 16));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < n; i++)
    {
      if (isnan (v[i]))
        {
          drawing = FALSE;
          continue;
        }
      if (!drawing)
        cairo_move_to (cr, X (i), Y (v[i]));
      else
        cairo_line_to (cr, X (i), Y (v[i]));
      drawing = TRUE;
    }
  cairo_stroke (cr);

  cairo_arc (cr, X (last), Y (v[last]), MAX (3.5, h / 10), 0, 2 * G_PI);
  cairo_fill (cr);

#undef X
#undef Y

  cairo_destroy (cr);
}

static void
sm_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  sm_chart_measure (orientation, 60, 160, 24, 32, minimum, natural);
}

static void
sm_sparkline_finalize (GObject *object)
{
  SmSparkline *self = (SmSparkline *)object;

  g_clear_pointer (&self->values, g_array_unref);

  G_OBJECT_CLASS (sm_sparkline_parent_class)->finalize (object);
}

static void
sm_sparkline_class_init (SmSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_sparkline_finalize;
  widget_class->snapshot = sm_sparkline_snapshot;
  widget_class->measure = sm_sparkline_measure;

  sm_chart_class_init (widget_class, "sparkline");
}

static void
sm_sparkline_init (SmSparkline *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
}

GtkWidget *
sm_sparkline_new (void)
{
  return g_object_new (SM_TYPE_SPARKLINE, NULL);
}

/**
 * sm_sparkline_set_values:
 * @values: (array length=n_values): NAN where there is no data
 */
void
sm_sparkline_set_values (SmSparkline  *self,
                         const double *values,
                         guint         n_values)
{
  g_return_if_fail (SM_IS_SPARKLINE (self));

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_values);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sm_sparkline_set_target (SmSparkline *self,
                         gboolean     has_target,
                         double       target)
{
  g_return_if_fail (SM_IS_SPARKLINE (self));

  self->has_target = has_target;
  self->target = target;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
