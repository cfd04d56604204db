/* sm-dashboard-window.c: the agent's shift and performance, on monitor 2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every second: the agent's state and time in it, adherence right now, the
 * countdown to the next break and the alerts (cheap reads). Every fifteen
 * seconds, and at once when the agent's state or the current call changes:
 * today's figures per hour for this agent (sm_metrics_compute with an
 * agent filter: the agent's own contacts only), the shift and the states.
 */

#define G_LOG_DOMAIN "sm-dashboard-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sm-agent-grid.h"
#include "sm-bar-chart.h"
#include "sm-customer.h"
#include "sm-dashboard-window.h"
#include "sm-labels.h"
#include "sm-metrics.h"
#include "sm-risk.h"
#include "sm-schedule.h"
#include "sm-sparkline.h"
#include "sm-timeline.h"

#define RELOAD_EVERY_S 15
#define SPARK_HOURS 8

/* The agent's own figures, in the order of the cards */
typedef enum
{
  KPI_HANDLED,
  KPI_AHT,
  KPI_ACW,
  KPI_FCR,
  KPI_CSAT,
  KPI_OCCUPANCY,
  KPI_ADHERENCE,
  N_KPIS
} Kpi;

typedef struct
{
  GtkWidget   *card;
  GtkLabel    *value;
  GtkLabel    *target;
  GtkLabel    *status;
  SmSparkline *spark;
} KpiCard;

struct _SmDashboardWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkLabel             *activity_label;
  GtkLabel             *adherence_label;
  GtkLabel             *agent_label;
  GtkBox               *alerts_box;
  SmBarChart           *bar_chart;
  GtkBox               *caller_flags_box;
  GtkLabel             *caller_name_label;
  GtkLabel             *caller_products_label;
  GtkLabel             *caller_recent_label;
  GtkLabel             *caller_segment_label;
  GtkStack             *caller_stack;
  GtkLabel             *caller_tenure_label;
  GtkLabel             *countdown_label;
  GtkGrid              *kpi_grid;
  GtkLabel             *next_break_label;
  GtkLabel             *shift_label;
  GtkLabel             *state_label;
  GtkLabel             *state_time_label;
  SmTimeline           *timeline;

  /* Built in code */
  KpiCard               cards[N_KPIS];

  /* Owned references */
  SmContext            *context;
  GPtrArray            *shifts;       /* today's SmShift */
  SmCustomer           *customer;     /* the current caller */
  char                 *customer_alerts;
  gboolean              high_risk;

  /* State */
  gboolean              fullscreen_on_monitor;
  guint                 tick_id;
  guint                 ticks;
  gboolean              has_state;
  SmAgentState          state;
  gint64                state_since;
};

G_DEFINE_FINAL_TYPE (SmDashboardWindow, sm_dashboard_window, GTK_TYPE_APPLICATION_WINDOW)

/**
 * sm_dashboard_window_load_css:
 *
 * Loads the dashboard and wallboard styles once per process.
 */
void
sm_dashboard_window_load_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;

  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/sm-dashboard.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Helpers */

static gint64
local_day_start_ms (gint64 now_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      0, 0, 0);
  return g_date_time_to_unix (start) * 1000;
}

static char *
format_clock (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (dt, "%H:%M");
}

static char *
format_span (gint64 ms)
{
  gint64 s = MAX (ms, 0) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int)(s / 3600), (int)(s % 3600 / 60), (int)(s % 60));
  return g_strdup_printf ("%d:%02d", (int)(s / 60), (int)(s % 60));
}

static void
set_state_class (GtkWidget    *widget,
                 SmAgentState  state)
{
  static const char * const classes[] = {
    "state-available", "state-on_contact", "state-acw", "state-break",
    "state-lunch", "state-meeting", "state-training", "state-offline",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (i == state)
        gtk_widget_add_css_class (widget, classes[i]);
      else
        gtk_widget_remove_css_class (widget, classes[i]);
    }
}

/* KPI cards */

static SmFigure
kpi_figure (Kpi kpi)
{
  static const SmFigure figures[N_KPIS] = {
    [KPI_HANDLED] = SM_N_FIGURES, [KPI_AHT] = SM_FIGURE_AHT, [KPI_ACW] = SM_FIGURE_AVERAGE_ACW,
    [KPI_FCR] = SM_FIGURE_FCR, [KPI_CSAT] = SM_FIGURE_CSAT, [KPI_OCCUPANCY] = SM_FIGURE_OCCUPANCY,
    [KPI_ADHERENCE] = SM_FIGURE_ADHERENCE,
  };

  return figures[kpi];
}

static void
build_cards (SmDashboardWindow *self)
{
  for (Kpi k = 0; k < N_KPIS; k++)
    {
      KpiCard *card = &self->cards[k];
      SmFigure f = kpi_figure (k);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (k == KPI_HANDLED ? _("Contacts handled") : sm_figure_get_label (f));
      g_autofree char *tooltip = NULL;

      card->card = box;
      gtk_widget_add_css_class (box, "kpi-card");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (title, "kpi-title");
      gtk_box_append (GTK_BOX (box), title);

      card->value = GTK_LABEL (gtk_label_new ("—"));
      gtk_label_set_xalign (card->value, 0);
      gtk_widget_add_css_class (GTK_WIDGET (card->value), "kpi-value");
      gtk_widget_add_css_class (GTK_WIDGET (card->value), "numeric");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->value));

      card->target = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (card->target, 0);
      gtk_widget_add_css_class (GTK_WIDGET (card->target), "kpi-target");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->target));

      card->status = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (card->status, 0);
      gtk_widget_add_css_class (GTK_WIDGET (card->status), "kpi-status");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->status));

      card->spark = SM_SPARKLINE (sm_sparkline_new ());
      gtk_widget_set_margin_top (GTK_WIDGET (card->spark), 4);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->spark));

      /* The figure's exact definition (KPI.md) */
      tooltip = k == KPI_HANDLED
                  ? g_strdup (_("Contacts handled: answered and ended today. The line shows each of the last hours."))
                  : g_strdup_printf ("%s: %s %s", sm_figure_get_label (f), sm_figure_get_definition (f),
                                     _("The line shows each of the last hours; dashes mark the target."));
      gtk_widget_set_tooltip_text (box, tooltip);

      /* Four cards on the first row, three wider ones on the second */
      if (k < 4)
        gtk_grid_attach (self->kpi_grid, box, k * 3, 0, 3, 1);
      else
        gtk_grid_attach (self->kpi_grid, box, (k - 4) * 4, 1, 4, 1);
    }
}

static void
set_card (KpiCard    *card,
          const char *value,
          const char *target,
          int         on_target)     /* 1 yes, 0 no, -1 no data */
{
  gtk_label_set_text (card->value, value);
  gtk_label_set_text (card->target, target);
  gtk_label_set_text (card->status, on_target > 0 ? _("✔ On target")
                                  : on_target == 0 ? _("▲ Off target")
                                                   : _("No data yet"));
  if (on_target > 0)
    {
      gtk_widget_add_css_class (card->card, "ok");
      gtk_widget_remove_css_class (card->card, "off");
    }
  else if (on_target == 0)
    {
      gtk_widget_add_css_class (card->card, "off");
      gtk_widget_remove_css_class (card->card, "ok");
    }
  else
    {
      gtk_widget_remove_css_class (card->card, "ok");
      gtk_widget_remove_css_class (card->card, "off");
    }
}

static void
update_cards (SmDashboardWindow     *self,
              const SmMetricsCounts *day,
              GArray                *hours,
              gint64                 now)
{
  guint first = hours->len > SPARK_HOURS ? hours->len - SPARK_HOURS : 0;
  guint n = hours->len - first;
  double spark[SPARK_HOURS + 1];

  for (Kpi k = 0; k < N_KPIS; k++)
    {
      KpiCard *card = &self->cards[k];
      SmFigure f = kpi_figure (k);
      g_autofree char *value = NULL;
      g_autofree char *target_text = NULL;
      double v = 0, target = 0;
      gboolean has, higher_better = TRUE;
      int on_target;

      switch (k)
        {
        case KPI_HANDLED:
          {
            guint daily = sm_context_get_uint (self->context, "target-handled", 60);
            gint64 scheduled_total = 0, scheduled_done = 0;

            /* On pace: the share of the daily target that the part of the
             * shift already worked calls for */
            for (guint i = 0; self->shifts != NULL && i < self->shifts->len; i++)
              {
                const SmShift *s = g_ptr_array_index (self->shifts, i);
                if (s->activity != SM_ACTIVITY_WORK)
                  continue;
                scheduled_total += s->end_ms - s->start_ms;
                scheduled_done += CLAMP (now, s->start_ms, s->end_ms) - s->start_ms;
              }
            target = scheduled_total > 0 ? daily * (double)scheduled_done / scheduled_total : daily;
            value = g_strdup_printf ("%" G_GINT64_FORMAT, day->handled);
            /* TRANSLATORS: contacts handled against the day's target, and where the agent should be now */
            target_text = g_strdup_printf (_("Target %u today · %.0f by now"), daily, floor (target));
            on_target = day->handled >= floor (target) ? 1 : 0;
            for (guint i = 0; i < n; i++)
              spark[i] = g_array_index (hours, SmMetricsCounts, first + i).handled;
            sm_sparkline_set_target (card->spark, FALSE, 0);
          }
          break;

        case KPI_AHT:
        case KPI_ACW:
          higher_better = FALSE;
          target = sm_context_get_uint (self->context, k == KPI_AHT ? "target-aht-seconds" : "target-acw-seconds",
                                 k == KPI_AHT ? 300 : 45);
          G_GNUC_FALLTHROUGH;
        case KPI_FCR:
        case KPI_CSAT:
        case KPI_OCCUPANCY:
        case KPI_ADHERENCE:
        case N_KPIS:
        default:
          if (k == KPI_FCR)
            target = sm_context_get_double (self->context, "target-fcr", 75);
          else if (k == KPI_CSAT)
            target = sm_context_get_double (self->context, "target-csat", 85);
          else if (k == KPI_OCCUPANCY)
            target = sm_context_get_double (self->context, "target-occupancy", 80);
          else if (k == KPI_ADHERENCE)
            target = sm_context_get_double (self->context, "target-adherence", 90);

          has = sm_metrics_get_figure (day, f, &v);
          value = sm_figure_format (f, has, v);
          {
            g_autofree char *t = sm_figure_format (f, TRUE, target);
            /* TRANSLATORS: a target, such as "Target ≤ 300 s" or "Target ≥ 75.0 %" */
            target_text = g_strdup_printf (higher_better ? _("Target ≥ %s") : _("Target ≤ %s"), t);
          }
          on_target = !has ? -1 : (higher_better ? v >= target : v <= target) ? 1 : 0;
          for (guint i = 0; i < n; i++)
            {
              double hv;
              spark[i] = sm_metrics_get_figure (&g_array_index (hours, SmMetricsCounts, first + i), f, &hv)
                           ? hv : NAN;
            }
          sm_sparkline_set_target (card->spark, TRUE, target);
          break;
        }

      set_card (card, value, target_text, on_target);
      sm_sparkline_set_values (card->spark, spark, n);
    }
}

/* Caller */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static char *
format_tenure (const char *since,
               gint64      now)
{
  int y = 0, m = 0, d = 0;
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (now / 1000);
  int years;

  if (since == NULL || sscanf (since, "%d-%d-%d", &y, &m, &d) < 2)
    return g_strdup (_("Customer since: unknown"));

  years = g_date_time_get_year (dt) - y - (g_date_time_get_month (dt) < m ? 1 : 0);
  if (years < 1)
    return g_strdup_printf (_("Customer since %s (less than a year)"), since);
  return g_strdup_printf (ngettext ("Customer since %s (%d year)", "Customer since %s (%d years)", years),
                          since, years);
}

static void
update_caller (SmDashboardWindow *self)
{
  SmCallList *calls = sm_context_get_calls (self->context);
  SmCall *call = calls != NULL ? sm_call_list_get_current (calls) : NULL;
  SmStore *store = sm_context_get_store (self->context);
  g_autoptr(SmCustomer) customer = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GString) recent = g_string_new (NULL);
  g_autofree char *tenure = NULL;
  g_autofree char *products = NULL;
  GPtrArray *contacts;
  const char *id;

  g_clear_object (&self->customer);
  g_clear_pointer (&self->customer_alerts, g_free);
  self->high_risk = FALSE;

  if (call == NULL || sm_call_get_state (call) == SM_CALL_STATE_ENDED)
    {
      gtk_stack_set_visible_child_name (self->caller_stack, "none");
      return;
    }

  id = sm_call_get_customer_id (call);
  if (id != NULL)
    customer = sm_customer_load (store, id, NULL);
  if (customer == NULL && sm_call_get_number (call) != NULL)
    {
      g_autoptr(GPtrArray) found = sm_customer_lookup_number (store, sm_call_get_number (call), NULL);
      if (found != NULL && found->len > 0)
        customer = g_object_ref (g_ptr_array_index (found, 0));
    }

  if (customer == NULL)
    {
      gtk_label_set_text (self->caller_name_label, sm_call_get_number (call) ?: _("Unknown caller"));
      gtk_label_set_text (self->caller_segment_label, _("Not a known customer"));
      gtk_label_set_text (self->caller_tenure_label, "");
      gtk_label_set_text (self->caller_products_label, "");
      gtk_label_set_text (self->caller_recent_label, _("None"));
      clear_box (self->caller_flags_box);
      gtk_stack_set_visible_child_name (self->caller_stack, "caller");
      return;
    }

  gtk_label_set_text (self->caller_name_label, sm_customer_get_name (customer));
  gtk_label_set_text (self->caller_segment_label, sm_customer_get_segment (customer) ?: _("No segment"));
  tenure = format_tenure (sm_customer_get_since (customer), sm_now_ms ());
  gtk_label_set_text (self->caller_tenure_label, tenure);

  if (sm_customer_get_products (customer) != NULL)
    {
      g_autofree char *list = g_strjoinv (" · ", (char **)sm_customer_get_products (customer));
      /* TRANSLATORS: the caller's products, such as "Products: Platinum Visa · Travel insurance" */
      products = g_strdup_printf (_("Products: %s"), list);
    }
  gtk_label_set_text (self->caller_products_label, products ?: "");

  contacts = sm_customer_get_recent_contacts (customer);
  for (guint i = 0; contacts != NULL && i < contacts->len && i < 4; i++)
    {
      const SmCustomerContact *c = g_ptr_array_index (contacts, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (c->offered_ms / 1000);
      g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");

      g_autofree char *reason = c->reason != NULL && *c->reason != '\0'
                                ? sm_intent_title (c->reason) : g_strdup ("—");

      g_string_append_printf (recent, "%s%s  %s  (%s)", recent->len > 0 ? "\n" : "", when,
                              reason, sm_outcome_label (c->disposition));
    }
  gtk_label_set_text (self->caller_recent_label, recent->len > 0 ? recent->str : _("None"));

  clear_box (self->caller_flags_box);
  alerts = sm_risk_evaluate (store, sm_customer_get_id (customer), sm_now_ms (), NULL, NULL);
  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      const SmRiskAlert *alert = g_ptr_array_index (alerts, i);
      GtkWidget *chip = gtk_label_new (sm_risk_alert_get_label (alert));

      gtk_widget_add_css_class (chip, alert->high ? "profile-flag" : "profile-segment");
      if (alert->note != NULL)
        gtk_widget_set_tooltip_text (chip, alert->note);
      gtk_box_append (self->caller_flags_box, chip);
    }
  if (alerts != NULL && sm_risk_has_high (alerts))
    {
      self->high_risk = TRUE;
      self->customer_alerts = sm_risk_describe (alerts);
    }

  self->customer = g_steal_pointer (&customer);
  gtk_stack_set_visible_child_name (self->caller_stack, "caller");
}

/* Alerts */

static void
add_alert (SmDashboardWindow *self,
           const char        *text,
           gboolean           critical)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dashboard-alert");
  if (critical)
    gtk_widget_add_css_class (label, "critical");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  gtk_box_append (self->alerts_box, label);
}

/* The per-second part: state, adherence now, next break, alerts */

static void
update_now (SmDashboardWindow *self)
{
  SmStore *store = sm_context_get_store (self->context);
  gint64 now = sm_now_ms ();
  const SmShift *current = sm_schedule_find_at (self->shifts, now);
  const SmShift *pause = sm_schedule_find_next_pause (self->shifts, now);
  SmCallList *calls = sm_context_get_calls (self->context);
  SmCall *call = calls != NULL ? sm_call_list_get_current (calls) : NULL;
  guint acw_alert = sm_context_get_uint (self->context, "acw-alert-seconds", 90);
  gboolean adherent = FALSE;
  gint64 acw_ms = -1;
  SmAgentState state;
  gint64 since = 0;
  gboolean has_state;

  has_state = sm_store_get_agent_state (store, sm_context_get_agent_id (self->context), &state, &since);
  if (has_state != self->has_state || (has_state && (state != self->state || since != self->state_since)))
    {
      self->has_state = has_state;
      self->state = state;
      self->state_since = since;
      self->ticks = 0;   /* reload the figures on the next tick */
    }

  if (has_state)
    {
      g_autofree char *span = format_span (now - since);
      /* TRANSLATORS: time in the current state, such as "for 3:12" */
      g_autofree char *text = g_strdup_printf (_("for %s"), span);

      gtk_label_set_text (self->state_label, sm_agent_state_get_label (state));
      gtk_label_set_text (self->state_time_label, text);
      set_state_class (GTK_WIDGET (self->state_label), state);
    }
  else
    {
      gtk_label_set_text (self->state_label, sm_agent_state_get_label (SM_AGENT_STATE_OFFLINE));
      gtk_label_set_text (self->state_time_label, "");
      set_state_class (GTK_WIDGET (self->state_label), SM_AGENT_STATE_OFFLINE);
    }

  /* Adherence right now */
  gtk_widget_remove_css_class (GTK_WIDGET (self->adherence_label), "in");
  gtk_widget_remove_css_class (GTK_WIDGET (self->adherence_label), "out");
  if (current == NULL)
    {
      gtk_label_set_text (self->adherence_label, _("Not scheduled now"));
      gtk_label_set_text (self->activity_label, "");
    }
  else
    {
      g_autofree char *until = format_clock (current->end_ms);
      /* TRANSLATORS: the scheduled activity now, such as "Scheduled: Work until 10:15" */
      g_autofree char *activity = g_strdup_printf (_("Scheduled: %s until %s"),
                                                   sm_activity_get_label (current->activity), until);

      adherent = has_state && sm_activity_matches_state (current->activity, state);
      gtk_label_set_text (self->adherence_label, adherent ? _("✔ In adherence") : _("✖ Out of adherence"));
      gtk_widget_add_css_class (GTK_WIDGET (self->adherence_label), adherent ? "in" : "out");
      gtk_label_set_text (self->activity_label, activity);
    }

  /* The next break */
  if (pause != NULL)
    {
      g_autofree char *at = format_clock (pause->start_ms);
      g_autofree char *left = format_span (pause->start_ms - now);
      /* TRANSLATORS: such as "Next: Break at 10:15" */
      g_autofree char *title = g_strdup_printf (_("Next: %s at %s"), sm_activity_get_label (pause->activity), at);
      /* TRANSLATORS: the countdown to the next break, such as "in 23:05" */
      g_autofree char *countdown = g_strdup_printf (_("in %s"), left);

      gtk_label_set_text (self->next_break_label, title);
      gtk_label_set_text (self->countdown_label, countdown);
    }
  else
    {
      gtk_label_set_text (self->next_break_label, _("No more breaks today"));
      gtk_label_set_text (self->countdown_label, "");
    }

  /* Alerts */
  clear_box (self->alerts_box);

  if (current != NULL && !adherent)
    {
      g_autofree char *text = g_strdup_printf (_("Out of adherence: your schedule says %s, you are %s."),
                                               sm_activity_get_label (current->activity),
                                               sm_agent_state_get_label (has_state ? state : SM_AGENT_STATE_OFFLINE));
      add_alert (self, text, FALSE);
    }

  if (has_state && state == SM_AGENT_STATE_ACW)
    acw_ms = now - since;
  else if (call != NULL && sm_call_get_state (call) == SM_CALL_STATE_ACW)
    acw_ms = now - sm_call_get_state_since (call);
  if (acw_ms > (gint64)acw_alert * 1000)
    {
      g_autofree char *span = format_span (acw_ms);
      g_autofree char *text = g_strdup_printf (_("After-call work is running long: %s (the alert is at %u s)."),
                                               span, acw_alert);
      add_alert (self, text, FALSE);
    }

  if (self->high_risk && self->customer != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("High-risk caller: %s"), self->customer_alerts ?: "");
      add_alert (self, text, TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->alerts_box), gtk_widget_get_first_child (GTK_WIDGET (self->alerts_box)) != NULL);
  /* The shift with an hour either side, else the working day */
  {
    gint64 day = local_day_start_ms (now);
    gint64 from = day + 7 * 3600000LL, to = day + 19 * 3600000LL;

    if (self->shifts != NULL && self->shifts->len > 0)
      {
        const SmShift *first = g_ptr_array_index (self->shifts, 0);
        const SmShift *last = g_ptr_array_index (self->shifts, self->shifts->len - 1);

        from = MAX (day, first->start_ms - 3600000LL);
        from -= (from - day) % 3600000LL;
        to = MIN (day + 24 * 3600000LL, last->end_ms + 3600000LL);
      }
    sm_timeline_set_range (self->timeline, from, MAX (to, MIN (now + 3600000LL, day + 24 * 3600000LL)), now);
  }
}

/* The heavier part: today's figures, shift and states */

static void
load_states (SmDashboardWindow *self,
             gint64             from,
             gint64             now)
{
  SmStore *store = sm_context_get_store (self->context);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (SmStateSpan));

  stmt = sm_store_prepare (store,
                           "SELECT state, start_ms, coalesce (end_ms, ?3) FROM agent_states"
                           " WHERE agent = ?1 AND start_ms < ?3 AND (end_ms IS NULL OR end_ms > ?2)"
                           " ORDER BY start_ms",
                           NULL);
  if (stmt == NULL)
    return;

  sqlite3_bind_text (stmt, 1, sm_context_get_agent_id (self->context), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, now);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SmStateSpan span;

      if (!sm_agent_state_from_string ((const char *)sqlite3_column_text (stmt, 0), &span.state))
        continue;
      span.start_ms = MAX (from, sqlite3_column_int64 (stmt, 1));
      span.end_ms = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (states, span);
    }

  sm_timeline_set_states (self->timeline, (SmStateSpan *)(void *)states->data, states->len);
}

static void
reload (SmDashboardWindow *self)
{
  SmStore *store = sm_context_get_store (self->context);
  const char *agent = sm_context_get_agent_id (self->context);
  gint64 now = sm_now_ms ();
  gint64 day = local_day_start_ms (now);
  g_autoptr(GArray) hours = NULL;
  g_autofree char *name = sm_context_dup_agent_name (self->context);
  g_autofree char *who = NULL;
  SmMetricsCounts total = { 0 };
  SmMetricsQuery query;

  who = name != NULL && g_strcmp0 (name, agent) != 0 ? g_strdup_printf ("%s · %s", name, agent) : g_strdup (agent);
  gtk_label_set_text (self->agent_label, who);

  /* Today's shift */
  g_clear_pointer (&self->shifts, g_ptr_array_unref);
  self->shifts = sm_schedule_load (store, agent, day, day + 24 * 3600000LL, NULL);
  sm_timeline_set_shifts (self->timeline, self->shifts);
  if (self->shifts != NULL && self->shifts->len > 0)
    {
      const SmShift *first = g_ptr_array_index (self->shifts, 0);
      const SmShift *last = g_ptr_array_index (self->shifts, self->shifts->len - 1);
      g_autofree char *a = format_clock (first->start_ms);
      g_autofree char *b = format_clock (last->end_ms);
      g_autofree char *text = g_strdup_printf ("%s–%s", a, b);

      gtk_label_set_text (self->shift_label, text);
    }
  else
    {
      gtk_label_set_text (self->shift_label, _("No shift scheduled today"));
    }
  load_states (self, day, now);

  /* Today's figures, hour by hour, for this agent */
  sm_metrics_query_init (&query);
  query.from_ms = day;
  query.to_ms = MAX (now - now % 3600000 + 3600000, day + 3600000);
  query.interval_ms = 3600000;
  query.agent = agent;
  query.now_ms = now;
  query.service_level_s = sm_context_get_uint (self->context, "service-level-seconds", 20);
  query.short_abandon_s = sm_context_get_uint (self->context, "short-abandon-seconds", 5);
  hours = sm_metrics_compute (store, &query, NULL);
  if (hours == NULL)
    return;

  for (guint i = 0; i < hours->len; i++)
    sm_metrics_counts_add (&total, &g_array_index (hours, SmMetricsCounts, i));

  /* Drop the hours before the first activity of the day */
  {
    guint first = 0;
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) shown = NULL;

    while (first + 1 < hours->len &&
           g_array_index (hours, SmMetricsCounts, first).offered == 0 &&
           g_array_index (hours, SmMetricsCounts, first).scheduled_ms == 0 &&
           g_array_index (hours, SmMetricsCounts, first).state_ms[SM_AGENT_STATE_AVAILABLE] == 0)
      first++;

    shown = g_array_new (FALSE, FALSE, sizeof (SmMetricsCounts));
    g_array_append_vals (shown, &g_array_index (hours, SmMetricsCounts, first), hours->len - first);

    for (guint i = 0; i < shown->len; i++)
      {
        const SmMetricsCounts *c = &g_array_index (shown, SmMetricsCounts, i);
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (c->start_ms / 1000);
        double handled = c->handled;

        g_ptr_array_add (labels, g_date_time_format (dt, "%H"));
        g_array_append_val (values, handled);
      }

    sm_bar_chart_set_bars (self->bar_chart, (double *)(void *)values->data,
                           (const char * const *)labels->pdata, values->len, (int)values->len - 1);
    update_cards (self, &total, shown, now);
  }
}

static gboolean
tick_cb (gpointer user_data)
{
  SmDashboardWindow *self = SM_DASHBOARD_WINDOW (user_data);

  SmCallList *calls = sm_context_get_calls (self->context);
  SmCall *call;
  const char *shown, *now_id;

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return G_SOURCE_CONTINUE;

  /* The call pane may identify the caller after the call came in, and a
   * call ends without a new current call */
  call = calls != NULL ? sm_call_list_get_current (calls) : NULL;
  shown = self->customer != NULL ? sm_customer_get_id (self->customer) : NULL;
  now_id = call != NULL && sm_call_get_state (call) != SM_CALL_STATE_ENDED
             ? sm_call_get_customer_id (call) : NULL;
  if ((now_id != NULL && g_strcmp0 (now_id, shown) != 0) ||
      ((call == NULL || sm_call_get_state (call) == SM_CALL_STATE_ENDED) &&
       g_strcmp0 (gtk_stack_get_visible_child_name (self->caller_stack), "none") != 0))
    update_caller (self);

  update_now (self);
  if (self->ticks++ % RELOAD_EVERY_S == 0)
    {
      reload (self);
      update_now (self);
    }

  return G_SOURCE_CONTINUE;
}

static void
current_call_changed_cb (SmDashboardWindow *self)
{
  update_caller (self);
  self->ticks = 0;
  tick_cb (self);
}

static void
sm_dashboard_window_dispose (GObject *object)
{
  SmDashboardWindow *self = (SmDashboardWindow *)object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_DASHBOARD_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->customer);
  g_clear_pointer (&self->shifts, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_dashboard_window_parent_class)->dispose (object);
}

static void
sm_dashboard_window_finalize (GObject *object)
{
  SmDashboardWindow *self = (SmDashboardWindow *)object;

  g_clear_pointer (&self->customer_alerts, g_free);

  G_OBJECT_CLASS (sm_dashboard_window_parent_class)->finalize (object);
}

static void
sm_dashboard_window_class_init (SmDashboardWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_dashboard_window_dispose;
  object_class->finalize = sm_dashboard_window_finalize;

  g_type_ensure (SM_TYPE_BAR_CHART);
  g_type_ensure (SM_TYPE_SPARKLINE);
  g_type_ensure (SM_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-dashboard-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, activity_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, adherence_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, agent_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, alerts_box);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, bar_chart);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_flags_box);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_name_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_products_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_recent_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_segment_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_stack);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, caller_tenure_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, kpi_grid);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, next_break_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, shift_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, state_time_label);
  gtk_widget_class_bind_template_child (widget_class, SmDashboardWindow, timeline);
}

static void
sm_dashboard_window_init (SmDashboardWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sm_dashboard_window_load_css ();
  build_cards (self);
}

SmDashboardWindow *
sm_dashboard_window_new (SmApplication *app,
                         SmContext     *context)
{
  SmDashboardWindow *self = g_object_new (SM_TYPE_DASHBOARD_WINDOW, "application", app, NULL);
  SmCallList *calls = sm_context_get_calls (context);

  self->context = g_object_ref (context);
  if (calls != NULL)
    g_signal_connect_object (calls, "notify::current", G_CALLBACK (current_call_changed_cb),
                             self, G_CONNECT_SWAPPED);

  update_caller (self);
  reload (self);
  update_now (self);
  self->ticks = 1;
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);

  return self;
}

/**
 * sm_dashboard_window_refresh:
 *
 * Reloads everything now (tests call it).
 */
void
sm_dashboard_window_refresh (SmDashboardWindow *self)
{
  g_return_if_fail (SM_IS_DASHBOARD_WINDOW (self));

  update_caller (self);
  reload (self);
  update_now (self);
}

/**
 * sm_dashboard_window_choose_monitor:
 * @remembered: (nullable): the connector the dashboard was on last time
 *
 * The dashboard goes to the remembered monitor if it is still there, else
 * to the second monitor. With one monitor there is no choice to make.
 *
 * Returns: (transfer none) (nullable): the monitor, or %NULL with one monitor
 */
GdkMonitor *
sm_dashboard_window_choose_monitor (GdkDisplay *display,
                                    const char *remembered)
{
  GListModel *monitors = gdk_display_get_monitors (display);
  guint n = g_list_model_get_n_items (monitors);
  GdkMonitor *chosen = NULL;

  if (n < 2)
    return NULL;

  for (guint i = 0; i < n && remembered != NULL && *remembered; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      if (g_strcmp0 (gdk_monitor_get_connector (monitor), remembered) == 0)
        chosen = monitor;
    }

  if (chosen == NULL)
    {
      g_autoptr(GdkMonitor) second = g_list_model_get_item (monitors, 1);
      chosen = second;
    }

  return chosen;
}

/**
 * sm_dashboard_window_place:
 *
 * Shows the dashboard fullscreen on the chosen monitor, remembering it; with
 * one monitor, shows it as a normal window if the dashboard-visible setting
 * says so.
 */
void
sm_dashboard_window_place (SmDashboardWindow *self)
{
  GSettings *settings = sm_context_get_settings (self->context);
  g_autofree char *remembered = g_settings_get_string (settings, "dashboard-monitor");
  GdkMonitor *monitor;

  monitor = sm_dashboard_window_choose_monitor (gtk_widget_get_display (GTK_WIDGET (self)),
                                                remembered);
  if (monitor != NULL)
    {
      const char *connector = gdk_monitor_get_connector (monitor);

      if (connector != NULL)
        g_settings_set_string (settings, "dashboard-monitor", connector);
      self->fullscreen_on_monitor = TRUE;
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  self->fullscreen_on_monitor = FALSE;
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 960);
  if (g_settings_get_boolean (settings, "dashboard-visible"))
    gtk_window_present (GTK_WINDOW (self));
}

/**
 * sm_dashboard_window_toggle:
 *
 * Shows or hides the dashboard (F2), remembering the choice.
 */
void
sm_dashboard_window_toggle (SmDashboardWindow *self)
{
  GSettings *settings = sm_context_get_settings (self->context);
  gboolean visible = gtk_widget_get_visible (GTK_WIDGET (self));

  if (visible)
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  else
    gtk_window_present (GTK_WINDOW (self));

  if (!self->fullscreen_on_monitor)
    g_settings_set_boolean (settings, "dashboard-visible", !visible);
}
