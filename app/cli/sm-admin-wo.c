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

#define WO_USAGE "wo export --csv|--jsonl [--from TIME] [--to TIME] | wo import FILE.jsonl |\n" \
  "       wo list [mine|open|near-due|overdue|complaints|all] [--agent ID] [--search TEXT] |\n" \
  "       wo history ID | wo status ID STATUS [--agent ID]"

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

  /* The category map gives the resolution time of lines without one */
  if (!sm_work_order_store_load_reference (wos, &error))
    return sm_admin_fail (error);

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

static int
wo_list (SmAdminContext  *ctx,
         int              argc,
         char           **argv)
{
  static const char * const filters[] = { "mine", "open", "near-due", "overdue", "complaints", "all" };
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  SmWoListFilter filter = SM_WO_LIST_OPEN;
  const char *agent = "a7";
  const char *search = NULL;
  SmStore *store;
  gint64 now = sm_now_ms ();

  for (int i = 2; i < argc; i++)
    {
      gboolean known = FALSE;

      for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
        if (g_str_equal (argv[i], filters[f]))
          {
            filter = f;
            known = TRUE;
          }
      if (known)
        continue;
      if (g_str_equal (argv[i], "--agent") && i + 1 < argc)
        agent = argv[++i];
      else if (g_str_equal (argv[i], "--search") && i + 1 < argc)
        search = argv[++i];
      else
        return sm_admin_usage (WO_USAGE);
    }

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  wos = sm_work_order_store_new (store);

  rows = sm_work_order_store_list (wos, filter, agent, search, now, 1000, &error);
  if (rows == NULL)
    return sm_admin_fail (error);

  for (guint i = 0; i < rows->len; i++)
    {
      SmWoRow *row = g_ptr_array_index (rows, i);
      SmWorkOrder *wo = row->wo;
      g_autofree char *created = sm_time_format_ms (wo->created_ms);
      g_autofree char *due = NULL;
      g_autofree char *summary = g_strdup (wo->summary);
      char *nl = strchr (summary, '\n');
      const char *clock;

      if (nl != NULL)
        *nl = '\0';
      switch (sm_work_order_get_clock (wo, sm_work_order_store_get_policy (wos), now))
        {
        case SM_WO_CLOCK_OVERDUE:  clock = "overdue"; break;
        case SM_WO_CLOCK_NEAR_DUE: clock = "near-due"; break;
        case SM_WO_CLOCK_RUNNING:  clock = "running"; break;
        case SM_WO_CLOCK_STOPPED:
        default:                   clock = "stopped"; break;
        }
      if (sm_work_order_get_next_due (wo, NULL) != 0)
        due = sm_time_format_ms (sm_work_order_get_next_due (wo, NULL));

      printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", wo->id, sm_wo_status_to_string (wo->status),
              sm_wo_level_to_string (wo->complaint_level), clock, due != NULL ? due : "-",
              created, row->customer_name ?: (wo->customer_id ?: "-"), summary);
    }

  return SM_ADMIN_EXIT_OK;
}

static int
wo_history (SmAdminContext *ctx,
            const char     *id)
{
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(SmWorkOrder) wo = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  SmStore *store;

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  wos = sm_work_order_store_new (store);

  if ((wo = sm_work_order_store_load (wos, id, &error)) == NULL ||
      (events = sm_work_order_store_history (wos, id, &error)) == NULL)
    return sm_admin_fail (error);

  for (guint i = 0; i < events->len; i++)
    {
      SmWoEvent *event = g_ptr_array_index (events, i);
      g_autofree char *at = sm_time_format_ms (event->at_ms);

      printf ("%s\t%s\t%s\t%s\t%s\n", at, event->agent != NULL ? event->agent : "-", event->event,
              sm_wo_status_to_string (event->from), sm_wo_status_to_string (event->to));
    }

  return SM_ADMIN_EXIT_OK;
}

static int
wo_status (SmAdminContext  *ctx,
           int              argc,
           char           **argv)
{
  g_autoptr(SmWorkOrderStore) wos = NULL;
  g_autoptr(GError) error = NULL;
  const char *agent = "admin";
  SmWoStatus to;
  SmStore *store;

  if (argc != 4 && !(argc == 6 && g_str_equal (argv[4], "--agent")))
    return sm_admin_usage (WO_USAGE);
  if (argc == 6)
    agent = argv[5];
  if (!sm_wo_status_from_string (argv[3], &to))
    {
      g_printerr (_("seatmate-admin: unknown status “%s”\n"), argv[3]);
      return SM_ADMIN_EXIT_USAGE;
    }

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  wos = sm_work_order_store_new (store);

  if (!sm_work_order_store_transition (wos, argv[2], to, agent, sm_now_ms (), &error))
    return sm_admin_fail (error);

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
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return wo_list (ctx, argc, argv);
  if (argc == 3 && g_str_equal (argv[1], "history"))
    return wo_history (ctx, argv[2]);
  if (argc >= 4 && g_str_equal (argv[1], "status"))
    return wo_status (ctx, argc, argv);

  return sm_admin_usage (WO_USAGE);
}
