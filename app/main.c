/* main.c: the seatmate executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sm-application.h"
#include "sm-mask.h"
#include "sm-paths.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(SmApplication) app = NULL;

  /* Nothing unmasked reaches the logs: card and ID numbers are masked
   * in every message before it is written. */
  sm_mask_install_log_writer ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, sm_paths_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sm_application_new (argc, argv);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
