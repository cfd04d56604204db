/* sm-admin-db.c: `seatmate-admin db …`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "sm-admin.h"
#include "sm-demo.h"
#include "sm-records.h"

static const char * const counted_tables[] = {
  "agents", "customers", "cards", "contacts", "agent_states", "shifts", "work_orders",
};

static int
db_info (SmAdminContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  SmStore *store = sm_admin_get_store (ctx);

  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, sm_store_get_path (store));
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, sm_store_get_schema_version (store));
  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    {
      json_builder_set_member_name (builder, counted_tables[i]);
      json_builder_add_int_value (builder, sm_store_count (store, counted_tables[i]));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);

  return SM_ADMIN_EXIT_OK;
}

static int
db_seed_demo (SmAdminContext *ctx)
{
  g_autoptr(GError) error = NULL;
  SmStore *store = sm_admin_get_store (ctx);

  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  if (sm_demo_is_seeded (store))
    {
      g_printerr (_("seatmate-admin: the database already has customers; nothing was loaded\n"));
      return SM_ADMIN_EXIT_OK;
    }

  if (!sm_demo_seed (store, sm_now_ms (), &error))
    return sm_admin_fail (error);

  return db_info (ctx);
}

static int
db_import (SmAdminContext *ctx,
           const char     *path)
{
  g_autoptr(GError) error = NULL;
  SmRecordsImport import = { 0 };
  SmStore *store = sm_admin_get_store (ctx);

  if (store == NULL)
    return SM_ADMIN_EXIT_FAILED;

  if (!sm_records_import_file (store, path, &import, &error))
    return sm_admin_fail (error);

  printf ("{\"contacts\":%u,\"states\":%u,\"shifts\":%u,\"customers\":%u,\"agents\":%u,"
          "\"work_orders\":%u}\n",
          import.n_contacts, import.n_states, import.n_shifts, import.n_customers,
          import.n_agents, import.n_work_orders);

  return SM_ADMIN_EXIT_OK;
}

int
sm_admin_db (SmAdminContext  *ctx,
             int              argc,
             char           **argv)
{
  const char *usage = "db info | db seed-demo | db import FILE.jsonl";

  if (argc < 2)
    return sm_admin_usage (usage);

  if (g_str_equal (argv[1], "info") && argc == 2)
    return db_info (ctx);
  if (g_str_equal (argv[1], "seed-demo") && argc == 2)
    return db_seed_demo (ctx);
  if (g_str_equal (argv[1], "import") && argc == 3)
    return db_import (ctx, argv[2]);

  return sm_admin_usage (usage);
}
