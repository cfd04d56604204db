/* sm-fts-tokenizer.h: an FTS5 tokenizer for Chinese and English text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The name to use in CREATE VIRTUAL TABLE … USING fts5 (…, tokenize = 'seatmate') */
#define SM_FTS_TOKENIZER_NAME "seatmate"

/* Callback for sm_fts_tokenize(): one token, its byte range in the text and
 * whether it sits at the same position as the token before it. */
typedef void (*SmFtsTokenFunc) (const char *token,
                                int         length,
                                int         start,
                                int         end,
                                gboolean    colocated,
                                gpointer    user_data);

typedef enum
{
  SM_FTS_TOKENIZE_DOCUMENT,
  SM_FTS_TOKENIZE_QUERY,
} SmFtsTokenizeMode;

typedef struct _SmFtsTokenizer SmFtsTokenizer;

int             sm_fts_tokenizer_register (sqlite3           *db);

SmFtsTokenizer *sm_fts_tokenizer_new      (sqlite3           *db);
gboolean        sm_fts_tokenizer_run      (SmFtsTokenizer    *tokenizer,
                                           const char        *text,
                                           SmFtsTokenizeMode  mode,
                                           SmFtsTokenFunc     func,
                                           gpointer           user_data);
void            sm_fts_tokenizer_free     (SmFtsTokenizer    *tokenizer);

gboolean  sm_fts_tokenize           (sqlite3           *db,
                                     const char        *text,
                                     SmFtsTokenizeMode  mode,
                                     SmFtsTokenFunc     func,
                                     gpointer           user_data);

gboolean  sm_fts_unichar_is_han     (gunichar           c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmFtsTokenizer, sm_fts_tokenizer_free)

G_END_DECLS
