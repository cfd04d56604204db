/* test-cti-baresip.c: the baresip ctrl_tcp source, from the real capture
 * and against a loopback peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sm-cti-baresip.h"
#include "sm-test-util.h"
#include "sm-netstring.h"

/* Helpers */

static void
collect_event_cb (SmCtiSource *source,
                  SmCallEvent *event,
                  GPtrArray   *events)
{
  g_ptr_array_add (events, sm_call_event_ref (event));
}

static void
frame_cb (const char *data,
          gsize       len,
          gpointer    user_data)
{
  sm_cti_baresip_handle_frame (SM_CTI_BARESIP (user_data), data, len);
}

static GPtrArray *
replay_capture (const char *file,
                gsize       chunk)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "baresip", file, NULL);
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new ("127.0.0.1:1", FALSE, NULL);
  g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_nonnull (source);
  g_signal_connect (source, "call-event", G_CALLBACK (collect_event_cb), events);
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  for (gsize i = 0; i < len; i += chunk)
    g_assert_true (sm_netstring_parser_feed (parser, contents + i, MIN (chunk, len - i),
                                             frame_cb, source, &error));
  g_assert_no_error (error);
  return events;
}

static SmCallEvent *
event_at (GPtrArray *events,
          guint      i)
{
  g_assert_cmpuint (i, <, events->len);
  return g_ptr_array_index (events, i);
}

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

/* The real capture */

static void
test_capture_agent (void)
{
  static const gsize chunks[] = { 1, 7, 100, 65536 };

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_autoptr(GPtrArray) events = replay_capture ("agent-ctrl-tcp.raw", chunks[c]);
      SmCallEvent *event;
      g_autofree char *json = NULL;

      /* 66 frames in, four call events out: the rest (SDP, RTCP, VU
       * reports, responses, SHUTDOWN/EXIT) is not a call state */
      g_assert_cmpuint (events->len, ==, 4);

      event = event_at (events, 0);
      g_assert_cmpint (event->type, ==, SM_CALL_EVENT_RINGING);
      g_assert_cmpstr (event->call, ==, "8c04f08d14feb9c1");
      g_assert_true (event->has_direction);
      g_assert_cmpint (event->direction, ==, SM_CALL_DIRECTION_INBOUND);
      g_assert_cmpstr (event->number, ==, "+12025550123");
      g_assert_cmpstr (event->name, ==, "Jane Doe");

      /* Printed exactly in DESIGN.md's format (time left out of the comparison) */
      json = sm_call_event_to_json (event);
      g_assert_nonnull (strstr (json, "\"call\":\"8c04f08d14feb9c1\",\"event\":\"ringing\","
                                      "\"direction\":\"inbound\",\"number\":\"+12025550123\","
                                      "\"name\":\"Jane Doe\"}"));
      g_assert_true (g_str_has_prefix (json, "{\"time\":\""));

      event = event_at (events, 1);
      g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ANSWERED);
      g_assert_cmpstr (event->call, ==, "8c04f08d14feb9c1");

      event = event_at (events, 2);
      g_assert_cmpint (event->type, ==, SM_CALL_EVENT_DTMF);
      g_assert_cmpstr (event->digit, ==, "1");

      event = event_at (events, 3);
      g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ENDED);
      g_assert_cmpstr (event->reason, ==, "Connection reset by user");
    }
}

static void
test_capture_customer (void)
{
  g_autoptr(GPtrArray) events = replay_capture ("customer-ctrl-tcp.raw", 13);
  SmCallEvent *event;

  g_assert_cmpuint (events->len, >=, 3);
  event = event_at (events, 0);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_RINGING);
  g_assert_cmpint (event->direction, ==, SM_CALL_DIRECTION_OUTBOUND);
  g_assert_cmpstr (event->number, ==, "agent");
  g_assert_null (event->name);
  g_assert_cmpstr (event->call, ==, "8c04f08d14feb9c1");

  event = event_at (events, 1);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ANSWERED);

  event = event_at (events, events->len - 1);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ENDED);
  g_assert_cmpstr (event->reason, ==, "Connection reset by peer");
}

static void
test_unknown_and_malformed (void)
{
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new ("127.0.0.1", FALSE, NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref);
  static const char *frames[] = {
    "not json at all",
    "[1,2,3]",
    "{\"event\":true,\"type\":\"CALL_INCOMING\"}",                         /* no id */
    "{\"event\":true,\"type\":\"SIPSESS_CONN\",\"id\":\"x\",\"new\":1}",   /* unknown type */
    "{\"message\":true,\"data\":\"hello\"}",                              /* v4 message */
    "{\"event\":true,\"type\":\"CALL_CLOSED\",\"id\":\"nobody\"}",          /* unknown call */
    "{\"response\":true,\"ok\":true,\"token\":\"stray\"}",                /* no command */
    "{\"event\":true,\"type\":\"CALL_INCOMING\",\"id\":\"c1\",\"peeruri\":\"sip:1001@10.0.0.1\","
    "\"direction\":\"incoming\",\"extra\":{\"nested\":[1]}}",
    "{\"event\":true,\"type\":\"CALL_INCOMING\",\"id\":\"c1\",\"peeruri\":\"sip:1001@10.0.0.1\"}",
  };

  g_signal_connect (source, "call-event", G_CALLBACK (collect_event_cb), events);
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    sm_cti_baresip_handle_frame (source, frames[i], strlen (frames[i]));

  /* Only the valid CALL_INCOMING, once */
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (event_at (events, 0)->number, ==, "1001");
  g_assert_null (event_at (events, 0)->name);
}

static void
test_number_from_uri (void)
{
  static const struct { const char *uri; const char *number; } cases[] = {
    { "sip:+12025550123@127.0.0.1:5080", "+12025550123" },
    { "Jane Doe <sip:+12025550123@127.0.0.1:5080>", "+12025550123" },
    { "sips:1001@pbx;transport=tls", "1001" },
    { "tel:+8613800138000", "+8613800138000" },
    { "sip:agent@127.0.0.1:5070;user=phone", "agent" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *number = sm_cti_baresip_number_from_uri (cases[i].uri);
      g_assert_cmpstr (number, ==, cases[i].number);
    }
}

static void
test_refuse_remote (void)
{
  static const char *local[] = { "127.0.0.1:4444", "localhost:4444", "[::1]:4444", "127.0.0.2" };
  static const char *remote[] = { "192.0.2.10:4444", "softphone.example.com:4444", "[2001:db8::1]:4444" };

  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new (local[i], FALSE, NULL);
      g_assert_nonnull (source);
    }

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmCtiBaresip) refused = sm_cti_baresip_new (remote[i], FALSE, &error);
      g_autoptr(SmCtiBaresip) allowed = NULL;

      g_assert_null (refused);
      g_assert_error (error, SM_CTI_ERROR, SM_CTI_ERROR_REFUSED);
      allowed = sm_cti_baresip_new (remote[i], TRUE, NULL);
      g_assert_nonnull (allowed);
    }
}

/* A loopback peer that speaks ctrl_tcp */

typedef struct
{
  GSocketService     *service;
  guint16             port;
  GSocketConnection  *connection;
  GCancellable       *cancellable;
  SmNetstringParser  *parser;
  char                buffer[4096];
  GPtrArray          *commands;   /* JsonObject */
  guint               n_accepted;
  gboolean            closed;
  /* What to answer to listcalls */
  char               *listcalls;
} Peer;

static void peer_read (Peer *peer);

static void
peer_frame_cb (const char *data,
               gsize       len,
               gpointer    user_data)
{
  Peer *peer = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  g_ptr_array_add (peer->commands, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
}

static void
peer_send_raw (Peer       *peer,
               const char *data,
               gssize      len)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (peer->connection));

  if (len < 0)
    len = strlen (data);
  g_assert_true (g_output_stream_write_all (out, data, len, NULL, NULL, NULL));
}

static void
peer_send (Peer       *peer,
           const char *json)
{
  g_autoptr(GBytes) frame = sm_netstring_encode (json, -1);
  gsize size;
  const char *data = g_bytes_get_data (frame, &size);

  peer_send_raw (peer, data, size);
}

static void
peer_respond (Peer       *peer,
              JsonObject *command,
              gboolean    ok,
              const char *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "response");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, data);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, json_object_get_string_member (command, "token"));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  peer_send (peer, json);
}

static void
peer_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  Peer *peer = user_data;

  /* The peer may be gone already */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (n <= 0)
    {
      peer->closed = TRUE;
      return;
    }
  g_assert_true (sm_netstring_parser_feed (peer->parser, peer->buffer, n,
                                           peer_frame_cb, peer, NULL));
  if (peer->connection != NULL &&
      object == (GObject *)g_io_stream_get_input_stream (G_IO_STREAM (peer->connection)))
    peer_read (peer);
}

static void
peer_read (Peer *peer)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (peer->connection)),
                             peer->buffer, sizeof peer->buffer, G_PRIORITY_DEFAULT,
                             peer->cancellable, peer_read_cb, peer);
}

static gboolean
peer_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source,
                  Peer              *peer)
{
  /* ctrl_tcp takes one client: a new one replaces the old */
  if (peer->connection != NULL)
    g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_set_object (&peer->connection, connection);
  sm_netstring_parser_reset (peer->parser);
  peer->closed = FALSE;
  peer->n_accepted++;
  peer_read (peer);
  return TRUE;
}

static Peer *
peer_new (void)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  peer->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (peer->service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &effective, &error));
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  peer->parser = sm_netstring_parser_new (0);
  peer->cancellable = g_cancellable_new ();
  peer->commands = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  peer->listcalls = g_strdup ("\n--- Active calls (0) ---\n\n");
  g_signal_connect (peer->service, "incoming", G_CALLBACK (peer_incoming_cb), peer);
  g_socket_service_start (peer->service);
  return peer;
}

static void
peer_free (Peer *peer)
{
  g_cancellable_cancel (peer->cancellable);
  g_clear_object (&peer->cancellable);
  g_socket_service_stop (peer->service);
  g_socket_listener_close (G_SOCKET_LISTENER (peer->service));
  g_clear_object (&peer->service);
  if (peer->connection != NULL)
    g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_clear_object (&peer->connection);
  sm_netstring_parser_free (peer->parser);
  g_ptr_array_unref (peer->commands);
  g_free (peer->listcalls);
  g_free (peer);
}

/* Waits for the next command, answers listcalls itself, returns the rest */
static JsonObject *
peer_next_command (Peer  *peer,
                   guint *seen)
{
  for (;;)
    {
      JsonObject *command;

      WAIT_FOR (peer->commands->len > *seen);
      command = g_ptr_array_index (peer->commands, (*seen)++);
      if (g_str_equal (json_object_get_string_member (command, "command"), "listcalls"))
        {
          peer_respond (peer, command, TRUE, peer->listcalls);
          continue;
        }
      return command;
    }
}


#define INCOMING(id) \
  "{\"event\":true,\"type\":\"CALL_INCOMING\",\"class\":\"call\",\"accountaor\":\"sip:agent@127.0.0.1:5070\"," \
  "\"direction\":\"incoming\",\"peeruri\":\"sip:+12025550123@127.0.0.1:5080\",\"peerdisplayname\":\"Jane Doe\"," \
  "\"id\":\"" id "\",\"param\":\"sip:+12025550123@127.0.0.1:5080\"}"
#define EVENT(type, id, param) \
  "{\"event\":true,\"type\":\"" type "\",\"class\":\"call\",\"direction\":\"incoming\"," \
  "\"peeruri\":\"sip:+12025550123@127.0.0.1:5080\",\"id\":\"" id "\",\"param\":\"" param "\"}"

static void
test_loopback_call (void)
{
  Peer *peer = peer_new ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new (address, FALSE, NULL);
  SmTestWatch watch = { g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref) };
  JsonObject *command;
  SmCallEvent *event;
  guint seen = 0;
  guint n;

  g_signal_connect (source, "call-event", G_CALLBACK (collect_event_cb), watch.events);
  g_signal_connect (source, "connection-changed", G_CALLBACK (sm_test_watch_connection_cb), &watch);
  sm_cti_baresip_set_backoff (source, 20, 80);

  /* Commands before the connection fail at once */
  sm_cti_source_answer_async (SM_CTI_SOURCE (source), "x", NULL, sm_test_watch_command_cb, &watch);
  WAIT_FOR (watch.done);
  g_assert_false (watch.ok);
  g_assert_error (watch.error, SM_CTI_ERROR, SM_CTI_ERROR_DISCONNECTED);

  sm_cti_source_start (SM_CTI_SOURCE (source));
  WAIT_FOR (watch.n_connected == 1 && peer->commands->len >= 1);
  command = g_ptr_array_index (peer->commands, seen++);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "listcalls");
  peer_respond (peer, command, TRUE, peer->listcalls);

  /* The phone rings */
  peer_send (peer, INCOMING ("call-1"));
  WAIT_FOR (watch.events->len == 1);
  event = event_at (watch.events, 0);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_RINGING);
  g_assert_cmpstr (event->number, ==, "+12025550123");
  g_assert_cmpstr (event->name, ==, "Jane Doe");
  g_assert_cmpint (event->time_ms, >, 0);

  /* Answer: the events come before the response, as in the capture */
  watch.done = FALSE;
  sm_cti_source_answer_async (SM_CTI_SOURCE (source), "call-1", NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "accept");
  g_assert_false (json_object_has_member (command, "params"));
  peer_send (peer, EVENT ("CALL_ESTABLISHED", "call-1", "sip:+12025550123@127.0.0.1:5080"));
  WAIT_FOR (watch.events->len == 2);
  g_assert_false (watch.done);
  /* A stray response with another token does not complete it */
  peer_send (peer, "{\"response\":true,\"ok\":true,\"data\":\"\",\"token\":\"someone-else\"}");
  peer_respond (peer, command, TRUE, "Answering incoming call\n");
  WAIT_FOR (watch.done);
  g_assert_no_error (watch.error);
  g_assert_true (watch.ok);
  g_assert_cmpint (event_at (watch.events, 1)->type, ==, SM_CALL_EVENT_ANSWERED);

  /* A frame that is not JSON is skipped; the connection stays */
  peer_send (peer, "this is not json");
  peer_send (peer, "{\"event\":true,\"type\":\"VU_RX_REPORT\",\"class\":\"VU_REPORT\",\"id\":\"call-1\",\"param\":\"-9.00\"}");
  peer_send (peer, EVENT ("CALL_DTMF_START", "call-1", "5"));
  WAIT_FOR (watch.events->len == 3);
  event = event_at (watch.events, 2);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_DTMF);
  g_assert_cmpstr (event->digit, ==, "5");
  g_assert_cmpuint (watch.n_disconnected, ==, 0);

  /* Hold: 1.0.0 has no hold event, the source reports it on success */
  watch.done = FALSE;
  sm_cti_source_hold_async (SM_CTI_SOURCE (source), "call-1", NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "hold");
  peer_respond (peer, command, TRUE, "");
  WAIT_FOR (watch.done);
  g_assert_true (watch.ok);
  g_assert_cmpuint (watch.events->len, ==, 4);
  g_assert_cmpint (event_at (watch.events, 3)->type, ==, SM_CALL_EVENT_HELD);

  /* A refused command is an error */
  watch.done = FALSE;
  sm_cti_source_resume_async (SM_CTI_SOURCE (source), "call-1", NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "resume");
  peer_respond (peer, command, FALSE, "command not found (resume)\n");
  WAIT_FOR (watch.done);
  g_assert_false (watch.ok);
  g_assert_error (watch.error, SM_CTI_ERROR, SM_CTI_ERROR_FAILED);
  g_assert_cmpuint (watch.events->len, ==, 4);

  /* DTMF and transfer carry their argument as a JSON string */
  watch.done = FALSE;
  sm_cti_source_dtmf_async (SM_CTI_SOURCE (source), "call-1", "12#", NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "sndcode");
  g_assert_cmpstr (json_object_get_string_member (command, "params"), ==, "12#");
  peer_respond (peer, command, TRUE, "");
  WAIT_FOR (watch.done);
  g_assert_true (watch.ok);

  /* The softphone goes away mid-call: disconnected, reconnect, listcalls
   * says the call is still there, nothing ends */
  g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_clear_object (&peer->connection);
  WAIT_FOR (watch.n_disconnected == 1);
  g_free (peer->listcalls);
  peer->listcalls = g_strdup ("\n--- Active calls (1) ---\n> [line 1]  0:00:42  ESTABLISHED"
                              "             sip:+12025550123@127.0.0.1:5080\n\n");
  n = peer->commands->len;
  WAIT_FOR (watch.n_connected == 2 && peer->commands->len > n);
  seen = n;
  command = g_ptr_array_index (peer->commands, seen++);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "listcalls");
  peer_respond (peer, command, TRUE, peer->listcalls);
  g_assert_cmpuint (sm_cti_baresip_get_n_connects (source), ==, 2);

  /* Proves the listcalls answer was handled: the next command goes out */
  watch.done = FALSE;
  sm_cti_source_mute_async (SM_CTI_SOURCE (source), "call-1", TRUE, NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "mute");
  peer_respond (peer, command, TRUE, "");
  WAIT_FOR (watch.done);
  g_assert_cmpuint (watch.events->len, ==, 4);

  /* Muting again is a no-op (mute toggles in baresip) */
  watch.done = FALSE;
  n = peer->commands->len;
  sm_cti_source_mute_async (SM_CTI_SOURCE (source), "call-1", TRUE, NULL, sm_test_watch_command_cb, &watch);
  WAIT_FOR (watch.done);
  g_assert_true (watch.ok);
  g_assert_cmpuint (peer->commands->len, ==, n);

  /* A frame announcing more than 1 MiB drops the connection; after the
   * reconnect the softphone has lost the call: it ends */
  g_free (peer->listcalls);
  peer->listcalls = g_strdup ("\n--- Active calls (0) ---\n\n");
  peer_send_raw (peer, "2000000:{\"event\":true", -1);
  WAIT_FOR (watch.n_disconnected == 2);
  WAIT_FOR (watch.n_connected == 3 && peer->commands->len > seen);
  command = g_ptr_array_index (peer->commands, seen++);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "listcalls");
  peer_respond (peer, command, TRUE, peer->listcalls);
  WAIT_FOR (watch.events->len == 5);
  event = event_at (watch.events, 4);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_ENDED);
  g_assert_cmpstr (event->call, ==, "call-1");

  /* A call that started while we were away is adopted with its id */
  g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_clear_object (&peer->connection);
  g_free (peer->listcalls);
  peer->listcalls = g_strdup ("\n--- Active calls (1) ---\n> [line 2]  0:00:05  ESTABLISHED"
                              "             sip:+8613800138000@127.0.0.1:5080\n\n");
  WAIT_FOR (watch.n_disconnected == 3);
  n = peer->commands->len;
  WAIT_FOR (watch.n_connected == 4 && peer->commands->len > n);
  seen = n;
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "line");
  g_assert_cmpstr (json_object_get_string_member (command, "params"), ==, "2");
  peer_respond (peer, command, TRUE, "");
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "callstat");
  peer_respond (peer, command, TRUE,
                "\n===== Call debug (ESTABLISHED) =====\n local_uri:  <sip:agent@127.0.0.1:5070>\n"
                " peer_uri:  张伟 <sip:+8613800138000@127.0.0.1:5080>\n af=AF_INET id=abc123\n"
                " direction: Incoming\n");
  WAIT_FOR (watch.events->len == 7);
  event = event_at (watch.events, 5);
  g_assert_cmpint (event->type, ==, SM_CALL_EVENT_RINGING);
  g_assert_cmpstr (event->call, ==, "abc123");
  g_assert_cmpstr (event->number, ==, "+8613800138000");
  g_assert_cmpstr (event->name, ==, "张伟");
  g_assert_cmpint (event_at (watch.events, 6)->type, ==, SM_CALL_EVENT_ANSWERED);

  sm_cti_source_stop (SM_CTI_SOURCE (source));
  g_ptr_array_unref (watch.events);
  g_clear_error (&watch.error);
  peer_free (peer);
}

static void
test_resync_race (void)
{
  Peer *peer = peer_new ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new (address, FALSE, NULL);
  SmTestWatch watch = { g_ptr_array_new_with_free_func ((GDestroyNotify)sm_call_event_unref) };
  JsonObject *command;
  guint seen = 0;

  g_signal_connect (source, "call-event", G_CALLBACK (collect_event_cb), watch.events);
  g_signal_connect (source, "connection-changed", G_CALLBACK (sm_test_watch_connection_cb), &watch);
  sm_cti_source_start (SM_CTI_SOURCE (source));
  WAIT_FOR (watch.n_connected == 1 && peer->commands->len >= 1);

  /* A call rings between our listcalls and its answer: the answer, which
   * does not list it, must not end it */
  peer_send (peer, INCOMING ("early"));
  WAIT_FOR (watch.events->len == 1);
  command = g_ptr_array_index (peer->commands, seen++);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "listcalls");
  peer_respond (peer, command, TRUE, "\n--- Active calls (0) ---\n\n");

  /* The next command goes out only once the listcalls answer is handled */
  watch.done = FALSE;
  sm_cti_source_answer_async (SM_CTI_SOURCE (source), "early", NULL, sm_test_watch_command_cb, &watch);
  command = peer_next_command (peer, &seen);
  g_assert_cmpstr (json_object_get_string_member (command, "command"), ==, "accept");
  peer_respond (peer, command, TRUE, "");
  WAIT_FOR (watch.done);
  g_assert_cmpuint (watch.events->len, ==, 1);
  g_assert_cmpint (event_at (watch.events, 0)->type, ==, SM_CALL_EVENT_RINGING);

  sm_cti_source_stop (SM_CTI_SOURCE (source));
  g_ptr_array_unref (watch.events);
  g_clear_error (&watch.error);
  peer_free (peer);
}

static void
test_backoff (void)
{
  Peer *peer = peer_new ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", peer->port);
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new (address, FALSE, NULL);
  g_autoptr(SmCtiBaresip) defaults = sm_cti_baresip_new (address, FALSE, NULL);
  SmTestWatch watch = { 0 };

  /* The production backoff starts at 0.5 s */
  g_assert_cmpuint (sm_cti_baresip_get_next_backoff (defaults), ==, 500);

  /* Nobody listens: the delay doubles up to its cap */
  peer_free (peer);
  g_signal_connect (source, "connection-changed", G_CALLBACK (sm_test_watch_connection_cb), &watch);
  sm_cti_baresip_set_backoff (source, 10, 40);
  sm_cti_source_start (SM_CTI_SOURCE (source));
  WAIT_FOR (sm_cti_baresip_get_next_backoff (source) == 20);
  WAIT_FOR (sm_cti_baresip_get_next_backoff (source) == 40);
  g_assert_cmpuint (watch.n_connected, ==, 0);
  sm_cti_source_stop (SM_CTI_SOURCE (source));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cti-baresip/capture/agent", test_capture_agent);
  g_test_add_func ("/cti-baresip/capture/customer", test_capture_customer);
  g_test_add_func ("/cti-baresip/unknown-and-malformed", test_unknown_and_malformed);
  g_test_add_func ("/cti-baresip/number-from-uri", test_number_from_uri);
  g_test_add_func ("/cti-baresip/refuse-remote", test_refuse_remote);
  g_test_add_func ("/cti-baresip/loopback-call", test_loopback_call);
  g_test_add_func ("/cti-baresip/resync-race", test_resync_race);
  g_test_add_func ("/cti-baresip/backoff", test_backoff);

  return g_test_run ();
}
