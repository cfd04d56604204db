/* sm-application.c: the Seatmate application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-application.h"
#include "sm-dashboard-window.h"
#include "sm-call-controller.h"
#include "sm-cti-ari.h"
#include "sm-cti-baresip.h"
#include "sm-cti-replay.h"
#include "sm-demo.h"
#include "sm-paths.h"
#include "sm-wallboard-window.h"
#include "sm-window.h"

struct _SmApplication
{
  GtkApplication       parent_instance;

  /* Owned references */
  GSettings           *settings;
  SmContext           *context;
  SmWindow            *window;
  SmDashboardWindow   *dashboard;

  /* State */
  guint                dashboard_idle_id;

  /* Command line */
  char                *db_path;
  gboolean             demo;
  gboolean             wallboard;
  char                *cti;
  char                *baresip;
  char                *replay;
  int                  monitor;
};

G_DEFINE_FINAL_TYPE (SmApplication, sm_application, GTK_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run on the demo database with sample customers, calls and knowledge"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the database at PATH"), N_("PATH") },
  { "wallboard", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open only the supervisor's wallboard, fullscreen"), NULL },
  { "monitor", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Show the wallboard on monitor N (0 is the first)"), N_("N") },
  { "cti", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Take calls from SOURCE: baresip, ari, replay or none"), N_("SOURCE") },
  { "baresip", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Take calls from the baresip softphone at HOST:PORT"), N_("HOST:PORT") },
  { "replay", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Replay the call events in FILE"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

/* Helpers */

static void
load_css (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
error_dialog_response_cb (GtkDialog     *dialog,
                          int            response,
                          SmApplication *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_application_release (G_APPLICATION (self));
}

static void
show_open_error (SmApplication *self,
                 const GError  *error)
{
  GtkWidget *dialog;

  g_printerr ("seatmate: %s\n", error->message);

  dialog = gtk_message_dialog_new (NULL, GTK_DIALOG_MODAL, GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "%s", _("Seatmate cannot open its database"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Seatmate"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (error_dialog_response_cb), self);
  g_application_hold (G_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static SmStore *
open_store (SmApplication  *self,
            GError        **error)
{
  g_autofree char *path = NULL;

  if (self->demo)
    {
      path = self->db_path != NULL ? g_strdup (self->db_path) : sm_paths_demo_db ();
      return sm_demo_open (path, sm_now_ms (), error);
    }

  path = self->db_path != NULL ? g_strdup (self->db_path) : sm_paths_default_db ();
  return sm_store_open (path, error);
}

/* The dark-style setting follows into GTK's settings. GtkSettings reloads
 * the theme whenever the property is set, even to the value it has, which
 * a binding does as it is made: that cost 10 to 20 ms of every start. */
static void
dark_style_changed_cb (GSettings     *settings,
                       const char    *key,
                       SmApplication *self)
{
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  gboolean dark = g_settings_get_boolean (settings, key);
  gboolean current;

  g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &current, NULL);
  if (dark != current)
    g_object_set (gtk_settings, "gtk-application-prefer-dark-theme", dark, NULL);
}

/* Startup benchmark (tests/bench/bench-startup.c): with SEATMATE_BENCH_STARTUP
 * set, print when the desk's first frame is painted, then the memory a second
 * later, and quit. The resident set counts shared library pages (a GL driver
 * alone maps tens of MB) as well as the process's own memory, so its anonymous
 * and file-backed parts and the proportional set size are printed beside it. */

/* Returns: the figure after "@key:" in a /proc file's "Key:   N kB" lines, or -1 */
static gint64
find_proc_kb (const char *text,
              const char *key)
{
  gsize key_len = strlen (key);

  for (const char *line = text; line != NULL && *line != '\0'; line = strchr (line, '\n'))
    {
      if (*line == '\n')
        line++;
      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        return g_ascii_strtoll (line + key_len + 1, NULL, 10);
    }

  return -1;
}

static void
print_bench_kb (const char *name,
                gint64      kb)
{
  if (kb >= 0)
    g_print ("bench: %s-kb %" G_GINT64_FORMAT "\n", name, kb);
}

static gboolean
bench_report_memory_cb (gpointer user_data)
{
  SmApplication *self = user_data;
  g_autofree char *status = NULL;
  g_autofree char *rollup = NULL;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      print_bench_kb ("rss", find_proc_kb (status, "VmRSS"));
      print_bench_kb ("rss-anon", find_proc_kb (status, "RssAnon"));
      print_bench_kb ("rss-file", find_proc_kb (status, "RssFile"));
    }

  if (g_file_get_contents ("/proc/self/smaps_rollup", &rollup, NULL, NULL))
    print_bench_kb ("pss", find_proc_kb (rollup, "Pss"));

  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      SmApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  g_print ("bench: first-frame\n");
  g_timeout_add_seconds (1, bench_report_memory_cb, self);
}

static void
bench_window_mapped_cb (GtkWidget     *window,
                        SmApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self);
}

/* The dashboard opens after the desk's first frame */

static void
open_dashboard (SmApplication *self)
{
  self->dashboard = sm_dashboard_window_new (self, self->context);
  g_object_add_weak_pointer (G_OBJECT (self->dashboard), (gpointer *)&self->dashboard);
  sm_dashboard_window_place (self->dashboard);
}

static gboolean
open_dashboard_cb (gpointer user_data)
{
  SmApplication *self = user_data;

  self->dashboard_idle_id = 0;
  if (self->dashboard == NULL && self->window != NULL)
    open_dashboard (self);

  return G_SOURCE_REMOVE;
}

static void
desk_after_paint_cb (GdkFrameClock *clock,
                     SmApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, desk_after_paint_cb, self);
  if (self->dashboard_idle_id == 0)
    self->dashboard_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, open_dashboard_cb, self, NULL);
}

static void
desk_mapped_cb (GtkWidget     *window,
                SmApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, desk_mapped_cb, self);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (desk_after_paint_cb), self, 0);
}

/* The keyboard shortcuts window (win.show-help-overlay, Ctrl+?). GtkApplication
 * would build it from gtk/help-overlay.ui for every window as the window is
 * added, which took 15 to 20 ms of the desk's start; the resource lives under
 * another name and each window builds its own on first use. */

static void
show_help_overlay_cb (GSimpleAction        *action,
                      GVariant             *param,
                      GtkApplicationWindow *window)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_BASE "/ui/sm-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
add_help_overlay_action (GtkApplicationWindow *window)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("show-help-overlay", NULL);

  g_signal_connect_object (action, "activate", G_CALLBACK (show_help_overlay_cb), window, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (action));
}

/* Calls: the CTI source named by the options, else the settings; the
 * demo replays the bundled calls in a loop so there is always a call. */

static SmCtiSource *
create_cti_source (SmApplication  *self,
                   GError        **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *path = NULL;
  SmCtiReplay *replay;

  if (self->cti != NULL)
    kind = g_strdup (self->cti);
  else if (self->baresip != NULL)
    kind = g_strdup ("baresip");
  else if (self->replay != NULL || self->demo)
    kind = g_strdup ("replay");
  else
    kind = g_settings_get_string (self->settings, "cti-source");

  if (g_str_equal (kind, "baresip"))
    {
      g_autofree char *address = self->baresip != NULL
                                 ? g_strdup (self->baresip)
                                 : g_settings_get_string (self->settings, "baresip-address");

      return (SmCtiSource *)sm_cti_baresip_new (address,
                                                g_settings_get_boolean (self->settings,
                                                                        "baresip-allow-remote"),
                                                error);
    }

  if (g_str_equal (kind, "ari"))
    {
      g_autofree char *url = g_settings_get_string (self->settings, "ari-url");
      g_autofree char *app = g_settings_get_string (self->settings, "ari-application");
      g_autofree char *user = g_settings_get_string (self->settings, "ari-user");
      g_autofree char *password = g_settings_get_string (self->settings, "ari-password");

      return (SmCtiSource *)sm_cti_ari_new (url, app, user, password, error);
    }

  if (g_str_equal (kind, "replay"))
    {
      if (self->replay != NULL)
        path = g_strdup (self->replay);
      else
        path = g_settings_get_string (self->settings, "replay-file");
      if (path == NULL || *path == '\0')
        {
          g_free (path);
          path = sm_paths_find_data ("demo/calls.jsonl");
        }
      if (path == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo calls are not installed"));
          return NULL;
        }
      replay = sm_cti_replay_new_from_file (path, error);
      if (replay != NULL)
        sm_cti_replay_set_loop (replay, TRUE, 6000);
      return (SmCtiSource *)replay;
    }

  return NULL;
}

static void
setup_calls (SmApplication *self)
{
  g_autoptr(SmCtiSource) source = NULL;
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GError) error = NULL;

  source = create_cti_source (self, &error);
  if (source == NULL && error != NULL)
    g_printerr ("seatmate: %s\n", error->message);

  controller = sm_call_controller_new (self->context, source);
  sm_call_controller_attach (controller);
  if (error != NULL)
    g_object_set_data_full (G_OBJECT (self->context), "sm-cti-error",
                            g_strdup (error->message), g_free);
}

/* Actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SmApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_destroy (l->data);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SmApplication *self = user_data;
  const char *developers[] = { "The Seatmate developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", _("Seatmate"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("The agent desk of a credit-card call center"),
                         "authors", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
toggle_dashboard_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  sm_application_toggle_dashboard (SM_APPLICATION (user_data));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "toggle-dashboard", toggle_dashboard_action },
};

/* GApplication */

static int
sm_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  SmApplication *self = SM_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("seatmate %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");
  self->wallboard = g_variant_dict_contains (options, "wallboard");
  if (!g_variant_dict_lookup (options, "monitor", "i", &self->monitor))
    self->monitor = -1;
  g_clear_pointer (&self->db_path, g_free);
  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_clear_pointer (&self->cti, g_free);
  g_variant_dict_lookup (options, "cti", "s", &self->cti);
  g_clear_pointer (&self->baresip, g_free);
  g_variant_dict_lookup (options, "baresip", "s", &self->baresip);
  g_clear_pointer (&self->replay, g_free);
  g_variant_dict_lookup (options, "replay", "^ay", &self->replay);

  return -1;
}

static void
sm_application_startup (GApplication *app)
{
  SmApplication *self = SM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *dashboard_accels[] = { "F2", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", "<Control>slash", NULL };

  G_APPLICATION_CLASS (sm_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  g_set_application_name (_("Seatmate"));

  self->settings = g_settings_new (SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed::dark-style",
                           G_CALLBACK (dark_style_changed_cb), self, 0);
  dark_style_changed_cb (self->settings, "dark-style", self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  g_action_map_add_action (G_ACTION_MAP (self),
                           g_settings_create_action (self->settings, "dark-style"));
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.toggle-dashboard",
                                         dashboard_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);

  load_css ();
}

static void
sm_application_activate (GApplication *app)
{
  SmApplication *self = SM_APPLICATION (app);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }

  store = open_store (self, &error);
  if (store == NULL)
    {
      show_open_error (self, error);
      return;
    }

  self->context = sm_context_new (store, self->settings, self->demo);

  if (self->wallboard)
    {
      SmWallboardWindow *wallboard = sm_wallboard_window_new (self, self->context);
      sm_wallboard_window_present_on_monitor (wallboard, self->monitor);
      return;
    }

  setup_calls (self);

  self->window = sm_window_new (self, self->context);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *)&self->window);
  if (g_getenv ("SEATMATE_BENCH_STARTUP") != NULL)
    g_signal_connect (self->window, "map", G_CALLBACK (bench_window_mapped_cb), self);
  /* The dashboard computes today's figures and is a second window to
   * render: it opens once the desk has painted, so that the desk comes
   * up first */
  g_signal_connect (self->window, "map", G_CALLBACK (desk_mapped_cb), self);
  gtk_window_present (GTK_WINDOW (self->window));
}

/* GtkApplication */

static void
sm_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (sm_application_parent_class)->window_added (app, window);

  if (GTK_IS_APPLICATION_WINDOW (window))
    add_help_overlay_action (GTK_APPLICATION_WINDOW (window));
}

/* GObject */

static void
sm_application_dispose (GObject *object)
{
  SmApplication *self = (SmApplication *)object;

  g_clear_handle_id (&self->dashboard_idle_id, g_source_remove);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sm_application_parent_class)->dispose (object);
}

static void
sm_application_finalize (GObject *object)
{
  SmApplication *self = (SmApplication *)object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->cti, g_free);
  g_clear_pointer (&self->baresip, g_free);
  g_clear_pointer (&self->replay, g_free);

  G_OBJECT_CLASS (sm_application_parent_class)->finalize (object);
}

static void
sm_application_class_init (SmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = sm_application_dispose;
  object_class->finalize = sm_application_finalize;

  app_class->handle_local_options = sm_application_handle_local_options;
  app_class->startup = sm_application_startup;
  app_class->activate = sm_application_activate;

  gtk_app_class->window_added = sm_application_window_added;
}

static void
sm_application_init (SmApplication *self)
{
  self->monitor = -1;
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The agent desk of a credit-card call center"));
}

/* Public API */

/**
 * sm_application_new:
 *
 * The desk is a single instance per user session. The demo, the wallboard
 * and a desk on another database run as their own instances.
 */
SmApplication *
sm_application_new (int    argc,
                    char **argv)
{
  GApplicationFlags flags = G_APPLICATION_DEFAULT_FLAGS;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--demo") || g_str_equal (argv[i], "--wallboard") ||
          g_str_has_prefix (argv[i], "--db"))
        flags |= G_APPLICATION_NON_UNIQUE;
    }

  return g_object_new (SM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE,
                       "flags", flags,
                       NULL);
}

/**
 * sm_application_get_context:
 *
 * Returns: (transfer none) (nullable): the seat's services, once activated
 */
SmContext *
sm_application_get_context (SmApplication *self)
{
  g_return_val_if_fail (SM_IS_APPLICATION (self), NULL);
  return self->context;
}

/**
 * sm_application_get_dashboard:
 *
 * Returns: (transfer none) (nullable): the dashboard window
 */
GtkWindow *
sm_application_get_dashboard (SmApplication *self)
{
  g_return_val_if_fail (SM_IS_APPLICATION (self), NULL);
  return GTK_WINDOW (self->dashboard);
}

void
sm_application_toggle_dashboard (SmApplication *self)
{
  g_return_if_fail (SM_IS_APPLICATION (self));

  if (self->dashboard == NULL && self->context != NULL && !self->wallboard)
    {
      open_dashboard (self);
      return;
    }

  if (self->dashboard != NULL)
    sm_dashboard_window_toggle (self->dashboard);
}
