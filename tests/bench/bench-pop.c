/* bench-pop.c: screen-pop latency and ctrl_tcp parser throughput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pop latency: a store of 100,000 customers; a loopback peer plays the
 * baresip ctrl_tcp side and writes a CALL_INCOMING frame to the socket for
 * a random customer; we measure until the call pane shows the caller and
 * the customer's profile (widget state), and until the next frame is
 * painted, over 200 calls. Prints p50 and p99.
 *
 * Parser throughput: the real captured stream (tests/data/baresip)
 * repeated to 32 MiB, fed through the netstring parser alone, then through
 * netstring + JSON + event handling. Prints MB/s.
 *
 * Needs a display (run under xvfb-run); exits 77 without one.
 *   xvfb-run -a -s "-screen 0 1920x1080x24" build/tests/bench/bench-pop [N_CUSTOMERS] [N_CALLS]
 */

#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>
#include <string.h>

#include "sm-call-controller.h"
#include "sm-call-panel.h"
#include "sm-cti-baresip.h"
#include "sm-netstring.h"

typedef struct
{
  GSocketService     *service;
  GSocketConnection  *connection;
  SmNetstringParser  *parser;
  char                buffer[4096];
} Peer;

static void peer_read (Peer *peer);

static void
peer_send (Peer       *peer,
           const char *json)
{
  g_autoptr(GBytes) frame = sm_netstring_encode (json, -1);
  gsize size;
  const char *data = g_bytes_get_data (frame, &size);

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (peer->connection)),
                             data, size, NULL, NULL, NULL);
}

static void
peer_frame_cb (const char *data,
               gsize       len,
               gpointer    user_data)
{
  Peer *peer = user_data;
  const char *token = strstr (data, "\"token\":\"");
  g_autofree char *tok = NULL;
  g_autofree char *reply = NULL;

  if (token == NULL)
    return;
  token += strlen ("\"token\":\"");
  tok = g_strndup (token, strcspn (token, "\""));
  reply = g_strdup_printf ("{\"response\":true,\"ok\":true,\"data\":\"\\n--- Active calls (0) ---\\n\","
                           "\"token\":\"%s\"}", tok);
  peer_send (peer, reply);
}

static void
peer_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    return;
  sm_netstring_parser_feed (peer->parser, peer->buffer, n, peer_frame_cb, peer, NULL);
  peer_read (peer);
}

static void
peer_read (Peer *peer)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (peer->connection)),
                             peer->buffer, sizeof peer->buffer, G_PRIORITY_DEFAULT, NULL,
                             peer_read_cb, peer);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Peer              *peer)
{
  g_set_object (&peer->connection, connection);
  peer_read (peer);
  return TRUE;
}

static void
seed (SmStore *store,
      guint    n_customers)
{
  static const char *segments[] = { "Classic", "Gold", "Platinum", "Infinite", "金卡", "白金卡" };
  g_autoptr(sqlite3_stmt) customer = NULL;
  g_autoptr(sqlite3_stmt) phone = NULL;
  g_autoptr(sqlite3_stmt) card = NULL;
  g_autoptr(sqlite3_stmt) contact = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = sm_now_ms ();

  g_assert (sm_store_begin (store, &error));
  customer = sm_store_prepare (store, "INSERT INTO customers (id, name, segment, language, customer_since)"
                                      " VALUES (?1, ?2, ?3, 'en', '2015-06-01')", NULL);
  phone = sm_store_prepare (store, "INSERT INTO customer_phones (number, customer_id) VALUES (?1, ?2)", NULL);
  card = sm_store_prepare (store, "INSERT INTO cards (customer_id, masked, product) VALUES (?1, ?2, 'Visa')", NULL);
  contact = sm_store_prepare (store, "INSERT INTO contacts (id, agent, number, offered_ms, answered_ms, ended_ms,"
                                     " disposition, customer, reason) VALUES (?1, 'a1', ?2, ?3, ?3, ?3,"
                                     " 'resolved', ?4, 'card_arrival')", NULL);

  for (guint i = 0; i < n_customers; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%06u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u", i);
      g_autofree char *number = g_strdup_printf ("+1202%07u", i);
      g_autofree char *masked = g_strdup_printf ("•••• %04u", i % 10000);

      sqlite3_reset (customer);
      sqlite3_bind_text (customer, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (customer, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (customer, 3, segments[i % G_N_ELEMENTS (segments)], -1, SQLITE_STATIC);
      g_assert (sqlite3_step (customer) == SQLITE_DONE);
      sqlite3_reset (phone);
      sqlite3_bind_text (phone, 1, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (phone, 2, id, -1, SQLITE_STATIC);
      g_assert (sqlite3_step (phone) == SQLITE_DONE);
      sqlite3_reset (card);
      sqlite3_bind_text (card, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (card, 2, masked, -1, SQLITE_STATIC);
      g_assert (sqlite3_step (card) == SQLITE_DONE);
      for (guint c = 0; c < 3; c++)
        {
          g_autofree char *cid = g_strdup_printf ("c-%u-%u", i, c);

          sqlite3_reset (contact);
          sqlite3_bind_text (contact, 1, cid, -1, SQLITE_STATIC);
          sqlite3_bind_text (contact, 2, number, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (contact, 3, now - (gint64)(c + 1) * 86400000 - i);
          sqlite3_bind_text (contact, 4, id, -1, SQLITE_STATIC);
          g_assert (sqlite3_step (contact) == SQLITE_DONE);
        }
    }
  g_assert (sm_store_commit (store, &error));
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  if (g_getenv ("BENCH_POP_DEBUG") != NULL && GTK_IS_LABEL (widget))
    g_printerr ("label %s mapped=%d\n", gtk_label_get_text (GTK_LABEL (widget)), gtk_widget_get_mapped (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare);
  index = (guint)(p * (values->len - 1) + 0.5);
  return g_array_index (values, gint64, index) / 1000.0;
}

typedef struct
{
  SmCall   *popped;
  gboolean  painted;
} PopState;

static void
popped_cb (SmCallController *controller,
           SmCall           *call,
           PopState         *state)
{
  state->popped = call;
}

static void
after_paint_cb (GdkFrameClock *clock,
                PopState      *state)
{
  state->painted = TRUE;
}

static void
count_frame_cb (const char *data,
                gsize       len,
                gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
handle_frame_cb (const char *data,
                 gsize       len,
                 gpointer    user_data)
{
  sm_cti_baresip_handle_frame (SM_CTI_BARESIP (user_data), data, len);
}

static void
bench_parser (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR") ?: "tests", "data", "baresip",
                                            "agent-ctrl-tcp.raw", NULL);
  g_autoptr(SmCtiBaresip) source = sm_cti_baresip_new ("127.0.0.1:1", FALSE, NULL);
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autofree char *raw = NULL;
  gsize raw_len;
  double mb;

  if (!g_file_get_contents (path, &raw, &raw_len, NULL))
    {
      g_printerr ("bench-pop: cannot read %s (set G_TEST_SRCDIR to the tests folder)\n", path);
      return;
    }

  while (stream->len < 32 * 1024 * 1024)
    g_string_append_len (stream, raw, raw_len);
  mb = stream->len / 1e6;

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
      guint frames = 0;
      gint64 start = g_get_monotonic_time ();
      double seconds;

      for (gsize i = 0; i < stream->len; i += 65536)
        {
          gsize n = MIN (65536, stream->len - i);

          if (pass == 0)
            sm_netstring_parser_feed (parser, stream->str + i, n, count_frame_cb, &frames, NULL);
          else
            sm_netstring_parser_feed (parser, stream->str + i, n, handle_frame_cb, source, NULL);
        }
      seconds = (g_get_monotonic_time () - start) / 1e6;
      g_print ("parser %s: %.1f MB of the captured stream in %.3f s = %.1f MB/s\n",
               pass == 0 ? "netstring only" : "netstring + JSON + events", mb, seconds, mb / seconds);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint n_customers = argc > 1 ? (guint)atoi (argv[1]) : 100000;
  guint n_calls = argc > 2 ? (guint)atoi (argv[2]) : 200;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *address = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autoptr(SmContext) context = NULL;
  g_autoptr(SmCtiBaresip) source = NULL;
  g_autoptr(SmCallController) controller = NULL;
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) painted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  GtkWidget *window;
  GtkWidget *panel;
  GdkFrameClock *clock;
  PopState state = { 0 };
  Peer peer = { 0 };
  GRand *rand;
  gint64 t;

  bench_parser ();

  if (!gtk_init_check ())
    {
      g_printerr ("bench-pop: the pop latency needs a display (xvfb-run)\n");
      return 77;
    }

  dir = g_dir_make_tmp ("seatmate-bench-pop-XXXXXX", &error);
  db = g_build_filename (dir, "bench.db", NULL);
  store = sm_store_open (db, &error);
  g_assert_no_error (error);
  t = g_get_monotonic_time ();
  seed (store, n_customers);
  g_print ("store: %u customers, %u contacts seeded in %.1f s\n", n_customers, n_customers * 3,
           (g_get_monotonic_time () - t) / 1e6);
  context = sm_context_new (store, NULL, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  any = g_inet_socket_address_new (loopback, 0);
  peer.service = g_socket_service_new ();
  peer.parser = sm_netstring_parser_new (0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (peer.service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (peer.service, "incoming", G_CALLBACK (incoming_cb), &peer);
  address = g_strdup_printf ("127.0.0.1:%u",
                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  source = sm_cti_baresip_new (address, FALSE, &error);
  controller = sm_call_controller_new (context, SM_CTI_SOURCE (source));
  sm_call_controller_attach (controller);
  g_signal_connect (controller, "call-popped", G_CALLBACK (popped_cb), &state);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  panel = g_object_new (SM_TYPE_CALL_PANEL, NULL);
  sm_call_panel_set_context (SM_CALL_PANEL (panel), context);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));

  while (!sm_call_controller_get_connected (controller) || !gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &state);

  rand = g_rand_new_with_seed (42);
  for (guint i = 0; i < n_calls; i++)
    {
      guint who = g_rand_int_range (rand, 0, n_customers);
      g_autofree char *name = g_strdup_printf ("Customer %u", who);
      g_autofree char *incoming =
        g_strdup_printf ("{\"event\":true,\"type\":\"CALL_INCOMING\",\"class\":\"call\","
                         "\"accountaor\":\"sip:agent@127.0.0.1:5070\",\"direction\":\"incoming\","
                         "\"peeruri\":\"sip:+1202%07u@127.0.0.1:5080\",\"peerdisplayname\":\"%s\","
                         "\"id\":\"bench-%u\",\"param\":\"sip:+1202%07u@127.0.0.1:5080\"}",
                         who, name, i, who);
      g_autofree char *closed =
        g_strdup_printf ("{\"event\":true,\"type\":\"CALL_CLOSED\",\"class\":\"call\","
                         "\"direction\":\"incoming\",\"peeruri\":\"sip:+1202%07u@127.0.0.1:5080\","
                         "\"id\":\"bench-%u\",\"param\":\"Connection reset by peer\"}", who, i);
      gint64 t0, t1, t2;

      state.popped = NULL;
      state.painted = FALSE;
      t0 = g_get_monotonic_time ();
      peer_send (&peer, incoming);
      while (state.popped == NULL)
        g_main_context_iteration (NULL, TRUE);
      /* The pane updates synchronously when the call becomes current */
      t1 = g_get_monotonic_time ();
      state.painted = FALSE;
      gtk_widget_queue_draw (window);
      while (!state.painted)
        g_main_context_iteration (NULL, TRUE);
      t2 = g_get_monotonic_time ();

      if (!shows_text (panel, name))
        g_error ("The pane does not show %s", name);
      if (!shows_text (panel, "Last contacts"))
        g_error ("The pane does not show the profile");

      g_array_append_val (shown, (gint64){ t1 - t0 });
      g_array_append_val (painted, (gint64){ t2 - t0 });

      peer_send (&peer, closed);
      while (sm_call_list_get_current (sm_context_get_calls (context)) != NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  g_rand_free (rand);

  g_print ("pop latency, frame written → pane shows caller + profile (%u calls, %u customers): "
           "p50 %.2f ms, p99 %.2f ms\n", n_calls, n_customers, percentile (shown, 0.5), percentile (shown, 0.99));
  g_print ("pop latency, frame written → next frame painted: p50 %.2f ms, p99 %.2f ms\n",
           percentile (painted, 0.5), percentile (painted, 0.99));

  sm_cti_source_stop (SM_CTI_SOURCE (source));
  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("bench-pop: could not remove %s\n", dir);
  }
  return 0;
}
