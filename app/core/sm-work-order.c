/* sm-work-order.c: the work order form's state as a plain value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Like GNOME Calendar's GcalEventSchedule, the form is a plain struct with
 * pure functions around it: validation, the lifecycle ("four firsts":
 * receive, dispatch, handle, feed back), the clocks and the pre-fill rules
 * can all be tested without a display. The widget only reads and writes it.
 */

#define G_LOG_DOMAIN "sm-work-order"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-call.h"
#include "sm-mask.h"
#include "sm-store.h"
#include "sm-work-order.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define SUMMARY_MAX_CHARS 1000
#define DESCRIPTION_MAX_CHARS 20000

G_DEFINE_QUARK (sm-work-order-error-quark, sm_work_order_error)
G_DEFINE_BOXED_TYPE (SmWorkOrder, sm_work_order, sm_work_order_copy, sm_work_order_free)

/* Enumerations and their JSON values */

static const struct { const char *id; const char *label; } channels[] = {
  [SM_WO_CHANNEL_INBOUND_CALL]  = { "inbound_call",  N_("Inbound call") },
  [SM_WO_CHANNEL_OUTBOUND_CALL] = { "outbound_call", N_("Outbound call") },
  [SM_WO_CHANNEL_HOTLINE_12345] = { "hotline_12345", N_("12345 hotline transfer") },
  [SM_WO_CHANNEL_ONLINE]        = { "online",        N_("Online") },
  [SM_WO_CHANNEL_SOCIAL_MEDIA]  = { "social_media",  N_("Social media") },
  [SM_WO_CHANNEL_LETTER]        = { "letter",        N_("Letter") },
};

static const struct { const char *id; const char *label; } priorities[] = {
  [SM_WO_PRIORITY_LOW]    = { "low",    N_("Low") },
  [SM_WO_PRIORITY_NORMAL] = { "normal", N_("Normal") },
  [SM_WO_PRIORITY_HIGH]   = { "high",   N_("High") },
  [SM_WO_PRIORITY_URGENT] = { "urgent", N_("Urgent") },
};

static const struct { const char *id; const char *label; } levels[] = {
  [SM_WO_LEVEL_NONE]       = { "none",       N_("Not a complaint") },
  [SM_WO_LEVEL_GENERAL]    = { "general",    N_("General complaint") },
  [SM_WO_LEVEL_SERIOUS]    = { "serious",    N_("Serious complaint") },
  [SM_WO_LEVEL_REGULATORY] = { "regulatory", N_("Regulatory complaint") },
};

static const struct { const char *id; const char *label; } statuses[] = {
  [SM_WO_STATUS_RECEIVED]    = { "received",    N_("Received") },
  [SM_WO_STATUS_DISPATCHED]  = { "dispatched",  N_("Dispatched") },
  [SM_WO_STATUS_IN_PROGRESS] = { "in_progress", N_("In progress") },
  [SM_WO_STATUS_RESOLVED]    = { "resolved",    N_("Resolved") },
  [SM_WO_STATUS_INFORMED]    = { "informed",    N_("Customer informed") },
  [SM_WO_STATUS_CLOSED]      = { "closed",      N_("Closed") },
};

#define DEFINE_ENUM_STRINGS(prefix, Type, table, n)                    \
  const char *                                                         \
  prefix##_to_string (Type value)                                      \
  {                                                                    \
    g_return_val_if_fail ((guint)value < n, NULL);                     \
    return table[value].id;                                            \
  }                                                                    \
  const char *                                                         \
  prefix##_get_label (Type value)                                      \
  {                                                                    \
    g_return_val_if_fail ((guint)value < n, NULL);                     \
    return _(table[value].label);                                      \
  }                                                                    \
  gboolean                                                             \
  prefix##_from_string (const char *str,                               \
                        Type       *value)                             \
  {                                                                    \
    for (guint i = 0; i < n; i++)                                      \
      if (g_strcmp0 (str, table[i].id) == 0)                           \
        {                                                              \
          *value = i;                                                  \
          return TRUE;                                                 \
        }                                                              \
    return FALSE;                                                      \
  }

DEFINE_ENUM_STRINGS (sm_wo_channel, SmWoChannel, channels, SM_WO_N_CHANNELS)
DEFINE_ENUM_STRINGS (sm_wo_priority, SmWoPriority, priorities, SM_WO_N_PRIORITIES)
DEFINE_ENUM_STRINGS (sm_wo_level, SmWoComplaintLevel, levels, SM_WO_N_LEVELS)
DEFINE_ENUM_STRINGS (sm_wo_status, SmWoStatus, statuses, SM_WO_N_STATUSES)

/* The value */

SmWorkOrder *
sm_work_order_new (void)
{
  SmWorkOrder *self = g_new0 (SmWorkOrder, 1);

  self->channel = SM_WO_CHANNEL_INBOUND_CALL;
  self->priority = SM_WO_PRIORITY_NORMAL;
  self->complaint_level = SM_WO_LEVEL_NONE;
  self->status = SM_WO_STATUS_RECEIVED;
  self->summary = g_strdup ("");
  self->description = g_strdup ("");
  self->dispositions = g_new0 (char *, 1);
  self->article_ids = g_new0 (char *, 1);
  self->article_titles = g_new0 (char *, 1);

  return self;
}

SmWorkOrder *
sm_work_order_copy (const SmWorkOrder *self)
{
  SmWorkOrder *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->id = g_strdup (self->id);
  copy->call_id = g_strdup (self->call_id);
  copy->customer_id = g_strdup (self->customer_id);
  copy->agent = g_strdup (self->agent);
  copy->category = g_strdup (self->category);
  copy->subcategory = g_strdup (self->subcategory);
  copy->summary = g_strdup (self->summary);
  copy->description = g_strdup (self->description);
  copy->dispositions = g_strdupv (self->dispositions);
  copy->department = g_strdup (self->department);
  copy->article_ids = g_strdupv (self->article_ids);
  copy->article_titles = g_strdupv (self->article_titles);

  return copy;
}

void
sm_work_order_free (SmWorkOrder *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->call_id);
  g_free (self->customer_id);
  g_free (self->agent);
  g_free (self->category);
  g_free (self->subcategory);
  g_free (self->summary);
  g_free (self->description);
  g_strfreev (self->dispositions);
  g_free (self->department);
  g_strfreev (self->article_ids);
  g_strfreev (self->article_titles);
  g_free (self);
}

static char **
string_field (SmWorkOrder *self,
              SmWoField    field)
{
  switch (field)
    {
    case SM_WO_FIELD_CUSTOMER:    return &self->customer_id;
    case SM_WO_FIELD_CATEGORY:    return &self->category;
    case SM_WO_FIELD_SUBCATEGORY: return &self->subcategory;
    case SM_WO_FIELD_SUMMARY:     return &self->summary;
    case SM_WO_FIELD_DESCRIPTION: return &self->description;
    case SM_WO_FIELD_DEPARTMENT:  return &self->department;
    default:                      return NULL;
    }
}

/**
 * sm_work_order_set_string:
 * @field: one of the text fields
 * @value: (nullable): the new text
 * @by_agent: whether the agent typed it (pre-fill then leaves the field alone)
 */
void
sm_work_order_set_string (SmWorkOrder *self,
                          SmWoField    field,
                          const char  *value,
                          gboolean     by_agent)
{
  char **slot;

  g_return_if_fail (self != NULL);

  slot = string_field (self, field);
  g_return_if_fail (slot != NULL);

  if (field == SM_WO_FIELD_SUMMARY || field == SM_WO_FIELD_DESCRIPTION)
    value = value != NULL ? value : "";

  if (g_strcmp0 (*slot, value) != 0)
    {
      g_free (*slot);
      *slot = g_strdup (value);
    }

  if (by_agent)
    self->touched |= field;
}

/**
 * sm_work_order_is_open:
 *
 * Returns: %TRUE while the clocks run: received, dispatched or in progress
 */
gboolean
sm_work_order_is_open (const SmWorkOrder *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->status == SM_WO_STATUS_RECEIVED ||
         self->status == SM_WO_STATUS_DISPATCHED ||
         self->status == SM_WO_STATUS_IN_PROGRESS;
}

/* Validation */

static gboolean
is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (const char *p = str; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static void
add_problem (GPtrArray  *problems,
             SmWoField   field,
             const char *message)
{
  SmWoProblem *problem = g_new0 (SmWoProblem, 1);

  problem->field = field;
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

void
sm_wo_problem_free (SmWoProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->message);
  g_free (problem);
}

/* Fields that some categories require beyond the common ones */
static SmWoField
required_by_category (const char *category)
{
  static const struct { const char *category; SmWoField required; } rules[] = {
    { "Complaint", SM_WO_FIELD_COMPLAINT_LEVEL | SM_WO_FIELD_DESCRIPTION | SM_WO_FIELD_DEPARTMENT },
    { "Fraud and disputes", SM_WO_FIELD_DESCRIPTION | SM_WO_FIELD_DEPARTMENT },
    { "Lost or stolen", SM_WO_FIELD_CUSTOMER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    if (g_strcmp0 (category, rules[i].category) == 0)
      return rules[i].required;

  return SM_WO_FIELD_NONE;
}

/**
 * sm_work_order_validate:
 * @now_ms: the time the call-back must come after
 *
 * Checks the form. Pure: the same value and time give the same answer.
 *
 * Returns: (transfer full) (element-type SmWoProblem): one problem per
 *   broken rule, in the order of the form; empty when it can be saved
 */
GPtrArray *
sm_work_order_validate (const SmWorkOrder *self,
                        gint64             now_ms)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_wo_problem_free);
  SmWoField required;

  g_return_val_if_fail (self != NULL, problems);

  required = required_by_category (self->category);
  if (self->channel == SM_WO_CHANNEL_INBOUND_CALL || self->channel == SM_WO_CHANNEL_OUTBOUND_CALL)
    required |= SM_WO_FIELD_CUSTOMER;
  if (self->complaint_level != SM_WO_LEVEL_NONE)
    required |= SM_WO_FIELD_DEPARTMENT | SM_WO_FIELD_DESCRIPTION;
  if (self->status == SM_WO_STATUS_DISPATCHED)
    required |= SM_WO_FIELD_DEPARTMENT;

  if ((required & SM_WO_FIELD_CUSTOMER) && is_blank (self->customer_id))
    add_problem (problems, SM_WO_FIELD_CUSTOMER, _("Enter the customer of the call"));

  if (is_blank (self->category))
    add_problem (problems, SM_WO_FIELD_CATEGORY, _("Choose a category"));
  else if (is_blank (self->subcategory))
    add_problem (problems, SM_WO_FIELD_SUBCATEGORY, _("Choose a sub-category"));

  if ((required & SM_WO_FIELD_COMPLAINT_LEVEL) && self->complaint_level == SM_WO_LEVEL_NONE)
    add_problem (problems, SM_WO_FIELD_COMPLAINT_LEVEL,
                 _("A complaint needs a complaint level"));

  if (is_blank (self->summary))
    add_problem (problems, SM_WO_FIELD_SUMMARY, _("Write a summary"));
  else if (strstr (self->summary, "___") != NULL)
    add_problem (problems, SM_WO_FIELD_SUMMARY, _("Fill in the blank (___) in the summary"));
  else if (g_utf8_strlen (self->summary, -1) > SUMMARY_MAX_CHARS)
    add_problem (problems, SM_WO_FIELD_SUMMARY, _("The summary is too long"));

  if ((required & SM_WO_FIELD_DESCRIPTION) && is_blank (self->description))
    add_problem (problems, SM_WO_FIELD_DESCRIPTION,
                 self->complaint_level != SM_WO_LEVEL_NONE
                   ? _("Describe the complaint in the notes")
                   : _("Describe what happened in the notes"));
  else if (self->description != NULL &&
           g_utf8_strlen (self->description, -1) > DESCRIPTION_MAX_CHARS)
    add_problem (problems, SM_WO_FIELD_DESCRIPTION, _("The notes are too long"));

  if (self->dispositions == NULL || self->dispositions[0] == NULL)
    add_problem (problems, SM_WO_FIELD_DISPOSITIONS, _("Add at least one disposition code"));

  if ((required & SM_WO_FIELD_DEPARTMENT) && is_blank (self->department))
    add_problem (problems, SM_WO_FIELD_DEPARTMENT,
                 self->complaint_level != SM_WO_LEVEL_NONE
                   ? _("A complaint needs a department to dispatch to")
                   : _("Choose the department to dispatch to"));

  if (self->callback_ms != 0 && self->callback_ms <= now_ms)
    add_problem (problems, SM_WO_FIELD_CALLBACK, _("The call-back time must be in the future"));

  return problems;
}

/**
 * sm_wo_problems_find:
 * @problems: (element-type SmWoProblem): from sm_work_order_validate()
 *
 * Returns: (nullable): the first message about @field
 */
const char *
sm_wo_problems_find (GPtrArray *problems,
                     SmWoField  field)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      SmWoProblem *problem = g_ptr_array_index (problems, i);

      if (problem->field & field)
        return problem->message;
    }

  return NULL;
}

/**
 * sm_work_order_mask:
 *
 * Masks card and resident ID numbers in the summary and the notes.
 */
void
sm_work_order_mask (SmWorkOrder *self)
{
  char *masked;

  g_return_if_fail (self != NULL);

  masked = sm_mask_text (self->summary, NULL);
  g_free (self->summary);
  self->summary = masked;

  masked = sm_mask_text (self->description, NULL);
  g_free (self->description);
  self->description = masked;
}

/* Lifecycle */

/**
 * sm_wo_status_can_change:
 *
 * received → dispatched | in progress | resolved (on first contact);
 * dispatched → in progress; in progress → dispatched (to another
 * department) | resolved; resolved → customer informed; informed → closed;
 * resolved | informed | closed → in progress (reopened).
 */
gboolean
sm_wo_status_can_change (SmWoStatus from,
                         SmWoStatus to)
{
  switch (from)
    {
    case SM_WO_STATUS_RECEIVED:
      return to == SM_WO_STATUS_DISPATCHED || to == SM_WO_STATUS_IN_PROGRESS ||
             to == SM_WO_STATUS_RESOLVED;
    case SM_WO_STATUS_DISPATCHED:
      return to == SM_WO_STATUS_IN_PROGRESS;
    case SM_WO_STATUS_IN_PROGRESS:
      return to == SM_WO_STATUS_DISPATCHED || to == SM_WO_STATUS_RESOLVED;
    case SM_WO_STATUS_RESOLVED:
      return to == SM_WO_STATUS_INFORMED || to == SM_WO_STATUS_IN_PROGRESS;
    case SM_WO_STATUS_INFORMED:
      return to == SM_WO_STATUS_CLOSED || to == SM_WO_STATUS_IN_PROGRESS;
    case SM_WO_STATUS_CLOSED:
      return to == SM_WO_STATUS_IN_PROGRESS;
    case SM_WO_N_STATUSES:
    default:
      return FALSE;
    }
}

SmWoEvent *
sm_wo_event_new (const char *event,
                 const char *agent,
                 gint64      at_ms,
                 SmWoStatus  from,
                 SmWoStatus  to,
                 const char *note)
{
  SmWoEvent *self = g_new0 (SmWoEvent, 1);

  self->event = g_strdup (event);
  self->agent = g_strdup (agent);
  self->at_ms = at_ms;
  self->from = from;
  self->to = to;
  self->note = g_strdup (note);

  return self;
}

void
sm_wo_event_free (SmWoEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->event);
  g_free (event->agent);
  g_free (event->note);
  g_free (event);
}

/**
 * sm_work_order_transition:
 * @to: the new status
 * @agent: who made the change
 * @at_ms: when
 * @event: (out) (optional) (transfer full): the history entry to store
 *
 * Moves the work order along its lifecycle, stamping the change. Illegal
 * changes, and a dispatch without a department, are refused.
 */
gboolean
sm_work_order_transition (SmWorkOrder  *self,
                          SmWoStatus    to,
                          const char   *agent,
                          gint64        at_ms,
                          SmWoEvent   **event,
                          GError      **error)
{
  SmWoStatus from;
  gboolean reopen;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (agent != NULL, FALSE);

  from = self->status;
  if (to >= SM_WO_N_STATUSES || !sm_wo_status_can_change (from, to))
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_ILLEGAL_TRANSITION,
                   _("A work order cannot go from “%s” to “%s”"),
                   sm_wo_status_get_label (from),
                   to < SM_WO_N_STATUSES ? sm_wo_status_get_label (to) : "?");
      return FALSE;
    }

  if (to == SM_WO_STATUS_DISPATCHED && is_blank (self->department))
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("Choose the department to dispatch to"));
      return FALSE;
    }

  reopen = to == SM_WO_STATUS_IN_PROGRESS &&
           (from == SM_WO_STATUS_RESOLVED || from == SM_WO_STATUS_INFORMED ||
            from == SM_WO_STATUS_CLOSED);

  if (self->first_response_ms == 0)
    self->first_response_ms = at_ms;
  if (to == SM_WO_STATUS_RESOLVED)
    self->resolved_ms = at_ms;
  if (reopen)
    {
      self->resolved_ms = 0;
      self->reopen_count++;
    }

  self->status = to;
  self->updated_ms = at_ms;

  if (event != NULL)
    *event = sm_wo_event_new (reopen ? "reopened" : sm_wo_status_to_string (to),
                              agent, at_ms, from, to, NULL);

  return TRUE;
}

/* Clocks */

/**
 * sm_wo_policy_init:
 *
 * The default service levels: a regulatory complaint is resolved within
 * 15 calendar days (the settings key wo-regulatory-days), a serious one
 * within 72 hours, a general one within 120 hours; the last 20 % of a
 * window is "near due".
 */
void
sm_wo_policy_init (SmWoPolicy *policy)
{
  policy->regulatory_days = 15;
  policy->serious_hours = 72;
  policy->general_hours = 120;
  policy->near_due_percent = 20;
}

static guint
first_response_hours (const SmWorkOrder *self)
{
  static const guint by_priority[] = { 48, 24, 4, 1 };
  guint hours = by_priority[MIN (self->priority, SM_WO_PRIORITY_URGENT)];

  if (self->complaint_level == SM_WO_LEVEL_SERIOUS)
    hours = MIN (hours, 4);
  else if (self->complaint_level != SM_WO_LEVEL_NONE)
    hours = MIN (hours, 24);

  return hours;
}

/**
 * sm_work_order_compute_due:
 * @category_hours: the category's resolution time, 0 for the default (120 h)
 *
 * Sets the first-response and resolution due times from the creation time,
 * the priority and the complaint level.
 */
void
sm_work_order_compute_due (SmWorkOrder      *self,
                           const SmWoPolicy *policy,
                           guint             category_hours)
{
  gint64 resolution_ms;

  g_return_if_fail (self != NULL);
  g_return_if_fail (policy != NULL);

  switch (self->complaint_level)
    {
    case SM_WO_LEVEL_REGULATORY:
      resolution_ms = (gint64)policy->regulatory_days * 24 * HOUR_MS;
      break;
    case SM_WO_LEVEL_SERIOUS:
      resolution_ms = (gint64)policy->serious_hours * HOUR_MS;
      break;
    case SM_WO_LEVEL_GENERAL:
      resolution_ms = (gint64)policy->general_hours * HOUR_MS;
      break;
    case SM_WO_LEVEL_NONE:
    case SM_WO_N_LEVELS:
    default:
      resolution_ms = (gint64)(category_hours > 0 ? category_hours : 120) * HOUR_MS;
      if (self->priority == SM_WO_PRIORITY_URGENT)
        resolution_ms = MIN (resolution_ms, 24 * HOUR_MS);
      break;
    }

  self->first_response_due_ms = self->created_ms + first_response_hours (self) * HOUR_MS;
  self->resolution_due_ms = self->created_ms + MAX (resolution_ms, first_response_hours (self) * HOUR_MS);
}

/**
 * sm_work_order_get_next_due:
 * @window_ms: (out) (optional): the length of the window that ends then
 *
 * Returns: the next due time of a running clock (first response while
 *   received, then resolution), or 0 when the clocks are stopped
 */
gint64
sm_work_order_get_next_due (const SmWorkOrder *self,
                            gint64            *window_ms)
{
  gint64 due;

  g_return_val_if_fail (self != NULL, 0);

  if (window_ms != NULL)
    *window_ms = 0;

  if (!sm_work_order_is_open (self))
    return 0;

  if (self->status == SM_WO_STATUS_RECEIVED && self->first_response_due_ms != 0)
    due = self->first_response_due_ms;
  else
    due = self->resolution_due_ms;

  if (self->resolution_due_ms != 0 && self->resolution_due_ms < due)
    due = self->resolution_due_ms;

  if (due != 0 && window_ms != NULL)
    *window_ms = MAX (0, due - self->created_ms);

  return due;
}

/**
 * sm_work_order_get_near_due:
 *
 * Returns: when the running clock becomes near due, or 0 if it is stopped
 */
gint64
sm_work_order_get_near_due (const SmWorkOrder *self,
                            const SmWoPolicy  *policy)
{
  gint64 window = 0;
  gint64 due = sm_work_order_get_next_due (self, &window);

  if (due == 0)
    return 0;

  return due - window * policy->near_due_percent / 100;
}

SmWoClock
sm_work_order_get_clock (const SmWorkOrder *self,
                         const SmWoPolicy  *policy,
                         gint64             now_ms)
{
  gint64 due = sm_work_order_get_next_due (self, NULL);

  if (due == 0)
    return SM_WO_CLOCK_STOPPED;
  if (now_ms >= due)
    return SM_WO_CLOCK_OVERDUE;
  if (now_ms >= sm_work_order_get_near_due (self, policy))
    return SM_WO_CLOCK_NEAR_DUE;

  return SM_WO_CLOCK_RUNNING;
}

/* Pre-fill */

static gboolean
contains_any (const char         *folded,
              const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

/**
 * sm_wo_detect_complaint:
 * @text: (nullable): the notes, in English or Chinese
 *
 * Returns: the complaint level the keywords in @text point to
 */
SmWoComplaintLevel
sm_wo_detect_complaint (const char *text)
{
  static const char * const regulatory[] = {
    "regulator", "ombudsman", "cbirc", "nfra", "pboc", "12345",
    "银保监", "金融监管", "监管部门", "监管局", "人民银行", "人行", "信访", NULL
  };
  static const char * const serious[] = {
    "lawyer", "solicitor", "legal action", "sue you", "sue the bank", "court",
    "journalist", "newspaper", "the media", "the press", "police",
    "律师", "起诉", "法院", "媒体", "记者", "曝光", "报警", NULL
  };
  static const char * const general[] = {
    "complain", "unacceptable", "dissatisfied", "not happy", "unhappy", "disappointed",
    "terrible service", "poor service",
    "投诉", "不满", "太差", "差评", "很失望", NULL
  };
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return SM_WO_LEVEL_NONE;

  folded = g_utf8_casefold (text, -1);

  if (contains_any (folded, regulatory))
    return SM_WO_LEVEL_REGULATORY;
  if (contains_any (folded, serious))
    return SM_WO_LEVEL_SERIOUS;
  if (contains_any (folded, general))
    return SM_WO_LEVEL_GENERAL;

  return SM_WO_LEVEL_NONE;
}

static void
set_strv_one (GStrv      *strv,
              const char *first,
              const char *second)
{
  g_strfreev (*strv);
  *strv = g_new0 (char *, 3);
  if (first != NULL)
    {
      (*strv)[0] = g_strdup (first);
      if (second != NULL && g_strcmp0 (first, second) != 0)
        (*strv)[1] = g_strdup (second);
    }
  else if (second != NULL)
    {
      (*strv)[0] = g_strdup (second);
    }
}

/**
 * sm_work_order_prefill:
 *
 * Fills every field the agent has not touched from what is known about
 * the call: the call fills customer and channel; the category of the top
 * intent fills category, sub-category, department, disposition and the
 * summary skeleton; risk flags, a repeat contact on the same reason within
 * 7 days and complaint keywords in the notes fill priority and complaint
 * level. Pure: running it twice gives the same value.
 */
void
sm_work_order_prefill (SmWorkOrder       *self,
                       const SmWoPrefill *in)
{
  const SmWoCategory *category;
  SmWoComplaintLevel level;
  SmWoPriority priority;
  SmWoChannel channel;

  g_return_if_fail (self != NULL);
  g_return_if_fail (in != NULL);

  category = in->category;

  if (in->call_id != NULL && self->call_id == NULL)
    self->call_id = g_strdup (in->call_id);

  if (!(self->touched & SM_WO_FIELD_CUSTOMER) && in->customer_id != NULL)
    sm_work_order_set_string (self, SM_WO_FIELD_CUSTOMER, in->customer_id, FALSE);

  /* Channel: a call from the 12345 government hotline is a transfer */
  if (in->number != NULL && g_str_has_suffix (in->number, "12345") && strlen (in->number) <= 8)
    channel = SM_WO_CHANNEL_HOTLINE_12345;
  else
    channel = in->outbound ? SM_WO_CHANNEL_OUTBOUND_CALL : SM_WO_CHANNEL_INBOUND_CALL;
  if (!(self->touched & SM_WO_FIELD_CHANNEL) && (in->call_id != NULL || in->number != NULL))
    self->channel = channel;

  if (!(self->touched & (SM_WO_FIELD_CATEGORY | SM_WO_FIELD_SUBCATEGORY)) && category != NULL)
    {
      sm_work_order_set_string (self, SM_WO_FIELD_CATEGORY, category->category, FALSE);
      sm_work_order_set_string (self, SM_WO_FIELD_SUBCATEGORY, category->subcategory, FALSE);
    }

  /* Complaint level: keywords in the notes, the channel, the intent */
  level = sm_wo_detect_complaint (in->notes);
  if (self->channel == SM_WO_CHANNEL_HOTLINE_12345)
    level = SM_WO_LEVEL_REGULATORY;
  if (category != NULL && g_strcmp0 (category->intent, "complaint") == 0)
    level = MAX (level, SM_WO_LEVEL_GENERAL);
  if (level == SM_WO_LEVEL_GENERAL && in->repeat_contact)
    level = SM_WO_LEVEL_SERIOUS;
  if (!(self->touched & SM_WO_FIELD_COMPLAINT_LEVEL))
    self->complaint_level = level;

  /* Priority: the category's, raised by risk and repeat contacts */
  priority = category != NULL ? category->priority : SM_WO_PRIORITY_NORMAL;
  if (in->risk_flags != NULL && in->risk_flags[0] != NULL)
    priority = MAX (priority, SM_WO_PRIORITY_HIGH);
  if (in->repeat_contact)
    priority = MAX (priority, SM_WO_PRIORITY_HIGH);
  if (self->complaint_level >= SM_WO_LEVEL_SERIOUS)
    priority = MAX (priority, SM_WO_PRIORITY_HIGH);
  if (!(self->touched & SM_WO_FIELD_PRIORITY))
    self->priority = priority;

  if (!(self->touched & SM_WO_FIELD_DEPARTMENT))
    {
      if (self->complaint_level != SM_WO_LEVEL_NONE)
        sm_work_order_set_string (self, SM_WO_FIELD_DEPARTMENT, "Complaints team", FALSE);
      else if (category != NULL)
        sm_work_order_set_string (self, SM_WO_FIELD_DEPARTMENT, category->department, FALSE);
    }

  if (!(self->touched & SM_WO_FIELD_DISPOSITIONS) && category != NULL)
    set_strv_one (&self->dispositions, category->disposition,
                  self->complaint_level != SM_WO_LEVEL_NONE ? "complaint_registered" : NULL);

  if (!(self->touched & SM_WO_FIELD_SUMMARY) && category != NULL)
    {
      const char *template = in->chinese && category->template_zh != NULL && *category->template_zh
                               ? category->template_zh
                               : category->template_en;
      g_autofree char *summary = NULL;

      if (in->after_call != NULL && *in->after_call != '\0')
        summary = g_strdup_printf ("%s\n%s", template != NULL ? template : "", in->after_call);
      else
        summary = g_strdup (template != NULL ? template : "");
      sm_work_order_set_string (self, SM_WO_FIELD_SUMMARY, summary, FALSE);
    }
}

static char *
format_duration (gint64 ms)
{
  gint64 s = MAX (0, ms) / 1000;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));

  return g_strdup_printf ("%d:%02d", (int)(s / 60), (int)(s % 60));
}

/**
 * sm_wo_after_call_summary:
 * @call: the call that ended
 * @notes: (nullable): the agent's notes
 * @now_ms: the time to measure a call that has not ended yet
 *
 * Assembles the after-call summary deterministically from the call:
 * duration (and hold), intents seen, articles used, DTMF and the first line
 * of the notes. DTMF longer than 4 keys (an account or card number) shows
 * only its length; card and ID numbers are masked.
 *
 * Returns: (transfer full): one line of text
 */
char *
sm_wo_after_call_summary (SmCall     *call,
                          const char *notes,
                          gint64      now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  const char * const *intents;
  const char * const *articles;
  const char *dtmf;
  gint64 answered, ended;

  g_return_val_if_fail (SM_IS_CALL (call), NULL);

  answered = sm_call_get_answered_ms (call);
  ended = sm_call_get_ended_ms (call);
  if (answered > 0)
    {
      g_autofree char *talk = format_duration ((ended > 0 ? ended : now_ms) - answered);
      gint64 hold = sm_call_get_hold_ms (call);

      if (hold > 0)
        {
          g_autofree char *held = format_duration (hold);
          /* Translators: the talk time of a call, then its time on hold */
          g_ptr_array_add (parts, g_strdup_printf (_("Call %s (hold %s)"), talk, held));
        }
      else
        {
          /* Translators: the talk time of a call, such as "3:05" */
          g_ptr_array_add (parts, g_strdup_printf (_("Call %s"), talk));
        }
    }

  intents = sm_call_get_intents_seen (call);
  if (intents != NULL && intents[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **)intents);
      g_ptr_array_add (parts, g_strdup_printf (_("intents: %s"), list));
    }

  articles = sm_call_get_articles (call);
  if (articles != NULL && articles[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", (char **)articles);
      g_ptr_array_add (parts, g_strdup_printf (_("articles: %s"), list));
    }

  dtmf = sm_call_get_dtmf (call);
  if (dtmf != NULL && *dtmf != '\0')
    {
      if (strlen (dtmf) <= 4)
        g_ptr_array_add (parts, g_strdup_printf (_("DTMF: %s"), dtmf));
      else
        g_ptr_array_add (parts, g_strdup_printf (_("DTMF: %u keys"), (guint)strlen (dtmf)));
    }

  if (notes != NULL && !is_blank (notes))
    {
      g_autofree char *masked = sm_mask_text (notes, NULL);
      g_autofree char *line = NULL;
      const char *start = masked;
      const char *nl;

      while (*start == '\n' || *start == ' ')
        start++;
      nl = strchr (start, '\n');
      line = nl != NULL ? g_strndup (start, nl - start) : g_strdup (start);
      if (g_utf8_strlen (line, -1) > 80)
        {
          char *cut = g_utf8_substring (line, 0, 79);
          g_free (line);
          line = g_strconcat (cut, "…", NULL);
          g_free (cut);
        }
      g_ptr_array_add (parts, g_strdup_printf (_("notes: %s"), line));
    }

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv ("; ", (char **)parts->pdata);

  return g_steal_pointer (&joined);
}

/* JSON */

static void
add_time (JsonObject *obj,
          const char *name,
          gint64      ms)
{
  g_autofree char *text = NULL;

  if (ms == 0)
    return;

  text = sm_time_format_ms (ms);
  json_object_set_string_member (obj, name, text);
}

static JsonArray *
strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);

  return array;
}

/**
 * sm_work_order_to_json:
 *
 * The JSON Lines form of `seatmate-admin wo export` (and of drafts):
 * id, call, customer, agent, channel, category, subcategory, priority,
 * complaint_level, summary, description, dispositions, department,
 * callback, articles, status, created, updated, first_response_due,
 * resolution_due, first_response, resolved, reopen_count.
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
sm_work_order_to_json (const SmWorkOrder *self)
{
  JsonObject *obj = json_object_new ();
  JsonArray *articles;

  g_return_val_if_fail (self != NULL, obj);

#define SET_STR(name, value) \
  if ((value) != NULL) json_object_set_string_member (obj, name, value)
  /* The members every line has, null when empty */
#define SET_STR_OR_NULL(name, value) \
  if ((value) != NULL) json_object_set_string_member (obj, name, value); \
  else json_object_set_null_member (obj, name)

  SET_STR ("id", self->id);
  SET_STR ("call", self->call_id);
  SET_STR_OR_NULL ("customer", self->customer_id);
  SET_STR ("agent", self->agent);
  json_object_set_string_member (obj, "channel", sm_wo_channel_to_string (self->channel));
  SET_STR_OR_NULL ("category", self->category);
  SET_STR_OR_NULL ("subcategory", self->subcategory);
  json_object_set_string_member (obj, "priority", sm_wo_priority_to_string (self->priority));
  json_object_set_string_member (obj, "complaint_level", sm_wo_level_to_string (self->complaint_level));
  json_object_set_string_member (obj, "summary", self->summary != NULL ? self->summary : "");
  json_object_set_string_member (obj, "description", self->description != NULL ? self->description : "");
  json_object_set_array_member (obj, "dispositions",
                                strv_to_array ((const char * const *)self->dispositions));
  SET_STR_OR_NULL ("department", self->department);
  add_time (obj, "callback", self->callback_ms);

  articles = json_array_new ();
  for (guint i = 0; self->article_ids != NULL && self->article_ids[i] != NULL; i++)
    {
      JsonObject *article = json_object_new ();

      json_object_set_string_member (article, "id", self->article_ids[i]);
      if (self->article_titles != NULL && i < g_strv_length (self->article_titles))
        json_object_set_string_member (article, "title", self->article_titles[i]);
      json_array_add_object_element (articles, article);
    }
  json_object_set_array_member (obj, "articles", articles);

  json_object_set_string_member (obj, "status", sm_wo_status_to_string (self->status));
  add_time (obj, "created", self->created_ms);
  add_time (obj, "updated", self->updated_ms);
  add_time (obj, "first_response_due", self->first_response_due_ms);
  add_time (obj, "resolution_due", self->resolution_due_ms);
  add_time (obj, "first_response", self->first_response_ms);
  add_time (obj, "resolved", self->resolved_ms);
  if (self->reopen_count > 0)
    json_object_set_int_member (obj, "reopen_count", self->reopen_count);

#undef SET_STR
#undef SET_STR_OR_NULL

  return obj;
}

static gboolean
read_string (JsonObject  *obj,
             const char  *field,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("the field “%s” must be a string"), field);
      return FALSE;
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_time (JsonObject  *obj,
           const char  *field,
           gint64      *ms,
           GError     **error)
{
  g_autofree char *text = NULL;

  if (!read_string (obj, field, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (!sm_time_parse_ms (text, ms))
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("the field “%s” is not an RFC 3339 time: “%s”"), field, text);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_strv (JsonObject  *obj,
           const char  *field,
           GStrv       *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("the field “%s” must be an array of strings"), field);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                       _("the field “%s” must be an array of strings"), field);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

#define READ_ENUM(field, parse, target)                                        \
  G_STMT_START {                                                               \
    g_autofree char *text_ = NULL;                                             \
    if (!read_string (obj, field, &text_, error))                              \
      return NULL;                                                             \
    if (text_ != NULL && !parse (text_, &target))                              \
      {                                                                        \
        g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,  \
                     _("the field “%s” has an unknown value “%s”"),            \
                     field, text_);                                            \
        return NULL;                                                           \
      }                                                                        \
  } G_STMT_END

/**
 * sm_work_order_from_json:
 *
 * Reads the form of sm_work_order_to_json(). Types and enumeration values
 * are checked; missing members keep their defaults (the caller decides
 * what is required).
 *
 * Returns: (transfer full) (nullable): the work order
 */
SmWorkOrder *
sm_work_order_from_json (JsonObject  *obj,
                         GError     **error)
{
  g_autoptr(SmWorkOrder) self = sm_work_order_new ();
  JsonNode *node;

  g_return_val_if_fail (obj != NULL, NULL);

  if (!read_string (obj, "id", &self->id, error) ||
      !read_string (obj, "call", &self->call_id, error) ||
      !read_string (obj, "customer", &self->customer_id, error) ||
      !read_string (obj, "agent", &self->agent, error) ||
      !read_string (obj, "category", &self->category, error) ||
      !read_string (obj, "subcategory", &self->subcategory, error) ||
      !read_string (obj, "summary", &self->summary, error) ||
      !read_string (obj, "description", &self->description, error) ||
      !read_string (obj, "department", &self->department, error) ||
      !read_strv (obj, "dispositions", &self->dispositions, error) ||
      !read_time (obj, "callback", &self->callback_ms, error) ||
      !read_time (obj, "created", &self->created_ms, error) ||
      !read_time (obj, "updated", &self->updated_ms, error) ||
      !read_time (obj, "first_response_due", &self->first_response_due_ms, error) ||
      !read_time (obj, "resolution_due", &self->resolution_due_ms, error) ||
      !read_time (obj, "first_response", &self->first_response_ms, error) ||
      !read_time (obj, "resolved", &self->resolved_ms, error))
    return NULL;

  READ_ENUM ("channel", sm_wo_channel_from_string, self->channel);
  READ_ENUM ("priority", sm_wo_priority_from_string, self->priority);
  READ_ENUM ("complaint_level", sm_wo_level_from_string, self->complaint_level);
  READ_ENUM ("status", sm_wo_status_from_string, self->status);

  node = json_object_get_member (obj, "articles");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              JsonObject *article = json_node_get_object (element);
              const char *id = json_object_get_string_member_with_default (article, "id", NULL);

              if (id == NULL)
                continue;
              g_strv_builder_add (ids, id);
              g_strv_builder_add (titles,
                                  json_object_get_string_member_with_default (article, "title", id));
            }
          else if (JSON_NODE_HOLDS_VALUE (element) &&
                   json_node_get_value_type (element) == G_TYPE_STRING)
            {
              g_strv_builder_add (ids, json_node_get_string (element));
              g_strv_builder_add (titles, json_node_get_string (element));
            }
        }

      g_strfreev (self->article_ids);
      g_strfreev (self->article_titles);
      self->article_ids = g_strv_builder_end (ids);
      self->article_titles = g_strv_builder_end (titles);
    }

  if (json_object_has_member (obj, "reopen_count"))
    self->reopen_count = MAX (0, json_object_get_int_member (obj, "reopen_count"));

  if (self->summary == NULL)
    self->summary = g_strdup ("");
  if (self->description == NULL)
    self->description = g_strdup ("");
  if (self->dispositions == NULL)
    self->dispositions = g_new0 (char *, 1);

  return g_steal_pointer (&self);
}

void
sm_wo_category_free (SmWoCategory *category)
{
  if (category == NULL)
    return;

  g_free (category->intent);
  g_free (category->category);
  g_free (category->subcategory);
  g_free (category->category_zh);
  g_free (category->subcategory_zh);
  g_free (category->department);
  g_free (category->disposition);
  g_free (category->template_en);
  g_free (category->template_zh);
  g_free (category);
}
