/* test-work-order.c: the work order value: validation, lifecycle, clocks, pre-fill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sm-call.h"
#include "sm-store.h"
#include "sm-work-order.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define T0 G_GINT64_CONSTANT (1767600000000) /* 2026-01-05T08:00:00Z */

static SmWoCategory lost_card = {
  .intent = (char *)"lost_or_stolen_card",
  .category = (char *)"Lost or stolen",
  .subcategory = (char *)"Lost or stolen card",
  .category_zh = (char *)"挂失",
  .subcategory_zh = (char *)"卡片遗失或被盗",
  .priority = SM_WO_PRIORITY_URGENT,
  .department = (char *)"Card operations",
  .disposition = (char *)"card_blocked",
  .resolution_hours = 24,
  .template_en = (char *)"Card reported lost or stolen; card blocked and replacement ordered.",
  .template_zh = (char *)"客户挂失卡片；已冻结卡片并补办新卡。",
};

static SmWoCategory complaint = {
  .intent = (char *)"complaint",
  .category = (char *)"Complaint",
  .subcategory = (char *)"General complaint",
  .priority = SM_WO_PRIORITY_HIGH,
  .department = (char *)"Complaints team",
  .disposition = (char *)"complaint_registered",
  .resolution_hours = 120,
  .template_en = (char *)"Complaint – General complaint: ___",
};

static SmWorkOrder *
valid_work_order (void)
{
  SmWorkOrder *wo = sm_work_order_new ();
  SmWoPrefill in = { .call_id = "c1", .customer_id = "cust-42", .category = &lost_card };

  sm_work_order_prefill (wo, &in);
  return wo;
}

static void
test_enums (void)
{
  static const char * const channels[] = {
    "inbound_call", "outbound_call", "hotline_12345", "online", "social_media", "letter",
  };
  static const char * const levels[] = { "none", "general", "serious", "regulatory" };
  static const char * const statuses[] = {
    "received", "dispatched", "in_progress", "resolved", "informed", "closed",
  };

  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      SmWoChannel c;
      g_assert_cmpstr (sm_wo_channel_to_string (i), ==, channels[i]);
      g_assert_true (sm_wo_channel_from_string (channels[i], &c));
      g_assert_cmpint (c, ==, i);
      g_assert_nonnull (sm_wo_channel_get_label (i));
    }
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      SmWoComplaintLevel l;
      g_assert_cmpstr (sm_wo_level_to_string (i), ==, levels[i]);
      g_assert_true (sm_wo_level_from_string (levels[i], &l));
      g_assert_cmpint (l, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      SmWoStatus s;
      g_assert_cmpstr (sm_wo_status_to_string (i), ==, statuses[i]);
      g_assert_true (sm_wo_status_from_string (statuses[i], &s));
      g_assert_cmpint (s, ==, i);
    }

  {
    SmWoChannel c;
    g_assert_false (sm_wo_channel_from_string ("phone", &c));
    g_assert_false (sm_wo_channel_from_string (NULL, &c));
  }
}

static void
test_validate_empty (void)
{
  g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
  g_autoptr(GPtrArray) problems = sm_work_order_validate (wo, T0);

  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_CUSTOMER));
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_CATEGORY));
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_SUMMARY));
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_DISPOSITIONS));
  g_assert_null (sm_wo_problems_find (problems, SM_WO_FIELD_CALLBACK));
  g_assert_null (sm_wo_problems_find (problems, SM_WO_FIELD_DEPARTMENT));
}

static void
test_validate_rules (void)
{
  g_autoptr(SmWorkOrder) wo = valid_work_order ();
  g_autoptr(GPtrArray) ok = sm_work_order_validate (wo, T0);
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_cmpuint (ok->len, ==, 0);

  /* The call-back must be in the future */
  wo->callback_ms = T0;
  problems = sm_work_order_validate (wo, T0);
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_CALLBACK));
  g_clear_pointer (&problems, g_ptr_array_unref);
  wo->callback_ms = T0 + 1;
  problems = sm_work_order_validate (wo, T0);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* A complaint needs a department and notes */
  wo->complaint_level = SM_WO_LEVEL_GENERAL;
  sm_work_order_set_string (wo, SM_WO_FIELD_DEPARTMENT, "", TRUE);
  problems = sm_work_order_validate (wo, T0);
  g_assert_cmpstr (sm_wo_problems_find (problems, SM_WO_FIELD_DEPARTMENT), ==,
                   "A complaint needs a department to dispatch to");
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_DESCRIPTION));
  g_clear_pointer (&problems, g_ptr_array_unref);
  sm_work_order_set_string (wo, SM_WO_FIELD_DEPARTMENT, "Complaints team", TRUE);
  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "Customer unhappy with the wait", TRUE);
  problems = sm_work_order_validate (wo, T0);
  g_assert_cmpuint (problems->len, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* A blank left in the template */
  sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, "Complaint – fees: ___", TRUE);
  problems = sm_work_order_validate (wo, T0);
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_SUMMARY));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The Complaint category needs a complaint level */
  sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, "Fees", TRUE);
  sm_work_order_set_string (wo, SM_WO_FIELD_CATEGORY, "Complaint", TRUE);
  wo->complaint_level = SM_WO_LEVEL_NONE;
  problems = sm_work_order_validate (wo, T0);
  g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_COMPLAINT_LEVEL));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Letters have no customer on a call: not required */
  {
    g_autoptr(SmWorkOrder) letter = valid_work_order ();
    sm_work_order_set_string (letter, SM_WO_FIELD_CATEGORY, "Card services", TRUE);
    sm_work_order_set_string (letter, SM_WO_FIELD_CUSTOMER, NULL, TRUE);
    letter->channel = SM_WO_CHANNEL_LETTER;
    problems = sm_work_order_validate (letter, T0);
    g_assert_cmpuint (problems->len, ==, 0);
    g_clear_pointer (&problems, g_ptr_array_unref);
    letter->channel = SM_WO_CHANNEL_INBOUND_CALL;
    problems = sm_work_order_validate (letter, T0);
    g_assert_nonnull (sm_wo_problems_find (problems, SM_WO_FIELD_CUSTOMER));
  }
}

static void
test_lifecycle (void)
{
  g_autoptr(SmWorkOrder) wo = valid_work_order ();
  g_autoptr(GError) error = NULL;
  SmWoEvent *event = NULL;

  /* Illegal: received → closed, received → informed */
  g_assert_false (sm_work_order_transition (wo, SM_WO_STATUS_CLOSED, "a7", T0, &event, &error));
  g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_ILLEGAL_TRANSITION);
  g_assert_null (event);
  g_clear_error (&error);
  g_assert_false (sm_wo_status_can_change (SM_WO_STATUS_RECEIVED, SM_WO_STATUS_INFORMED));
  g_assert_false (sm_wo_status_can_change (SM_WO_STATUS_DISPATCHED, SM_WO_STATUS_CLOSED));
  g_assert_false (sm_wo_status_can_change (SM_WO_STATUS_CLOSED, SM_WO_STATUS_RESOLVED));
  g_assert_false (sm_wo_status_can_change (SM_WO_STATUS_RECEIVED, SM_WO_STATUS_RECEIVED));
  g_assert_cmpint (wo->status, ==, SM_WO_STATUS_RECEIVED);

  /* Dispatch needs a department */
  sm_work_order_set_string (wo, SM_WO_FIELD_DEPARTMENT, NULL, TRUE);
  g_assert_false (sm_work_order_transition (wo, SM_WO_STATUS_DISPATCHED, "a7", T0, NULL, &error));
  g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID);
  g_clear_error (&error);
  sm_work_order_set_string (wo, SM_WO_FIELD_DEPARTMENT, "Card operations", TRUE);

  /* received → dispatched → in progress → resolved → informed → closed */
  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_DISPATCHED, "a7", T0 + 1000, &event, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (event->event, ==, "dispatched");
  g_assert_cmpstr (event->agent, ==, "a7");
  g_assert_cmpint (event->at_ms, ==, T0 + 1000);
  g_assert_cmpint (event->from, ==, SM_WO_STATUS_RECEIVED);
  g_assert_cmpint (event->to, ==, SM_WO_STATUS_DISPATCHED);
  g_assert_cmpint (wo->first_response_ms, ==, T0 + 1000);
  g_clear_pointer (&event, sm_wo_event_free);

  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_IN_PROGRESS, "a3", T0 + 2000, NULL, &error));
  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_RESOLVED, "a3", T0 + 3000, NULL, &error));
  g_assert_cmpint (wo->resolved_ms, ==, T0 + 3000);
  g_assert_false (sm_work_order_is_open (wo));
  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_INFORMED, "a3", T0 + 4000, NULL, &error));
  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_CLOSED, "a7", T0 + 5000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (wo->updated_ms, ==, T0 + 5000);
  g_assert_cmpint (wo->first_response_ms, ==, T0 + 1000);

  /* Reopened: back to in progress, counted, resolution cleared */
  g_assert_true (sm_work_order_transition (wo, SM_WO_STATUS_IN_PROGRESS, "a7", T0 + 6000, &event, &error));
  g_assert_cmpstr (event->event, ==, "reopened");
  g_assert_cmpint (wo->reopen_count, ==, 1);
  g_assert_cmpint (wo->resolved_ms, ==, 0);
  g_assert_true (sm_work_order_is_open (wo));
  g_clear_pointer (&event, sm_wo_event_free);
}

static void
test_clocks (void)
{
  g_autoptr(SmWorkOrder) wo = valid_work_order ();
  SmWoPolicy policy;

  sm_wo_policy_init (&policy);
  g_assert_cmpuint (policy.regulatory_days, ==, 15);

  wo->created_ms = T0;

  /* Lost card: urgent, first response in 1 h, resolution in 24 h */
  sm_work_order_compute_due (wo, &policy, 24);
  g_assert_cmpint (wo->first_response_due_ms, ==, T0 + 1 * HOUR_MS);
  g_assert_cmpint (wo->resolution_due_ms, ==, T0 + 24 * HOUR_MS);

  /* While received, the first-response clock runs; near due in its last 20 % */
  g_assert_cmpint (sm_work_order_get_next_due (wo, NULL), ==, T0 + HOUR_MS);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0), ==, SM_WO_CLOCK_RUNNING);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + 47 * 60 * 1000), ==, SM_WO_CLOCK_RUNNING);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + 48 * 60 * 1000), ==, SM_WO_CLOCK_NEAR_DUE);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + HOUR_MS - 1), ==, SM_WO_CLOCK_NEAR_DUE);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + HOUR_MS), ==, SM_WO_CLOCK_OVERDUE);

  /* Once handled, the resolution clock runs */
  wo->status = SM_WO_STATUS_IN_PROGRESS;
  g_assert_cmpint (sm_work_order_get_next_due (wo, NULL), ==, T0 + 24 * HOUR_MS);
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + 2 * HOUR_MS), ==, SM_WO_CLOCK_RUNNING);

  /* Resolved: the clocks stop */
  wo->status = SM_WO_STATUS_RESOLVED;
  g_assert_cmpint (sm_work_order_get_clock (wo, &policy, T0 + 100 * HOUR_MS), ==, SM_WO_CLOCK_STOPPED);

  /* A regulatory complaint: 15 calendar days by default, or the setting */
  wo->status = SM_WO_STATUS_RECEIVED;
  wo->complaint_level = SM_WO_LEVEL_REGULATORY;
  wo->priority = SM_WO_PRIORITY_NORMAL;
  sm_work_order_compute_due (wo, &policy, 24);
  g_assert_cmpint (wo->resolution_due_ms, ==, T0 + 15 * 24 * HOUR_MS);
  g_assert_cmpint (wo->first_response_due_ms, ==, T0 + 24 * HOUR_MS);
  policy.regulatory_days = 10;
  sm_work_order_compute_due (wo, &policy, 24);
  g_assert_cmpint (wo->resolution_due_ms, ==, T0 + 10 * 24 * HOUR_MS);

  /* A serious complaint answers within 4 h */
  wo->complaint_level = SM_WO_LEVEL_SERIOUS;
  sm_work_order_compute_due (wo, &policy, 24);
  g_assert_cmpint (wo->first_response_due_ms, ==, T0 + 4 * HOUR_MS);
  g_assert_cmpint (wo->resolution_due_ms, ==, T0 + 72 * HOUR_MS);
}

static void
test_detect_complaint (void)
{
  g_assert_cmpint (sm_wo_detect_complaint (NULL), ==, SM_WO_LEVEL_NONE);
  g_assert_cmpint (sm_wo_detect_complaint ("Card lost on the bus"), ==, SM_WO_LEVEL_NONE);
  g_assert_cmpint (sm_wo_detect_complaint ("I want to COMPLAIN about the fee"), ==, SM_WO_LEVEL_GENERAL);
  g_assert_cmpint (sm_wo_detect_complaint ("客户对年费很不满意"), ==, SM_WO_LEVEL_GENERAL);
  g_assert_cmpint (sm_wo_detect_complaint ("客户要投诉"), ==, SM_WO_LEVEL_GENERAL);
  g_assert_cmpint (sm_wo_detect_complaint ("My lawyer will call"), ==, SM_WO_LEVEL_SERIOUS);
  g_assert_cmpint (sm_wo_detect_complaint ("客户称要找媒体曝光"), ==, SM_WO_LEVEL_SERIOUS);
  g_assert_cmpint (sm_wo_detect_complaint ("going to the regulator"), ==, SM_WO_LEVEL_REGULATORY);
  g_assert_cmpint (sm_wo_detect_complaint ("客户表示将向金融监管部门投诉"), ==, SM_WO_LEVEL_REGULATORY);
}

static void
test_prefill (void)
{
  g_autoptr(SmWorkOrder) wo = sm_work_order_new ();
  const char * const flags[] = { "fraud_watch", NULL };
  SmWoPrefill in = {
    .call_id = "c1", .customer_id = "cust-42", .number = "+12025550123",
    .category = &lost_card,
  };

  sm_work_order_prefill (wo, &in);
  g_assert_cmpstr (wo->call_id, ==, "c1");
  g_assert_cmpstr (wo->customer_id, ==, "cust-42");
  g_assert_cmpint (wo->channel, ==, SM_WO_CHANNEL_INBOUND_CALL);
  g_assert_cmpstr (wo->category, ==, "Lost or stolen");
  g_assert_cmpstr (wo->subcategory, ==, "Lost or stolen card");
  g_assert_cmpint (wo->priority, ==, SM_WO_PRIORITY_URGENT);
  g_assert_cmpint (wo->complaint_level, ==, SM_WO_LEVEL_NONE);
  g_assert_cmpstr (wo->department, ==, "Card operations");
  g_assert_cmpstr (wo->dispositions[0], ==, "card_blocked");
  g_assert_cmpstr (wo->summary, ==, lost_card.template_en);
  g_assert_cmpuint (wo->touched, ==, 0);

  /* Chinese template */
  in.chinese = TRUE;
  sm_work_order_prefill (wo, &in);
  g_assert_cmpstr (wo->summary, ==, lost_card.template_zh);

  /* The agent's own choices are kept */
  wo->priority = SM_WO_PRIORITY_LOW;
  wo->touched |= SM_WO_FIELD_PRIORITY;
  sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, "My summary", TRUE);
  sm_work_order_prefill (wo, &in);
  g_assert_cmpint (wo->priority, ==, SM_WO_PRIORITY_LOW);
  g_assert_cmpstr (wo->summary, ==, "My summary");

  /* Complaint keywords in the notes fill level, department and disposition */
  {
    g_autoptr(SmWorkOrder) c = sm_work_order_new ();
    SmWoPrefill k = { .call_id = "c2", .customer_id = "cust-17", .category = &lost_card,
                      .notes = "客户对补卡太慢很不满，要投诉" };

    sm_work_order_prefill (c, &k);
    g_assert_cmpint (c->complaint_level, ==, SM_WO_LEVEL_GENERAL);
    g_assert_cmpstr (c->department, ==, "Complaints team");
    g_assert_cmpstr (c->dispositions[0], ==, "card_blocked");
    g_assert_cmpstr (c->dispositions[1], ==, "complaint_registered");

    /* A repeat contact on the same reason makes it serious, and high */
    k.category = &complaint;
    k.repeat_contact = TRUE;
    sm_work_order_prefill (c, &k);
    g_assert_cmpint (c->complaint_level, ==, SM_WO_LEVEL_SERIOUS);
    g_assert_cmpint (c->priority, ==, SM_WO_PRIORITY_HIGH);

    /* Removing the words takes the level back (nothing was touched) */
    k.notes = "";
    k.repeat_contact = FALSE;
    k.category = &lost_card;
    sm_work_order_prefill (c, &k);
    g_assert_cmpint (c->complaint_level, ==, SM_WO_LEVEL_NONE);
    g_assert_cmpstr (c->department, ==, "Card operations");
  }

  /* Risk flags raise the priority; 12345 is a regulatory transfer */
  {
    g_autoptr(SmWorkOrder) r = sm_work_order_new ();
    SmWoCategory normal = lost_card;
    SmWoPrefill k = { .call_id = "c3", .number = "12345", .category = &normal,
                      .risk_flags = flags };

    normal.priority = SM_WO_PRIORITY_NORMAL;
    sm_work_order_prefill (r, &k);
    g_assert_cmpint (r->priority, ==, SM_WO_PRIORITY_HIGH);
    g_assert_cmpint (r->channel, ==, SM_WO_CHANNEL_HOTLINE_12345);
    g_assert_cmpint (r->complaint_level, ==, SM_WO_LEVEL_REGULATORY);
  }

  /* The after-call summary goes under the template */
  in.chinese = FALSE;
  in.after_call = "Call 2:00";
  wo->touched = 0;
  sm_work_order_prefill (wo, &in);
  g_assert_cmpstr (wo->summary, ==,
                   "Card reported lost or stolen; card blocked and replacement ordered.\nCall 2:00");
}

static void
test_after_call_summary (void)
{
  g_autoptr(SmCall) call = sm_call_new ("c9", SM_CALL_DIRECTION_INBOUND, "+12025550123", NULL, T0);
  g_autofree char *summary = NULL;
  g_autofree char *again = NULL;
  g_autofree char *long_dtmf = NULL;

  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_TALKING, T0 + 5000));
  sm_call_set_intent (call, "lost_or_stolen_card", 0.9);
  sm_call_set_intent (call, "card_arrival", 0.6);
  sm_call_add_article (call, "kb-lost-card");
  sm_call_add_dtmf (call, "1");
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_HELD, T0 + 65000));
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_TALKING, T0 + 85000));
  g_assert_true (sm_call_set_state (call, SM_CALL_STATE_ACW, T0 + 185000));

  summary = sm_wo_after_call_summary (call, "Lost it on the bus.\nBlocked.  4111 1111 1111 1111", T0 + 999999);
  g_assert_cmpstr (summary, ==,
                   "Call 3:00 (hold 0:20); intents: lost_or_stolen_card, card_arrival; "
                   "articles: kb-lost-card; DTMF: 1; notes: Lost it on the bus.");

  /* Deterministic */
  again = sm_wo_after_call_summary (call, "Lost it on the bus.\nBlocked.  4111 1111 1111 1111", 0);
  g_assert_cmpstr (again, ==, summary);

  /* Long DTMF (a number keyed in) shows only its length; notes are masked */
  sm_call_add_dtmf (call, "4111111111111111");
  long_dtmf = sm_wo_after_call_summary (call, "4111 1111 1111 1111 read out", 0);
  g_assert_nonnull (strstr (long_dtmf, "DTMF: 17 keys"));
  g_assert_nonnull (strstr (long_dtmf, "notes: •••• 1111 read out"));
  g_assert_null (strstr (long_dtmf, "4111"));
}

static void
test_json_roundtrip (void)
{
  g_autoptr(SmWorkOrder) wo = valid_work_order ();
  g_autoptr(SmWorkOrder) back = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(GError) error = NULL;

  wo->id = g_strdup ("WO-1");
  wo->created_ms = T0;
  wo->callback_ms = T0 + HOUR_MS;
  g_strfreev (wo->article_ids);
  g_strfreev (wo->article_titles);
  wo->article_ids = g_strsplit ("kb-1", ",", -1);
  wo->article_titles = g_strsplit ("Lost cards", ",", -1);

  obj = sm_work_order_to_json (wo);
  g_assert_cmpstr (json_object_get_string_member (obj, "channel"), ==, "inbound_call");
  g_assert_cmpstr (json_object_get_string_member (obj, "complaint_level"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "received");
  g_assert_cmpstr (json_object_get_string_member (obj, "created"), ==, "2026-01-05T08:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (obj, "customer"), ==, "cust-42");

  back = sm_work_order_from_json (obj, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->id, ==, "WO-1");
  g_assert_cmpstr (back->call_id, ==, "c1");
  g_assert_cmpint (back->created_ms, ==, T0);
  g_assert_cmpint (back->callback_ms, ==, T0 + HOUR_MS);
  g_assert_cmpstr (back->article_titles[0], ==, "Lost cards");
  g_assert_cmpstr (back->dispositions[0], ==, "card_blocked");
  g_assert_cmpint (back->priority, ==, SM_WO_PRIORITY_URGENT);

  /* Unknown values and wrong types are refused */
  json_object_set_string_member (obj, "status", "open");
  g_clear_pointer (&back, sm_work_order_free);
  back = sm_work_order_from_json (obj, &error);
  g_assert_null (back);
  g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID);
  g_clear_error (&error);
  json_object_set_string_member (obj, "status", "closed");
  json_object_set_int_member (obj, "summary", 3);
  back = sm_work_order_from_json (obj, &error);
  g_assert_null (back);
  g_assert_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID);
}

static void
test_mask (void)
{
  g_autoptr(SmWorkOrder) wo = valid_work_order ();

  sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, "Card 4111111111111111 lost", TRUE);
  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, "ID 11010519491231002X checked", TRUE);
  sm_work_order_mask (wo);
  g_assert_cmpstr (wo->summary, ==, "Card •••• 1111 lost");
  g_assert_cmpstr (wo->description, ==, "ID ••••••••••••••002X checked");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/work-order/enums", test_enums);
  g_test_add_func ("/work-order/validate/empty", test_validate_empty);
  g_test_add_func ("/work-order/validate/rules", test_validate_rules);
  g_test_add_func ("/work-order/lifecycle", test_lifecycle);
  g_test_add_func ("/work-order/clocks", test_clocks);
  g_test_add_func ("/work-order/detect-complaint", test_detect_complaint);
  g_test_add_func ("/work-order/prefill", test_prefill);
  g_test_add_func ("/work-order/after-call-summary", test_after_call_summary);
  g_test_add_func ("/work-order/json", test_json_roundtrip);
  g_test_add_func ("/work-order/mask", test_mask);

  return g_test_run ();
}
