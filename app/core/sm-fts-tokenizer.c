/* sm-fts-tokenizer.c: an FTS5 tokenizer for Chinese and English text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FTS5's unicode61 makes a whole run of Han characters one token, and its
 * trigram tokenizer cannot match one- or two-character terms, so neither
 * finds 额度 or 挂失 in real text. This tokenizer splits the text into
 * runs:
 *
 *  - a run of Han characters becomes its overlapping bigrams (信用卡 →
 *    信用 用卡). In documents the run's last character is also emitted, at
 *    the position of the last bigram, so that a one-character prefix
 *    query (卡*) finds it at the end of a run too. A run of one character
 *    is that character.
 *  - In queries the trailing character is never emitted: 额度 must stay one
 *    bigram, not "额度 度", or the phrase would need a token that is only
 *    in documents where 度 ends a run.
 *  - Everything else goes through FTS5's own porter tokenizer on top of
 *    unicode61 (lower case, diacritics removed, English stemming).
 */

#define G_LOG_DOMAIN "sm-fts-tokenizer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sm-fts-tokenizer.h"

typedef struct
{
  fts5_tokenizer  porter;
  Fts5Tokenizer  *porter_instance;
} SmTokenizer;

typedef struct
{
  void   *ctx;
  int   (*x_token) (void *, int, const char *, int, int, int);
  int     offset;
} PorterCtx;

/* Helpers */

/**
 * sm_fts_unichar_is_han:
 *
 * Returns: %TRUE for CJK ideographs (the characters that are bigrammed)
 */
gboolean
sm_fts_unichar_is_han (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK Unified Ideographs */
         (c >= 0x3400 && c <= 0x4DBF) ||   /* Extension A */
         (c >= 0xF900 && c <= 0xFAFF) ||   /* Compatibility Ideographs */
         (c >= 0x20000 && c <= 0x3134F) || /* Extensions B to G */
         c == 0x3005 || c == 0x3007;       /* 々 〇 */
}

static fts5_api *
fts5_api_from_db (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  return api;
}

static int
porter_token_cb (void       *user_data,
                 int         tflags,
                 const char *token,
                 int         n_token,
                 int         start,
                 int         end)
{
  PorterCtx *pctx = user_data;

  return pctx->x_token (pctx->ctx, tflags, token, n_token,
                        start + pctx->offset, end + pctx->offset);
}

/* FTS5 tokenizer */

static int
tokenizer_create (void           *user_data,
                  const char    **args,
                  int             n_args,
                  Fts5Tokenizer **out)
{
  fts5_api *api = user_data;
  SmTokenizer *self;
  void *porter_data = NULL;
  int rc;

  self = g_new0 (SmTokenizer, 1);
  rc = api->xFindTokenizer (api, "porter", &porter_data, &self->porter);
  if (rc == SQLITE_OK)
    rc = self->porter.xCreate (porter_data, NULL, 0, &self->porter_instance);
  if (rc != SQLITE_OK)
    {
      g_free (self);
      return rc;
    }

  *out = (Fts5Tokenizer *)self;
  return SQLITE_OK;
}

static void
tokenizer_delete (Fts5Tokenizer *tokenizer)
{
  SmTokenizer *self = (SmTokenizer *)tokenizer;

  if (self->porter_instance != NULL)
    self->porter.xDelete (self->porter_instance);
  g_free (self);
}

static int
emit_han_run (const char  *text,
              const char **chars,
              guint        n_chars,
              gboolean     query,
              void        *ctx,
              int        (*x_token) (void *, int, const char *, int, int, int))
{
  int rc = SQLITE_OK;

  /* chars[] holds n_chars + 1 pointers: the start of each character and the end */
  if (n_chars == 1)
    return x_token (ctx, 0, chars[0], (int)(chars[1] - chars[0]),
                    (int)(chars[0] - text), (int)(chars[1] - text));

  for (guint i = 0; i + 1 < n_chars && rc == SQLITE_OK; i++)
    rc = x_token (ctx, 0, chars[i], (int)(chars[i + 2] - chars[i]),
                  (int)(chars[i] - text), (int)(chars[i + 2] - text));

  if (rc == SQLITE_OK && !query)
    rc = x_token (ctx, FTS5_TOKEN_COLOCATED, chars[n_chars - 1],
                  (int)(chars[n_chars] - chars[n_chars - 1]),
                  (int)(chars[n_chars - 1] - text), (int)(chars[n_chars] - text));

  return rc;
}

static int
tokenizer_tokenize (Fts5Tokenizer *tokenizer,
                    void          *ctx,
                    int            flags,
                    const char    *text,
                    int            n_text,
                    int          (*x_token) (void *, int, const char *, int, int, int))
{
  SmTokenizer *self = (SmTokenizer *)tokenizer;
  gboolean query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (const char *));
  const char *end = text + n_text;
  const char *p = text;
  int rc = SQLITE_OK;

  while (p < end && rc == SQLITE_OK)
    {
      const char *run = p;
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gboolean han = c < (gunichar)-2 && sm_fts_unichar_is_han (c);

      if (han)
        {
          g_array_set_size (chars, 0);
          while (p < end)
            {
              c = g_utf8_get_char_validated (p, end - p);
              if (c >= (gunichar)-2 || !sm_fts_unichar_is_han (c))
                break;
              g_array_append_val (chars, p);
              p = g_utf8_next_char (p);
            }
          g_array_append_val (chars, p);
          rc = emit_han_run (text, (const char **)chars->data, chars->len - 1,
                             query, ctx, x_token);
        }
      else
        {
          PorterCtx pctx = { ctx, x_token, (int)(run - text) };

          while (p < end)
            {
              c = g_utf8_get_char_validated (p, end - p);
              if (c >= (gunichar)-2)
                {
                  /* Invalid UTF-8: a byte at a time, left to unicode61 */
                  p++;
                  continue;
                }
              if (sm_fts_unichar_is_han (c))
                break;
              p = g_utf8_next_char (p);
            }
          if (p > end)
            p = end;
          rc = self->porter.xTokenize (self->porter_instance, &pctx, flags,
                                       run, (int)(p - run), porter_token_cb);
        }
    }

  return rc;
}

static fts5_tokenizer tokenizer_vtable = {
  tokenizer_create,
  tokenizer_delete,
  tokenizer_tokenize,
};

/* Ranking
 *
 * sm_rank(articles_fts, DFS, W0, W1, …) is FTS5's bm25 (k1 = 1.2, b = 0.75,
 * column weights W…) with the document frequency of each phrase passed in
 * by the caller as DFS, a string of integers in phrase order. The built-in
 * bm25 counts the documents of every phrase by reading its whole document
 * list on the first row, which on a large base costs more than ranking the
 * rows themselves; the knowledge base keeps those counts in article_terms.
 */

typedef struct
{
  double *idf;
  double  avgdl;
  int     n_phrases;
} RankData;

static void
rank_data_free (void *data)
{
  RankData *rd = data;

  g_free (rd->idf);
  g_free (rd);
}

static void
rank_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *ctx,
               int                      n_args,
               sqlite3_value          **args)
{
  RankData *rd = api->xGetAuxdata (fts, 0);
  const double k1 = 1.2, b = 0.75;
  g_autofree double *freq = NULL;
  double score = 0;
  int n_inst = 0, dl = 0;

  if (rd == NULL)
    {
      const char *dfs = n_args > 0 ? (const char *)sqlite3_value_text (args[0]) : NULL;
      sqlite3_int64 n_rows = 0, total = 0;
      const char *p = dfs;

      rd = g_new0 (RankData, 1);
      rd->n_phrases = api->xPhraseCount (fts);
      rd->idf = g_new0 (double, MAX (rd->n_phrases, 1));
      api->xRowCount (fts, &n_rows);
      api->xColumnTotalSize (fts, -1, &total);
      rd->avgdl = n_rows > 0 ? (double)total / n_rows : 1.0;

      for (int i = 0; i < rd->n_phrases; i++)
        {
          char *end = NULL;
          double df = 1;

          if (p != NULL && *p != '\0')
            {
              df = g_ascii_strtod (p, &end);
              p = (end != NULL && end != p) ? end : NULL;
            }
          rd->idf[i] = log ((n_rows - df + 0.5) / (df + 0.5));
          if (rd->idf[i] <= 0.0)
            rd->idf[i] = 1e-6;
        }

      if (api->xSetAuxdata (fts, rd, rank_data_free) != SQLITE_OK)
        {
          sqlite3_result_error_code (ctx, SQLITE_NOMEM);
          return;
        }
    }

  freq = g_new0 (double, MAX (rd->n_phrases, 1));
  if (api->xInstCount (fts, &n_inst) != SQLITE_OK || api->xColumnSize (fts, -1, &dl) != SQLITE_OK)
    {
      sqlite3_result_error (ctx, "sm_rank failed", -1);
      return;
    }

  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset;

      if (api->xInst (fts, i, &phrase, &column, &offset) != SQLITE_OK || phrase >= rd->n_phrases)
        continue;
      freq[phrase] += (1 + column < n_args) ? sqlite3_value_double (args[1 + column]) : 1.0;
    }

  for (int i = 0; i < rd->n_phrases; i++)
    score += rd->idf[i] * (freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * dl / rd->avgdl));

  sqlite3_result_double (ctx, -score);
}

/* Public API */

/**
 * sm_fts_tokenizer_register:
 * @db: a connection
 *
 * Registers the "seatmate" tokenizer and the sm_rank() ranking function on
 * @db. Call it for every connection,
 * before any statement touches a table that uses it.
 *
 * Returns: an SQLite result code
 */
int
sm_fts_tokenizer_register (sqlite3 *db)
{
  fts5_api *api = fts5_api_from_db (db);

  int rc;

  if (api == NULL || api->iVersion < 2)
    return SQLITE_ERROR;

  rc = api->xCreateTokenizer (api, SM_FTS_TOKENIZER_NAME, api, &tokenizer_vtable, NULL);
  if (rc == SQLITE_OK)
    rc = api->xCreateFunction (api, "sm_rank", NULL, rank_function, NULL);

  return rc;
}

typedef struct
{
  SmFtsTokenFunc func;
  gpointer       user_data;
} TokenizeCtx;

static int
tokenize_cb (void       *user_data,
             int         tflags,
             const char *token,
             int         n_token,
             int         start,
             int         end)
{
  TokenizeCtx *tctx = user_data;

  tctx->func (token, n_token, start, end, (tflags & FTS5_TOKEN_COLOCATED) != 0, tctx->user_data);
  return SQLITE_OK;
}

struct _SmFtsTokenizer
{
  fts5_tokenizer  vtable;
  Fts5Tokenizer  *instance;
};

/**
 * sm_fts_tokenizer_new:
 * @db: a connection on which the tokenizer is registered
 *
 * An instance of the tokenizer to run outside of FTS5 (to build queries),
 * valid as long as @db is open.
 *
 * Returns: (transfer full) (nullable): the tokenizer
 */
SmFtsTokenizer *
sm_fts_tokenizer_new (sqlite3 *db)
{
  fts5_api *api = fts5_api_from_db (db);
  g_autofree SmFtsTokenizer *self = g_new0 (SmFtsTokenizer, 1);
  void *data = NULL;

  if (api == NULL ||
      api->xFindTokenizer (api, SM_FTS_TOKENIZER_NAME, &data, &self->vtable) != SQLITE_OK ||
      self->vtable.xCreate (data, NULL, 0, &self->instance) != SQLITE_OK)
    return NULL;

  return g_steal_pointer (&self);
}

void
sm_fts_tokenizer_free (SmFtsTokenizer *self)
{
  if (self == NULL)
    return;

  self->vtable.xDelete (self->instance);
  g_free (self);
}

gboolean
sm_fts_tokenizer_run (SmFtsTokenizer    *self,
                      const char        *text,
                      SmFtsTokenizeMode  mode,
                      SmFtsTokenFunc     func,
                      gpointer           user_data)
{
  TokenizeCtx tctx = { func, user_data };

  g_return_val_if_fail (self != NULL, FALSE);

  return self->vtable.xTokenize (self->instance, &tctx,
                                 mode == SM_FTS_TOKENIZE_QUERY ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT,
                                 text, (int)strlen (text), tokenize_cb) == SQLITE_OK;
}

/**
 * sm_fts_tokenize:
 * @db: a connection on which the tokenizer is registered
 * @text: UTF-8 text
 * @mode: as a document or as a query
 * @func: called for each token
 *
 * Runs the tokenizer outside of FTS5, for tests and for building queries.
 *
 * Returns: %TRUE on success
 */
gboolean
sm_fts_tokenize (sqlite3           *db,
                 const char        *text,
                 SmFtsTokenizeMode  mode,
                 SmFtsTokenFunc     func,
                 gpointer           user_data)
{
  g_autoptr(SmFtsTokenizer) tokenizer = sm_fts_tokenizer_new (db);

  return tokenizer != NULL && sm_fts_tokenizer_run (tokenizer, text, mode, func, user_data);
}
