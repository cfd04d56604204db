/* sm-risk.c: high-risk customer rules, kept as data in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules live in the risk_rules table (schema version 3) so that a
 * bank can change them without a new build:
 *
 * - kind 'flag': the customer carries risk_flags.flag = param (fraud watch,
 *   vulnerable customer);
 * - kind 'complaints': threshold or more complaint work orders
 *   (complaint_level other than 'none') created in the last window_days;
 *   the settings keys repeat-complaint-count and repeat-complaint-days
 *   override the stored figures;
 * - kind 'open_complaint': an open work order (not closed) with
 *   complaint_level = param (a regulatory complaint).
 */

#define G_LOG_DOMAIN "sm-risk"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-risk.h"

void
sm_risk_alert_free (SmRiskAlert *alert)
{
  if (alert == NULL)
    return;

  g_free (alert->rule_id);
  g_free (alert->label);
  g_free (alert->note);
  g_free (alert);
}

/**
 * sm_risk_alert_get_label:
 *
 * Returns: the rule's label in the user's language for the shipped rules,
 *   else as stored
 */
const char *
sm_risk_alert_get_label (const SmRiskAlert *alert)
{
  static const struct { const char *id; const char *label; } known[] = {
    { "fraud_watch", N_("Fraud watch") },
    { "vulnerable", N_("Vulnerable customer") },
    { "repeat_complainer", N_("Repeat complainer") },
    { "regulatory_complaint", N_("Open regulatory complaint") },
  };

  g_return_val_if_fail (alert != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (alert->rule_id, known[i].id) == 0)
      return _(known[i].label);

  return alert->label;
}

static SmRiskAlert *
alert_new (sqlite3_stmt *rule,
           const char   *note)
{
  SmRiskAlert *alert = g_new0 (SmRiskAlert, 1);

  alert->rule_id = g_strdup ((const char *)sqlite3_column_text (rule, 0));
  alert->label = g_strdup ((const char *)sqlite3_column_text (rule, 6));
  alert->high = g_strcmp0 ((const char *)sqlite3_column_text (rule, 5), "high") == 0;
  alert->note = g_strdup (note);
  return alert;
}

/**
 * sm_risk_evaluate:
 * @options: (nullable): overrides from the settings
 *
 * Returns: (transfer full) (element-type SmRiskAlert): the rules that match
 *   the customer, in the rules' order; %NULL on a store error
 */
GPtrArray *
sm_risk_evaluate (SmStore              *store,
                  const char           *customer_id,
                  gint64                now_ms,
                  const SmRiskOptions  *options,
                  GError              **error)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_risk_alert_free);
  g_autoptr(sqlite3_stmt) rules = NULL;
  g_autoptr(sqlite3_stmt) flag = NULL;
  g_autoptr(sqlite3_stmt) complaints = NULL;
  g_autoptr(sqlite3_stmt) open = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  if (customer_id == NULL)
    return g_steal_pointer (&alerts);

  if (!(rules = sm_store_prepare (store,
                                  "SELECT id, kind, param, threshold, window_days, severity, label"
                                  " FROM risk_rules WHERE enabled ORDER BY position, id",
                                  error)) ||
      !(flag = sm_store_prepare (store,
                                 "SELECT note FROM risk_flags WHERE customer_id = ?1 AND flag = ?2",
                                 error)) ||
      !(complaints = sm_store_prepare (store,
                                       "SELECT count(*) FROM work_orders WHERE customer_id = ?1"
                                       " AND complaint_level <> 'none' AND created_ms >= ?2",
                                       error)) ||
      !(open = sm_store_prepare (store,
                                 "SELECT id FROM work_orders WHERE customer_id = ?1"
                                 " AND complaint_level = ?2 AND status <> 'closed'"
                                 " ORDER BY created_ms DESC LIMIT 1",
                                 error)))
    return NULL;

  while ((rc = sqlite3_step (rules)) == SQLITE_ROW)
    {
      const char *kind = (const char *)sqlite3_column_text (rules, 1);
      const char *param = (const char *)sqlite3_column_text (rules, 2);

      if (g_strcmp0 (kind, "flag") == 0 && param != NULL)
        {
          sqlite3_reset (flag);
          sqlite3_bind_text (flag, 1, customer_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (flag, 2, param, -1, SQLITE_STATIC);
          if (sqlite3_step (flag) == SQLITE_ROW)
            g_ptr_array_add (alerts, alert_new (rules, (const char *)sqlite3_column_text (flag, 0)));
        }
      else if (g_strcmp0 (kind, "complaints") == 0)
        {
          gint64 threshold = sqlite3_column_int64 (rules, 3);
          gint64 days = sqlite3_column_int64 (rules, 4);
          gint64 count;

          if (options != NULL && options->complaint_threshold > 0)
            threshold = options->complaint_threshold;
          if (options != NULL && options->complaint_days > 0)
            days = options->complaint_days;
          if (threshold <= 0)
            threshold = 3;
          if (days <= 0)
            days = 30;

          sqlite3_reset (complaints);
          sqlite3_bind_text (complaints, 1, customer_id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (complaints, 2, now_ms - days * 24 * 3600 * 1000);
          count = sqlite3_step (complaints) == SQLITE_ROW ? sqlite3_column_int64 (complaints, 0) : 0;
          if (count >= threshold)
            {
              g_autofree char *note =
                g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%d complaint in the last %d days",
                                              "%d complaints in the last %d days", count),
                                 (int)count, (int)days);
              g_ptr_array_add (alerts, alert_new (rules, note));
            }
        }
      else if (g_strcmp0 (kind, "open_complaint") == 0 && param != NULL)
        {
          sqlite3_reset (open);
          sqlite3_bind_text (open, 1, customer_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (open, 2, param, -1, SQLITE_STATIC);
          if (sqlite3_step (open) == SQLITE_ROW)
            {
              g_autofree char *note = g_strdup_printf (_("Work order %s"),
                                                       (const char *)sqlite3_column_text (open, 0));
              g_ptr_array_add (alerts, alert_new (rules, note));
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      sm_store_set_error (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&alerts);
}

gboolean
sm_risk_has_high (GPtrArray *alerts)
{
  if (alerts == NULL)
    return FALSE;

  for (guint i = 0; i < alerts->len; i++)
    if (((SmRiskAlert *)g_ptr_array_index (alerts, i))->high)
      return TRUE;

  return FALSE;
}

/**
 * sm_risk_describe:
 *
 * Returns: (transfer full): the alerts' labels joined by " · "
 */
char *
sm_risk_describe (GPtrArray *alerts)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; alerts != NULL && i < alerts->len; i++)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, sm_risk_alert_get_label (g_ptr_array_index (alerts, i)));
    }

  return g_string_free (text, FALSE);
}
