/* sm-netstring.c: incremental netstring framing (baresip ctrl_tcp)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A netstring is "<decimal length>:<bytes>,". The parser takes bytes as they
 * come off the socket, in pieces of any size, and calls back once per
 * complete frame. The length is checked against the limit before a single
 * byte is allocated for the payload, so a peer announcing a huge frame costs
 * nothing: the caller drops the connection on the error.
 */

#define G_LOG_DOMAIN "sm-netstring"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-netstring.h"

typedef enum
{
  STATE_LENGTH,
  STATE_PAYLOAD,
  STATE_COMMA,
  STATE_FAILED,
} State;

struct _SmNetstringParser
{
  gsize       max_len;
  State       state;
  gsize       length;
  guint       n_digits;
  gboolean    leading_zero;
  GByteArray *payload;
};

G_DEFINE_QUARK (sm-netstring-error-quark, sm_netstring_error)

/**
 * sm_netstring_parser_new:
 * @max_len: the longest payload accepted; 0 for %SM_NETSTRING_MAX_DEFAULT
 */
SmNetstringParser *
sm_netstring_parser_new (gsize max_len)
{
  SmNetstringParser *parser = g_new0 (SmNetstringParser, 1);

  parser->max_len = max_len > 0 ? max_len : SM_NETSTRING_MAX_DEFAULT;
  parser->payload = g_byte_array_new ();
  return parser;
}

void
sm_netstring_parser_free (SmNetstringParser *parser)
{
  if (parser == NULL)
    return;

  g_byte_array_unref (parser->payload);
  g_free (parser);
}

/**
 * sm_netstring_parser_reset:
 *
 * Forgets any partial frame and frees its buffer (after a reconnect).
 */
void
sm_netstring_parser_reset (SmNetstringParser *parser)
{
  g_return_if_fail (parser != NULL);

  parser->state = STATE_LENGTH;
  parser->length = 0;
  parser->n_digits = 0;
  parser->leading_zero = FALSE;
  g_byte_array_unref (parser->payload);
  parser->payload = g_byte_array_new ();
}

/**
 * sm_netstring_parser_get_allocated:
 *
 * Returns: the bytes reserved for the frame being read (for tests)
 */
gsize
sm_netstring_parser_get_allocated (SmNetstringParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);

  /* The payload grows with the bytes that really arrived, never with the
   * length the peer announced. */
  return parser->payload->len;
}

static gboolean
fail (SmNetstringParser  *parser,
      GError            **error,
      SmNetstringError    code,
      const char         *message)
{
  parser->state = STATE_FAILED;
  g_byte_array_set_size (parser->payload, 0);
  g_set_error_literal (error, SM_NETSTRING_ERROR, code, message);
  return FALSE;
}

/**
 * sm_netstring_parser_feed:
 * @func: called once for every complete frame, in order
 *
 * Returns: %FALSE on a framing error; the parser then refuses more input
 *   until it is reset, and the connection should be dropped
 */
gboolean
sm_netstring_parser_feed (SmNetstringParser     *parser,
                          const char            *data,
                          gsize                  len,
                          SmNetstringFrameFunc   func,
                          gpointer               user_data,
                          GError               **error)
{
  gsize i = 0;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (parser->state == STATE_FAILED)
    return fail (parser, error, SM_NETSTRING_ERROR_SYNTAX,
                 _("The control stream is out of step"));

  while (i < len)
    {
      switch (parser->state)
        {
        case STATE_LENGTH:
          {
            char c = data[i++];

            if (c >= '0' && c <= '9')
              {
                if (parser->leading_zero)
                  return fail (parser, error, SM_NETSTRING_ERROR_SYNTAX,
                               _("A frame length has a leading zero"));
                if (parser->n_digits == 0 && c == '0')
                  parser->leading_zero = TRUE;
                parser->length = parser->length * 10 + (gsize)(c - '0');
                parser->n_digits++;
                /* Check on every digit: never read a number bigger than the limit */
                if (parser->length > parser->max_len)
                  return fail (parser, error, SM_NETSTRING_ERROR_TOO_LONG,
                               _("A frame announces more than the largest accepted length"));
              }
            else if (c == ':' && parser->n_digits > 0)
              {
                g_byte_array_set_size (parser->payload, 0);
                parser->state = parser->length > 0 ? STATE_PAYLOAD : STATE_COMMA;
              }
            else
              return fail (parser, error, SM_NETSTRING_ERROR_SYNTAX,
                           _("A frame does not start with its length"));
          }
          break;

        case STATE_PAYLOAD:
          {
            gsize want = parser->length - parser->payload->len;
            gsize take = MIN (want, len - i);

            g_byte_array_append (parser->payload, (const guint8 *)data + i, take);
            i += take;
            if (parser->payload->len == parser->length)
              parser->state = STATE_COMMA;
          }
          break;

        case STATE_COMMA:
          if (data[i++] != ',')
            return fail (parser, error, SM_NETSTRING_ERROR_SYNTAX,
                         _("A frame does not end with a comma"));

          {
            guint8 nul = 0;
            gsize frame_len = parser->payload->len;

            g_byte_array_append (parser->payload, &nul, 1);
            if (func != NULL)
              func ((const char *)parser->payload->data, frame_len, user_data);
            g_byte_array_set_size (parser->payload, 0);
          }
          parser->state = STATE_LENGTH;
          parser->length = 0;
          parser->n_digits = 0;
          parser->leading_zero = FALSE;
          break;

        case STATE_FAILED:
        default:
          return fail (parser, error, SM_NETSTRING_ERROR_SYNTAX,
                       _("The control stream is out of step"));
        }
    }

  return TRUE;
}

/**
 * sm_netstring_encode:
 * @len: the length of @data, or -1 if it is NUL-terminated
 *
 * Returns: (transfer full): "<len>:<data>,"
 */
GBytes *
sm_netstring_encode (const char *data,
                     gssize      len)
{
  GString *out;

  if (len < 0)
    len = strlen (data);

  out = g_string_sized_new (len + 12);
  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", (gsize)len);
  g_string_append_len (out, data, len);
  g_string_append_c (out, ',');

  return g_string_free_to_bytes (out);
}
