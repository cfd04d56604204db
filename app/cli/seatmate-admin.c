/* seatmate-admin.c: the command line face of Seatmate's core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "sm-admin.h"
#include "sm-mask.h"
#include "sm-paths.h"

typedef struct
{
  const char       *name;
  SmAdminGroupFunc  func;
  const char       *summary;
} Group;

/* One line per subcommand group; keep them sorted by name. */
static const Group groups[] = {
  { "cti",      sm_admin_cti,      N_("Watch call events from a softphone, a PBX or a replay") },
  { "db",     sm_admin_db,     N_("Inspect the database and load the demo data") },
  { "demo",     sm_admin_demo,     N_("Generate a realistic day of a team as JSON Lines") },
  { "events",   sm_admin_events,   N_("Import contact, state and shift records") },
  { "intent",   sm_admin_intent,   N_("Train, evaluate and try the intent model") },
  { "kb",       sm_admin_kb,       N_("Import and search the knowledge base") },
  { "metrics",  sm_admin_metrics,  N_("Compute the KPIs of a period, per interval") },
  { "schedule", sm_admin_schedule, N_("Import and show agents' schedules") },
  { "wo",       sm_admin_wo,       N_("Export and import work orders") },
};

/**
 * sm_admin_get_store:
 *
 * Opens the database named by --db (or the default one) on first use.
 * Prints the error and returns %NULL if it cannot be opened.
 *
 * Returns: (transfer none) (nullable): the store
 */
SmStore *
sm_admin_get_store (SmAdminContext *ctx)
{
  g_autoptr(GError) error = NULL;

  if (ctx->store != NULL)
    return ctx->store;

  if (ctx->db_path == NULL)
    ctx->db_path = sm_paths_default_db ();

  ctx->store = sm_store_open (ctx->db_path, &error);
  if (ctx->store == NULL)
    g_printerr ("seatmate-admin: %s\n", error->message);

  return ctx->store;
}

int
sm_admin_fail (GError *error)
{
  g_printerr ("seatmate-admin: %s\n", error != NULL ? error->message : _("failed"));
  return SM_ADMIN_EXIT_FAILED;
}

int
sm_admin_usage (const char *usage)
{
  g_printerr (_("Usage: seatmate-admin [--db PATH] %s\n"), usage);
  return SM_ADMIN_EXIT_USAGE;
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: seatmate-admin [--db PATH] COMMAND [ARGS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    fprintf (out, "  %-10s %s\n", groups[i].name, _(groups[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  --db PATH  %s\n", _("Use the database at PATH instead of the default one"));
  fprintf (out, "  --version  %s\n", _("Print the version"));
}

int
main (int    argc,
      char **argv)
{
  SmAdminContext ctx = { 0 };
  int i = 1;
  int ret;

  /* Nothing unmasked reaches the logs: card and ID numbers are masked
   * in every message before it is written. */
  sm_mask_install_log_writer ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, sm_paths_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the subcommand */
  while (i < argc && argv[i][0] == '-')
    {
      if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          g_free (ctx.db_path);
          ctx.db_path = g_strdup (argv[i + 1]);
          i += 2;
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (ctx.db_path);
          ctx.db_path = g_strdup (argv[i] + strlen ("--db="));
          i++;
        }
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help (stdout);
          return SM_ADMIN_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("seatmate-admin %s\n", PACKAGE_VERSION);
          return SM_ADMIN_EXIT_OK;
        }
      else
        {
          g_printerr (_("seatmate-admin: unknown option “%s”\n"), argv[i]);
          print_help (stderr);
          return SM_ADMIN_EXIT_USAGE;
        }
    }

  if (i >= argc)
    {
      print_help (stderr);
      return SM_ADMIN_EXIT_USAGE;
    }

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g_str_equal (argv[i], groups[g].name))
        {
          ret = groups[g].func (&ctx, argc - i, argv + i);
          g_clear_object (&ctx.store);
          g_free (ctx.db_path);
          return ret;
        }
    }

  g_printerr (_("seatmate-admin: unknown command “%s”\n"), argv[i]);
  print_help (stderr);
  return SM_ADMIN_EXIT_USAGE;
}
