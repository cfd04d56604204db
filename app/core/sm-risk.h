/* sm-risk.h: high-risk customer rules, kept as data in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-store.h"

G_BEGIN_DECLS

typedef struct
{
  char     *rule_id;
  char     *label;     /* English, as stored; see sm_risk_alert_get_label() */
  char     *note;      /* the flag's note or a count, may be NULL */
  gboolean  high;
} SmRiskAlert;

typedef struct
{
  guint complaint_threshold;  /* 0: the rule's own */
  guint complaint_days;       /* 0: the rule's own */
} SmRiskOptions;

void        sm_risk_alert_free      (SmRiskAlert          *alert);
const char *sm_risk_alert_get_label (const SmRiskAlert    *alert);
GPtrArray  *sm_risk_evaluate        (SmStore              *store,
                                     const char           *customer_id,
                                     gint64                now_ms,
                                     const SmRiskOptions  *options,
                                     GError              **error);
gboolean    sm_risk_has_high        (GPtrArray            *alerts);
char       *sm_risk_describe        (GPtrArray            *alerts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmRiskAlert, sm_risk_alert_free)

G_END_DECLS
