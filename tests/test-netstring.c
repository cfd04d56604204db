/* test-netstring.c: netstring framing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sm-netstring.h"

static void
collect_cb (const char *data,
            gsize       len,
            gpointer    user_data)
{
  GPtrArray *frames = user_data;

  g_assert_cmpuint (strlen (data), ==, len);
  g_ptr_array_add (frames, g_strndup (data, len));
}

static void
test_netstring_basic (void)
{
  g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *input = "5:hello,0:,3:abc,";

  g_assert_true (sm_netstring_parser_feed (parser, input, strlen (input),
                                           collect_cb, frames, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (frames->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (frames, 0), ==, "hello");
  g_assert_cmpstr (g_ptr_array_index (frames, 1), ==, "");
  g_assert_cmpstr (g_ptr_array_index (frames, 2), ==, "abc");
}

static void
test_netstring_split (void)
{
  const char *input = "12:{\"a\":\"b:,c\"},7:{\"x\":1},";
  gsize len = strlen (input);

  /* Every split point, byte by byte too */
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
      g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);

      g_assert_true (sm_netstring_parser_feed (parser, input, cut, collect_cb, frames, NULL));
      g_assert_true (sm_netstring_parser_feed (parser, input + cut, len - cut,
                                               collect_cb, frames, NULL));
      g_assert_cmpuint (frames->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (frames, 0), ==, "{\"a\":\"b:,c\"}");
      g_assert_cmpstr (g_ptr_array_index (frames, 1), ==, "{\"x\":1}");
    }

  {
    g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
    g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);

    for (gsize i = 0; i < len; i++)
      g_assert_true (sm_netstring_parser_feed (parser, input + i, 1, collect_cb, frames, NULL));
    g_assert_cmpuint (frames->len, ==, 2);
  }
}

static void
test_netstring_errors (void)
{
  static const struct { const char *input; int code; } cases[] = {
    { "01:a,", SM_NETSTRING_ERROR_SYNTAX },     /* leading zero */
    { ":a,", SM_NETSTRING_ERROR_SYNTAX },       /* no length */
    { "x", SM_NETSTRING_ERROR_SYNTAX },
    { "1:ab", SM_NETSTRING_ERROR_SYNTAX },      /* no comma */
    { "-1:a,", SM_NETSTRING_ERROR_SYNTAX },
    { "1048577:", SM_NETSTRING_ERROR_TOO_LONG },
    { "99999999999999999999999:", SM_NETSTRING_ERROR_TOO_LONG }, /* no overflow */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
      g_autoptr(GError) error = NULL;

      g_assert_false (sm_netstring_parser_feed (parser, cases[i].input, strlen (cases[i].input),
                                                NULL, NULL, &error));
      g_assert_error (error, SM_NETSTRING_ERROR, cases[i].code);

      /* Stays failed until reset */
      g_clear_error (&error);
      g_assert_false (sm_netstring_parser_feed (parser, "1:a,", 4, NULL, NULL, &error));
      g_assert_nonnull (error);
      sm_netstring_parser_reset (parser);
      g_assert_true (sm_netstring_parser_feed (parser, "1:a,", 4, NULL, NULL, NULL));
    }
}

static void
test_netstring_too_long_allocates_nothing (void)
{
  g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
  g_autoptr(GError) error = NULL;

  /* Exactly the limit is accepted; the buffer grows only with real bytes */
  g_assert_true (sm_netstring_parser_feed (parser, "1048576:", 8, NULL, NULL, &error));
  g_assert_cmpuint (sm_netstring_parser_get_allocated (parser), ==, 0);
  g_assert_true (sm_netstring_parser_feed (parser, "abcd", 4, NULL, NULL, &error));
  g_assert_cmpuint (sm_netstring_parser_get_allocated (parser), ==, 4);

  sm_netstring_parser_reset (parser);
  g_assert_false (sm_netstring_parser_feed (parser, "2000000:", 8, NULL, NULL, &error));
  g_assert_error (error, SM_NETSTRING_ERROR, SM_NETSTRING_ERROR_TOO_LONG);
  g_assert_cmpuint (sm_netstring_parser_get_allocated (parser), ==, 0);
}

static void
test_netstring_encode (void)
{
  g_autoptr(GBytes) bytes = sm_netstring_encode ("{\"command\":\"accept\"}", -1);
  g_autoptr(GBytes) empty = sm_netstring_encode ("", 0);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpmem (data, size, "20:{\"command\":\"accept\"},", 24);
  data = g_bytes_get_data (empty, &size);
  g_assert_cmpmem (data, size, "0:,", 3);
}

static void
test_netstring_capture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "baresip",
                                                 "agent-ctrl-tcp.raw", NULL);
  g_autoptr(SmNetstringParser) parser = sm_netstring_parser_new (0);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_true (sm_netstring_parser_feed (parser, contents, len, collect_cb, frames, &error));
  g_assert_no_error (error);
  /* every message received in agent-events.json */
  g_assert_cmpuint (frames->len, ==, 67);
  for (guint i = 0; i < frames->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (frames, i), "{"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/netstring/basic", test_netstring_basic);
  g_test_add_func ("/netstring/split", test_netstring_split);
  g_test_add_func ("/netstring/errors", test_netstring_errors);
  g_test_add_func ("/netstring/too-long-allocates-nothing", test_netstring_too_long_allocates_nothing);
  g_test_add_func ("/netstring/encode", test_netstring_encode);
  g_test_add_func ("/netstring/capture", test_netstring_capture);

  return g_test_run ();
}
