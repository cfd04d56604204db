/* test-cti-e2e.c: two real baresip softphones on 127.0.0.1, driven through
 * Seatmate's core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A "customer" baresip dials an "agent" baresip. Seatmate, connected to the
 * agent's ctrl_tcp, must see the call ring with the caller's number and
 * display name, answer it, see the customer's DTMF, hang it up, and store
 * the contact record. The configurations are the shared capture's
 * (tests/data/baresip/config-*), copied to a temporary directory with free
 * ports so parallel runs do not collide. Skipped (77) without baresip.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "sm-call-controller.h"
#include "sm-cti-baresip.h"
#include "sm-test-util.h"

#define CUSTOMER_NUMBER "+12025550123"

static char *baresip_path;

/* A port that is free for TCP and UDP on 127.0.0.1, with @n - 1 more after it */
static guint16
find_free_ports (guint n)
{
  for (guint attempt = 0; attempt < 200; attempt++)
    {
      g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                               G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      gboolean ok = TRUE;
      guint16 base;

      if (!g_socket_bind (probe, any, FALSE, NULL))
        continue;
      bound = g_socket_get_local_address (probe, NULL);
      base = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      g_socket_close (probe, NULL);
      if (base > 65000)
        continue;

      for (guint i = 0; i < n && ok; i++)
        {
          GSocketType types[] = { G_SOCKET_TYPE_STREAM, G_SOCKET_TYPE_DATAGRAM };

          for (guint t = 0; t < G_N_ELEMENTS (types) && ok; t++)
            {
              g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, types[t], 0, NULL);
              g_autoptr(GSocketAddress) a = g_inet_socket_address_new (loopback, base + i);

              ok = s != NULL && g_socket_bind (s, a, FALSE, NULL);
              if (s != NULL)
                g_socket_close (s, NULL);
            }
        }

      if (ok)
        return base;
    }

  g_error ("No free ports");
  return 0;
}

typedef struct
{
  char        *dir;
  guint16      sip_port;
  guint16      ctrl_port;
  GSubprocess *process;
} Phone;

static char *
rewrite_config (const char *config,
                guint16     sip_port,
                guint16     ctrl_port,
                guint16     rtp_base)
{
  g_auto(GStrv) lines = g_strsplit (config, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "sip_listen"))
        g_string_append_printf (out, "sip_listen\t\t127.0.0.1:%u\n", sip_port);
      else if (g_str_has_prefix (lines[i], "ctrl_tcp_listen"))
        g_string_append_printf (out, "ctrl_tcp_listen\t\t127.0.0.1:%u\n", ctrl_port);
      else if (g_str_has_prefix (lines[i], "rtp_ports"))
        g_string_append_printf (out, "rtp_ports\t\t%u-%u\n", rtp_base, rtp_base + 19);
      else
        g_string_append_printf (out, "%s\n", lines[i]);
    }

  return g_string_free (out, FALSE);
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* A failed assertion aborts the test: the softphones must not outlive it */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
phone_start (Phone      *phone,
             const char *tmp,
             const char *name,
             const char *display,
             const char *user)
{
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data", "baresip", name, "config", NULL);
  g_autofree char *config = NULL;
  g_autofree char *rewritten = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *accounts_path = NULL;
  g_autofree char *account = NULL;
  g_autofree char *log_path = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  guint16 rtp_base;

  phone->dir = g_build_filename (tmp, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (phone->dir, 0700), ==, 0);
  phone->sip_port = find_free_ports (2);     /* SIP and SIP over TLS (port + 1) */
  phone->ctrl_port = find_free_ports (1);
  rtp_base = find_free_ports (20);

  g_assert_true (g_file_get_contents (src, &config, NULL, &error));
  rewritten = rewrite_config (config, phone->sip_port, phone->ctrl_port, rtp_base);
  config_path = g_build_filename (phone->dir, "config", NULL);
  g_assert_true (g_file_set_contents (config_path, rewritten, -1, &error));

  account = g_strdup_printf ("%s<sip:%s@127.0.0.1:%u>;regint=0;answermode=manual\n",
                             display, user, phone->sip_port);
  accounts_path = g_build_filename (phone->dir, "accounts", NULL);
  g_assert_true (g_file_set_contents (accounts_path, account, -1, &error));

  log_path = g_build_filename (phone->dir, "baresip.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  phone->process = g_subprocess_launcher_spawn (launcher, &error, baresip_path, "-4", "-f",
                                                phone->dir, NULL);
  g_assert_no_error (error);
}

static void
phone_stop (Phone *phone)
{
  if (phone->process != NULL)
    {
      g_subprocess_send_signal (phone->process, SIGTERM);
      g_subprocess_wait (phone->process, NULL, NULL);
      g_clear_object (&phone->process);
    }
  g_free (phone->dir);
}

static void
seed_customer (SmStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_store_exec (store,
                                "INSERT INTO customers (id, name, segment, customer_since)"
                                " VALUES ('cust-e2e', 'Jane Doe', 'Platinum', '2014-03-01');"
                                "INSERT INTO customer_phones (number, customer_id)"
                                " VALUES ('" CUSTOMER_NUMBER "', 'cust-e2e');",
                                &error));
  g_assert_no_error (error);
}

static void
collect_cb (SmCtiSource *source,
            SmCallEvent *event,
            GPtrArray   *events)
{
  g_ptr_array_add (events, sm_call_event_ref (event));
}

static gboolean
has_event (GPtrArray       *events,
           SmCallEventType  type)
{
  for (guint i = 0; i < events->len; i++)
    if (((SmCallEvent *)g_ptr_array_index (events, i))->type == type)
      return TRUE;
  return FALSE;
}

static SmCallEvent *
find_event (GPtrArray       *events,
            SmCallEventType  type)
{
  for (guint i = 0; i < events->len; i++)
    if (((SmCallEvent *)g_ptr_array_index (events, i))->type == type)
      return g_ptr_array_index (events, i);
  return NULL;
}

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_cti_source_command_finish (SM_CTI_SOURCE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_e2e_call (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("seatmate-e2e-XXXXXX", &error);
  g_autofree char *db = g_build_filename (tmp, "seatmate.db", NULL);
  g_autofree char *agent_address = NULL;
  g_autofree char *customer_address = NULL;
  g_autofree char *dial_uri = NULL;
  g_autofree char *contact_id = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCtiBaresip) agent_source = NULL;
  g_autoptr(SmCtiBaresip) customer_source = NULL;
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GPtrArray) agent_events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  g_autoptr(GPtrArray) customer_events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Phone agent = { 0 };
  Phone customer = { 0 };
  SmCallList *calls;
  SmCall *call;
  SmCallEvent *event;
  gboolean done = FALSE;

  g_assert_no_error (error);
  store = sm_store_open (db, &error);
  g_assert_no_error (error);
  seed_customer (store);
  context = sm_context_new (store, NULL, FALSE);
  calls = sm_context_get_calls (context);

  phone_start (&agent, tmp, "config-agent", "", "agent");
  phone_start (&customer, tmp, "config-customer", "\"Jane Doe\" ", CUSTOMER_NUMBER);

  /* Seatmate on the agent's phone; the test drives the customer's phone
   * with the same client */
  agent_address = g_strdup_printf ("127.0.0.1:%u", agent.ctrl_port);
  customer_address = g_strdup_printf ("127.0.0.1:%u", customer.ctrl_port);
  agent_source = sm_cti_baresip_new (agent_address, FALSE, &error);
  g_assert_no_error (error);
  customer_source = sm_cti_baresip_new (customer_address, FALSE, &error);
  g_assert_no_error (error);
  sm_cti_baresip_set_backoff (agent_source, 50, 200);
  sm_cti_baresip_set_backoff (customer_source, 50, 200);
  g_signal_connect (agent_source, "call-event", G_CALLBACK (collect_cb), agent_events);
  g_signal_connect (customer_source, "call-event", G_CALLBACK (collect_cb), customer_events);

  controller = sm_call_controller_new (context, SM_CTI_SOURCE (agent_source));
  sm_call_controller_set_acw_timeout (controller, 0);
  sm_cti_source_start (SM_CTI_SOURCE (customer_source));
  SM_TEST_WAIT_FOR_SECONDS (sm_call_controller_get_connected (controller) &&
                            sm_cti_source_get_connected (SM_CTI_SOURCE (customer_source)), 30);

  /* The customer dials the agent */
  dial_uri = g_strdup_printf ("sip:agent@127.0.0.1:%u", agent.sip_port);
  sm_cti_source_dial_async (SM_CTI_SOURCE (customer_source), dial_uri, NULL, command_cb, &done);
  SM_TEST_WAIT_FOR_SECONDS (done, 30);

  /* Seatmate sees it ring, with the number, the display name and the customer */
  SM_TEST_WAIT_FOR_SECONDS (sm_call_list_get_current (calls) != NULL, 30);
  call = sm_call_list_get_current (calls);
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_RINGING);
  g_assert_cmpint (sm_call_get_direction (call), ==, SM_CALL_DIRECTION_INBOUND);
  g_assert_cmpstr (sm_call_get_number (call), ==, CUSTOMER_NUMBER);
  g_assert_cmpstr (sm_call_get_name (call), ==, "Jane Doe");
  g_assert_cmpstr (sm_call_get_customer_id (call), ==, "cust-e2e");
  contact_id = g_strdup_printf ("c-%s", sm_call_get_id (call));

  /* Seatmate answers */
  g_assert_true (sm_call_controller_can (controller, SM_CTI_COMMAND_ANSWER, call));
  sm_call_controller_command (controller, SM_CTI_COMMAND_ANSWER, call, NULL);
  SM_TEST_WAIT_FOR_SECONDS (sm_call_get_state (call) == SM_CALL_STATE_TALKING, 30);
  SM_TEST_WAIT_FOR_SECONDS (has_event (customer_events, SM_CALL_EVENT_ANSWERED), 30);
  /* Both ends share the SIP Call-ID */
  g_assert_cmpstr (find_event (customer_events, SM_CALL_EVENT_RINGING)->call, ==, sm_call_get_id (call));

  /* The customer keys in a digit; Seatmate sees it */
  done = FALSE;
  sm_cti_source_dtmf_async (SM_CTI_SOURCE (customer_source), NULL, "1", NULL, command_cb, &done);
  SM_TEST_WAIT_FOR_SECONDS (done, 30);
  SM_TEST_WAIT_FOR_SECONDS (strchr (sm_call_get_dtmf (call), '1') != NULL, 30);

  /* Seatmate hangs up: ended on both sides, the call goes to ACW */
  g_object_ref (call);
  sm_call_controller_command (controller, SM_CTI_COMMAND_HANGUP, call, NULL);
  SM_TEST_WAIT_FOR_SECONDS (sm_call_get_state (call) == SM_CALL_STATE_ACW, 30);
  SM_TEST_WAIT_FOR_SECONDS (has_event (customer_events, SM_CALL_EVENT_ENDED), 30);
  event = find_event (agent_events, SM_CALL_EVENT_ENDED);
  g_assert_nonnull (event);
  g_assert_cmpstr (event->reason, ==, "Connection reset by user");
  event = find_event (customer_events, SM_CALL_EVENT_ENDED);
  g_assert_cmpstr (event->reason, ==, "Connection reset by peer");

  /* The contact record is stored at hang-up, and completed after ACW */
  stmt = sm_store_prepare (store,
                           "SELECT answered_ms IS NOT NULL, ended_ms IS NOT NULL, acw_end_ms,"
                           " customer, number, direction, disposition, agent FROM contacts WHERE id = ?1",
                           &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
  g_assert_cmpint (sqlite3_column_type (stmt, 2), ==, SQLITE_NULL);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 3), ==, "cust-e2e");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 4), ==, CUSTOMER_NUMBER);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 5), ==, "inbound");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 6), ==, "resolved");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 7), ==, sm_context_get_agent_id (context));
  g_clear_pointer (&stmt, sqlite3_finalize);

  sm_call_controller_finish_acw (controller, call);
  g_assert_cmpint (sm_call_get_state (call), ==, SM_CALL_STATE_ENDED);
  g_assert_null (sm_call_list_get_current (calls));
  g_object_unref (call);

  stmt = sm_store_prepare (store, "SELECT acw_end_ms IS NOT NULL FROM contacts WHERE id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, contact_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The agent's states: on_contact, then acw, then available */
  stmt = sm_store_prepare (store, "SELECT group_concat(state, ',') FROM"
                                  " (SELECT state FROM agent_states ORDER BY id)", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "on_contact,acw,available");
  g_clear_pointer (&stmt, sqlite3_finalize);

  sm_cti_source_stop (SM_CTI_SOURCE (customer_source));
  g_clear_object (&controller);
  phone_stop (&agent);
  phone_stop (&customer);
  g_clear_object (&store);
  if (g_getenv ("SEATMATE_KEEP_TMP") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
      g_assert_cmpint (system (cmd), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  baresip_path = g_find_program_in_path ("baresip");
  if (baresip_path == NULL)
    {
      g_printerr ("baresip is not installed: skipping\n");
      return 77;
    }

  g_test_add_func ("/cti-e2e/call", test_e2e_call);

  return g_test_run ();
}
