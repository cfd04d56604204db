/* sm-call-journal.c: missed and abandoned calls and callbacks due, per agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal is what an agent owes callers: inbound calls offered to them
 * in the last 24 hours that were never answered (missed when the ring timed
 * out, abandoned when the caller gave up) and not followed by a later call
 * with that number, and work-order callbacks that are due within the next
 * 30 minutes or overdue. Newest first, callbacks before calls.
 */

#define G_LOG_DOMAIN "sm-call-journal"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-call-journal.h"

#define DAY_MS (24 * 3600 * (gint64)1000)
#define CALLBACK_AHEAD_MS (30 * 60 * (gint64)1000)

void
sm_journal_entry_free (SmJournalEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->ref);
  g_free (entry->number);
  g_free (entry->customer_id);
  g_free (entry->customer_name);
  g_free (entry->note);
  g_free (entry);
}

const char *
sm_journal_kind_get_label (SmJournalKind kind)
{
  switch (kind)
    {
    case SM_JOURNAL_MISSED:
      return _("Missed");
    case SM_JOURNAL_ABANDONED:
      return _("Abandoned");
    case SM_JOURNAL_CALLBACK:
      return _("Callback due");
    default:
      return "";
    }
}

static char *
dup_col (sqlite3_stmt *stmt,
         int           col)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, col));
}

/**
 * sm_call_journal_list:
 *
 * Returns: (transfer full) (element-type SmJournalEntry) (nullable): the
 *   agent's journal, or %NULL on a store error
 */
GPtrArray *
sm_call_journal_list (SmStore     *store,
                      const char  *agent,
                      gint64       now_ms,
                      GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_journal_entry_free);
  g_autoptr(sqlite3_stmt) callbacks = NULL;
  g_autoptr(sqlite3_stmt) calls = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (agent != NULL, NULL);

  callbacks = sm_store_prepare (store,
                                "SELECT w.id, (SELECT p.number FROM customer_phones p"
                                "              WHERE p.customer_id = w.customer_id"
                                "              ORDER BY p.number LIMIT 1),"
                                " w.customer_id, c.name, w.callback_ms, w.summary"
                                " FROM work_orders w LEFT JOIN customers c ON c.id = w.customer_id"
                                " WHERE w.agent = ?1 AND w.callback_ms IS NOT NULL"
                                " AND w.callback_ms <= ?2"
                                " AND w.status NOT IN ('resolved', 'informed', 'closed')"
                                " ORDER BY w.callback_ms",
                                error);
  if (callbacks == NULL)
    return NULL;
  sqlite3_bind_text (callbacks, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (callbacks, 2, now_ms + CALLBACK_AHEAD_MS);
  while ((rc = sqlite3_step (callbacks)) == SQLITE_ROW)
    {
      SmJournalEntry *entry = g_new0 (SmJournalEntry, 1);

      entry->kind = SM_JOURNAL_CALLBACK;
      entry->ref = dup_col (callbacks, 0);
      entry->number = dup_col (callbacks, 1);
      entry->customer_id = dup_col (callbacks, 2);
      entry->customer_name = dup_col (callbacks, 3);
      entry->at_ms = sqlite3_column_int64 (callbacks, 4);
      entry->note = dup_col (callbacks, 5);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      sm_store_set_error (store, rc, error);
      return NULL;
    }

  calls = sm_store_prepare (store,
                            "SELECT k.id, k.number, k.customer, c.name, k.offered_ms, k.disposition"
                            " FROM contacts k LEFT JOIN customers c ON c.id = k.customer"
                            " WHERE k.agent = ?1 AND k.direction = 'inbound'"
                            " AND k.answered_ms IS NULL AND k.offered_ms >= ?2"
                            " AND k.number IS NOT NULL AND k.number <> ''"
                            " AND NOT EXISTS (SELECT 1 FROM contacts later"
                            "                 WHERE later.number = k.number"
                            "                 AND later.offered_ms > k.offered_ms"
                            "                 AND (later.answered_ms IS NOT NULL"
                            "                      OR later.direction = 'outbound'))"
                            " ORDER BY k.offered_ms DESC",
                            error);
  if (calls == NULL)
    return NULL;
  sqlite3_bind_text (calls, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (calls, 2, now_ms - DAY_MS);
  while ((rc = sqlite3_step (calls)) == SQLITE_ROW)
    {
      SmJournalEntry *entry = g_new0 (SmJournalEntry, 1);
      const char *disposition = (const char *)sqlite3_column_text (calls, 5);

      entry->kind = g_strcmp0 (disposition, "missed") == 0 ? SM_JOURNAL_MISSED
                                                           : SM_JOURNAL_ABANDONED;
      entry->ref = dup_col (calls, 0);
      entry->number = dup_col (calls, 1);
      entry->customer_id = dup_col (calls, 2);
      entry->customer_name = dup_col (calls, 3);
      entry->at_ms = sqlite3_column_int64 (calls, 4);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      sm_store_set_error (store, rc, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}
