/* sm-work-order.h: the work order form's state as a plain value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sm-types.h"

G_BEGIN_DECLS

#define SM_WORK_ORDER_ERROR (sm_work_order_error_quark ())

typedef enum
{
  SM_WORK_ORDER_ERROR_INVALID,
  SM_WORK_ORDER_ERROR_ILLEGAL_TRANSITION,
} SmWorkOrderError;

/* JSON values: inbound_call outbound_call hotline_12345 online social_media letter */
typedef enum
{
  SM_WO_CHANNEL_INBOUND_CALL,
  SM_WO_CHANNEL_OUTBOUND_CALL,
  SM_WO_CHANNEL_HOTLINE_12345,
  SM_WO_CHANNEL_ONLINE,
  SM_WO_CHANNEL_SOCIAL_MEDIA,
  SM_WO_CHANNEL_LETTER,
  SM_WO_N_CHANNELS
} SmWoChannel;

/* JSON values: low normal high urgent */
typedef enum
{
  SM_WO_PRIORITY_LOW,
  SM_WO_PRIORITY_NORMAL,
  SM_WO_PRIORITY_HIGH,
  SM_WO_PRIORITY_URGENT,
  SM_WO_N_PRIORITIES
} SmWoPriority;

/* JSON values: none general serious regulatory */
typedef enum
{
  SM_WO_LEVEL_NONE,
  SM_WO_LEVEL_GENERAL,
  SM_WO_LEVEL_SERIOUS,
  SM_WO_LEVEL_REGULATORY,
  SM_WO_N_LEVELS
} SmWoComplaintLevel;

/* JSON values: received dispatched in_progress resolved informed closed */
typedef enum
{
  SM_WO_STATUS_RECEIVED,
  SM_WO_STATUS_DISPATCHED,
  SM_WO_STATUS_IN_PROGRESS,
  SM_WO_STATUS_RESOLVED,
  SM_WO_STATUS_INFORMED,
  SM_WO_STATUS_CLOSED,
  SM_WO_N_STATUSES
} SmWoStatus;

/* The fields of the form, for errors and for what the agent touched */
typedef enum
{
  SM_WO_FIELD_NONE            = 0,
  SM_WO_FIELD_CUSTOMER        = 1 << 0,
  SM_WO_FIELD_CHANNEL         = 1 << 1,
  SM_WO_FIELD_CATEGORY        = 1 << 2,
  SM_WO_FIELD_SUBCATEGORY     = 1 << 3,
  SM_WO_FIELD_PRIORITY        = 1 << 4,
  SM_WO_FIELD_COMPLAINT_LEVEL = 1 << 5,
  SM_WO_FIELD_SUMMARY         = 1 << 6,
  SM_WO_FIELD_DESCRIPTION     = 1 << 7,
  SM_WO_FIELD_DISPOSITIONS    = 1 << 8,
  SM_WO_FIELD_DEPARTMENT      = 1 << 9,
  SM_WO_FIELD_CALLBACK        = 1 << 10,
  SM_WO_FIELD_ARTICLES        = 1 << 11,
  SM_WO_FIELD_STATUS          = 1 << 12,
} SmWoField;

typedef struct
{
  char               *id;
  char               *call_id;
  char               *customer_id;
  char               *agent;
  SmWoChannel         channel;
  char               *category;
  char               *subcategory;
  SmWoPriority        priority;
  SmWoComplaintLevel  complaint_level;
  char               *summary;
  char               *description;
  GStrv               dispositions;
  char               *department;
  gint64              callback_ms;          /* 0: none */
  GStrv               article_ids;
  GStrv               article_titles;       /* parallel to article_ids */
  SmWoStatus          status;
  gint64              created_ms;
  gint64              updated_ms;
  gint64              first_response_due_ms;
  gint64              resolution_due_ms;
  gint64              first_response_ms;    /* 0: not yet */
  gint64              resolved_ms;          /* 0: not resolved */
  guint               reopen_count;
  guint               touched;              /* SmWoField: set by the agent, pre-fill keeps out */
} SmWorkOrder;

typedef struct
{
  SmWoField  field;
  char      *message;
} SmWoProblem;

typedef struct
{
  gint64      at_ms;
  char       *agent;
  char       *event;      /* "created", "saved", "dispatched", …, "reopened" */
  SmWoStatus  from;
  SmWoStatus  to;
  char       *note;
} SmWoEvent;

/* A row of the category map (data/work-orders/categories.csv) */
typedef struct
{
  char         *intent;
  char         *category;
  char         *subcategory;
  char         *category_zh;
  char         *subcategory_zh;
  SmWoPriority  priority;
  char         *department;
  char         *disposition;
  guint         resolution_hours;
  char         *template_en;
  char         *template_zh;
} SmWoCategory;

/* Service levels; see sm_wo_policy_init() */
typedef struct
{
  guint regulatory_days;     /* resolution of a regulatory complaint, calendar days */
  guint serious_hours;
  guint general_hours;
  guint near_due_percent;    /* near due in the last N % of the window */
} SmWoPolicy;

typedef enum
{
  SM_WO_CLOCK_RUNNING,
  SM_WO_CLOCK_NEAR_DUE,
  SM_WO_CLOCK_OVERDUE,
  SM_WO_CLOCK_STOPPED,
} SmWoClock;

/* What pre-fill knows about the call; every member may be NULL/0 */
typedef struct
{
  const char          *call_id;
  const char          *customer_id;
  const char          *number;
  gboolean             outbound;
  const SmWoCategory  *category;      /* mapped from the top intent */
  const char * const  *risk_flags;
  gboolean             repeat_contact; /* same reason within 7 days */
  const char          *notes;
  const char          *after_call;    /* the after-call summary, at hang-up */
  gboolean             chinese;
} SmWoPrefill;

#define SM_TYPE_WORK_ORDER (sm_work_order_get_type ())

GType               sm_work_order_get_type        (void) G_GNUC_CONST;
GQuark              sm_work_order_error_quark     (void);

SmWorkOrder        *sm_work_order_new             (void);
SmWorkOrder        *sm_work_order_copy            (const SmWorkOrder   *self);
void                sm_work_order_free            (SmWorkOrder         *self);
void                sm_work_order_set_string      (SmWorkOrder         *self,
                                                   SmWoField            field,
                                                   const char          *value,
                                                   gboolean             by_agent);
gboolean            sm_work_order_is_open         (const SmWorkOrder   *self);

GPtrArray          *sm_work_order_validate        (const SmWorkOrder   *self,
                                                   gint64               now_ms);
const char         *sm_wo_problems_find           (GPtrArray           *problems,
                                                   SmWoField            field);
void                sm_wo_problem_free            (SmWoProblem         *problem);
void                sm_work_order_mask            (SmWorkOrder         *self);

gboolean            sm_wo_status_can_change       (SmWoStatus           from,
                                                   SmWoStatus           to);
gboolean            sm_work_order_transition      (SmWorkOrder         *self,
                                                   SmWoStatus           to,
                                                   const char          *agent,
                                                   gint64               at_ms,
                                                   SmWoEvent          **event,
                                                   GError             **error);
SmWoEvent          *sm_wo_event_new               (const char          *event,
                                                   const char          *agent,
                                                   gint64               at_ms,
                                                   SmWoStatus           from,
                                                   SmWoStatus           to,
                                                   const char          *note);
void                sm_wo_event_free              (SmWoEvent           *event);

void                sm_wo_policy_init             (SmWoPolicy          *policy);
void                sm_work_order_compute_due     (SmWorkOrder         *self,
                                                   const SmWoPolicy    *policy,
                                                   guint                category_hours);
gint64              sm_work_order_get_next_due    (const SmWorkOrder   *self,
                                                   gint64              *window_ms);
gint64              sm_work_order_get_near_due    (const SmWorkOrder   *self,
                                                   const SmWoPolicy    *policy);
SmWoClock           sm_work_order_get_clock       (const SmWorkOrder   *self,
                                                   const SmWoPolicy    *policy,
                                                   gint64               now_ms);

SmWoComplaintLevel  sm_wo_detect_complaint        (const char          *text);
void                sm_work_order_prefill         (SmWorkOrder         *self,
                                                   const SmWoPrefill   *prefill);
char               *sm_wo_after_call_summary      (SmCall              *call,
                                                   const char          *notes,
                                                   gint64               now_ms);

JsonObject         *sm_work_order_to_json         (const SmWorkOrder   *self);
SmWorkOrder        *sm_work_order_from_json       (JsonObject          *obj,
                                                   GError             **error);

void                sm_wo_category_free           (SmWoCategory        *category);

const char         *sm_wo_channel_to_string       (SmWoChannel          channel);
gboolean            sm_wo_channel_from_string     (const char          *str,
                                                   SmWoChannel         *channel);
const char         *sm_wo_channel_get_label       (SmWoChannel          channel);
const char         *sm_wo_priority_to_string      (SmWoPriority         priority);
gboolean            sm_wo_priority_from_string    (const char          *str,
                                                   SmWoPriority        *priority);
const char         *sm_wo_priority_get_label      (SmWoPriority         priority);
const char         *sm_wo_level_to_string         (SmWoComplaintLevel   level);
gboolean            sm_wo_level_from_string       (const char          *str,
                                                   SmWoComplaintLevel  *level);
const char         *sm_wo_level_get_label         (SmWoComplaintLevel   level);
const char         *sm_wo_status_to_string        (SmWoStatus           status);
gboolean            sm_wo_status_from_string      (const char          *str,
                                                   SmWoStatus          *status);
const char         *sm_wo_status_get_label        (SmWoStatus           status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmWorkOrder, sm_work_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmWoEvent, sm_wo_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmWoCategory, sm_wo_category_free)

G_END_DECLS
