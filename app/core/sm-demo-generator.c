/* sm-demo-generator.c: a realistic day of a team, as JSON Lines records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A second-by-second simulation of one queue and its agents:
 *
 *  - staggered shifts (07:00 to 12:00 starts, 9 hours) with two breaks and a
 *    lunch, a few meetings and trainings;
 *  - arrivals that follow a call center's day: a morning peak around 10:00,
 *    a dip at lunch and a second peak around 14:30, with staffing that
 *    roughly follows the curve, so service level moves during the day;
 *  - talk and after-call work times drawn from log-normal distributions (a
 *    long tail of long calls), some hold and some transfers;
 *  - callers who give up after a while (a few almost at once: short
 *    abandons), and repeat callers (which FCR must catch);
 *  - agents who start breaks late when a call runs over, and log in a few
 *    minutes early or late.
 *
 * The same options and seed always give the same lines. All names and
 * numbers are fictional.
 */

#define G_LOG_DOMAIN "sm-demo-generator"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sm-demo-generator.h"
#include "sm-schedule.h"
#include "sm-store.h"

#define SEC_MS 1000LL
#define MIN_MS (60 * SEC_MS)
#define HOUR_MS (60 * MIN_MS)

typedef struct
{
  SmActivity activity;
  gint64     start_ms;
  gint64     end_ms;
  gint64     late_ms;     /* how late the agent follows this activity */
} Segment;

typedef struct
{
  char        *id;
  Segment      segs[12];
  guint        n_segs;
  SmAgentState state;
  gint64       state_since;
  gint64       busy_until;  /* end of talk or ACW */
  gint64       acw_until;
  int          contact;     /* index into contacts while on a contact, else -1 */
} Agent;

typedef struct
{
  gint64  offered;
  gint64  answered;
  gint64  ended;
  gint64  acw_end;
  gint64  patience;
  guint   customer;
  guint   reason;
  int     agent;
  guint   hold_s;
  guint8  transferred;
  guint8  disposition;
  gint8   csat;
  gint8   nps;
  guint8  queue;
} Contact;

static const char * const family_names[] = {
  "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
  "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo",
  "Brooks", "Kim", "Garcia", "Novak", "Okafor", "Silva", "Tanaka", "Patel",
};

static const char * const given_names[] = {
  "Fang", "Wei", "Min", "Jing", "Yang", "Lei", "Li", "Xin", "Jun", "Yan",
  "Hao", "Ting", "Qiang", "Na", "Tao", "Mei", "Bo", "Hui", "Ying", "Chao",
  "Emma", "Daniel", "Maria", "Sam", "Ada", "Lucas", "Yuki", "Ravi",
};

static const char * const reasons[] = {
  "card_arrival", "lost_or_stolen_card", "card_payment_not_recognised",
  "extra_charge_on_statement", "activate_my_card", "change_pin", "request_refund",
  "transaction_charged_twice", "card_payment_fee_charged", "pending_card_payment",
  "exchange_rate", "compromised_card", "declined_card_payment", "card_not_working",
};

static const char * const dispositions[] = {
  "resolved", "callback", "escalated", "transferred",
};

static const char * const queues[] = { "cards", "disputes", "platinum" };

/* Relative arrival rate by hour of the day, peak 1.0 */
static const double day_curve[25] = {
  0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.10, 0.22, 0.55, 0.90,
  1.00, 0.92, 0.74, 0.72, 0.90, 0.95, 0.84, 0.66, 0.48, 0.34,
  0.24, 0.16, 0.09, 0.05, 0.03,
};

static double
curve_at (gint64 ms_of_day)
{
  double h = (double)ms_of_day / HOUR_MS;
  int i = CLAMP ((int)h, 0, 23);
  double f = h - i;

  return day_curve[i] * (1 - f) + day_curve[i + 1] * f;
}

static double
normal (GRand *rand)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1.0);
  double u2 = g_rand_double (rand);

  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

static gint64
lognormal_ms (GRand  *rand,
              double  median_s,
              double  sigma,
              double  min_s,
              double  max_s)
{
  double v = median_s * exp (sigma * normal (rand));

  return (gint64)(CLAMP (v, min_s, max_s) * SEC_MS);
}

static guint
poisson (GRand  *rand,
         double  lambda)
{
  double l = exp (-lambda), p = 1;
  guint k = 0;

  do
    {
      k++;
      p *= g_rand_double (rand);
    }
  while (p > l);

  return k - 1;
}

static void
emit (GString        *line,
      SmDemoLineFunc  func,
      gpointer        user_data)
{
  func (line->str, user_data);
  g_string_truncate (line, 0);
}

static void
append_time (GString    *line,
             const char *key,
             gint64      ms)
{
  g_autofree char *t = sm_time_format_ms (ms);

  g_string_append_printf (line, ",\"%s\":\"%s\"", key, t);
}

static SmAgentState
state_for (SmActivity activity)
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
      return SM_AGENT_STATE_AVAILABLE;
    }
}

/* What the agent means to be doing at @t: the schedule, followed late */
static SmAgentState
intended_state (const Agent *agent,
                gint64       t)
{
  SmAgentState state = SM_AGENT_STATE_OFFLINE;

  for (guint i = 0; i < agent->n_segs; i++)
    {
      const Segment *s = &agent->segs[i];
      gint64 next_start = i + 1 < agent->n_segs ? agent->segs[i + 1].start_ms + agent->segs[i + 1].late_ms
                                                 : s->end_ms + s->late_ms;

      if (t >= s->start_ms + s->late_ms && t < next_start)
        state = state_for (s->activity);
    }

  return state;
}

static void
build_schedule (Agent  *agent,
                guint   index,
                gint64  day,
                GRand  *rand)
{
  static const int starts[] = { 8, 9, 7, 10, 8, 9, 11, 12, 9, 8, 10, 7 };
  gint64 start = day + starts[index % G_N_ELEMENTS (starts)] * HOUR_MS;
  gint64 end = start + 9 * HOUR_MS;
  gint64 br1 = start + 2 * HOUR_MS + (index % 4) * 15 * MIN_MS;
  gint64 lunch = start + 4 * HOUR_MS + (index % 3) * 20 * MIN_MS;
  gint64 br2 = start + 6 * HOUR_MS + 45 * MIN_MS + (index % 4) * 10 * MIN_MS;
  gint64 extra = 0;
  SmActivity extra_kind = SM_ACTIVITY_MEETING;
  struct { SmActivity a; gint64 s, e; } plan[12];
  guint n = 0;

  /* One agent in ten has a meeting or a training in the afternoon */
  if (g_rand_int_range (rand, 0, 10) == 0)
    {
      extra = lunch + 45 * MIN_MS + HOUR_MS;
      extra_kind = g_rand_boolean (rand) ? SM_ACTIVITY_MEETING : SM_ACTIVITY_TRAINING;
    }

#define ADD(act, s_, e_) G_STMT_START { if ((e_) > (s_)) { plan[n].a = (act); plan[n].s = (s_); plan[n].e = (e_); n++; } } G_STMT_END
  ADD (SM_ACTIVITY_WORK, start, br1);
  ADD (SM_ACTIVITY_BREAK, br1, br1 + 15 * MIN_MS);
  ADD (SM_ACTIVITY_WORK, br1 + 15 * MIN_MS, lunch);
  ADD (SM_ACTIVITY_LUNCH, lunch, lunch + 45 * MIN_MS);
  if (extra != 0)
    {
      ADD (SM_ACTIVITY_WORK, lunch + 45 * MIN_MS, extra);
      ADD (extra_kind, extra, extra + 30 * MIN_MS);
      ADD (SM_ACTIVITY_WORK, extra + 30 * MIN_MS, br2);
    }
  else
    {
      ADD (SM_ACTIVITY_WORK, lunch + 45 * MIN_MS, br2);
    }
  ADD (SM_ACTIVITY_BREAK, br2, br2 + 15 * MIN_MS);
  ADD (SM_ACTIVITY_WORK, br2 + 15 * MIN_MS, end);
#undef ADD

  agent->n_segs = n;
  for (guint i = 0; i < n; i++)
    {
      static const int late_s[] = { 0, 0, 0, 0, 15, 30, 60, 90, 180, -60 };

      agent->segs[i].activity = plan[i].a;
      agent->segs[i].start_ms = plan[i].s;
      agent->segs[i].end_ms = plan[i].e;
      agent->segs[i].late_ms = late_s[g_rand_int_range (rand, 0, G_N_ELEMENTS (late_s))] * SEC_MS;
    }
  /* Logging in: a few minutes early or late */
  agent->segs[0].late_ms = g_rand_int_range (rand, -4, 5) * MIN_MS;
}

typedef struct
{
  const SmDemoGeneratorOptions *options;
  SmDemoLineFunc                func;
  gpointer                      user_data;
  SmDemoGeneratorStats         *stats;
  GString                      *line;
  Agent                        *agents;
} Sim;

static void
change_state (Sim          *sim,
              Agent        *agent,
              SmAgentState  state,
              gint64        t)
{
  if (agent->state == state)
    return;

  if (t > agent->state_since)
    {
      g_string_append_printf (sim->line, "{\"type\":\"state\",\"agent\":\"%s\",\"state\":\"%s\"",
                              agent->id, sm_agent_state_to_string (agent->state));
      append_time (sim->line, "start", agent->state_since);
      append_time (sim->line, "end", t);
      g_string_append_c (sim->line, '}');
      emit (sim->line, sim->func, sim->user_data);
      sim->stats->n_states++;
    }

  agent->state = state;
  agent->state_since = t;
}

static void
emit_contact (Sim           *sim,
              guint          index,
              const Contact *c,
              gint64         until)
{
  GString *line = sim->line;

  g_string_append_printf (line, "{\"type\":\"contact\",\"id\":\"g%06u\",\"queue\":\"%s\"",
                          index + 1, queues[c->queue]);
  if (c->agent >= 0)
    g_string_append_printf (line, ",\"agent\":\"%s\"", sim->agents[c->agent].id);
  g_string_append (line, ",\"direction\":\"inbound\"");
  g_string_append_printf (line, ",\"number\":\"+1202555%04u\"", 1000 + c->customer % 9000);
  append_time (line, "offered", c->offered);
  if (c->answered != 0 && c->answered <= until)
    append_time (line, "answered", c->answered);
  if (c->ended != 0 && c->ended <= until)
    append_time (line, "ended", c->ended);
  if (c->acw_end != 0 && c->acw_end <= until)
    append_time (line, "acw_end", c->acw_end);
  if (c->agent >= 0 && c->ended != 0 && c->ended <= until)
    {
      g_string_append_printf (line, ",\"hold_s\":%u,\"transferred\":%s,\"disposition\":\"%s\"",
                              c->hold_s, c->transferred ? "true" : "false",
                              dispositions[c->disposition]);
      if (c->csat > 0)
        g_string_append_printf (line, ",\"csat\":%d", c->csat);
      if (c->nps >= 0)
        g_string_append_printf (line, ",\"nps\":%d", c->nps);
    }
  g_string_append_printf (line, ",\"customer\":\"cust-g%05u\"", c->customer);
  if (c->agent >= 0)
    g_string_append_printf (line, ",\"reason\":\"%s\"", reasons[c->reason]);
  g_string_append_c (line, '}');
  emit (line, sim->func, sim->user_data);

  sim->stats->n_contacts++;
  if (c->agent < 0 && c->ended != 0 && c->ended <= until)
    sim->stats->n_abandoned++;
}

static void
draw_outcome (Contact *c,
              GRand   *rand)
{
  static const gint8 csat_dist[] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1 };
  static const gint8 nps_dist[] = { 10, 10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 7, 7, 6, 5, 4, 3, 2, 0, 9 };
  int d = g_rand_int_range (rand, 0, 100);

  c->transferred = g_rand_int_range (rand, 0, 100) < 5;
  if (c->transferred)
    c->disposition = 3;
  else if (d < 78)
    c->disposition = 0;
  else if (d < 90)
    c->disposition = 1;
  else
    c->disposition = 2;

  c->csat = g_rand_int_range (rand, 0, 100) < 30
              ? csat_dist[g_rand_int_range (rand, 0, G_N_ELEMENTS (csat_dist))] : 0;
  c->nps = g_rand_int_range (rand, 0, 100) < 22
             ? nps_dist[g_rand_int_range (rand, 0, G_N_ELEMENTS (nps_dist))] : -1;
}

void
sm_demo_generator_options_init (SmDemoGeneratorOptions *options)
{
  memset (options, 0, sizeof *options);
  options->n_agents = 10;
  options->seed = 20260105;
}

/**
 * sm_demo_generator_parse_date:
 * @date: YYYY-MM-DD
 * @day_start_ms: (out): local midnight of that day
 */
gboolean
sm_demo_generator_parse_date (const char *date,
                              gint64     *day_start_ms)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;
  char extra;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
    return FALSE;

  if (!g_date_valid_dmy (d, m, y))
    return FALSE;

  dt = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;

  *day_start_ms = g_date_time_to_unix (dt) * 1000;
  return TRUE;
}

/**
 * sm_demo_generator_run:
 * @func: receives each JSON Lines record
 *
 * Writes agents, their shifts, their states, the day's contacts and a few
 * complaint work orders. With @options->until_ms set, the day stops there:
 * states still open have no end, callers still waiting are offered only.
 */
void
sm_demo_generator_run (const SmDemoGeneratorOptions *options,
                       SmDemoLineFunc                func,
                       gpointer                      user_data,
                       SmDemoGeneratorStats         *stats_out)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (options->seed);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GArray) contacts = g_array_new (FALSE, TRUE, sizeof (Contact));
  g_autoptr(GArray) waiting = g_array_new (FALSE, FALSE, sizeof (guint));
  SmDemoGeneratorStats stats = { 0 };
  guint n = MAX (options->n_agents, 1);
  Agent *agents = g_new0 (Agent, n);
  gint64 day = options->day_start_ms;
  gint64 first_login = G_MAXINT64, last_logout = 0;
  gint64 until, sim_end;
  guint n_customers = n * 300;
  double peak_per_s;
  Sim sim = { options, func, user_data, &stats, line, agents };

  /* Agents and their shifts */
  for (guint i = 0; i < n; i++)
    {
      Agent *a = &agents[i];
      const char *family = family_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (family_names))];
      const char *given = given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))];

      a->id = g_strdup_printf ("g%03u", i + 1);
      a->state = SM_AGENT_STATE_OFFLINE;
      a->state_since = day;
      a->contact = -1;
      build_schedule (a, i, day, rand);
      first_login = MIN (first_login, a->segs[0].start_ms);
      last_logout = MAX (last_logout, a->segs[a->n_segs - 1].end_ms);

      g_string_append_printf (line, "{\"type\":\"agent\",\"id\":\"%s\",\"name\":\"%s %s\",\"team\":\"cards-%u\"}",
                              a->id, family, given, i / 12 + 1);
      emit (line, func, user_data);
      stats.n_agents++;

      for (guint s = 0; s < a->n_segs; s++)
        {
          g_string_append_printf (line, "{\"type\":\"shift\",\"agent\":\"%s\",\"activity\":\"%s\"",
                                  a->id, sm_activity_to_string (a->segs[s].activity));
          append_time (line, "start", a->segs[s].start_ms);
          append_time (line, "end", a->segs[s].end_ms);
          g_string_append_c (line, '}');
          emit (line, func, user_data);
          stats.n_shifts++;
        }
    }

  /* At the peak the team is about 90 % busy with a 5-minute handle time */
  peak_per_s = n * 0.62 / 300.0;

  until = options->until_ms > 0 ? options->until_ms : day + 24 * HOUR_MS;
  sim_end = MIN (until, last_logout + HOUR_MS);

  for (gint64 t = first_login - 10 * MIN_MS; t < sim_end; t += SEC_MS)
    {
      gint64 tod = t - day;
      guint k;

      /* Arrivals while the center is open */
      if (t >= first_login && t < last_logout)
        {
          guint arrivals = poisson (rand, peak_per_s * curve_at (tod));

          for (guint a = 0; a < arrivals; a++)
            {
              Contact c = { 0 };
              guint index = contacts->len;

              c.offered = t + g_rand_int_range (rand, 0, 1000);
              c.agent = -1;
              c.queue = g_rand_int_range (rand, 0, 100) < 70 ? 0 : (g_rand_int_range (rand, 0, 3) ? 1 : 2);
              c.patience = g_rand_int_range (rand, 0, 100) < 12
                             ? g_rand_int_range (rand, 1000, 5000)
                             : (gint64)(-log (g_rand_double_range (rand, 1e-9, 1.0)) * 140 * SEC_MS) + 5 * SEC_MS;

              /* One caller in twelve calls back about the same thing */
              if (contacts->len > 50 && g_rand_int_range (rand, 0, 12) == 0)
                {
                  const Contact *before = &g_array_index (contacts, Contact,
                                                          g_rand_int_range (rand, MAX (0, (int)contacts->len - 2000),
                                                                            contacts->len));
                  c.customer = before->customer;
                  c.reason = before->reason;
                }
              else
                {
                  c.customer = g_rand_int_range (rand, 1, n_customers);
                  c.reason = g_rand_int_range (rand, 0, G_N_ELEMENTS (reasons));
                }

              g_array_append_val (contacts, c);
              g_array_append_val (waiting, index);
            }
        }

      /* Callers who give up */
      for (k = 0; k < waiting->len;)
        {
          Contact *c = &g_array_index (contacts, Contact, g_array_index (waiting, guint, k));

          if (c->offered + c->patience <= t)
            {
              c->ended = c->offered + c->patience;
              g_array_remove_index (waiting, k);
            }
          else
            {
              k++;
            }
        }

      /* Agents */
      for (guint i = 0; i < n; i++)
        {
          Agent *a = &agents[i];
          SmAgentState want;

          if (a->state == SM_AGENT_STATE_ON_CONTACT && t >= a->busy_until)
            {
              change_state (&sim, a, SM_AGENT_STATE_ACW, a->busy_until);
              a->busy_until = a->acw_until;
            }
          if (a->state == SM_AGENT_STATE_ACW && t >= a->busy_until)
            {
              change_state (&sim, a, SM_AGENT_STATE_AVAILABLE, a->busy_until);
              a->contact = -1;
            }
          if (a->state == SM_AGENT_STATE_ON_CONTACT || a->state == SM_AGENT_STATE_ACW)
            continue;

          want = intended_state (a, t);
          change_state (&sim, a, want, t);
        }

      /* Longest-idle available agent takes the caller who waited longest */
      while (waiting->len > 0)
        {
          Agent *best = NULL;
          Contact *c;
          int best_index = -1;

          for (guint i = 0; i < n; i++)
            if (agents[i].state == SM_AGENT_STATE_AVAILABLE &&
                (best == NULL || agents[i].state_since < best->state_since))
              {
                best = &agents[i];
                best_index = i;
              }
          if (best == NULL)
            break;

          c = &g_array_index (contacts, Contact, g_array_index (waiting, guint, 0));
          g_array_remove_index (waiting, 0);

          c->answered = MAX (t, c->offered);
          c->agent = best_index;
          c->ended = c->answered + lognormal_ms (rand, 230, 0.55, 25, 3600);
          c->acw_end = c->ended + lognormal_ms (rand, 28, 0.6, 3, 900);
          if (g_rand_int_range (rand, 0, 100) < 22)
            c->hold_s = g_rand_int_range (rand, 10, MAX (11, (int)((c->ended - c->answered) / SEC_MS / 3)));
          draw_outcome (c, rand);

          change_state (&sim, best, SM_AGENT_STATE_ON_CONTACT, c->answered);
          best->busy_until = c->ended;
          best->acw_until = c->acw_end;
          best->contact = c - (Contact *)(void *)contacts->data;
        }
    }

  /* The last state of each agent is still open */
  for (guint i = 0; i < n; i++)
    {
      Agent *a = &agents[i];

      g_string_append_printf (line, "{\"type\":\"state\",\"agent\":\"%s\",\"state\":\"%s\"",
                              a->id, sm_agent_state_to_string (a->state));
      append_time (line, "start", a->state_since);
      g_string_append_c (line, '}');
      emit (line, func, user_data);
      stats.n_states++;
    }

  for (guint i = 0; i < contacts->len; i++)
    emit_contact (&sim, i, &g_array_index (contacts, Contact, i), until);

  /* Complaints on their way to a deadline, for the supervisor's board */
  for (guint i = 0; i < MAX (3u, n / 8); i++)
    {
      static const char * const levels[] = { "general", "general", "serious", "regulatory" };
      static const char * const statuses[] = { "received", "dispatched", "in_progress" };
      gint64 created = day - g_rand_int_range (rand, 1, 14 * 24) * HOUR_MS;
      gint64 due = day + g_rand_int_range (rand, 6 * 60, 72 * 60) * MIN_MS;

      g_string_append_printf (line,
                              "{\"type\":\"work_order\",\"id\":\"WO-G%04u\",\"customer\":\"cust-g%05u\","
                              "\"agent\":\"%s\",\"channel\":\"%s\",\"category\":\"Complaint\","
                              "\"priority\":\"high\",\"complaint_level\":\"%s\",\"status\":\"%s\"",
                              i + 1, g_rand_int_range (rand, 1, n_customers),
                              agents[g_rand_int_range (rand, 0, n)].id,
                              g_rand_int_range (rand, 0, 4) == 0 ? "hotline_12345" : "inbound_call",
                              levels[g_rand_int_range (rand, 0, G_N_ELEMENTS (levels))],
                              statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))]);
      append_time (line, "created", created);
      append_time (line, "resolution_due", due);
      g_string_append_c (line, '}');
      emit (line, func, user_data);
      stats.n_work_orders++;
    }

  for (guint i = 0; i < n; i++)
    g_free (agents[i].id);
  g_free (agents);

  if (stats_out != NULL)
    *stats_out = stats;
}
