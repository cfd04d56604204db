/* sm-work-order-store.c: work orders, their history, drafts and reference data in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything a work order needs from SQLite: saving (masked, with its
 * clocks and a history entry), the lists of the work-order pane (mine,
 * open, near due, overdue, complaints, full-text search), drafts that
 * survive a crash (saved at most 150 ms after a change), the category map
 * and the canned texts seeded from data/work-orders/, and the pre-fill
 * from the current call.
 */

#define G_LOG_DOMAIN "sm-work-order-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-csv.h"
#include "sm-customer.h"
#include "sm-paths.h"
#include "sm-work-order-store.h"

/* A change is on disk at most this long after it was made */
#define DRAFT_DELAY_MS 150
/* Full-text matches looked at first, newest first */
#define SEARCH_CAP 5000
#define DAY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)

struct _SmWorkOrderStore
{
  GObject      parent_instance;

  SmStore     *store;
  SmWoPolicy   policy;

  /* The draft waiting for its timer */
  SmWorkOrder *pending;
  char        *pending_agent;
  guint        draft_id;
};

G_DEFINE_FINAL_TYPE (SmWorkOrderStore, sm_work_order_store, G_TYPE_OBJECT)

enum {
  DRAFT_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define WO_COLUMNS \
  "w.id, w.call_id, w.customer_id, w.agent, w.channel, w.category, w.subcategory," \
  " w.priority, w.complaint_level, w.summary, w.description, w.dispositions," \
  " w.department, w.callback_ms, w.articles, w.status, w.created_ms, w.updated_ms," \
  " w.first_response_due_ms, w.resolution_due_ms, w.first_response_ms, w.resolved_ms," \
  " w.reopen_count"
#define WO_N_COLUMNS 23

/* Helpers */

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static GStrv
parse_string_array (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (json != NULL)
    node = json_from_string (json, NULL);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *str = json_array_get_string_element (array, i);
          if (str != NULL)
            g_strv_builder_add (builder, str);
        }
    }

  return g_strv_builder_end (builder);
}

static SmWorkOrder *
row_to_wo (sqlite3_stmt *stmt)
{
  SmWorkOrder *wo = sm_work_order_new ();
  g_autoptr(JsonNode) articles = NULL;
  const char *text;

  wo->id = column_dup (stmt, 0);
  wo->call_id = column_dup (stmt, 1);
  wo->customer_id = column_dup (stmt, 2);
  wo->agent = column_dup (stmt, 3);
  sm_wo_channel_from_string ((const char *)sqlite3_column_text (stmt, 4), &wo->channel);
  wo->category = column_dup (stmt, 5);
  wo->subcategory = column_dup (stmt, 6);
  if (!sm_wo_priority_from_string ((const char *)sqlite3_column_text (stmt, 7), &wo->priority))
    wo->priority = SM_WO_PRIORITY_NORMAL;
  sm_wo_level_from_string ((const char *)sqlite3_column_text (stmt, 8), &wo->complaint_level);
  sm_work_order_set_string (wo, SM_WO_FIELD_SUMMARY, (const char *)sqlite3_column_text (stmt, 9), FALSE);
  sm_work_order_set_string (wo, SM_WO_FIELD_DESCRIPTION, (const char *)sqlite3_column_text (stmt, 10), FALSE);
  g_strfreev (wo->dispositions);
  wo->dispositions = parse_string_array ((const char *)sqlite3_column_text (stmt, 11));
  wo->department = column_dup (stmt, 12);
  wo->callback_ms = sqlite3_column_int64 (stmt, 13);

  text = (const char *)sqlite3_column_text (stmt, 14);
  if (text != NULL)
    articles = json_from_string (text, NULL);
  if (articles != NULL && JSON_NODE_HOLDS_ARRAY (articles))
    {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
      JsonArray *array = json_node_get_array (articles);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *article = json_array_get_object_element (array, i);
          const char *id;

          if (article == NULL ||
              (id = json_object_get_string_member_with_default (article, "id", NULL)) == NULL)
            continue;
          g_strv_builder_add (ids, id);
          g_strv_builder_add (titles, json_object_get_string_member_with_default (article, "title", id));
        }
      g_strfreev (wo->article_ids);
      g_strfreev (wo->article_titles);
      wo->article_ids = g_strv_builder_end (ids);
      wo->article_titles = g_strv_builder_end (titles);
    }

  sm_wo_status_from_string ((const char *)sqlite3_column_text (stmt, 15), &wo->status);
  wo->created_ms = sqlite3_column_int64 (stmt, 16);
  wo->updated_ms = sqlite3_column_int64 (stmt, 17);
  wo->first_response_due_ms = sqlite3_column_int64 (stmt, 18);
  wo->resolution_due_ms = sqlite3_column_int64 (stmt, 19);
  wo->first_response_ms = sqlite3_column_int64 (stmt, 20);
  wo->resolved_ms = sqlite3_column_int64 (stmt, 21);
  wo->reopen_count = sqlite3_column_int (stmt, 22);

  return wo;
}

static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
articles_to_json (const SmWorkOrder *wo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_titles = wo->article_titles != NULL ? g_strv_length (wo->article_titles) : 0;

  json_builder_begin_array (builder);
  for (guint i = 0; wo->article_ids != NULL && wo->article_ids[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, wo->article_ids[i]);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, i < n_titles ? wo->article_titles[i] : wo->article_ids[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static void
bind_opt_int64 (sqlite3_stmt *stmt,
                int           index,
                gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static guint
category_hours (SmStore    *store,
                const char *category,
                const char *subcategory)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sm_store_prepare (store,
                           "SELECT resolution_hours FROM wo_categories"
                           " WHERE category = ?1 AND subcategory = ?2 LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, subcategory, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int (stmt, 0);
}

static gboolean
insert_event (SmStore      *store,
              const char   *id,
              SmWoEvent    *event,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = sm_store_prepare (store,
                           "INSERT INTO work_order_events (work_order, at_ms, agent, event,"
                           " from_status, to_status, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, event->at_ms);
  sqlite3_bind_text (stmt, 3, event->agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, event->event, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, sm_wo_status_to_string (event->from), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, sm_wo_status_to_string (event->to), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, event->note, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  return TRUE;
}

/**
 * sm_work_order_store_write:
 * @store: the store, inside a transaction the caller owns
 * @wo: the work order, with an id and a creation time
 * @policy: the service levels for due times that are missing
 * @event: (nullable): the history entry to add ("created", "saved", …)
 *
 * Masks @wo, fills in missing due times, and inserts or updates its row.
 * Everything that writes work orders comes through here, so that masking
 * and the search index hold for every row.
 */
gboolean
sm_work_order_store_write (SmStore           *store,
                           SmWorkOrder       *wo,
                           const SmWoPolicy  *policy,
                           const char        *event,
                           const char        *agent,
                           gint64             at_ms,
                           GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *dispositions = NULL;
  g_autofree char *articles = NULL;
  gint64 next_due, near_due;
  int rc;

  g_return_val_if_fail (SM_IS_STORE (store), FALSE);
  g_return_val_if_fail (wo != NULL && wo->id != NULL, FALSE);

  sm_work_order_mask (wo);

  if (wo->first_response_due_ms == 0 || wo->resolution_due_ms == 0)
    {
      gint64 frd = wo->first_response_due_ms, rd = wo->resolution_due_ms;

      sm_work_order_compute_due (wo, policy, category_hours (store, wo->category, wo->subcategory));
      if (frd != 0)
        wo->first_response_due_ms = frd;
      if (rd != 0)
        wo->resolution_due_ms = rd;
    }
  if (wo->updated_ms == 0)
    wo->updated_ms = wo->created_ms;

  next_due = sm_work_order_get_next_due (wo, NULL);
  near_due = sm_work_order_get_near_due (wo, policy);
  dispositions = strv_to_json ((const char * const *)wo->dispositions);
  articles = articles_to_json (wo);

  stmt = sm_store_prepare (store,
                           "INSERT INTO work_orders (id, call_id, customer_id, agent, channel,"
                           " category, subcategory, priority, complaint_level, summary, description,"
                           " dispositions, department, callback_ms, articles, status, created_ms,"
                           " updated_ms, first_response_due_ms, resolution_due_ms, first_response_ms,"
                           " resolved_ms, reopen_count, next_due_ms, near_due_ms)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                           " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)"
                           " ON CONFLICT (id) DO UPDATE SET call_id = excluded.call_id,"
                           " customer_id = excluded.customer_id, agent = excluded.agent,"
                           " channel = excluded.channel, category = excluded.category,"
                           " subcategory = excluded.subcategory, priority = excluded.priority,"
                           " complaint_level = excluded.complaint_level, summary = excluded.summary,"
                           " description = excluded.description, dispositions = excluded.dispositions,"
                           " department = excluded.department, callback_ms = excluded.callback_ms,"
                           " articles = excluded.articles, status = excluded.status,"
                           " created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,"
                           " first_response_due_ms = excluded.first_response_due_ms,"
                           " resolution_due_ms = excluded.resolution_due_ms,"
                           " first_response_ms = excluded.first_response_ms,"
                           " resolved_ms = excluded.resolved_ms, reopen_count = excluded.reopen_count,"
                           " next_due_ms = excluded.next_due_ms, near_due_ms = excluded.near_due_ms",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, wo->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, wo->call_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, wo->customer_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, wo->agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, sm_wo_channel_to_string (wo->channel), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, wo->category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, wo->subcategory, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, sm_wo_priority_to_string (wo->priority), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, sm_wo_level_to_string (wo->complaint_level), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, wo->summary, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, wo->description, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, dispositions, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, wo->department, -1, SQLITE_STATIC);
  bind_opt_int64 (stmt, 14, wo->callback_ms);
  sqlite3_bind_text (stmt, 15, articles, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, sm_wo_status_to_string (wo->status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 17, wo->created_ms);
  sqlite3_bind_int64 (stmt, 18, wo->updated_ms);
  bind_opt_int64 (stmt, 19, wo->first_response_due_ms);
  bind_opt_int64 (stmt, 20, wo->resolution_due_ms);
  bind_opt_int64 (stmt, 21, wo->first_response_ms);
  bind_opt_int64 (stmt, 22, wo->resolved_ms);
  sqlite3_bind_int (stmt, 23, wo->reopen_count);
  bind_opt_int64 (stmt, 24, next_due);
  bind_opt_int64 (stmt, 25, near_due);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  if (event != NULL)
    {
      g_autoptr(SmWoEvent) entry = sm_wo_event_new (event, agent, at_ms, wo->status, wo->status, NULL);

      if (!insert_event (store, wo->id, entry, error))
        return FALSE;
    }

  return TRUE;
}

static char *
next_id (SmWorkOrderStore *self,
         gint64            now_ms,
         GError          **error)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now_ms / 1000);
  g_autofree char *day = g_date_time_format (dt, "%Y%m%d");
  g_autofree char *key = g_strdup_printf ("wo-seq-%s", day);
  g_autofree char *value = sm_store_get_meta (self->store, key);
  guint64 seq = value != NULL ? g_ascii_strtoull (value, NULL, 10) : 0;

  for (;;)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *id = NULL;
      g_autofree char *seq_text = NULL;

      seq++;
      id = g_strdup_printf ("WO-%s-%04" G_GUINT64_FORMAT, day, seq);
      stmt = sm_store_prepare (self->store, "SELECT 1 FROM work_orders WHERE id = ?1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        continue;

      seq_text = g_strdup_printf ("%" G_GUINT64_FORMAT, seq);
      if (!sm_store_set_meta (self->store, key, seq_text, error))
        return NULL;

      return g_steal_pointer (&id);
    }
}

static gboolean
problems_to_error (GPtrArray  *problems,
                   GError    **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (problems->len == 0)
    return TRUE;

  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (messages, ((SmWoProblem *)g_ptr_array_index (problems, i))->message);
  g_ptr_array_add (messages, NULL);
  joined = g_strjoinv ("; ", (char **)messages->pdata);

  g_set_error_literal (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID, joined);
  return FALSE;
}

/* Reference data */

static gboolean
read_csv (const char  *relative,
          GPtrArray  **rows_out,
          GChecksum   *checksum,
          GError     **error)
{
  g_autofree char *path = sm_paths_find_data (relative);
  g_autofree char *contents = NULL;
  g_autoptr(SmCsvReader) reader = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  gsize length;
  GStrv row = NULL;
  guint line;

  if (path == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("The data file “%s” was not found"), relative);
      return FALSE;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  g_checksum_update (checksum, (const guchar *)contents, length);

  reader = sm_csv_reader_new_from_data (contents, length);
  while (sm_csv_reader_next (reader, &row, &line, error))
    g_ptr_array_add (rows, row);
  if (error != NULL && *error != NULL)
    return FALSE;

  *rows_out = g_steal_pointer (&rows);
  return TRUE;
}

static int
column_index (GStrv       header,
              const char *name)
{
  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;

  return -1;
}

static const char *
cell (GStrv row,
      int   index)
{
  if (index < 0 || (guint)index >= g_strv_length (row))
    return NULL;

  return row[index];
}

/**
 * sm_work_order_store_load_reference:
 *
 * Seeds the category map and the canned texts from data/work-orders/ when
 * the files differ from what the store holds.
 */
gboolean
sm_work_order_store_load_reference (SmWorkOrderStore  *self,
                                    GError           **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) canned = NULL;
  g_autofree char *stored = NULL;
  const char *digest;
  GStrv header;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);

  if (!read_csv ("work-orders/categories.csv", &categories, checksum, error) ||
      !read_csv ("work-orders/canned.csv", &canned, checksum, error))
    return FALSE;

  digest = g_checksum_get_string (checksum);
  stored = sm_store_get_meta (self->store, "wo-reference-sha256");
  if (g_strcmp0 (stored, digest) == 0 && sm_store_count (self->store, "wo_categories") > 0)
    return TRUE;

  if (categories->len < 2 || canned->len < 1)
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("The work-order reference data is empty"));
      return FALSE;
    }

  if (!sm_store_begin (self->store, error))
    return FALSE;

  if (!sm_store_exec (self->store, "DELETE FROM wo_categories; DELETE FROM wo_canned_texts;", error))
    goto fail;

  header = g_ptr_array_index (categories, 0);
  {
    static const char * const names[] = {
      "intent", "category", "subcategory", "category_zh", "subcategory_zh", "priority",
      "department", "disposition", "resolution_hours", "template", "template_zh",
    };
    int idx[G_N_ELEMENTS (names)];
    g_autoptr(sqlite3_stmt) stmt = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if ((idx[i] = column_index (header, names[i])) < 0)
        {
          g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                       _("categories.csv has no column “%s”"), names[i]);
          goto fail;
        }

    stmt = sm_store_prepare (self->store,
                             "INSERT INTO wo_categories (intent, category, subcategory,"
                             " category_zh, subcategory_zh, priority, department, disposition,"
                             " resolution_hours, template, template_zh)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                             error);
    if (stmt == NULL)
      goto fail;

    for (guint r = 1; r < categories->len; r++)
      {
        GStrv row = g_ptr_array_index (categories, r);
        int rc;

        if (g_strv_length (row) < 3)
          continue;

        sqlite3_reset (stmt);
        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          {
            if (i == 8)
              sqlite3_bind_int (stmt, i + 1, atoi (cell (row, idx[i]) ?: "0"));
            else
              sqlite3_bind_text (stmt, i + 1, cell (row, idx[i]), -1, SQLITE_TRANSIENT);
          }
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_DONE)
          {
            sm_store_set_error (self->store, rc, error);
            g_prefix_error (error, "categories.csv:%u: ", r + 1);
            goto fail;
          }
      }
  }

  header = g_ptr_array_index (canned, 0);
  {
    int k = column_index (header, "keyword");
    int t = column_index (header, "text");
    int z = column_index (header, "text_zh");
    g_autoptr(sqlite3_stmt) stmt = NULL;

    stmt = sm_store_prepare (self->store,
                             "INSERT OR REPLACE INTO wo_canned_texts (keyword, text, text_zh)"
                             " VALUES (?1, ?2, ?3)",
                             error);
    if (stmt == NULL)
      goto fail;

    for (guint r = 1; r < canned->len; r++)
      {
        GStrv row = g_ptr_array_index (canned, r);
        int rc;

        if (cell (row, k) == NULL || cell (row, t) == NULL)
          continue;

        sqlite3_reset (stmt);
        sqlite3_bind_text (stmt, 1, cell (row, k), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, cell (row, t), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 3, cell (row, z), -1, SQLITE_TRANSIENT);
        rc = sqlite3_step (stmt);
        if (rc != SQLITE_DONE)
          {
            sm_store_set_error (self->store, rc, error);
            goto fail;
          }
      }
  }

  if (!sm_store_set_meta (self->store, "wo-reference-sha256", digest, error))
    goto fail;

  return sm_store_commit (self->store, error);

fail:
  sm_store_rollback (self->store);
  return FALSE;
}

#define CATEGORY_COLUMNS \
  "intent, category, subcategory, category_zh, subcategory_zh, priority, department," \
  " disposition, resolution_hours, template, template_zh"

static SmWoCategory *
row_to_category (sqlite3_stmt *stmt)
{
  SmWoCategory *category = g_new0 (SmWoCategory, 1);

  category->intent = column_dup (stmt, 0);
  category->category = column_dup (stmt, 1);
  category->subcategory = column_dup (stmt, 2);
  category->category_zh = column_dup (stmt, 3);
  category->subcategory_zh = column_dup (stmt, 4);
  if (!sm_wo_priority_from_string ((const char *)sqlite3_column_text (stmt, 5), &category->priority))
    category->priority = SM_WO_PRIORITY_NORMAL;
  category->department = column_dup (stmt, 6);
  category->disposition = column_dup (stmt, 7);
  category->resolution_hours = sqlite3_column_int (stmt, 8);
  category->template_en = column_dup (stmt, 9);
  category->template_zh = column_dup (stmt, 10);

  return category;
}

/**
 * sm_work_order_store_lookup_intent:
 *
 * Returns: (transfer full) (nullable): the category @intent maps to
 */
SmWoCategory *
sm_work_order_store_lookup_intent (SmWorkOrderStore *self,
                                   const char       *intent)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  if (intent == NULL)
    return NULL;

  stmt = sm_store_prepare (self->store,
                           "SELECT " CATEGORY_COLUMNS " FROM wo_categories WHERE intent = ?1",
                           NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, intent, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return row_to_category (stmt);
}

/**
 * sm_work_order_store_lookup_category:
 *
 * Returns: (transfer full) (nullable): the first map row with these names
 *   (English or Chinese)
 */
SmWoCategory *
sm_work_order_store_lookup_category (SmWorkOrderStore *self,
                                     const char       *category,
                                     const char       *subcategory)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT " CATEGORY_COLUMNS " FROM wo_categories"
                           " WHERE (category = ?1 OR category_zh = ?1)"
                           " AND (subcategory = ?2 OR subcategory_zh = ?2) LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, category, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, subcategory, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return row_to_category (stmt);
}

/**
 * sm_work_order_store_list_categories:
 *
 * Returns: (transfer full) (element-type SmWoCategory): the map, one row
 *   per distinct category and sub-category
 */
GPtrArray *
sm_work_order_store_list_categories (SmWorkOrderStore *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_wo_category_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), list);

  stmt = sm_store_prepare (self->store,
                           "SELECT " CATEGORY_COLUMNS " FROM wo_categories"
                           " GROUP BY category, subcategory ORDER BY category, subcategory",
                           NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, row_to_category (stmt));

  return list;
}

/**
 * sm_work_order_store_list_departments:
 *
 * Returns: (transfer full): the departments of the category map, sorted
 */
GStrv
sm_work_order_store_list_departments (SmWorkOrderStore *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT DISTINCT department FROM wo_categories"
                           " WHERE department IS NOT NULL ORDER BY department",
                           NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (builder);
}

/**
 * sm_work_order_store_lookup_canned:
 * @keyword: the word after "::"
 *
 * Returns: (transfer full) (nullable): the canned text
 */
char *
sm_work_order_store_lookup_canned (SmWorkOrderStore *self,
                                   const char       *keyword,
                                   gboolean          chinese)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *zh;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT text, text_zh FROM wo_canned_texts WHERE keyword = ?1",
                           NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, keyword, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  zh = (const char *)sqlite3_column_text (stmt, 1);
  if (chinese && zh != NULL && *zh != '\0')
    return g_strdup (zh);

  return column_dup (stmt, 0);
}

/* Saving */

/**
 * sm_work_order_store_save:
 * @wo: the form; on success it has its id, times and clocks
 * @agent: the agent who saves it
 *
 * Validates @wo like the form does, masks it and saves it with a history
 * entry, in one transaction. A new work order gets its id and creation
 * time; the due times follow priority, complaint level and category.
 */
gboolean
sm_work_order_store_save (SmWorkOrderStore  *self,
                          SmWorkOrder       *wo,
                          const char        *agent,
                          gint64             now_ms,
                          GError           **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SmWorkOrder) copy = NULL;
  gboolean created;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);
  g_return_val_if_fail (wo != NULL, FALSE);

  problems = sm_work_order_validate (wo, now_ms);
  if (!problems_to_error (problems, error))
    return FALSE;

  if (!sm_store_begin (self->store, error))
    return FALSE;

  copy = sm_work_order_copy (wo);
  created = copy->id == NULL;
  if (created)
    {
      if ((copy->id = next_id (self, now_ms, error)) == NULL)
        goto fail;
      copy->created_ms = now_ms;
    }
  if (copy->agent == NULL)
    copy->agent = g_strdup (agent);
  copy->updated_ms = now_ms;

  sm_work_order_compute_due (copy, &self->policy,
                             category_hours (self->store, copy->category, copy->subcategory));

  if (!sm_work_order_store_write (self->store, copy, &self->policy,
                                  created ? "created" : "saved", agent, now_ms, error))
    goto fail;

  if (!sm_store_commit (self->store, error))
    goto fail;

  /* Hand the saved value (id, masking, clocks) back to the caller */
  {
    guint touched = wo->touched;
    SmWorkOrder tmp = *wo;

    *wo = *copy;
    *copy = tmp;
    wo->touched = touched;
  }

  return TRUE;

fail:
  sm_store_rollback (self->store);
  return FALSE;
}

/**
 * sm_work_order_store_import:
 *
 * Saves a work order read from a file, with the form's validation (the
 * call-back must come after the creation) and masking. It needs an id and
 * a creation time. The caller owns the transaction, so that a whole file
 * goes in or nothing does.
 */
gboolean
sm_work_order_store_import (SmWorkOrderStore  *self,
                            SmWorkOrder       *wo,
                            GError           **error)
{
  g_autoptr(GPtrArray) problems = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);
  g_return_val_if_fail (wo != NULL, FALSE);

  if (wo->id == NULL || *wo->id == '\0')
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("the field “%s” is missing"), "id");
      return FALSE;
    }
  if (wo->created_ms == 0)
    {
      g_set_error (error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                   _("the field “%s” is missing"), "created");
      return FALSE;
    }

  problems = sm_work_order_validate (wo, wo->created_ms);
  if (!problems_to_error (problems, error))
    return FALSE;

  return sm_work_order_store_write (self->store, wo, &self->policy, "imported",
                                    wo->agent, wo->updated_ms ? wo->updated_ms : wo->created_ms,
                                    error);
}

/**
 * sm_work_order_store_transition:
 *
 * Moves a stored work order to @to, refusing illegal transitions, and
 * records who did it and when.
 */
gboolean
sm_work_order_store_transition (SmWorkOrderStore  *self,
                                const char        *id,
                                SmWoStatus         to,
                                const char        *agent,
                                gint64             now_ms,
                                GError           **error)
{
  g_autoptr(SmWorkOrder) wo = NULL;
  g_autoptr(SmWoEvent) event = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);

  if (!sm_store_begin (self->store, error))
    return FALSE;

  if ((wo = sm_work_order_store_load (self, id, error)) == NULL ||
      !sm_work_order_transition (wo, to, agent, now_ms, &event, error) ||
      !sm_work_order_store_write (self->store, wo, &self->policy, NULL, agent, now_ms, error) ||
      !insert_event (self->store, wo->id, event, error) ||
      !sm_store_commit (self->store, error))
    {
      sm_store_rollback (self->store);
      return FALSE;
    }

  return TRUE;
}

/* Reading */

/**
 * sm_work_order_store_load:
 *
 * Returns: (transfer full) (nullable): the work order
 */
SmWorkOrder *
sm_work_order_store_load (SmWorkOrderStore  *self,
                          const char        *id,
                          GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store, "SELECT " WO_COLUMNS " FROM work_orders w WHERE w.id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND,
                   _("There is no work order “%s”"), id);
      return NULL;
    }

  return row_to_wo (stmt);
}

/**
 * sm_work_order_store_history:
 *
 * Returns: (transfer full) (element-type SmWoEvent): oldest first
 */
GPtrArray *
sm_work_order_store_history (SmWorkOrderStore  *self,
                             const char        *id,
                             GError           **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_wo_event_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT at_ms, agent, event, from_status, to_status, note"
                           " FROM work_order_events WHERE work_order = ?1 ORDER BY at_ms, id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SmWoStatus from = SM_WO_STATUS_RECEIVED, to = SM_WO_STATUS_RECEIVED;

      sm_wo_status_from_string ((const char *)sqlite3_column_text (stmt, 3), &from);
      sm_wo_status_from_string ((const char *)sqlite3_column_text (stmt, 4), &to);
      g_ptr_array_add (events, sm_wo_event_new ((const char *)sqlite3_column_text (stmt, 2),
                                                (const char *)sqlite3_column_text (stmt, 1),
                                                sqlite3_column_int64 (stmt, 0), from, to,
                                                (const char *)sqlite3_column_text (stmt, 5)));
    }

  return g_steal_pointer (&events);
}

static const char *
filter_sql (SmWoListFilter filter)
{
  switch (filter)
    {
    case SM_WO_LIST_MINE:
      return "w.agent = ?1";
    case SM_WO_LIST_OPEN:
      /* Only open work orders have a running clock (and an index on it) */
      return "w.next_due_ms IS NOT NULL";
    case SM_WO_LIST_NEAR_DUE:
      /* Walk the clocks not yet due (a bounded set, unlike the overdue
       * ones that near_due_ms <= now would also scan) */
      return "w.next_due_ms > ?2 AND +w.near_due_ms <= ?2";
    case SM_WO_LIST_OVERDUE:
      return "w.next_due_ms <= ?2";
    case SM_WO_LIST_COMPLAINTS:
      /* The same term as the partial index work_orders_complaints_created */
      return "w.complaint_level <> 'none'";
    case SM_WO_LIST_ALL:
    default:
      return "1";
    }
}

static const char *
order_sql (SmWoListFilter filter)
{
  switch (filter)
    {
    case SM_WO_LIST_OPEN:
    case SM_WO_LIST_NEAR_DUE:
    case SM_WO_LIST_OVERDUE:
      return "w.next_due_ms";
    case SM_WO_LIST_MINE:
    case SM_WO_LIST_COMPLAINTS:
    case SM_WO_LIST_ALL:
    default:
      return "w.created_ms DESC";
    }
}

/* Turns what the agent typed into an FTS5 query: every word a prefix,
 * all of them required. Returns NULL when nothing is searchable. */
static char *
fts_query (const char *search)
{
  g_auto(GStrv) words = g_strsplit_set (search, " \t\n\"", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean searchable = FALSE;

      for (const char *p = words[i]; *p; p = g_utf8_next_char (p))
        if (g_unichar_isalnum (g_utf8_get_char (p)))
          searchable = TRUE;
      if (!searchable)
        continue;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_printf (query, "\"%s\"*", words[i]);
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static char *
like_pattern (const char *search)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = search; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

void
sm_wo_row_free (SmWoRow *row)
{
  if (row == NULL)
    return;

  sm_work_order_free (row->wo);
  g_free (row->customer_name);
  g_free (row);
}

/**
 * sm_work_order_store_list:
 * @agent: the agent of "mine"
 * @search: (nullable): words to find anywhere in the text, or in the
 *   customer's name
 * @limit: the most rows to return
 *
 * Returns: (transfer full) (element-type SmWoRow) (nullable): the rows
 */
GPtrArray *
sm_work_order_store_list (SmWorkOrderStore  *self,
                          SmWoListFilter     filter,
                          const char        *agent,
                          const char        *search,
                          gint64             now_ms,
                          guint              limit,
                          GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_wo_row_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *query = NULL;
  g_autofree char *like = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (search != NULL ? search : ""));
  int rc;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  if (*trimmed != '\0')
    {
      query = fts_query (trimmed);
      like = like_pattern (trimmed);
    }

  if (query != NULL)
    /* The newest matches first, as a small set the rows are looked up from:
     * FTS5 walks its rowids backwards and stops at the cap, so a common word
     * costs no more than a rare one. Customer names are matched too. */
    sql = g_strdup_printf ("WITH hits (rid) AS MATERIALIZED ("
                           " SELECT rowid FROM (SELECT rowid FROM work_orders_fts"
                           "  WHERE work_orders_fts MATCH ?3 ORDER BY rowid DESC LIMIT ?6)"
                           " UNION"
                           " SELECT w2.rowid FROM customers c2"
                           "  JOIN work_orders w2 ON w2.customer_id = c2.id"
                           "  WHERE c2.name LIKE ?4 ESCAPE '\\')"
                           " SELECT " WO_COLUMNS ", c.name FROM hits"
                           " CROSS JOIN work_orders w ON w.rowid = hits.rid"
                           " LEFT JOIN customers c ON c.id = w.customer_id"
                           " WHERE %s ORDER BY %s LIMIT ?5",
                           filter_sql (filter), order_sql (filter));
  else
    sql = g_strdup_printf ("SELECT " WO_COLUMNS ", c.name FROM work_orders w"
                           " LEFT JOIN customers c ON c.id = w.customer_id"
                           " WHERE %s%s ORDER BY %s LIMIT ?5",
                           filter_sql (filter),
                           like == NULL ? ""
                           : " AND (w.summary LIKE ?4 ESCAPE '\\' OR w.description LIKE ?4 ESCAPE '\\')",
                           order_sql (filter));

  stmt = sm_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return NULL;

  for (int cap = SEARCH_CAP; ; cap = -1)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now_ms);
      sqlite3_bind_text (stmt, 3, query, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, like, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, limit);
      sqlite3_bind_int (stmt, 6, cap);

      g_ptr_array_set_size (rows, 0);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          SmWoRow *row = g_new0 (SmWoRow, 1);

          row->wo = row_to_wo (stmt);
          row->customer_name = column_dup (stmt, WO_N_COLUMNS);
          g_ptr_array_add (rows, row);
        }
      if (rc != SQLITE_DONE)
        {
          sm_store_set_error (self->store, rc, error);
          return NULL;
        }

      /* Too few rows: older matches may have been cut off by the cap */
      if (query == NULL || cap < 0 || rows->len >= limit)
        break;
    }

  return g_steal_pointer (&rows);
}

/**
 * sm_work_order_store_count:
 *
 * Returns: the number of work orders in @filter, or -1 on error
 */
gint64
sm_work_order_store_count (SmWorkOrderStore *self,
                           SmWoListFilter    filter,
                           const char       *agent,
                           gint64            now_ms)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), -1);

  sql = g_strdup_printf ("SELECT count(*) FROM work_orders w WHERE %s", filter_sql (filter));
  stmt = sm_store_prepare (self->store, sql, NULL);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * sm_work_order_store_foreach:
 * @from_ms: the first creation time, or 0
 * @to_ms: the creation time to stop before, or 0 for no end
 *
 * Calls @func for every work order created in [from, to), oldest first.
 */
gboolean
sm_work_order_store_foreach (SmWorkOrderStore  *self,
                             gint64             from_ms,
                             gint64             to_ms,
                             SmWoForeachFunc    func,
                             gpointer           user_data,
                             GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);

  stmt = sm_store_prepare (self->store,
                           "SELECT " WO_COLUMNS " FROM work_orders w"
                           " WHERE w.created_ms >= ?1 AND (?2 = 0 OR w.created_ms < ?2)"
                           " ORDER BY w.created_ms, w.id",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SmWorkOrder) wo = row_to_wo (stmt);
      func (wo, user_data);
    }
  if (rc != SQLITE_DONE)
    return sm_store_set_error (self->store, rc, error);

  return TRUE;
}

/* Drafts */

/**
 * sm_work_order_store_save_draft:
 *
 * Saves the agent's form as it is now, with its call link and what the
 * agent touched. Drafts are masked like work orders: a card or ID number
 * typed in the notes is never stored in full, not even for a moment.
 */
gboolean
sm_work_order_store_save_draft (SmWorkOrderStore   *self,
                                const char         *agent,
                                const SmWorkOrder  *wo,
                                gint64              now_ms,
                                GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(SmWorkOrder) masked = NULL;
  g_autofree char *json = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);
  g_return_val_if_fail (agent != NULL && wo != NULL, FALSE);

  masked = sm_work_order_copy (wo);
  sm_work_order_mask (masked);
  json_node_take_object (node, sm_work_order_to_json (masked));
  json = json_to_string (node, FALSE);

  stmt = sm_store_prepare (self->store,
                           "INSERT OR REPLACE INTO work_order_drafts (agent, call_id, work_order,"
                           " touched, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, masked->call_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, masked->touched);
  sqlite3_bind_int64 (stmt, 5, now_ms);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_error (self->store, rc, error);

  return TRUE;
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  SmWorkOrderStore *self = user_data;

  self->draft_id = 0;
  sm_work_order_store_flush_draft (self);

  return G_SOURCE_REMOVE;
}

/**
 * sm_work_order_store_schedule_draft:
 *
 * Saves @wo as the agent's draft soon: at most 150 ms from now, however
 * fast the changes come (the timer is not pushed back by later changes).
 */
void
sm_work_order_store_schedule_draft (SmWorkOrderStore  *self,
                                    const char        *agent,
                                    const SmWorkOrder *wo)
{
  g_return_if_fail (SM_IS_WORK_ORDER_STORE (self));
  g_return_if_fail (agent != NULL && wo != NULL);

  g_clear_pointer (&self->pending, sm_work_order_free);
  g_free (self->pending_agent);
  self->pending = sm_work_order_copy (wo);
  self->pending_agent = g_strdup (agent);

  if (self->draft_id == 0)
    self->draft_id = g_timeout_add (DRAFT_DELAY_MS, draft_timeout_cb, self);
}

/**
 * sm_work_order_store_flush_draft:
 *
 * Writes the scheduled draft now, if there is one.
 */
void
sm_work_order_store_flush_draft (SmWorkOrderStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmWorkOrder) pending = NULL;
  g_autofree char *agent = NULL;

  g_return_if_fail (SM_IS_WORK_ORDER_STORE (self));

  g_clear_handle_id (&self->draft_id, g_source_remove);
  if (self->pending == NULL)
    return;

  pending = g_steal_pointer (&self->pending);
  agent = g_steal_pointer (&self->pending_agent);

  if (!sm_work_order_store_save_draft (self, agent, pending, sm_now_ms (), &error))
    g_warning ("The work order draft was not saved: %s", error->message);
  else
    g_signal_emit (self, signals[DRAFT_SAVED], 0);
}

/**
 * sm_work_order_store_load_draft:
 * @updated_ms: (out) (optional): when it was saved
 *
 * Returns: (transfer full) (nullable): the agent's draft, with what the
 *   agent touched, or %NULL
 */
SmWorkOrder *
sm_work_order_store_load_draft (SmWorkOrderStore *self,
                                const char       *agent,
                                gint64           *updated_ms)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  SmWorkOrder *wo;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT work_order, touched, updated_ms, call_id FROM work_order_drafts"
                           " WHERE agent = ?1",
                           NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  node = json_from_string ((const char *)sqlite3_column_text (stmt, 0), &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_warning ("The work order draft of %s is unreadable: %s", agent,
                 error != NULL ? error->message : "not an object");
      return NULL;
    }

  wo = sm_work_order_from_json (json_node_get_object (node), &error);
  if (wo == NULL)
    {
      g_warning ("The work order draft of %s is unreadable: %s", agent, error->message);
      return NULL;
    }

  wo->touched = sqlite3_column_int (stmt, 1);
  if (wo->call_id == NULL)
    wo->call_id = column_dup (stmt, 3);
  if (updated_ms != NULL)
    *updated_ms = sqlite3_column_int64 (stmt, 2);

  return wo;
}

gboolean
sm_work_order_store_discard_draft (SmWorkOrderStore  *self,
                                   const char        *agent,
                                   GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), FALSE);

  /* A draft still waiting for its timer must not come back */
  if (self->pending != NULL && g_strcmp0 (self->pending_agent, agent) == 0)
    {
      g_clear_handle_id (&self->draft_id, g_source_remove);
      g_clear_pointer (&self->pending, sm_work_order_free);
      g_clear_pointer (&self->pending_agent, g_free);
    }

  stmt = sm_store_prepare (self->store, "DELETE FROM work_order_drafts WHERE agent = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return sm_store_set_error (self->store, rc, error);

  return TRUE;
}

/* Pre-fill */

static gboolean
is_repeat_contact (SmWorkOrderStore   *self,
                   const char         *customer,
                   const char         *intent,
                   const SmWoCategory *category,
                   const char         *call_id,
                   const char         *wo_id,
                   gint64              now_ms)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sm_store_prepare (self->store,
                           "SELECT 1 FROM contacts WHERE customer = ?1 AND reason = ?2"
                           " AND offered_ms >= ?3 AND id != coalesce(?4, '')"
                           " UNION ALL "
                           "SELECT 1 FROM work_orders WHERE customer_id = ?1 AND subcategory = ?5"
                           " AND created_ms >= ?3 AND coalesce(call_id, '') != coalesce(?4, '')"
                           " AND id != coalesce(?6, '') LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, intent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_ms - 7 * DAY_MS);
  sqlite3_bind_text (stmt, 4, call_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, category != NULL ? category->subcategory : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, wo_id, -1, SQLITE_STATIC);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * sm_work_order_store_prefill_from_call:
 * @chinese: whether to use the Chinese summary templates (they are used
 *   for a customer whose language is Chinese anyway)
 *
 * Runs sm_work_order_prefill() with what the store knows about @call: its
 * customer (or the only customer with its number), their risk flags, a
 * repeat contact on the same reason within 7 days, the category of the
 * top intent and, once the call has ended, the after-call summary.
 */
void
sm_work_order_store_prefill_from_call (SmWorkOrderStore *self,
                                       SmWorkOrder      *wo,
                                       SmCall           *call,
                                       gboolean          chinese,
                                       gint64            now_ms)
{
  g_autoptr(SmWoCategory) category = NULL;
  g_autoptr(SmCustomer) customer = NULL;
  g_autofree char *after_call = NULL;
  g_autofree char *customer_id = NULL;
  SmWoPrefill in = { 0 };
  const char *intent;
  SmCallState state;

  g_return_if_fail (SM_IS_WORK_ORDER_STORE (self));
  g_return_if_fail (wo != NULL);
  g_return_if_fail (SM_IS_CALL (call));

  intent = sm_call_get_intent (call);
  category = sm_work_order_store_lookup_intent (self, intent);

  customer_id = g_strdup (sm_call_get_customer_id (call));
  if (customer_id == NULL && sm_call_get_number (call) != NULL)
    {
      g_autoptr(GPtrArray) found = sm_customer_lookup_number (self->store,
                                                              sm_call_get_number (call), NULL);

      if (found != NULL && found->len == 1)
        customer_id = g_strdup (sm_customer_get_id (g_ptr_array_index (found, 0)));
    }
  if (customer_id != NULL)
    customer = sm_customer_load (self->store, customer_id, NULL);

  state = sm_call_get_state (call);
  if (state == SM_CALL_STATE_ACW || state == SM_CALL_STATE_ENDED)
    after_call = sm_wo_after_call_summary (call, wo->description, now_ms);

  in.call_id = sm_call_get_id (call);
  in.customer_id = customer_id;
  in.number = sm_call_get_number (call);
  in.outbound = sm_call_get_direction (call) == SM_CALL_DIRECTION_OUTBOUND;
  in.category = category;
  in.risk_flags = customer != NULL ? sm_customer_get_flags (customer) : NULL;
  in.repeat_contact = customer_id != NULL && intent != NULL &&
                      is_repeat_contact (self, customer_id, intent, category,
                                         sm_call_get_id (call), wo->id, now_ms);
  in.notes = wo->description;
  in.after_call = after_call;
  /* The summary in the customer's language when it is Chinese */
  in.chinese = chinese ||
               (customer != NULL && sm_customer_get_language (customer) != NULL &&
                g_str_has_prefix (sm_customer_get_language (customer), "zh"));

  sm_work_order_prefill (wo, &in);
}

/* GObject */

static void
sm_work_order_store_dispose (GObject *object)
{
  SmWorkOrderStore *self = (SmWorkOrderStore *)object;

  /* Nothing typed is lost when the window closes */
  if (self->store != NULL)
    sm_work_order_store_flush_draft (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_work_order_store_parent_class)->dispose (object);
}

static void
sm_work_order_store_finalize (GObject *object)
{
  SmWorkOrderStore *self = (SmWorkOrderStore *)object;

  g_clear_pointer (&self->pending, sm_work_order_free);
  g_clear_pointer (&self->pending_agent, g_free);

  G_OBJECT_CLASS (sm_work_order_store_parent_class)->finalize (object);
}

static void
sm_work_order_store_class_init (SmWorkOrderStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_work_order_store_dispose;
  object_class->finalize = sm_work_order_store_finalize;

  /**
   * SmWorkOrderStore::draft-saved:
   *
   * A scheduled draft reached the database.
   */
  signals[DRAFT_SAVED] =
    g_signal_new ("draft-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sm_work_order_store_init (SmWorkOrderStore *self)
{
  sm_wo_policy_init (&self->policy);
}

/**
 * sm_work_order_store_new:
 *
 * Returns: (transfer full): work orders in @store
 */
SmWorkOrderStore *
sm_work_order_store_new (SmStore *store)
{
  SmWorkOrderStore *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_WORK_ORDER_STORE, NULL);
  self->store = g_object_ref (store);

  return self;
}

SmStore *
sm_work_order_store_get_store (SmWorkOrderStore *self)
{
  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);
  return self->store;
}

void
sm_work_order_store_set_policy (SmWorkOrderStore *self,
                                const SmWoPolicy *policy)
{
  g_return_if_fail (SM_IS_WORK_ORDER_STORE (self));
  g_return_if_fail (policy != NULL);

  self->policy = *policy;
}

const SmWoPolicy *
sm_work_order_store_get_policy (SmWorkOrderStore *self)
{
  g_return_val_if_fail (SM_IS_WORK_ORDER_STORE (self), NULL);
  return &self->policy;
}
