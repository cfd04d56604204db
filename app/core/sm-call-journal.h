/* sm-call-journal.h: missed and abandoned calls and callbacks due, per agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sm-store.h"

G_BEGIN_DECLS

typedef enum
{
  SM_JOURNAL_MISSED,
  SM_JOURNAL_ABANDONED,
  SM_JOURNAL_CALLBACK,
} SmJournalKind;

typedef struct
{
  SmJournalKind  kind;
  char          *ref;            /* contact or work order id */
  char          *number;
  char          *customer_id;
  char          *customer_name;
  gint64         at_ms;          /* offered, or callback due */
  char          *note;
} SmJournalEntry;

void        sm_journal_entry_free     (SmJournalEntry  *entry);
const char *sm_journal_kind_get_label (SmJournalKind    kind);
GPtrArray  *sm_call_journal_list      (SmStore         *store,
                                       const char      *agent,
                                       gint64           now_ms,
                                       GError         **error);

G_END_DECLS
