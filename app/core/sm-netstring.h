/* sm-netstring.h: incremental netstring framing (baresip ctrl_tcp)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_NETSTRING_ERROR (sm_netstring_error_quark ())

/* The largest frame Seatmate accepts: a longer announcement drops the connection */
#define SM_NETSTRING_MAX_DEFAULT (1024 * 1024)

typedef enum
{
  SM_NETSTRING_ERROR_SYNTAX,
  SM_NETSTRING_ERROR_TOO_LONG,
} SmNetstringError;

typedef struct _SmNetstringParser SmNetstringParser;

/**
 * SmNetstringFrameFunc:
 * @data: the frame's payload, NUL-terminated for convenience
 * @len: its length
 */
typedef void (*SmNetstringFrameFunc) (const char *data,
                                      gsize       len,
                                      gpointer    user_data);

GQuark             sm_netstring_error_quark   (void);
SmNetstringParser *sm_netstring_parser_new    (gsize                 max_len);
void               sm_netstring_parser_free   (SmNetstringParser    *parser);
void               sm_netstring_parser_reset  (SmNetstringParser    *parser);
gboolean           sm_netstring_parser_feed   (SmNetstringParser    *parser,
                                               const char           *data,
                                               gsize                 len,
                                               SmNetstringFrameFunc  func,
                                               gpointer              user_data,
                                               GError              **error);
gsize              sm_netstring_parser_get_allocated (SmNetstringParser *parser);
GBytes            *sm_netstring_encode        (const char           *data,
                                               gssize                len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmNetstringParser, sm_netstring_parser_free)

G_END_DECLS
