/* sm-admin-metrics.c: `seatmate-admin events|metrics|schedule|demo …`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sm-admin.h"
#include "sm-demo-generator.h"
#include "sm-metrics.h"
#include "sm-records.h"
#include "sm-schedule.h"

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = sm_time_format_ms (ms);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
print_import (const SmRecordsImport *import)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_int (builder, "agents", import->n_agents);
  add_int (builder, "customers", import->n_customers);
  add_int (builder, "contacts", import->n_contacts);
  add_int (builder, "states", import->n_states);
  add_int (builder, "shifts", import->n_shifts);
  add_int (builder, "work_orders", import->n_work_orders);
  json_builder_end_object (builder);
  print_json (builder);
}

/* A time such as 2026-01-05T08:00:00Z, or a day (2026-01-05: local midnight) */
static gboolean
parse_time_arg (const char *text,
                gint64     *ms)
{
  if (sm_time_parse_ms (text, ms))
    return TRUE;

  return sm_demo_generator_parse_date (text, ms);
}

/* events */

int
sm_admin_events (SmAdminContext  *ctx,
                 int              argc,
                 char           **argv)
{
  static const char *usage = "events import FILE.jsonl";
  g_autoptr(GError) error = NULL;
  SmRecordsImport import = { 0 };
  SmStore *store;

  if (argc != 3 || !g_str_equal (argv[1], "import"))
    return sm_admin_usage (usage);

  store = sm_admin_get_store (ctx);
  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  if (!sm_records_import_file (store, argv[2], &import, &error))
    return sm_admin_fail (error);

  print_import (&import);
  return SM_ADMIN_EXIT_OK;
}

/* metrics */

static void
read_settings (SmMetricsQuery *query)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL)
    return;

  schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL)
    return;

  settings = g_settings_new_full (schema, NULL, NULL);
  query->service_level_s = g_settings_get_uint (settings, "service-level-seconds");
  query->short_abandon_s = g_settings_get_uint (settings, "short-abandon-seconds");
}

static gboolean
data_span (SmStore  *store,
           gint64   *from_ms,
           gint64   *to_ms)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = sm_store_prepare (store,
                           "SELECT min (lo), max (hi) FROM ("
                           " SELECT min (offered_ms) AS lo, max (offered_ms) + 1 AS hi FROM contacts"
                           " UNION ALL SELECT min (start_ms), max (coalesce (end_ms, start_ms + 1)) FROM agent_states"
                           " UNION ALL SELECT min (start_ms), max (end_ms) FROM shifts)",
                           NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW ||
      sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return FALSE;

  *from_ms = sqlite3_column_int64 (stmt, 0);
  *to_ms = sqlite3_column_int64 (stmt, 1);
  return *to_ms > *from_ms;
}

/* Figures with two decimals at most: json-glib would print 72.640000000000001 */
static void
print_counts (const SmMetricsCounts *c)
{
  g_autoptr(GString) line = g_string_new ("{");
  g_autofree char *start = sm_time_format_ms (c->start_ms);
  g_autofree char *end = sm_time_format_ms (c->end_ms);

  g_string_append_printf (line, "\"start\":\"%s\",\"end\":\"%s\"", start, end);
  g_string_append_printf (line, ",\"offered\":%" G_GINT64_FORMAT ",\"answered\":%" G_GINT64_FORMAT
                          ",\"abandoned\":%" G_GINT64_FORMAT ",\"short_abandoned\":%" G_GINT64_FORMAT
                          ",\"handled\":%" G_GINT64_FORMAT,
                          c->offered, c->answered, c->abandoned, c->short_abandoned, c->handled);

  for (SmFigure f = 0; f < SM_N_FIGURES; f++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double value;

      g_string_append_printf (line, ",\"%s\":", sm_figure_get_name (f));
      if (sm_metrics_get_figure (c, f, &value))
        {
          value = round (value * 100) / 100;
          g_ascii_formatd (buf, sizeof buf, "%.2f", value);
          /* 33.30 → 33.3, 20.00 → 20 */
          if (strchr (buf, '.') != NULL)
            {
              char *p = buf + strlen (buf) - 1;
              while (*p == '0')
                *p-- = '\0';
              if (*p == '.')
                *p = '\0';
            }
          if (g_str_equal (buf, "-0"))
            strcpy (buf, "0");
          g_string_append (line, buf);
        }
      else
        g_string_append (line, "null");
    }

  g_string_append_c (line, '}');
  printf ("%s\n", line->str);
}

int
sm_admin_metrics (SmAdminContext  *ctx,
                  int              argc,
                  char           **argv)
{
  static const char *usage =
    "metrics [--events FILE.jsonl] [--from T] [--to T] [--agent ID] [--queue Q] [--interval 30m]";
  g_autoptr(GError) error = NULL;
  g_autoptr(SmStore) memory = NULL;
  g_autoptr(GArray) result = NULL;
  const char *events = NULL;
  gboolean has_from = FALSE, has_to = FALSE;
  SmMetricsQuery query;
  SmStore *store;

  sm_metrics_query_init (&query);
  read_settings (&query);

  for (int i = 1; i < argc; i++)
    {
      const char *opt = argv[i];
      const char *val = i + 1 < argc ? argv[i + 1] : NULL;

      if (val == NULL)
        return sm_admin_usage (usage);

      if (g_str_equal (opt, "--events"))
        events = val;
      else if (g_str_equal (opt, "--from"))
        {
          if (!parse_time_arg (val, &query.from_ms))
            {
              g_printerr (_("seatmate-admin: “%s” is not a time (use 2026-01-05T08:00:00Z or 2026-01-05)\n"), val);
              return SM_ADMIN_EXIT_USAGE;
            }
          has_from = TRUE;
        }
      else if (g_str_equal (opt, "--to"))
        {
          if (!parse_time_arg (val, &query.to_ms))
            {
              g_printerr (_("seatmate-admin: “%s” is not a time (use 2026-01-05T08:00:00Z or 2026-01-05)\n"), val);
              return SM_ADMIN_EXIT_USAGE;
            }
          has_to = TRUE;
        }
      else if (g_str_equal (opt, "--agent"))
        query.agent = val;
      else if (g_str_equal (opt, "--queue"))
        query.queue = val;
      else if (g_str_equal (opt, "--interval"))
        {
          if (!sm_metrics_parse_duration (val, &query.interval_ms))
            {
              g_printerr (_("seatmate-admin: “%s” is not a duration (use 15m, 30m, 1h)\n"), val);
              return SM_ADMIN_EXIT_USAGE;
            }
        }
      else
        return sm_admin_usage (usage);

      i++;
    }

  if (events != NULL)
    {
      SmRecordsImport import = { 0 };

      memory = sm_store_open (":memory:", &error);
      if (memory == NULL || !sm_records_import_file (memory, events, &import, &error))
        return sm_admin_fail (error);
      store = memory;
    }
  else
    {
      store = sm_admin_get_store (ctx);
      if (store == NULL)
        return SM_ADMIN_EXIT_FAILED;
    }

  if (!has_from || !has_to)
    {
      gint64 lo, hi;

      if (!data_span (store, &lo, &hi))
        {
          g_printerr (_("seatmate-admin: there are no contacts, states or shifts to measure\n"));
          return SM_ADMIN_EXIT_OK;
        }
      if (!has_from)
        query.from_ms = has_to ? MIN (lo, query.to_ms - 1) : lo;
      if (!has_to)
        query.to_ms = MAX (hi, query.from_ms + 1);
    }

  result = sm_metrics_compute (store, &query, &error);
  if (result == NULL)
    return sm_admin_fail (error);

  for (guint i = 0; i < result->len; i++)
    print_counts (&g_array_index (result, SmMetricsCounts, i));

  return SM_ADMIN_EXIT_OK;
}

/* schedule */

static int
schedule_show (SmAdminContext  *ctx,
               int              argc,
               char           **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  const char *agent = NULL;
  gint64 from = 0, to = G_MAXINT64 / 2;
  SmStore *store;

  for (int i = 2; i < argc; i += 2)
    {
      if (i + 1 >= argc)
        return sm_admin_usage ("schedule show [--agent ID] [--date YYYY-MM-DD]");
      if (g_str_equal (argv[i], "--agent"))
        agent = argv[i + 1];
      else if (g_str_equal (argv[i], "--date") && sm_demo_generator_parse_date (argv[i + 1], &from))
        to = from + 24 * 3600 * 1000LL;
      else
        return sm_admin_usage ("schedule show [--agent ID] [--date YYYY-MM-DD]");
    }

  store = sm_admin_get_store (ctx);
  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  shifts = sm_schedule_load (store, agent, from, to, &error);
  if (shifts == NULL)
    return sm_admin_fail (error);

  for (guint i = 0; i < shifts->len; i++)
    {
      const SmShift *shift = g_ptr_array_index (shifts, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "shift");
      json_builder_set_member_name (builder, "agent");
      json_builder_add_string_value (builder, shift->agent);
      json_builder_set_member_name (builder, "activity");
      json_builder_add_string_value (builder, sm_activity_to_string (shift->activity));
      add_time (builder, "start", shift->start_ms);
      add_time (builder, "end", shift->end_ms);
      json_builder_end_object (builder);
      print_json (builder);
    }

  return SM_ADMIN_EXIT_OK;
}

int
sm_admin_schedule (SmAdminContext  *ctx,
                   int              argc,
                   char           **argv)
{
  static const char *usage = "schedule import FILE.csv|FILE.jsonl | schedule show [--agent ID] [--date D]";
  g_autoptr(GError) error = NULL;
  SmStore *store;

  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return schedule_show (ctx, argc, argv);

  if (argc != 3 || !g_str_equal (argv[1], "import"))
    return sm_admin_usage (usage);

  store = sm_admin_get_store (ctx);
  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  if (g_str_has_suffix (argv[2], ".jsonl") || g_str_has_suffix (argv[2], ".json"))
    {
      SmRecordsImport import = { 0 };

      if (!sm_records_import_file (store, argv[2], &import, &error))
        return sm_admin_fail (error);
      print_import (&import);
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      guint n = 0;

      if (!sm_schedule_import_csv (store, argv[2], &n, &error))
        return sm_admin_fail (error);

      json_builder_begin_object (builder);
      add_int (builder, "shifts", n);
      json_builder_end_object (builder);
      print_json (builder);
    }

  return SM_ADMIN_EXIT_OK;
}

/* demo */

static void
print_line (const char *line,
            gpointer    user_data)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
}

int
sm_admin_demo (SmAdminContext  *ctx,
               int              argc,
               char           **argv)
{
  static const char *usage =
    "demo generate --agents N --date YYYY-MM-DD [--until T] [--seed S]";
  SmDemoGeneratorOptions options;
  SmDemoGeneratorStats stats;
  gboolean has_date = FALSE;

  sm_demo_generator_options_init (&options);

  if (argc < 2 || !g_str_equal (argv[1], "generate"))
    return sm_admin_usage (usage);

  for (int i = 2; i < argc; i += 2)
    {
      const char *val = i + 1 < argc ? argv[i + 1] : NULL;
      char *end = NULL;

      if (val == NULL)
        return sm_admin_usage (usage);

      if (g_str_equal (argv[i], "--agents"))
        {
          guint64 n = g_ascii_strtoull (val, &end, 10);
          if (*end != '\0' || n < 1 || n > 5000)
            {
              g_printerr (_("seatmate-admin: --agents must be between 1 and 5000\n"));
              return SM_ADMIN_EXIT_USAGE;
            }
          options.n_agents = n;
        }
      else if (g_str_equal (argv[i], "--date"))
        {
          if (!sm_demo_generator_parse_date (val, &options.day_start_ms))
            {
              g_printerr (_("seatmate-admin: “%s” is not a date (use YYYY-MM-DD)\n"), val);
              return SM_ADMIN_EXIT_USAGE;
            }
          has_date = TRUE;
        }
      else if (g_str_equal (argv[i], "--until"))
        {
          if (!sm_time_parse_ms (val, &options.until_ms))
            {
              g_printerr (_("seatmate-admin: “%s” is not a time (use 2026-01-05T08:00:00Z or 2026-01-05)\n"), val);
              return SM_ADMIN_EXIT_USAGE;
            }
        }
      else if (g_str_equal (argv[i], "--seed"))
        options.seed = (guint32)g_ascii_strtoull (val, NULL, 10);
      else
        return sm_admin_usage (usage);
    }

  if (!has_date)
    return sm_admin_usage (usage);

  sm_demo_generator_run (&options, print_line, NULL, &stats);
  fflush (stdout);

  g_printerr (_("Generated %u agents, %u shift activities, %u states, %u contacts (%u abandoned), %u work orders\n"),
              stats.n_agents, stats.n_shifts, stats.n_states, stats.n_contacts, stats.n_abandoned,
              stats.n_work_orders);

  return SM_ADMIN_EXIT_OK;
}
