/* sm-paths.c: where Seatmate finds its data and its database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-paths"

#include "config.h"

#include "sm-paths.h"

/**
 * sm_paths_find_data:
 * @relative_path: a path below the data folder, such as "demo/customers.jsonl"
 *
 * Looks for a bundled data file: first under $SEATMATE_DATADIR, then in the
 * source tree (an uninstalled run), then in the installed package data dir.
 *
 * Returns: (transfer full) (nullable): the path of an existing file or folder
 */
char *
sm_paths_find_data (const char *relative_path)
{
  const char *env = g_getenv ("SEATMATE_DATADIR");
  const char *roots[] = { env, SOURCE_DATADIR, PKGDATADIR };

  g_return_val_if_fail (relative_path != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *path = NULL;

      if (roots[i] == NULL || roots[i][0] == '\0')
        continue;

      path = g_build_filename (roots[i], relative_path, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  return NULL;
}

/**
 * sm_paths_default_db:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/seatmate/seatmate.db`
 */
char *
sm_paths_default_db (void)
{
  return g_build_filename (g_get_user_data_dir (), "seatmate", "seatmate.db", NULL);
}

/**
 * sm_paths_demo_db:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/seatmate/demo.db`
 */
char *
sm_paths_demo_db (void)
{
  return g_build_filename (g_get_user_data_dir (), "seatmate", "demo.db", NULL);
}

/**
 * sm_paths_localedir:
 *
 * Where the translations are: $SEATMATE_LOCALEDIR, else the installed
 * locale dir when Seatmate's catalogues are there, else the build tree's
 * (an uninstalled run, such as the README's demo command).
 *
 * Returns: (transfer none): a folder for bindtextdomain()
 */
const char *
sm_paths_localedir (void)
{
  const char *env = g_getenv ("SEATMATE_LOCALEDIR");
  g_autofree char *installed = NULL;

  if (env != NULL && *env != '\0')
    return env;

  installed = g_build_filename (LOCALEDIR, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (installed, G_FILE_TEST_EXISTS) && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return BUILD_LOCALEDIR;

  return LOCALEDIR;
}
