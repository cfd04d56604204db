/* sm-records.c: JSON Lines records (DESIGN.md) in and out of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-records"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-records.h"
#include "sm-work-order-store.h"

G_DEFINE_QUARK (sm-records-error-quark, sm_records_error)

/* Field readers: each returns FALSE with an error naming the field */

static gboolean
get_string (JsonObject  *obj,
            const char  *field,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                       _("the field “%s” is missing"), field);
          return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("the field “%s” must be a string"), field);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_time (JsonObject       *obj,
          const char       *field,
          gboolean          required,
          SmRecordsImport  *import,
          gboolean         *present,
          gint64           *ms,
          GError          **error)
{
  const char *str;

  *present = FALSE;
  if (!get_string (obj, field, required, &str, error))
    return FALSE;
  if (str == NULL)
    return TRUE;

  if (!sm_time_parse_ms (str, ms))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("the field “%s” is not an RFC 3339 time: “%s”"), field, str);
      return FALSE;
    }

  *ms += import->shift_ms;
  *present = TRUE;
  return TRUE;
}

static gboolean
get_int (JsonObject  *obj,
         const char  *field,
         gboolean    *present,
         gint64      *value,
         GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("the field “%s” must be a number"), field);
      return FALSE;
    }

  *value = json_node_get_value_type (node) == G_TYPE_INT64
             ? json_node_get_int (node)
             : (gint64)json_node_get_double (node);
  *present = TRUE;
  return TRUE;
}

static gboolean
step_done (SmStore       *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return sm_store_set_error (store, rc, error);

  return TRUE;
}

static void
bind_opt_time (sqlite3_stmt *stmt,
               int           col,
               gboolean      present,
               gint64        ms)
{
  if (present)
    sqlite3_bind_int64 (stmt, col, ms);
  else
    sqlite3_bind_null (stmt, col);
}

/* Record types */

static gboolean
insert_contact (SmStore          *store,
                JsonObject       *obj,
                SmRecordsImport  *import,
                GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *id, *queue, *agent, *disposition, *customer, *reason, *direction, *number;
  gint64 offered = 0, answered = 0, ended = 0, acw_end = 0, hold_s = 0, csat = 0, nps = 0;
  gboolean has_offered, has_answered, has_ended, has_acw, has_hold, has_csat, has_nps;
  gboolean transferred = FALSE;

  if (!get_string (obj, "id", TRUE, &id, error) ||
      !get_string (obj, "queue", FALSE, &queue, error) ||
      !get_string (obj, "agent", FALSE, &agent, error) ||
      !get_string (obj, "disposition", FALSE, &disposition, error) ||
      !get_string (obj, "customer", FALSE, &customer, error) ||
      !get_string (obj, "reason", FALSE, &reason, error) ||
      !get_string (obj, "direction", FALSE, &direction, error) ||
      !get_string (obj, "number", FALSE, &number, error) ||
      !get_time (obj, "offered", TRUE, import, &has_offered, &offered, error) ||
      !get_time (obj, "answered", FALSE, import, &has_answered, &answered, error) ||
      !get_time (obj, "ended", FALSE, import, &has_ended, &ended, error) ||
      !get_time (obj, "acw_end", FALSE, import, &has_acw, &acw_end, error) ||
      !get_int (obj, "hold_s", &has_hold, &hold_s, error) ||
      !get_int (obj, "csat", &has_csat, &csat, error) ||
      !get_int (obj, "nps", &has_nps, &nps, error))
    return FALSE;

  if (json_object_has_member (obj, "transferred"))
    {
      JsonNode *node = json_object_get_member (obj, "transferred");
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                       _("the field “%s” must be true or false"), "transferred");
          return FALSE;
        }
      transferred = json_node_get_boolean (node);
    }

  if ((has_answered && answered < offered) || (has_ended && ended < offered) ||
      (has_answered && has_ended && ended < answered) || (has_acw && (!has_ended || acw_end < ended)))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("the times of contact “%s” are out of order"), id);
      return FALSE;
    }
  if ((has_csat && (csat < 1 || csat > 5)) || (has_nps && (nps < 0 || nps > 10)) ||
      (has_hold && hold_s < 0))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("a rating or hold time of contact “%s” is out of range"), id);
      return FALSE;
    }

  stmt = sm_store_prepare (store,
                           "INSERT OR REPLACE INTO contacts (id, queue, agent, direction, number,"
                           " offered_ms, answered_ms, ended_ms, acw_end_ms, hold_s, transferred,"
                           " disposition, customer, reason, csat, nps)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, queue, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, direction ? direction : "inbound", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, number, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, offered);
  bind_opt_time (stmt, 7, has_answered, answered);
  bind_opt_time (stmt, 8, has_ended, ended);
  bind_opt_time (stmt, 9, has_acw, acw_end);
  sqlite3_bind_int64 (stmt, 10, has_hold ? hold_s : 0);
  sqlite3_bind_int (stmt, 11, transferred);
  sqlite3_bind_text (stmt, 12, disposition, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, reason, -1, SQLITE_STATIC);
  bind_opt_time (stmt, 15, has_csat, csat);
  bind_opt_time (stmt, 16, has_nps, nps);

  if (!step_done (store, stmt, error))
    return FALSE;

  import->n_contacts++;
  return TRUE;
}

static gboolean
insert_interval (SmStore          *store,
                 JsonObject       *obj,
                 gboolean          is_shift,
                 SmRecordsImport  *import,
                 GError          **error)
{
  static const char * const activities[] = { "work", "break", "lunch", "meeting", "training", NULL };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *agent, *kind;
  gint64 start = 0, end = 0;
  gboolean has_start, has_end;
  SmAgentState state;

  if (!get_string (obj, "agent", TRUE, &agent, error) ||
      !get_string (obj, is_shift ? "activity" : "state", TRUE, &kind, error) ||
      !get_time (obj, "start", TRUE, import, &has_start, &start, error) ||
      !get_time (obj, "end", is_shift, import, &has_end, &end, error))
    return FALSE;

  if (is_shift ? !g_strv_contains (activities, kind) : !sm_agent_state_from_string (kind, &state))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   is_shift ? _("unknown shift activity “%s”") : _("unknown agent state “%s”"),
                   kind);
      return FALSE;
    }

  if (has_end && (is_shift ? end <= start : end < start))
    {
      g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                   _("the interval ends before it starts"));
      return FALSE;
    }

  stmt = sm_store_prepare (store,
                           is_shift
                             ? "INSERT INTO shifts (agent, activity, start_ms, end_ms) VALUES (?1, ?2, ?3, ?4)"
                             : "INSERT INTO agent_states (agent, state, start_ms, end_ms) VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, agent, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, start);
  bind_opt_time (stmt, 4, has_end, end);

  if (!step_done (store, stmt, error))
    return FALSE;

  if (is_shift)
    import->n_shifts++;
  else
    import->n_states++;

  return TRUE;
}

static gboolean
insert_agent (SmStore          *store,
              JsonObject       *obj,
              SmRecordsImport  *import,
              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *id, *name, *team;

  if (!get_string (obj, "id", TRUE, &id, error) ||
      !get_string (obj, "name", TRUE, &name, error) ||
      !get_string (obj, "team", FALSE, &team, error))
    return FALSE;

  stmt = sm_store_prepare (store,
                           "INSERT OR REPLACE INTO agents (id, name, team) VALUES (?1, ?2, ?3)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, team, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, error))
    return FALSE;

  import->n_agents++;
  return TRUE;
}

static void
bind_named (sqlite3_stmt *stmt,
            const char   *name,
            const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* Inserts a customer's phones, cards or flags. Each entry is a string (the
 * key) or an object with the key member and, where the table has them, a
 * detail member and a status. The SQL names what it takes: :customer,
 * :key, :detail, :status. */
static gboolean
insert_items (SmStore     *store,
              const char  *sql,
              const char  *customer,
              JsonArray   *array,
              const char  *key_field,
              const char  *detail_field,
              GError     **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (store, sql, error);
      JsonNode *node = json_array_get_element (array, i);
      const char *key = NULL, *detail = NULL, *status = NULL;

      if (stmt == NULL)
        return FALSE;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          key = json_node_get_string (node);
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *item = json_node_get_object (node);

          if (!get_string (item, key_field, TRUE, &key, error) ||
              (detail_field != NULL && !get_string (item, detail_field, FALSE, &detail, error)) ||
              !get_string (item, "status", FALSE, &status, error))
            return FALSE;
        }
      else
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                       _("an entry of “%s” has the wrong type"), key_field);
          return FALSE;
        }

      bind_named (stmt, ":customer", customer);
      bind_named (stmt, ":key", key);
      bind_named (stmt, ":detail", detail);
      bind_named (stmt, ":status", status != NULL ? status : "active");

      if (!step_done (store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static JsonArray *
get_array (JsonObject *obj,
           const char *field)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);

  return NULL;
}

static gboolean
insert_customer (SmStore          *store,
                 JsonObject       *obj,
                 SmRecordsImport  *import,
                 GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *products = NULL;
  const char *id, *name, *segment, *language, *since;
  JsonArray *array;

  if (!get_string (obj, "id", TRUE, &id, error) ||
      !get_string (obj, "name", TRUE, &name, error) ||
      !get_string (obj, "segment", FALSE, &segment, error) ||
      !get_string (obj, "language", FALSE, &language, error) ||
      !get_string (obj, "since", FALSE, &since, error))
    return FALSE;

  if ((array = get_array (obj, "products")) != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *product = json_array_get_string_element (array, i);
          if (product != NULL)
            g_ptr_array_add (names, (char *)product);
        }
      g_ptr_array_add (names, NULL);
      products = g_strjoinv ("\n", (char **)names->pdata);
    }

  stmt = sm_store_prepare (store,
                           "INSERT OR REPLACE INTO customers (id, name, segment, language,"
                           " customer_since, products) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, segment, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, language, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, since, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, products, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, error))
    return FALSE;

  if (!insert_items (store,
                     "INSERT OR IGNORE INTO customer_phones (customer_id, number)"
                     " VALUES (:customer, :key)",
                     id, get_array (obj, "phones"), "number", NULL, error) ||
      !insert_items (store,
                     "INSERT INTO cards (customer_id, masked, product, status)"
                     " VALUES (:customer, :key, :detail, :status)",
                     id, get_array (obj, "cards"), "masked", "product", error) ||
      !insert_items (store,
                     "INSERT OR REPLACE INTO risk_flags (customer_id, flag, note)"
                     " VALUES (:customer, :key, :detail)",
                     id, get_array (obj, "flags"), "flag", "note", error))
    return FALSE;

  import->n_customers++;
  return TRUE;
}

static gboolean
insert_work_order (SmStore          *store,
                   JsonObject       *obj,
                   SmRecordsImport  *import,
                   GError          **error)
{
  g_autoptr(SmWorkOrder) wo = NULL;
  SmWoPolicy policy;
  const char *unused;
  gint64 created = 0;
  gboolean has_created;

  /* Checked here for the messages of this file; the rest is read by
   * sm_work_order_from_json() and written (masked, with its search index
   * and clocks) by sm_work_order_store_write(). */
  if (!get_string (obj, "id", TRUE, &unused, error) ||
      !get_string (obj, "channel", TRUE, &unused, error) ||
      !get_time (obj, "created", TRUE, import, &has_created, &created, error))
    return FALSE;

  wo = sm_work_order_from_json (obj, error);
  if (wo == NULL)
    return FALSE;

  /* Move every time of the record like the others */
#define SHIFT(field) if (wo->field != 0) wo->field += import->shift_ms
  SHIFT (created_ms);
  SHIFT (updated_ms);
  SHIFT (callback_ms);
  SHIFT (first_response_due_ms);
  SHIFT (resolution_due_ms);
  SHIFT (first_response_ms);
  SHIFT (resolved_ms);
#undef SHIFT

  sm_wo_policy_init (&policy);
  if (!sm_work_order_store_write (store, wo, &policy, "imported", wo->agent,
                                  wo->updated_ms != 0 ? wo->updated_ms : wo->created_ms, error))
    return FALSE;

  import->n_work_orders++;
  return TRUE;
}

/* Public API */

/**
 * sm_records_insert:
 * @record: one JSON Lines record, with a "type" member
 *
 * Inserts one record. Unknown fields are ignored; unknown types are an error.
 * The caller owns the transaction.
 */
gboolean
sm_records_insert (SmStore          *store,
                   JsonObject       *record,
                   SmRecordsImport  *import,
                   GError          **error)
{
  const char *type;

  if (!get_string (record, "type", TRUE, &type, error))
    return FALSE;

  if (g_str_equal (type, "contact"))
    return insert_contact (store, record, import, error);
  if (g_str_equal (type, "state"))
    return insert_interval (store, record, FALSE, import, error);
  if (g_str_equal (type, "shift"))
    return insert_interval (store, record, TRUE, import, error);
  if (g_str_equal (type, "agent"))
    return insert_agent (store, record, import, error);
  if (g_str_equal (type, "customer"))
    return insert_customer (store, record, import, error);
  if (g_str_equal (type, "work_order"))
    return insert_work_order (store, record, import, error);

  g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
               _("unknown record type “%s”"), type);
  return FALSE;
}

/**
 * sm_records_import_stream:
 * @name: the name of the input, for error messages
 *
 * Imports every line of @stream in one transaction: a malformed line is
 * reported with its number and nothing of the input is kept.
 */
gboolean
sm_records_import_stream (SmStore          *store,
                          GInputStream     *stream,
                          const char       *name,
                          SmRecordsImport  *import,
                          GError          **error)
{
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (stream);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  SmRecordsImport counts = { .shift_ms = import != NULL ? import->shift_ms : 0 };
  guint line_no = 0;

  if (!sm_store_begin (store, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *line = NULL;
      gsize len;
      JsonNode *root;

      line = g_data_input_stream_read_line_utf8 (data, &len, NULL, &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_PARSE,
                       _("%s:%u: %s"), name, line_no + 1, local_error->message);
          goto fail;
        }
      if (line == NULL)
        break;

      line_no++;
      g_strstrip (line);
      if (line[0] == '\0')
        continue;

      if (!json_parser_load_from_data (parser, line, -1, &local_error))
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_PARSE,
                       _("%s:%u: not valid JSON: %s"), name, line_no, local_error->message);
          goto fail;
        }

      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_PARSE,
                       _("%s:%u: a record must be a JSON object"), name, line_no);
          goto fail;
        }

      if (!sm_records_insert (store, json_node_get_object (root), &counts, &local_error))
        {
          g_set_error (error, SM_RECORDS_ERROR, SM_RECORDS_ERROR_INVALID,
                       _("%s:%u: %s"), name, line_no, local_error->message);
          goto fail;
        }
    }

  if (!sm_store_commit (store, error))
    goto fail;

  if (import != NULL)
    *import = counts;

  return TRUE;

fail:
  sm_store_rollback (store);
  return FALSE;
}

gboolean
sm_records_import_file (SmStore          *store,
                        const char       *path,
                        SmRecordsImport  *import,
                        GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GBufferedInputStream) buffered = NULL;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return FALSE;

  buffered = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (G_INPUT_STREAM (stream),
                                                                        1 << 16));
  return sm_records_import_stream (store, G_INPUT_STREAM (buffered), path, import, error);
}
