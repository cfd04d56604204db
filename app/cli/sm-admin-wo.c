/* sm-admin-wo.c: `seatmate-admin wo …`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "sm-admin.h"
#include "sm-mask.h"
#include "sm-work-order-store.h"

#define WO_USAGE "wo export --csv|--jsonl [--from TIME] [--to TIME] | wo import FILE.jsonl"

static const char * const csv_columns[] = {
  "id", "customer", "channel", "category", "subcategory", "priority", "complaint_level",
  "summary", "description", "dispositions", "department", "status", "created", "updated",
  "first_response_due", "resolution_due", "agent", "call",
};

static void
csv_field (GString    *line,
           const char *value)
{
  if (line->len > 0)
    g_string_append_c (line, ',');
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (line, '"');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else
    {
      g_string_append (line, value);
    }
}

static void
csv_time (GString *line,
          gint64   ms)
{
  g_autofree char *text = ms != 0 ? sm_time_format_ms (ms) : NULL;
  csv_field (line, text);
}

static void
export_csv_cb (SmWorkOrder *wo,
               gpointer     user_data)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *dispositions = g_strjoinv (";", wo->dispositions);

  /* Stored work orders are masked; exports are masked again all the same */
  sm_work_order_mask (wo);

  csv_field (line, wo->id);
  csv_field (line, wo->customer_id);
  csv_field (line, sm_wo_channel_to_string (wo->channel));
  csv_field (line, wo->category);
  csv_field (line, wo->subcategory);
  csv_field (line, sm_wo_priority_to_string (wo->priority));
  csv_field (line, sm_wo_level_to_string (wo->complaint_level));
  csv_field (line, wo->summary);
  csv_field (line, wo->description);
  csv_field (line, dispositions);
  csv_field (line, wo->department);
  csv_field (line, sm_wo_status_to_string (wo->status));
  csv_time (line, wo->created_ms);
  csv_time (line, wo->updated_ms);
  csv_time (line, wo->first_response_due_ms);
  csv_time (line, wo->resolution_due_ms);
  csv_field (line, wo->agent);
  csv_field (line, wo->call_id);

  printf ("%s\r\n", line->str);
  (*(guint *)user_data)++;
}

static void
export_jsonl_cb (SmWorkOrder *wo,
                 gpointer     user_data)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  sm_work_order_mask (wo);
  json_node_take_object (node, sm_work_order_to_json (wo));
  text = json_to_string (node, FALSE);
  printf ("%s\n", text);
  (*(guint *)user_data)++;
}

static int
wo_export (SmAdminContext  *ctx,
           int              argc,
           char           **argv)
{
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GError) error = NULL;
  gboolean csv = FALSE, jsonl = FALSE;
  gint64 from = 0, to = 0;
  SmStore *store;
  guint n = 0;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--csv"))
        csv = TRUE;
      else if (g_str_equal (argv[i], "--jsonl"))
        jsonl = TRUE;
      else if ((g_str_equal (argv[i], "--from") || g_str_equal (argv[i], "--to")) && i + 1 < argc)
        {
          gint64 *target = g_str_equal (argv[i], "--from") ? &from : &to;

          if (!sm_time_parse_ms (argv[i + 1], target))
            {
              g_printerr (_("seatmate-admin: “%s” is not an RFC 3339 time\n"), argv[i + 1]);
              return SM_ADMIN_EXIT_USAGE;
            }
          i++;
        }
      else
        return sm_admin_usage (WO_USAGE);
    }

  if (csv == jsonl)
    return sm_admin_usage (WO_USAGE);

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  wos = sm_work_order_store_new (store);

  if (csv)
    {
      g_autoptr(GString) header = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
        csv_field (header, csv_columns[i]);
      printf ("%s\r\n", header->str);
    }

  if (!sm_work_order_store_foreach (wos, from, to, csv ? export_csv_cb : export_jsonl_cb, &n, &error))
    return sm_admin_fail (error);

  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u work order exported\n",
                           "%u work orders exported\n", n), n);
  return SM_ADMIN_EXIT_OK;
}

static int
wo_import (SmAdminContext *ctx,
           const char     *path)
{
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  SmStore *store;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    return sm_admin_fail (error);
  if (!g_utf8_validate (contents, -1, NULL))
    {
      g_printerr (_("seatmate-admin: %s: the file is not UTF-8\n"), path);
      return SM_ADMIN_EXIT_FAILED;
    }

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  wos = sm_work_order_store_new (store);

  /* One transaction: a bad line leaves the store as it was */
  if (!sm_store_begin (store, &error))
    return sm_admin_fail (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(SmWorkOrder) wo = NULL;
      g_autoptr(GError) line_error = NULL;
      g_strstrip (lines[i]);

      if (lines[i][0] == '\0')
        continue;

      node = json_from_string (lines[i], &line_error);
      if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
        g_set_error (&line_error, SM_WORK_ORDER_ERROR, SM_WORK_ORDER_ERROR_INVALID,
                     _("a line must hold one JSON object"));
      if (line_error == NULL)
        wo = sm_work_order_from_json (json_node_get_object (node), &line_error);
      if (wo != NULL)
        sm_work_order_store_import (wos, wo, &line_error);

      if (line_error != NULL)
        {
          sm_store_rollback (store);
          /* The message may quote the line: never print a number in full */
          {
            g_autofree char *masked = sm_mask_text (line_error->message, NULL);
            g_printerr ("seatmate-admin: %s:%u: %s\n", path, i + 1, masked);
          }
          g_printerr (_("seatmate-admin: nothing was imported\n"));
          return SM_ADMIN_EXIT_FAILED;
        }
      n++;
    }

  if (!sm_store_commit (store, &error))
    {
      sm_store_rollback (store);
      return sm_admin_fail (error);
    }

  printf (g_dngettext (GETTEXT_PACKAGE, "%u work order imported\n",
                       "%u work orders imported\n", n), n);
  return SM_ADMIN_EXIT_OK;
}

int
sm_admin_wo (SmAdminContext  *ctx,
             int              argc,
             char           **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return wo_export (ctx, argc, argv);
  if (argc == 3 && g_str_equal (argv[1], "import"))
    return wo_import (ctx, argv[2]);

  return sm_admin_usage (WO_USAGE);
}
