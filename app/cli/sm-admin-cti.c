/* sm-admin-cti.c: `seatmate-admin cti …`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>

#include "sm-admin.h"
#include "sm-cti-ari.h"
#include "sm-cti-baresip.h"
#include "sm-cti-replay.h"

#define CTI_USAGE "cti watch --baresip HOST:PORT [--allow-remote]\n" \
                  "       | --ari URL --app NAME [--user U --password P]\n" \
                  "       | --replay FILE [--speed X] [--loop]"

static void
event_cb (SmCtiSource *source,
          SmCallEvent *event,
          gpointer     user_data)
{
  g_autofree char *line = sm_call_event_to_json (event);

  printf ("%s\n", line);
  fflush (stdout);
}

static void
connection_cb (SmCtiSource *source,
               gboolean     connected,
               const char  *message,
               gpointer     user_data)
{
  if (connected)
    g_printerr ("%s\n", _("seatmate-admin: connected"));
  else
    g_printerr (_("seatmate-admin: disconnected (%s), reconnecting\n"), message ? message : "");
}

static void
finished_cb (SmCtiReplay *replay,
             GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
cti_watch (int    argc,
           char **argv)
{
  g_autofree char *baresip = NULL;
  g_autofree char *ari = NULL;
  g_autofree char *app = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *replay = NULL;
  gboolean allow_remote = FALSE;
  gboolean loop_replay = FALSE;
  double speed = 1.0;
  const GOptionEntry entries[] = {
    { "baresip", 0, 0, G_OPTION_ARG_STRING, &baresip, N_("Watch the baresip ctrl_tcp socket at HOST:PORT"), "HOST:PORT" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote, N_("Allow a baresip address that is not on this computer"), NULL },
    { "ari", 0, 0, G_OPTION_ARG_STRING, &ari, N_("Watch the Asterisk ARI at URL"), "URL" },
    { "app", 0, 0, G_OPTION_ARG_STRING, &app, N_("The ARI application"), "NAME" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The ARI user"), "U" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_("The ARI password"), "P" },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &replay, N_("Replay the call events in FILE"), "FILE" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, N_("Replay X times faster (0: no waiting)"), "X" },
    { "loop", 0, 0, G_OPTION_ARG_NONE, &loop_replay, N_("Replay in a loop"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) source = NULL;
  int n_sources;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("seatmate-admin: %s\n", error->message);
      return sm_admin_usage (CTI_USAGE);
    }

  n_sources = (baresip != NULL) + (ari != NULL) + (replay != NULL);
  if (n_sources != 1 || argc > 1)
    return sm_admin_usage (CTI_USAGE);

  if (baresip != NULL)
    source = (GObject *)sm_cti_baresip_new (baresip, allow_remote, &error);
  else if (ari != NULL)
    source = (GObject *)sm_cti_ari_new (ari, app, user, password, &error);
  else
    {
      SmCtiReplay *r = sm_cti_replay_new_from_file (replay, &error);

      if (r != NULL)
        {
          sm_cti_replay_set_speed (r, speed);
          sm_cti_replay_set_loop (r, loop_replay, 2000);
          g_signal_connect (r, "finished", G_CALLBACK (finished_cb), loop);
        }
      source = (GObject *)r;
    }

  if (source == NULL)
    return sm_admin_fail (error);

  g_signal_connect (source, "call-event", G_CALLBACK (event_cb), NULL);
  if (replay == NULL)
    g_signal_connect (source, "connection-changed", G_CALLBACK (connection_cb), NULL);
  g_unix_signal_add (SIGINT, interrupt_cb, loop);
  g_unix_signal_add (SIGTERM, interrupt_cb, loop);

  sm_cti_source_start (SM_CTI_SOURCE (source));
  g_main_loop_run (loop);
  g_signal_handlers_disconnect_by_func (source, connection_cb, NULL);
  sm_cti_source_stop (SM_CTI_SOURCE (source));

  return SM_ADMIN_EXIT_OK;
}

int
sm_admin_cti (SmAdminContext  *ctx,
              int              argc,
              char           **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "watch"))
    return cti_watch (argc - 1, argv + 1);

  return sm_admin_usage (CTI_USAGE);
}
