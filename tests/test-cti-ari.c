/* test-cti-ari.c: the Asterisk ARI source against a loopback peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The peer is a SoupServer on 127.0.0.1 with the ARI WebSocket
 * (/ari/events) and the REST calls the source uses. The events are written
 * from the ARI schema (shared/data/asterisk-ari/events.json, Channel from
 * channels.json); no Asterisk code or data is used.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sm-cti-ari.h"
#include "sm-test-util.h"

#define AUTH "Basic c2VhdG1hdGU6czNjcjN0"   /* seatmate:s3cr3t */

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

typedef struct
{
  SoupServer              *server;
  char                    *url;
  SoupWebsocketConnection *ws;
  guint                    n_ws;
  guint                    n_unauthorized;
  GPtrArray               *requests;   /* "METHOD /path?query" */
  char                    *channels;   /* body of GET /ari/channels */
  char                    *app;
} Peer;

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              Peer                    *peer)
{
  if (peer->ws == ws)
    g_clear_object (&peer->ws);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Peer *peer = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (uri) ?: "");

  g_free (peer->app);
  peer->app = g_strdup (g_hash_table_lookup (query, "app"));
  g_set_object (&peer->ws, connection);
  g_signal_connect (connection, "closed", G_CALLBACK (ws_closed_cb), peer);
  peer->n_ws++;
}

static gboolean
authorized (SoupServerMessage *msg)
{
  return g_strcmp0 (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Authorization"), AUTH) == 0;
}

static gboolean
basic_auth_cb (SoupAuthDomain    *domain,
               SoupServerMessage *msg,
               const char        *username,
               const char        *password,
               gpointer           user_data)
{
  Peer *peer = user_data;
  gboolean ok = g_strcmp0 (username, "seatmate") == 0 && g_strcmp0 (password, "s3cr3t") == 0;

  if (!ok)
    peer->n_unauthorized++;
  return ok;
}

static void
rest_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Peer *peer = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *q = g_uri_get_query (uri);

  if (!authorized (msg))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      return;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/ari/channels"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        peer->channels, strlen (peer->channels));
      return;
    }

  g_ptr_array_add (peer->requests, g_strdup_printf ("%s %s%s%s", method, path, q ? "?" : "", q ? q : ""));
  if (strstr (path, "/gone") != NULL)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static Peer *
peer_new (void)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  peer->server = soup_server_new (NULL, NULL);
  peer->requests = g_ptr_array_new_with_free_func (g_free);
  peer->channels = g_strdup ("[]");
  {
    /* Every request, the WebSocket upgrade included, needs the credentials */
    g_autoptr(SoupAuthDomain) domain = soup_auth_domain_basic_new ("realm", "asterisk", NULL);

    soup_auth_domain_add_path (domain, "/ari");
    soup_auth_domain_basic_set_auth_callback (domain, basic_auth_cb, peer, NULL);
    soup_server_add_auth_domain (peer->server, domain);
  }
  soup_server_add_websocket_handler (peer->server, "/ari/events", NULL, NULL, websocket_cb, peer, NULL);
  soup_server_add_handler (peer->server, "/ari", rest_cb, peer, NULL);
  g_assert_true (soup_server_listen (peer->server, address, 0, &error));
  g_assert_no_error (error);

  uris = soup_server_get_uris (peer->server);
  peer->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return peer;
}

static void
peer_free (Peer *peer)
{
  if (peer->ws != NULL)
    g_signal_handlers_disconnect_by_data (peer->ws, peer);
  g_clear_object (&peer->ws);
  soup_server_disconnect (peer->server);
  g_clear_object (&peer->server);
  g_ptr_array_unref (peer->requests);
  g_free (peer->channels);
  g_free (peer->app);
  g_free (peer->url);
  g_free (peer);
}

static void
peer_send (Peer       *peer,
           const char *json)
{
  g_assert_nonnull (peer->ws);
  soup_websocket_connection_send_text (peer->ws, json);
}

/* Events written from the schema: Event = Message + application + timestamp */
#define CHANNEL(id, state) \
  "{\"id\":\"" id "\",\"protocol_id\":\"abc@pbx\",\"name\":\"PJSIP/trunk-00000001\"," \
  "\"state\":\"" state "\",\"caller\":{\"name\":\"Jane Doe\",\"number\":\"+12025550123\"}," \
  "\"connected\":{\"name\":\"\",\"number\":\"\"},\"accountcode\":\"\"," \
  "\"dialplan\":{\"context\":\"from-trunk\",\"exten\":\"4000\",\"priority\":1," \
  "\"app_name\":\"Stasis\",\"app_data\":\"seatmate\"},\"creationtime\":\"2026-01-05T09:00:00.000+0000\"," \
  "\"language\":\"en\"}"
#define EVENT(type, extra, id, state) \
  "{\"type\":\"" type "\",\"application\":\"seatmate\",\"timestamp\":\"2026-01-05T09:00:01.000+0000\"," \
  "\"asterisk_id\":\"00:11:22:33:44:55\"," extra "\"channel\":" CHANNEL (id, state) "}"

static void
collect_cb (SmCtiSource *source,
            SmCallEvent *event,
            GPtrArray   *events)
{
  g_ptr_array_add (events, sm_call_event_ref (event));
}


static SmCallEvent *
event_at (GPtrArray *events,
          guint      i)
{
  g_assert_cmpuint (i, <, events->len);
  return g_ptr_array_index (events, i);
}

static const char *
last_request (Peer *peer)
{
  g_assert_cmpuint (peer->requests->len, >, 0);
  return g_ptr_array_index (peer->requests, peer->requests->len - 1);
}

static void
run_command (SmCtiAri     *source,
             SmTestWatch        *watch,
             SmCtiCommand  command,
             const char   *call,
             const char   *argument)
{
  watch->done = FALSE;
  sm_cti_source_command_async (SM_CTI_SOURCE (source), command, call, argument, NULL,
                               sm_test_watch_command_cb, watch);
  WAIT_FOR (watch->done);
}

static void
test_ari_call (void)
{
  Peer *peer = peer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SmCtiAri) source = sm_cti_ari_new (peer->url, "seatmate", "seatmate", "s3cr3t", &error);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  SmTestWatch watch = { 0 };
  SmCallEvent *event;
  guint n;

  g_assert_no_error (error);
  g_signal_connect (source, "call-event", G_CALLBACK (collect_cb), events);
  g_signal_connect (source, "connection-changed", G_CALLBACK (sm_test_watch_connection_cb), &watch);
  sm_cti_ari_set_backoff (source, 20, 100);
  sm_cti_source_start (SM_CTI_SOURCE (source));
  WAIT_FOR (watch.n_connected == 1 && peer->ws != NULL);
  g_assert_cmpstr (peer->app, ==, "seatmate");
  g_assert_cmpuint (peer->n_unauthorized, ==, 0);

  /* A call enters the application, ringing */
  peer_send (peer, EVENT ("StasisStart", "\"args\":[],", "1700000000.1", "Ring"));
  WAIT_FOR (events->len == 1);
  event = event_at (events, 0);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_RINGING);
  g_assert_cmpstr (event->call, ==, "1700000000.1");
  g_assert_cmpint (event->direction, ==, SM_CALL_DIRECTION_INBOUND);
  g_assert_cmpstr (event->number, ==, "+12025550123");
  g_assert_cmpstr (event->name, ==, "Jane Doe");

  /* Answer over REST with basic auth; the PBX reports the channel Up */
  run_command (source, &watch, SM_CTI_COMMAND_ANSWER, "1700000000.1", NULL);
  g_assert_no_error (watch.error);
  g_assert_cmpstr (last_request (peer), ==, "POST /ari/channels/1700000000.1/answer");
  peer_send (peer, EVENT ("ChannelStateChange", "", "1700000000.1", "Up"));
  WAIT_FOR (events->len == 2);
  g_assert_cmpint (event_at (events, 1)->type, ==, SM_CALL_EVENT_ANSWERED);

  /* A malformed frame and an unknown event are skipped */
  peer_send (peer, "{\"type\":\"StasisStart\",\"channel\":");
  peer_send (peer, "[\"not\", \"an\", \"event\"]");
  peer_send (peer, "{\"application\":\"seatmate\"}");
  peer_send (peer, EVENT ("ChannelTalkingStarted", "", "1700000000.1", "Up"));
  peer_send (peer, "{\"type\":\"ChannelDtmfReceived\",\"application\":\"seatmate\","
                   "\"timestamp\":\"2026-01-05T09:00:02.000+0000\",\"digit\":\"7\",\"duration_ms\":120,"
                   "\"channel\":" CHANNEL ("1700000000.1", "Up") "}");
  WAIT_FOR (events->len == 3);
  event = event_at (events, 2);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_DTMF);
  g_assert_cmpstr (event->digit, ==, "7");
  g_assert_cmpuint (watch.n_disconnected, ==, 0);

  /* Transcript from a channel variable and from a user event */
  peer_send (peer, "{\"type\":\"ChannelVarset\",\"application\":\"seatmate\","
                   "\"timestamp\":\"2026-01-05T09:00:03.000+0000\",\"variable\":\"TRANSCRIPT\","
                   "\"value\":\"I ordered a new card two weeks ago\",\"channel\":" CHANNEL ("1700000000.1", "Up") "}");
  peer_send (peer, "{\"type\":\"ChannelUserevent\",\"application\":\"seatmate\","
                   "\"timestamp\":\"2026-01-05T09:00:04.000+0000\",\"eventname\":\"Transcript\","
                   "\"userevent\":{\"speaker\":\"agent\",\"text\":\"Let me check that\"},"
                   "\"channel\":" CHANNEL ("1700000000.1", "Up") "}");
  WAIT_FOR (events->len == 5);
  event = event_at (events, 3);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_TRANSCRIPT);
  g_assert_cmpstr (event->speaker, ==, "customer");
  g_assert_cmpstr (event->text, ==, "I ordered a new card two weeks ago");
  event = event_at (events, 4);
  g_assert_cmpstr (event->speaker, ==, "agent");

  /* Hold and unhold: REST, then the state follows */
  run_command (source, &watch, SM_CTI_COMMAND_HOLD, "1700000000.1", NULL);
  g_assert_cmpstr (last_request (peer), ==, "POST /ari/channels/1700000000.1/hold");
  g_assert_cmpint (event_at (events, 5)->type, ==, SM_CALL_EVENT_HELD);
  peer_send (peer, EVENT ("ChannelHold", "", "1700000000.1", "Up"));   /* no duplicate */
  run_command (source, &watch, SM_CTI_COMMAND_RESUME, "1700000000.1", NULL);
  g_assert_cmpstr (last_request (peer), ==, "DELETE /ari/channels/1700000000.1/hold");
  g_assert_cmpuint (events->len, ==, 7);
  g_assert_cmpint (event_at (events, 6)->type, ==, SM_CALL_EVENT_RESUMED);

  run_command (source, &watch, SM_CTI_COMMAND_DTMF, "1700000000.1", "12#");
  g_assert_cmpstr (last_request (peer), ==, "POST /ari/channels/1700000000.1/dtmf?dtmf=12%23");
  run_command (source, &watch, SM_CTI_COMMAND_MUTE, "1700000000.1", NULL);
  g_assert_cmpstr (last_request (peer), ==, "POST /ari/channels/1700000000.1/mute?direction=in");
  run_command (source, &watch, SM_CTI_COMMAND_TRANSFER, "1700000000.1", "8001");
  g_assert_cmpstr (last_request (peer), ==, "POST /ari/channels/1700000000.1/redirect?endpoint=PJSIP%2F8001");

  /* A REST error is reported */
  run_command (source, &watch, SM_CTI_COMMAND_ANSWER, "gone", NULL);
  g_assert_false (watch.ok);
  g_assert_error (watch.error, SM_CTI_ERROR, SM_CTI_ERROR_NO_CALL);

  /* The caller hangs up mid-call */
  peer_send (peer, "{\"type\":\"ChannelHangupRequest\",\"application\":\"seatmate\","
                   "\"timestamp\":\"2026-01-05T09:00:09.000+0000\",\"cause\":16,"
                   "\"channel\":" CHANNEL ("1700000000.1", "Up") "}");
  peer_send (peer, "{\"type\":\"ChannelDestroyed\",\"application\":\"seatmate\","
                   "\"timestamp\":\"2026-01-05T09:00:09.000+0000\",\"cause\":16,\"cause_txt\":\"Normal Clearing\","
                   "\"channel\":" CHANNEL ("1700000000.1", "Up") "}");
  peer_send (peer, EVENT ("StasisEnd", "", "1700000000.1", "Up"));
  WAIT_FOR (events->len == 8);
  event = event_at (events, 7);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ENDED);
  g_assert_cmpstr (event->reason, ==, "Normal Clearing");

  /* Reconnect: the PBX drops the WebSocket mid-call; a call that survived
   * is kept, one that did not ends */
  peer_send (peer, EVENT ("StasisStart", "\"args\":[],", "1700000000.2", "Up"));
  peer_send (peer, EVENT ("StasisStart", "\"args\":[],", "1700000000.3", "Ring"));
  WAIT_FOR (events->len == 11);   /* ringing + answered, ringing */
  g_free (peer->channels);
  peer->channels = g_strdup ("[" CHANNEL ("1700000000.2", "Up") "]");
  soup_websocket_connection_close (peer->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  WAIT_FOR (watch.n_disconnected == 1);
  WAIT_FOR (watch.n_connected == 2 && peer->ws != NULL);
  WAIT_FOR (events->len == 12);
  event = event_at (events, 11);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ENDED);
  g_assert_cmpstr (event->call, ==, "1700000000.3");
  g_assert_cmpuint (sm_cti_ari_get_n_connects (source), ==, 2);

  /* After the reconnect, events flow again */
  n = events->len;
  peer_send (peer, "{\"type\":\"ChannelDestroyed\",\"application\":\"seatmate\",\"cause\":16,"
                   "\"cause_txt\":\"Normal Clearing\",\"channel\":" CHANNEL ("1700000000.2", "Up") "}");
  WAIT_FOR (events->len == n + 1);
  g_assert_cmpstr (event_at (events, n)->call, ==, "1700000000.2");

  sm_cti_source_stop (SM_CTI_SOURCE (source));
  g_clear_error (&watch.error);
  peer_free (peer);
}

static void
test_ari_bad_credentials (void)
{
  Peer *peer = peer_new ();
  g_autoptr(SmCtiAri) source = sm_cti_ari_new (peer->url, "seatmate", "seatmate", "wrong", NULL);
  SmTestWatch watch = { 0 };

  g_signal_connect (source, "connection-changed", G_CALLBACK (sm_test_watch_connection_cb), &watch);
  sm_cti_ari_set_backoff (source, 10, 20);
  sm_cti_source_start (SM_CTI_SOURCE (source));
  WAIT_FOR (peer->n_unauthorized >= 1);
  WAIT_FOR (peer->n_unauthorized >= 2);
  g_assert_cmpuint (watch.n_connected, ==, 0);
  g_assert_false (sm_cti_source_get_connected (SM_CTI_SOURCE (source)));
  sm_cti_source_stop (SM_CTI_SOURCE (source));
  peer_free (peer);
}

static void
test_ari_bad_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmCtiAri) source = sm_cti_ari_new ("ftp://pbx", "seatmate", NULL, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_null (sm_cti_ari_new ("http://127.0.0.1:8088", "", NULL, NULL, &error));
  g_assert_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cti-ari/call", test_ari_call);
  g_test_add_func ("/cti-ari/bad-credentials", test_ari_bad_credentials);
  g_test_add_func ("/cti-ari/bad-url", test_ari_bad_url);

  return g_test_run ();
}
