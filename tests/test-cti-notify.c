/* test-cti-notify.c: an incoming call raises a notification whose Answer
 * action answers it (run by test-cti-notify.sh under a mock notification
 * server from python3-dbusmock)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sm-call-controller.h"
#include "sm-cti-replay.h"

#define BUS_NAME "org.freedesktop.Notifications"
#define PATH "/org/freedesktop/Notifications"
#define MOCK "org.freedesktop.DBus.Mock"

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting for %s", (const char *)user_data);
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond)                                                               \
  G_STMT_START {                                                                     \
    guint _id = g_timeout_add_seconds (20, timeout_cb, (gpointer) #cond);            \
    while (!(cond))                                                                  \
      g_main_context_iteration (NULL, TRUE);                                         \
    g_source_remove (_id);                                                           \
  } G_STMT_END

/* The Notify calls the mock server recorded: (summary, body, actions) */
static GPtrArray *
notify_calls (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  const char *method;
  GVariant *args;
  guint64 stamp;

  reply = g_dbus_connection_call_sync (bus, BUS_NAME, PATH, MOCK, "GetCalls", NULL,
                                       G_VARIANT_TYPE ("(a(tsav))"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &stamp, &method, &args))
    {
      if (g_str_equal (method, "Notify"))
        g_ptr_array_add (calls, args);
      else
        g_variant_unref (args);
    }

  return calls;
}

static char *
arg_string (GVariant *args,
            guint     i)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (args, i);
  g_autoptr(GVariant) value = g_variant_get_variant (boxed);

  return g_variant_dup_string (value, NULL);
}

static gboolean
has_action (GVariant   *args,
            const char *action)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (args, 5);
  g_autoptr(GVariant) value = g_variant_get_variant (boxed);
  g_autofree const char **actions = g_variant_get_strv (value, NULL);

  return g_strv_contains (actions, action);
}

static void
popped_cb (SmCallController *controller,
           SmCall           *call,
           GPtrArray        *popped)
{
  g_ptr_array_add (popped, g_object_ref (call));
}

static void
test_notify_answer (void)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"n1\",\"event\":\"ringing\",\"direction\":\"inbound\","
    "\"number\":\"+12025550123\",\"name\":\"Jane Doe\"}\n"
    "{\"time\":\"2026-01-05T09:00:30Z\",\"call\":\"n1\",\"event\":\"ended\",\"reason\":\"caller hung up\"}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autofree char *dir = g_dir_make_tmp ("seatmate-notify-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "seatmate.db", NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", NULL);
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GPtrArray) popped = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  SmCall *call;

  g_assert_no_error (error);
  store = sm_store_open (db, &error);
  g_assert_no_error (error);
  context = sm_context_new (store, NULL, FALSE);

  controller = sm_call_controller_new (context, SM_CTI_SOURCE (replay));
  /* The desk window is in the background */
  sm_call_controller_set_focused (controller, FALSE);
  g_signal_connect (controller, "call-popped", G_CALLBACK (popped_cb), popped);
  WAIT_FOR (popped->len == 1);
  call = g_ptr_array_index (popped, 0);
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_RINGING);

  calls = notify_calls (bus);
  g_assert_cmpuint (calls->len, ==, 1);
  summary = arg_string (g_ptr_array_index (calls, 0), 3);
  body = arg_string (g_ptr_array_index (calls, 0), 4);
  g_assert_cmpstr (summary, ==, "Incoming call: Jane Doe");
  g_assert_nonnull (strstr (body, "+12025550123"));
  g_assert_true (has_action (g_ptr_array_index (calls, 0), "answer"));

  /* The agent clicks Answer on the notification (id 1 on a fresh server) */
  g_dbus_connection_call_sync (bus, BUS_NAME, PATH, MOCK, "EmitSignal",
                               g_variant_new_parsed ("('org.freedesktop.Notifications', 'ActionInvoked',"
                                                     " 'us', [<uint32 1>, <'answer'>])"),
                               NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  WAIT_FOR (sm_call_get_state (call) == SM_CALL_STATE_TALKING);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

static void
test_notify_focused (void)
{
  const char *script =
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"f1\",\"event\":\"ringing\",\"number\":\"+12025550199\"}\n"
    "{\"time\":\"2026-01-05T09:00:00Z\",\"call\":\"f2\",\"event\":\"ringing\",\"number\":\"+12025550177\"}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autofree char *dir = g_dir_make_tmp ("seatmate-notify-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "seatmate.db", NULL);
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCtiReplay) replay = sm_cti_replay_new_from_data (script, "script", NULL);
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GPtrArray) popped = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *summary = NULL;

  store = sm_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (sm_store_exec (store,
                                "INSERT INTO customers (id, name) VALUES ('cust-23', 'Robert Miles');"
                                "INSERT INTO customer_phones VALUES ('+12025550177', 'cust-23');"
                                "INSERT INTO risk_flags (customer_id, flag, note) VALUES"
                                " ('cust-23', 'fraud_watch', 'Card used in two countries');",
                                &error));
  context = sm_context_new (store, NULL, FALSE);
  before = notify_calls (bus);

  sm_cti_replay_set_speed (replay, 0);
  controller = sm_call_controller_new (context, SM_CTI_SOURCE (replay));
  sm_call_controller_set_focused (controller, TRUE);
  g_signal_connect (controller, "call-popped", G_CALLBACK (popped_cb), popped);
  WAIT_FOR (popped->len == 2);

  /* Focused: an ordinary call needs no notification, a high-risk one does */
  after = notify_calls (bus);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  summary = arg_string (g_ptr_array_index (after, after->len - 1), 3);
  g_assert_cmpstr (summary, ==, "High-risk caller: Robert Miles");

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("Run through test-cti-notify.sh (needs a mock notification server)\n");
      return 77;
    }

  g_test_add_func ("/cti-notify/answer", test_notify_answer);
  g_test_add_func ("/cti-notify/focused", test_notify_focused);

  return g_test_run ();
}
