/* sm-timeline.c: today's shift, planned and actual, with "now"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The upper band is the schedule (each activity named when there is room),
 * the lower band what the agent's states have been; a line marks now. Hours
 * are written along the top.
 */

#define G_LOG_DOMAIN "sm-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-agent-grid.h"
#include "sm-chart-util.h"
#include "sm-timeline.h"

#define HOURS_H 18.0
#define PLAN_H 30.0
#define ACTUAL_H 14.0

struct _SmTimeline
{
  GtkWidget  parent_instance;

  GArray    *shifts;   /* SmShift, agent not kept */
  GArray    *states;   /* SmStateSpan */
  gint64     from_ms;
  gint64     to_ms;
  gint64     now_ms;
};

G_DEFINE_FINAL_TYPE (SmTimeline, sm_timeline, GTK_TYPE_WIDGET)

static SmAgentState
activity_state (SmActivity activity)
{
  switch (activity)
    {
    case SM_ACTIVITY_BREAK:
      return SM_AGENT_STATE_BREAK;
    case SM_ACTIVITY_LUNCH:
      return SM_AGENT_STATE_LUNCH;
    case SM_ACTIVITY_MEETING:
      return SM_AGENT_STATE_MEETING;
    case SM_ACTIVITY_TRAINING:
      return SM_AGENT_STATE_TRAINING;
    case SM_ACTIVITY_WORK:
    case SM_N_ACTIVITIES:
    default:
      return SM_AGENT_STATE_ON_CONTACT;
    }
}

static void
sm_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  SmTimeline *self = SM_TIMELINE (widget);
  double w = gtk_widget_get_width (widget);
  double span = self->to_ms - self->from_ms;
  double plan_y = HOURS_H + 4, actual_y = plan_y + PLAN_H + 4;
  GdkRGBA fg = { 0.5, 0.5, 0.5, 1 };
  GdkRGBA now_color = { 0.88, 0.11, 0.14, 1 };
  cairo_t *cr;

  if (span <= 0 || w < 40)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "theme_fg_color", &fg);
  gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "error_color", &now_color);

  cr = sm_chart_begin (widget, snapshot);

#define X(ms) (((double)(ms) - self->from_ms) / span * w)

  /* Hours */
  for (gint64 t = self->from_ms - self->from_ms % 3600000 + 3600000; t < self->to_ms; t += 3600000)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t / 1000);
      g_autofree char *label = g_date_time_format (dt, "%H");

      sm_chart_set_source (cr, &fg, 0.15);
      cairo_rectangle (cr, round (X (t)), HOURS_H, 1, PLAN_H + ACTUAL_H + 12);
      cairo_fill (cr);
      sm_chart_set_source (cr, &fg, 0.7);
      sm_chart_show_text (cr, widget, label, X (t) + 3, 0, 0, 40, 11, SM_CHART_WEIGHT_INHERIT);
    }

  /* Planned */
  for (guint i = 0; i < self->shifts->len; i++)
    {
      const SmShift *s = &g_array_index (self->shifts, SmShift, i);
      double x0 = MAX (0, X (s->start_ms)), x1 = MIN (w, X (s->end_ms));
      GdkRGBA color;

      if (x1 <= x0)
        continue;
      sm_agent_state_get_color (activity_state (s->activity), &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x0 + 0.5, plan_y, MAX (1, x1 - x0 - 1), PLAN_H);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, 1);
      sm_chart_show_text (cr, widget, sm_activity_get_label (s->activity), x0 + 5, plan_y + 7, 0,
                          x1 - x0 - 8, 12, PANGO_WEIGHT_BOLD);
    }

  /* Actual */
  for (guint i = 0; i < self->states->len; i++)
    {
      const SmStateSpan *s = &g_array_index (self->states, SmStateSpan, i);
      double x0 = MAX (0, X (s->start_ms)), x1 = MIN (w, X (MIN (s->end_ms, self->now_ms)));
      GdkRGBA color;

      if (x1 <= x0 || s->state == SM_AGENT_STATE_OFFLINE)
        continue;
      sm_agent_state_get_color (s->state, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x0, actual_y, MAX (0.5, x1 - x0), ACTUAL_H);
      cairo_fill (cr);
    }

  /* Now */
  if (self->now_ms >= self->from_ms && self->now_ms <= self->to_ms)
    {
      double x = round (X (self->now_ms));
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (self->now_ms / 1000);
      g_autofree char *time = g_date_time_format (dt, "%H:%M");
      /* TRANSLATORS: the "now" mark on the shift timeline, such as "Now 10:42" */
      g_autofree char *label = g_strdup_printf (_("Now %s"), time);

      gdk_cairo_set_source_rgba (cr, &now_color);
      cairo_rectangle (cr, x - 1, HOURS_H - 2, 3, PLAN_H + ACTUAL_H + 14);
      cairo_fill (cr);
      sm_chart_show_text (cr, widget, label, x + 5 > w - 70 ? x - 70 : x + 5, actual_y + ACTUAL_H + 2,
                          0, 80, 11, PANGO_WEIGHT_BOLD);
    }

#undef X

  cairo_destroy (cr);
}

static void
sm_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  int height = (int)(HOURS_H + PLAN_H + ACTUAL_H + 30);

  sm_chart_measure (orientation, 240, 800, height, height, minimum, natural);
}

static void
sm_timeline_finalize (GObject *object)
{
  SmTimeline *self = (SmTimeline *)object;

  g_clear_pointer (&self->shifts, g_array_unref);
  g_clear_pointer (&self->states, g_array_unref);

  G_OBJECT_CLASS (sm_timeline_parent_class)->finalize (object);
}

static void
sm_timeline_class_init (SmTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_timeline_finalize;
  widget_class->snapshot = sm_timeline_snapshot;
  widget_class->measure = sm_timeline_measure;

  sm_chart_class_init (widget_class, "timeline");
}

static void
sm_timeline_init (SmTimeline *self)
{
  self->shifts = g_array_new (FALSE, TRUE, sizeof (SmShift));
  self->states = g_array_new (FALSE, FALSE, sizeof (SmStateSpan));
}

GtkWidget *
sm_timeline_new (void)
{
  return g_object_new (SM_TYPE_TIMELINE, NULL);
}

void
sm_timeline_set_range (SmTimeline *self,
                       gint64      from_ms,
                       gint64      to_ms,
                       gint64      now_ms)
{
  g_return_if_fail (SM_IS_TIMELINE (self));

  self->from_ms = from_ms;
  self->to_ms = to_ms;
  self->now_ms = now_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sm_timeline_set_shifts:
 * @shifts: (element-type SmShift): one agent's activities
 */
void
sm_timeline_set_shifts (SmTimeline *self,
                        GPtrArray  *shifts)
{
  g_autoptr(GString) summary = g_string_new (NULL);

  g_return_if_fail (SM_IS_TIMELINE (self));

  g_array_set_size (self->shifts, 0);
  for (guint i = 0; shifts != NULL && i < shifts->len; i++)
    {
      SmShift copy = *(SmShift *)g_ptr_array_index (shifts, i);
      g_autoptr(GDateTime) s = g_date_time_new_from_unix_local (copy.start_ms / 1000);
      g_autoptr(GDateTime) e = g_date_time_new_from_unix_local (copy.end_ms / 1000);
      g_autofree char *ss = g_date_time_format (s, "%H:%M");
      g_autofree char *es = g_date_time_format (e, "%H:%M");

      copy.agent = NULL;
      g_array_append_val (self->shifts, copy);
      g_string_append_printf (summary, "%s%s–%s %s", i > 0 ? ", " : "", ss, es,
                              sm_activity_get_label (copy.activity));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sm_timeline_set_states:
 * @states: (array length=n_states): the agent's states today
 */
void
sm_timeline_set_states (SmTimeline        *self,
                        const SmStateSpan *states,
                        guint              n_states)
{
  g_return_if_fail (SM_IS_TIMELINE (self));

  g_array_set_size (self->states, 0);
  g_array_append_vals (self->states, states, n_states);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
