/* sm-labels.h: words for the ids that core stores (intents, contact outcomes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *sm_intent_title   (const char *intent);
const char *sm_outcome_label  (const char *disposition);

G_END_DECLS
