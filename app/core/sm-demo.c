/* sm-demo.c: the bundled demo data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-demo"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sm-demo.h"
#include "sm-knowledge-base.h"
#include "sm-paths.h"
#include "sm-records.h"

/* In load order: agents and customers before what refers to them */
static const char * const demo_files[] = {
  "demo/agents.jsonl",
  "demo/customers.jsonl",
  "demo/work-orders.jsonl",
  "demo/activity.jsonl",
};

gboolean
sm_demo_is_seeded (SmStore *store)
{
  return sm_store_count (store, "customers") > 0;
}

/* The shipped knowledge base, imported once into a store without articles */
static gboolean
import_knowledge_base (SmStore  *store,
                       GError  **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(SmKnowledgeBase) kb = NULL;
  SmKbImportReport report;
  gboolean ok;

  if (sm_store_count (store, "articles") != 0 || (dir = sm_paths_find_data ("kb")) == NULL)
    return TRUE;

  kb = sm_knowledge_base_new (store);
  sm_kb_import_report_init (&report);
  ok = sm_knowledge_base_import_dir (kb, dir, NULL, &report, error);
  for (guint i = 0; i < report.problems->len; i++)
    g_warning ("%s", (const char *)g_ptr_array_index (report.problems, i));
  sm_kb_import_report_clear (&report);

  return ok;
}

/**
 * sm_demo_seed:
 * @now_ms: the moment the demo's recorded "now" should fall on
 *
 * Loads the demo customers, work orders and a day of agent activity into
 * an empty store, moving the recorded day so that it ends at @now_ms. A store that
 * already has customers is left alone.
 */
gboolean
sm_demo_seed (SmStore  *store,
              gint64    now_ms,
              GError  **error)
{
  SmRecordsImport import = { 0 };
  gint64 recorded = 0;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);

  if (!import_knowledge_base (store, error))
    return FALSE;

  if (sm_demo_is_seeded (store))
    return TRUE;

  if (!sm_time_parse_ms (SM_DEMO_RECORDED_NOW, &recorded))
    g_assert_not_reached ();

  /* Whole minutes, so that recorded times stay on the minute */
  import.shift_ms = (now_ms - recorded) / 60000 * 60000;

  for (guint i = 0; i < G_N_ELEMENTS (demo_files); i++)
    {
      g_autofree char *path = sm_paths_find_data (demo_files[i]);

      if (path == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("The demo data file “%s” is not installed"), demo_files[i]);
          return FALSE;
        }

      if (!sm_records_import_file (store, path, &import, error))
        return FALSE;
    }

  return TRUE;
}

static char *
day_of (gint64 ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  return g_date_time_format (dt, "%Y-%m-%d");
}

/**
 * sm_demo_open:
 * @path: the demo database, never a real one
 *
 * Opens the demo database, seeded so that its day is today. A demo
 * database seeded on another day is deleted and seeded again: it holds
 * nothing but the bundled demo data and what was done in the demo.
 *
 * Returns: (transfer full) (nullable): the store
 */
SmStore *
sm_demo_open (const char  *path,
              gint64       now_ms,
              GError     **error)
{
  g_autoptr(SmStore) store = NULL;
  g_autofree char *today = day_of (now_ms);
  g_autofree char *seeded = NULL;

  store = sm_store_open (path, error);
  if (store == NULL)
    return NULL;

  seeded = sm_store_get_meta (store, "demo-seeded-day");
  if (seeded != NULL && g_str_equal (seeded, today))
    return import_knowledge_base (store, error) ? g_steal_pointer (&store) : NULL;

  if (seeded != NULL || sm_demo_is_seeded (store))
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      /* Only a database that says it is a demo database is ever removed */
      if (seeded == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("“%s” holds data that is not demo data; it was left untouched"), path);
          return NULL;
        }

      g_clear_object (&store);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
          g_unlink (file);
        }

      store = sm_store_open (path, error);
      if (store == NULL)
        return NULL;
    }

  if (!sm_demo_seed (store, now_ms, error) ||
      !sm_store_set_meta (store, "demo-seeded-day", today, error))
    return NULL;

  return g_steal_pointer (&store);
}
