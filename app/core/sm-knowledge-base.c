/* sm-knowledge-base.c: articles, full-text search and suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Articles live in the store (tables articles and article_intents) and in
 * the FTS5 table articles_fts, tokenized by sm-fts-tokenizer.c: Han runs as
 * overlapping bigrams, other text as porter-stemmed words. Queries are
 * built here from the user's text, never passed to FTS5 as they are:
 *
 *  - keywords: every term must match; a Han run is one phrase of bigrams
 *    (a lone character matches where it ends a run); English stop words
 *    are dropped; the word still being typed also matches its three most
 *    frequent completions from article_terms;
 *  - question (when keywords find too little, or on request): any bigram
 *    or word; Chinese function-word bigrams and English stop words are
 *    dropped, and on a large base the terms found in a large share of the
 *    articles too.
 *
 * Ranking is bm25 (sm_rank() in sm-fts-tokenizer.c, fed with the document
 * counts of article_terms), over at most RANK_CAP matches, then multiplied
 * up for articles that answer the current intent. article_terms is
 * refreshed after every import.
 */

#define G_LOG_DOMAIN "sm-knowledge-base"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sm-fts-tokenizer.h"
#include "sm-knowledge-base.h"
#include "sm-markdown.h"

/* bm25 (sm_rank) column weights: title, tags, body, wording, lang */
#define BM25_WEIGHTS "8.0, 4.0, 1.0, 2.0, 0.0"

/* Question queries drop a term found in more than this share of the
 * articles, once the base has at least FREQUENT_MIN_ARTICLES. */
#define FREQUENT_SHARE        0.08
#define FREQUENT_MIN_ARTICLES 1000

/* Ranking bounds: see run_query() */
#define RANK_CAP  500
#define RANK_POOL 50

/* Statements prepared once per knowledge base */
typedef enum
{
  STMT_FIND,
  STMT_DELETE_FTS,
  STMT_DELETE,
  STMT_INSERT,
  STMT_INSERT_INTENT,
  STMT_INSERT_FTS,
  STMT_TERM_DOCS,
  STMT_COMPLETE,
  STMT_RANK,
  N_STMTS
} StmtId;

struct _SmKnowledgeBase
{
  GObject         parent_instance;

  SmStore        *store;
  SmFtsTokenizer *tokenizer;
  sqlite3_stmt   *stmts[N_STMTS];
  gint64          n_articles; /* cached; -1 when unknown */
};

/* A cached statement: reset (not finalized) when it goes out of scope, so
 * that it never holds a read transaction open */
typedef sqlite3_stmt CachedStmt;

static void
cached_stmt_release (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, cached_stmt_release)

G_DEFINE_FINAL_TYPE (SmKnowledgeBase, sm_knowledge_base, G_TYPE_OBJECT)

G_DEFINE_QUARK (sm-kb-error-quark, sm_kb_error)

static const char * const wording_headings[] = { "Say this", "话术", NULL };

static const char * const header_keys[] = {
  "id", "title", "language", "intents", "tags", "updated", NULL
};

/* Words that carry nothing in a typed question */
static const char * const stop_words[] = {
  "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could",
  "did", "do", "does", "for", "from", "had", "has", "have", "haven", "hello", "hi", "how", "i",
  "if", "in", "is", "it", "its", "just", "me", "my", "of", "on", "or", "please", "s", "so",
  "still", "t", "that", "the", "there", "this", "to", "was", "we", "what", "when", "where",
  "which", "why", "will", "with", "would", "you", "your", NULL
};

/* Bigrams of Chinese function words, dropped from typed questions */
static const char * const stop_bigrams[] = {
  "一下", "一个", "不是", "为什", "什么", "他们", "你们", "你好", "可以", "因为", "如何", "如果",
  "就是", "已经", "怎么", "怎样", "您好", "我们", "我的", "所以", "是不", "没有", "现在", "的话",
  "请问", "谢谢", "还是", "这个", "那个", "了吗", "一直", "我想", "想问", NULL
};

static CachedStmt *
cached_stmt (SmKnowledgeBase  *self,
             StmtId            id,
             const char       *sql,
             GError          **error)
{
  if (self->stmts[id] == NULL)
    {
      sqlite3 *db = sm_store_get_db (self->store);
      int rc = sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &self->stmts[id], NULL);

      if (rc != SQLITE_OK)
        {
          sm_store_set_error (self->store, rc, error);
          return NULL;
        }
    }

  return self->stmts[id];
}

static gboolean
tokenize (SmKnowledgeBase *self,
          const char      *text,
          SmFtsTokenFunc   func,
          gpointer         user_data)
{
  if (self->tokenizer == NULL)
    self->tokenizer = sm_fts_tokenizer_new (sm_store_get_db (self->store));

  return self->tokenizer != NULL &&
         sm_fts_tokenizer_run (self->tokenizer, text, SM_FTS_TOKENIZE_QUERY, func, user_data);
}

/* Articles, hits, reports */

void
sm_kb_article_free (SmKbArticle *article)
{
  if (article == NULL)
    return;

  g_free (article->id);
  g_free (article->title);
  g_free (article->language);
  g_strfreev (article->intents);
  g_strfreev (article->tags);
  g_free (article->updated);
  g_free (article->body);
  g_free (article->wording);
  g_free (article->source);
  g_free (article);
}

void
sm_kb_hit_free (SmKbHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->id);
  g_free (hit->title);
  g_free (hit->language);
  g_free (hit->snippet);
  g_free (hit->intent);
  g_free (hit);
}

void
sm_kb_import_report_init (SmKbImportReport *report)
{
  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  report->warnings = g_ptr_array_new_with_free_func (g_free);
}

void
sm_kb_import_report_clear (SmKbImportReport *report)
{
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_clear_pointer (&report->warnings, g_ptr_array_unref);
}

void
sm_kb_search_options_init (SmKbSearchOptions *options)
{
  memset (options, 0, sizeof *options);
  options->limit = 10;
  options->mode = SM_KB_QUERY_AUTO;
  options->boost = 1.0;
}

/**
 * sm_kb_snippet_to_markup:
 *
 * Returns: (transfer full): Pango markup of a snippet: the text escaped,
 *   the matches in bold
 */
char *
sm_kb_snippet_to_markup (const char *snippet)
{
  GString *out = g_string_new (NULL);
  const char *p = snippet != NULL ? snippet : "";

  while (*p != '\0')
    {
      size_t n = strcspn (p, SM_KB_MARK_START SM_KB_MARK_END);

      if (n > 0)
        {
          g_autofree char *escaped = g_markup_escape_text (p, (gssize)n);
          g_string_append (out, escaped);
          p += n;
        }
      if (*p == SM_KB_MARK_START[0])
        g_string_append (out, "<b>");
      else if (*p == SM_KB_MARK_END[0])
        g_string_append (out, "</b>");
      if (*p != '\0')
        p++;
    }

  return g_string_free (out, FALSE);
}

/**
 * sm_kb_snippet_to_text:
 *
 * Returns: (transfer full): the snippet with its markers replaced by @open and @close
 */
char *
sm_kb_snippet_to_text (const char *snippet,
                       const char *open,
                       const char *close)
{
  GString *out = g_string_new (snippet);

  g_string_replace (out, SM_KB_MARK_START, open, 0);
  g_string_replace (out, SM_KB_MARK_END, close, 0);

  return g_string_free (out, FALSE);
}

/**
 * sm_kb_language_for_text:
 *
 * Returns: "zh" if @text has Han characters, otherwise "en"
 */
const char *
sm_kb_language_for_text (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (sm_fts_unichar_is_han (g_utf8_get_char (p)))
      return "zh";

  return "en";
}

/* Parsing */

static char **
split_list (const char *value)
{
  g_auto(GStrv) parts = g_strsplit_set (value, ",，", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]);

      if (*item != '\0')
        g_ptr_array_add (out, g_strdup (item));
    }

  return (char **)g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static gboolean
valid_id (const char *id)
{
  if (*id == '\0')
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
valid_date (const char *date)
{
  guint y, m, d;
  char tail;

  if (strlen (date) != 10 || sscanf (date, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return FALSE;

  return g_date_valid_dmy (d, m, y);
}

static gboolean
header_error (GError     **error,
              const char  *filename,
              guint        line,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

static gboolean
header_error (GError     **error,
              const char  *filename,
              guint        line,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SM_KB_ERROR, SM_KB_ERROR_HEADER, "%s:%u: %s", filename, line, message);
  return FALSE;
}

/**
 * sm_kb_article_parse:
 * @text: the whole file
 * @filename: the name used in error messages
 * @folder_language: (nullable): the language the folder requires
 * @error: %SM_KB_ERROR_HEADER with "FILE:LINE: message"
 *
 * Returns: (transfer full) (nullable): the article
 */
SmKbArticle *
sm_kb_article_parse (const char  *text,
                     const char  *filename,
                     const char  *folder_language,
                     GError     **error)
{
  g_autoptr(SmKbArticle) article = g_new0 (SmKbArticle, 1);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text;
  guint line = 0;
  gboolean closed = FALSE;

  if (!g_utf8_validate (text, -1, NULL))
    return header_error (error, filename, 1, _("the file is not valid UTF-8")), NULL;

  /* A UTF-8 byte order mark is tolerated */
  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;

  while (*p != '\0')
    {
      const char *eol = strchr (p, '\n');
      g_autofree char *raw = eol ? g_strndup (p, eol - p) : g_strdup (p);
      char *content = g_strchomp (raw);
      char *colon;

      line++;
      p = eol ? eol + 1 : p + strlen (p);

      if (line == 1)
        {
          if (!g_str_equal (content, "---"))
            return header_error (error, filename, line,
                                 _("the article must start with a header between two “---” lines")),
                   NULL;
          continue;
        }

      if (g_str_equal (content, "---"))
        {
          closed = TRUE;
          break;
        }

      if (*content == '\0')
        continue;

      colon = strchr (content, ':');
      if (colon == NULL)
        return header_error (error, filename, line, _("expected “key: value” in the header")), NULL;

      *colon = '\0';
      g_strstrip (content);
      if (!g_strv_contains (header_keys, content))
        return header_error (error, filename, line, _("unknown header key “%s”"), content), NULL;
      if (g_hash_table_contains (values, content))
        return header_error (error, filename, line, _("header key “%s” appears twice"), content), NULL;

      g_hash_table_insert (lines, g_strdup (content), GUINT_TO_POINTER (line));
      g_hash_table_insert (values, g_strdup (content), g_strstrip (g_strdup (colon + 1)));
    }

  if (!closed)
    return header_error (error, filename, line,
                         _("the header is not closed with a “---” line")), NULL;

  for (guint i = 0; header_keys[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (values, header_keys[i]);

      if (value == NULL || *value == '\0')
        return header_error (error, filename,
                             value ? GPOINTER_TO_UINT (g_hash_table_lookup (lines, header_keys[i]))
                                   : line,
                             value ? _("header key “%s” is empty") : _("the header lacks “%s”"),
                             header_keys[i]), NULL;
    }

#define LINE_OF(key) GPOINTER_TO_UINT (g_hash_table_lookup (lines, key))

  article->id = g_strdup (g_hash_table_lookup (values, "id"));
  if (!valid_id (article->id))
    return header_error (error, filename, LINE_OF ("id"),
                         _("“%s” is not a valid id (letters, digits and hyphens)"),
                         article->id), NULL;

  article->language = g_strdup (g_hash_table_lookup (values, "language"));
  if (!g_str_equal (article->language, "en") && !g_str_equal (article->language, "zh"))
    return header_error (error, filename, LINE_OF ("language"),
                         _("language must be “en” or “zh”, not “%s”"), article->language), NULL;
  if (folder_language != NULL && !g_str_equal (folder_language, article->language))
    return header_error (error, filename, LINE_OF ("language"),
                         _("language “%s” does not match the folder “%s”"),
                         article->language, folder_language), NULL;

  article->updated = g_strdup (g_hash_table_lookup (values, "updated"));
  if (!valid_date (article->updated))
    return header_error (error, filename, LINE_OF ("updated"),
                         _("“%s” is not a date (YYYY-MM-DD)"), article->updated), NULL;

  article->intents = split_list (g_hash_table_lookup (values, "intents"));
  if (article->intents[0] == NULL)
    return header_error (error, filename, LINE_OF ("intents"), _("no intent is named")), NULL;

#undef LINE_OF

  article->title = g_strdup (g_hash_table_lookup (values, "title"));
  article->tags = split_list (g_hash_table_lookup (values, "tags"));
  article->body = g_strdup (p);
  article->wording = sm_markdown_section_text (article->body, wording_headings);
  article->source = g_strdup (filename);

  return g_steal_pointer (&article);
}

/* Store helpers */

static gboolean
step_done (SmKnowledgeBase  *self,
           sqlite3_stmt     *stmt,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return sm_store_set_error (self->store, rc, error);

  return TRUE;
}

static char *
join_list (char **list)
{
  return g_strjoinv (", ", list != NULL ? list : (char *[]){ NULL });
}

/**
 * sm_knowledge_base_put:
 *
 * Inserts or replaces (by id) one article. Call it inside a transaction
 * when adding many.
 */
gboolean
sm_knowledge_base_put (SmKnowledgeBase    *self,
                       const SmKbArticle  *article,
                       GError            **error)
{
  g_autoptr(CachedStmt) find = NULL;
  g_autoptr(CachedStmt) insert = NULL;
  g_autoptr(CachedStmt) insert_intent = NULL;
  g_autoptr(CachedStmt) insert_fts = NULL;
  g_autofree char *intents = join_list (article->intents);
  g_autofree char *tags = join_list (article->tags);
  g_autofree char *plain = sm_markdown_to_plain_text (article->body);
  gint64 seq;

  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), FALSE);

  self->n_articles = -1;

  if (!(find = cached_stmt (self, STMT_FIND, "SELECT seq FROM articles WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_text (find, 1, article->id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      g_autoptr(CachedStmt) del_fts = NULL;
      g_autoptr(CachedStmt) del = NULL;

      seq = sqlite3_column_int64 (find, 0);
      if (!(del_fts = cached_stmt (self, STMT_DELETE_FTS, "DELETE FROM articles_fts WHERE rowid = ?1", error)) ||
          !(del = cached_stmt (self, STMT_DELETE, "DELETE FROM articles WHERE seq = ?1", error)))
        return FALSE;
      sqlite3_bind_int64 (del_fts, 1, seq);
      sqlite3_bind_int64 (del, 1, seq);
      if (!step_done (self, del_fts, error) || !step_done (self, del, error))
        return FALSE;
    }

  if (!(insert = cached_stmt (self, STMT_INSERT,
                                   "INSERT INTO articles (id, title, language, intents, tags, "
                                   "  updated, body, wording, source, imported_ms) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                   error)))
    return FALSE;
  sqlite3_bind_text (insert, 1, article->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, article->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, article->language, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, intents, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, tags, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, article->updated, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, article->body ? article->body : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, article->wording, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, article->source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 10, sm_now_ms ());
  if (!step_done (self, insert, error))
    return FALSE;
  seq = sqlite3_last_insert_rowid (sm_store_get_db (self->store));

  if (!(insert_intent = cached_stmt (self, STMT_INSERT_INTENT,
                                          "INSERT OR IGNORE INTO article_intents "
                                          "(article_id, intent, position) VALUES (?1, ?2, ?3)",
                                          error)))
    return FALSE;
  for (guint i = 0; article->intents != NULL && article->intents[i] != NULL; i++)
    {
      sqlite3_reset (insert_intent);
      sqlite3_bind_text (insert_intent, 1, article->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert_intent, 2, article->intents[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (insert_intent, 3, (int)i);
      if (!step_done (self, insert_intent, error))
        return FALSE;
    }

  if (!(insert_fts = cached_stmt (self, STMT_INSERT_FTS,
                                       "INSERT INTO articles_fts (rowid, title, tags, body, wording, lang) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error)))
    return FALSE;
  sqlite3_bind_int64 (insert_fts, 1, seq);
  sqlite3_bind_text (insert_fts, 2, article->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_fts, 3, tags, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_fts, 4, plain, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_fts, 5, article->wording ? article->wording : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert_fts, 6, article->language, -1, SQLITE_STATIC);

  return step_done (self, insert_fts, error);
}

/* Import */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort passes pointers to the elements */
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
collect_files (const char *dir,
               GPtrArray  *files,
               guint       depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL || depth > 4)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, n, NULL);

      if (n[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_files (path, files, depth + 1);
      else if (g_str_has_suffix (n, ".md") && g_ascii_strcasecmp (n, "README.md") != 0)
        g_ptr_array_add (files, g_steal_pointer (&path));
    }
}

static guint
header_line_of (const char *text,
                const char *key)
{
  g_autofree char *prefix = g_strconcat (key, ":", NULL);
  guint line = 1;

  for (const char *p = text; p != NULL && *p != '\0'; line++)
    {
      if (g_str_has_prefix (p, prefix))
        return line;
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }

  return 1;
}

static const char *
folder_language_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (dir);

  if (g_str_equal (base, "en"))
    return "en";
  if (g_str_equal (base, "zh"))
    return "zh";
  return NULL;
}

/**
 * sm_knowledge_base_import_dir:
 * @dir: a folder of Markdown articles (searched two levels down, such as
 *   kb/en/NAME.md and kb/zh/NAME.md)
 * @known_intents: (nullable): the intents the model knows; an article that
 *   names another one is imported with a warning
 * @report: (out caller-allocates): initialized by the caller with
 *   sm_kb_import_report_init()
 *
 * Imports every article in one transaction. A file with a malformed header
 * is skipped and reported with its file and line; the others are imported.
 * If the store fails, nothing of this import stays.
 *
 * Returns: %FALSE if the folder cannot be read or the store failed
 */
gboolean
sm_knowledge_base_import_dir (SmKnowledgeBase     *self,
                              const char          *dir,
                              const char * const  *known_intents,
                              SmKbImportReport    *report,
                              GError             **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), FALSE);
  g_return_val_if_fail (report != NULL && report->problems != NULL, FALSE);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SM_KB_ERROR, SM_KB_ERROR_NOT_FOUND,
                   _("“%s” is not a folder of articles"), dir);
      return FALSE;
    }

  collect_files (dir, files, 0);

  if (!sm_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autoptr(SmKbArticle) article = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *first_file;

      if (!g_file_get_contents (path, &contents, NULL, &local_error))
        {
          g_ptr_array_add (report->problems, g_strdup_printf ("%s:1: %s", path, local_error->message));
          report->skipped++;
          continue;
        }

      article = sm_kb_article_parse (contents, path, folder_language_of (path), &local_error);
      if (article == NULL)
        {
          g_ptr_array_add (report->problems, g_strdup (local_error->message));
          report->skipped++;
          continue;
        }

      if ((first_file = g_hash_table_lookup (seen, article->id)) != NULL)
        {
          g_ptr_array_add (report->problems,
                           g_strdup_printf (_("%s:%u: the id “%s” is already used by %s"),
                                            path, header_line_of (contents, "id"),
                                            article->id, first_file));
          report->skipped++;
          continue;
        }
      g_hash_table_insert (seen, g_strdup (article->id), g_strdup (path));

      for (guint k = 0; known_intents != NULL && article->intents[k] != NULL; k++)
        if (!g_strv_contains (known_intents, article->intents[k]))
          g_ptr_array_add (report->warnings,
                           g_strdup_printf (_("%s:%u: unknown intent “%s” (the model does not know it)"),
                                            path, header_line_of (contents, "intents"),
                                            article->intents[k]));

      if (article->wording == NULL)
        g_ptr_array_add (report->warnings,
                         g_strdup_printf (_("%s: no approved wording (“## Say this” or “## 话术”)"),
                                          path));

      if (!sm_knowledge_base_put (self, article, error))
        {
          g_prefix_error (error, "%s: ", path);
          goto fail;
        }
      report->imported++;
    }

  if (!sm_knowledge_base_refresh_terms (self, error) ||
      !sm_store_commit (self->store, error))
    goto fail;

  self->n_articles = -1;
  return TRUE;

fail:
  sm_store_rollback (self->store);
  self->n_articles = -1;
  report->imported = 0;
  return FALSE;
}

/**
 * sm_knowledge_base_refresh_terms:
 *
 * Recounts the articles that hold each indexed term (article_terms), which
 * searches use to drop very frequent terms and to complete the word being
 * typed. sm_knowledge_base_import_dir() does it; call it after adding
 * articles with sm_knowledge_base_put().
 */
gboolean
sm_knowledge_base_refresh_terms (SmKnowledgeBase  *self,
                                 GError          **error)
{
  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), FALSE);

  return sm_store_exec (self->store,
                        "DELETE FROM article_terms;"
                        "INSERT INTO article_terms (term, docs) SELECT term, doc FROM articles_vocab;",
                        error);
}

/**
 * sm_knowledge_base_count:
 *
 * Returns: the number of articles
 */
gint64
sm_knowledge_base_count (SmKnowledgeBase *self)
{
  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), 0);

  if (self->n_articles < 0)
    self->n_articles = sm_store_count (self->store, "articles");

  return self->n_articles;
}

/**
 * sm_knowledge_base_get_article:
 *
 * Returns: (transfer full) (nullable): the article
 */
SmKbArticle *
sm_knowledge_base_get_article (SmKnowledgeBase *self,
                               const char      *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SmKbArticle *article;

  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT id, title, language, intents, tags, updated, body, wording, source "
                           "FROM articles WHERE id = ?1",
                           NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

#define COL(i) g_strdup ((const char *)sqlite3_column_text (stmt, i))
  article = g_new0 (SmKbArticle, 1);
  article->id = COL (0);
  article->title = COL (1);
  article->language = COL (2);
  article->intents = split_list ((const char *)sqlite3_column_text (stmt, 3));
  article->tags = split_list ((const char *)sqlite3_column_text (stmt, 4));
  article->updated = COL (5);
  article->body = COL (6);
  article->wording = COL (7);
  article->source = COL (8);
#undef COL

  return article;
}

/* Search */

typedef struct
{
  char     *text;
  gboolean  han;
  guint     n_chars;
} Term;

static void
term_clear (Term *term)
{
  g_free (term->text);
}

/* Splits a query into Han runs and words, the units of keyword search */
static GArray *
split_terms (const char *query)
{
  GArray *terms = g_array_new (FALSE, FALSE, sizeof (Term));
  const char *p = query;

  g_array_set_clear_func (terms, (GDestroyNotify)term_clear);

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start = p;
      Term term = { 0 };

      if (sm_fts_unichar_is_han (c))
        {
          while (*p != '\0' && sm_fts_unichar_is_han (g_utf8_get_char (p)))
            {
              p = g_utf8_next_char (p);
              term.n_chars++;
            }
          term.han = TRUE;
        }
      else if (g_unichar_isalnum (c))
        {
          while (*p != '\0')
            {
              c = g_utf8_get_char (p);
              if (!g_unichar_isalnum (c) || sm_fts_unichar_is_han (c))
                break;
              p = g_utf8_next_char (p);
              term.n_chars++;
            }
        }
      else
        {
          p = g_utf8_next_char (p);
          continue;
        }

      term.text = g_strndup (start, p - start);
      g_array_append_val (terms, term);
    }

  return terms;
}

static gboolean
is_stop_word (const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);
  return g_strv_contains (stop_words, lower);
}

/* The indexed terms that start with @prefix, most frequent first: the
 * completions of a word still being typed, found in article_terms rather
 * than by an FTS5 prefix query, which would merge every such term's
 * document list (tens of milliseconds for "car" on a large base). */
static GPtrArray *
complete_term (SmKnowledgeBase *self,
               const char      *prefix,
               guint            max)
{
  g_autoptr(CachedStmt) stmt = NULL;
  g_autofree char *lower = g_utf8_strdown (prefix, -1);
  g_autofree char *upper = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  gboolean han = sm_fts_unichar_is_han (g_utf8_get_char (prefix));
  gsize len = strlen (lower);

  if (len == 0 || (guchar)lower[len - 1] == 0xff)
    return out;

  upper = g_strdup (lower);
  upper[len - 1]++;

  stmt = cached_stmt (self, STMT_COMPLETE,
                           "SELECT term FROM article_terms WHERE term > ?1 AND term < ?2 "
                           "ORDER BY docs DESC LIMIT ?3",
                           NULL);
  if (stmt == NULL)
    return out;
  sqlite3_bind_text (stmt, 1, lower, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int)max);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *term = (const char *)sqlite3_column_text (stmt, 0);

      /* Words complete to words, a Han character to the bigrams that
       * start with it; anything else is not a completion */
      if (han && g_utf8_strlen (term, -1) == 2 &&
          sm_fts_unichar_is_han (g_utf8_get_char (g_utf8_next_char (term))))
        g_ptr_array_add (out, g_strdup (term));
      else if (!han)
        {
          for (const char *c = term; *c != '\0'; c++)
            if (!g_ascii_isalnum (*c))
              {
                term = NULL;
                break;
              }
          if (term != NULL)
            g_ptr_array_add (out, g_strdup (term));
        }
    }

  return out;
}

static gint64
term_doc_count (SmKnowledgeBase *self,
                const char      *token)
{
  g_autoptr(CachedStmt) stmt = NULL;

  stmt = cached_stmt (self, STMT_TERM_DOCS, "SELECT docs FROM article_terms WHERE term = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, token, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}

static void
min_token_df_cb (const char *token,
                 int         length,
                 int         start,
                 int         end,
                 gboolean    colocated,
                 gpointer    user_data)
{
  gpointer *data = user_data;
  SmKnowledgeBase *self = data[0];
  gint64 *df = data[1];
  g_autofree char *tok = g_strndup (token, length);
  gint64 count = term_doc_count (self, tok);

  if (*df < 0 || count < *df)
    *df = count;
}

/* Appends the document count of a phrase (that of its rarest token) to
 * @dfs, for sm_rank() */
static void
append_phrase_df (SmKnowledgeBase *self,
                  GString         *dfs,
                  const char      *phrase)
{
  gint64 df = -1;
  gpointer data[2] = { self, &df };

  tokenize (self, phrase, min_token_df_cb, data);
  g_string_append_printf (dfs, "%s%" G_GINT64_FORMAT, dfs->len > 0 ? " " : "", MAX (df, 0));
}

static char *
keyword_expression (SmKnowledgeBase *self,
                    const char      *query,
                    gboolean         prefix,
                    GString         *dfs)
{
  g_autoptr(GArray) terms = split_terms (query);
  GString *expr = g_string_new (NULL);
  guint n_content = 0;

  for (guint i = 0; i < terms->len; i++)
    if (!is_stop_word (g_array_index (terms, Term, i).text))
      n_content++;

  for (guint i = 0; i < terms->len; i++)
    {
      Term *term = &g_array_index (terms, Term, i);

      if (n_content > 0 && is_stop_word (term->text))
        continue;

      if (expr->len > 0)
        g_string_append (expr, " AND ");

      /* A word still being typed also matches its likely completions, and
       * so does a lone Han character (挂 → 挂失). Otherwise a lone Han
       * character matches where it ends a run (信用卡) or stands alone; a
       * longer Han run is a phrase of its bigrams. */
      if (prefix && i + 1 == terms->len &&
          (term->han ? term->n_chars == 1 : term->n_chars >= 2))
        {
          g_autoptr(GPtrArray) completions = complete_term (self, term->text, 3);

          g_string_append_printf (expr, "(\"%s\"", term->text);
          append_phrase_df (self, dfs, term->text);
          for (guint k = 0; k < completions->len; k++)
            {
              g_string_append_printf (expr, " OR \"%s\"", (char *)g_ptr_array_index (completions, k));
              append_phrase_df (self, dfs, g_ptr_array_index (completions, k));
            }
          g_string_append_c (expr, ')');
        }
      else
        {
          g_string_append_printf (expr, "\"%s\"", term->text);
          append_phrase_df (self, dfs, term->text);
        }
    }

  return g_string_free (expr, FALSE);
}

typedef struct
{
  const char *query;
  GPtrArray  *tokens;  /* of char* (the token) */
  GPtrArray  *sources; /* of char* (the text it came from) */
} QuestionTokens;

static void
question_token_cb (const char *token,
                   int         length,
                   int         start,
                   int         end,
                   gboolean    colocated,
                   gpointer    user_data)
{
  QuestionTokens *qt = user_data;
  g_autofree char *tok = g_strndup (token, length);
  g_autofree char *source = g_strndup (qt->query + start, end - start);
  g_autofree char *lower = g_utf8_strdown (source, -1);

  if (g_strv_contains (stop_words, tok) || g_strv_contains (stop_words, lower) ||
      g_strv_contains (stop_bigrams, tok))
    return;

  for (guint i = 0; i < qt->tokens->len; i++)
    if (g_str_equal (g_ptr_array_index (qt->tokens, i), tok))
      return;

  g_ptr_array_add (qt->tokens, g_steal_pointer (&tok));
  g_ptr_array_add (qt->sources, g_steal_pointer (&source));
}

static char *
question_expression (SmKnowledgeBase *self,
                     const char      *query,
                     GString         *dfs)
{
  QuestionTokens qt = { query, NULL, NULL };
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *df = NULL;
  GString *expr = g_string_new (NULL);
  gint64 n = sm_knowledge_base_count (self);
  gint64 limit = (gint64)(n * FREQUENT_SHARE);
  guint rarest = 0;
  gboolean multi = FALSE;

  qt.tokens = tokens;
  qt.sources = sources;
  tokenize (self, query, question_token_cb, &qt);

  df = g_new0 (gint64, MAX (tokens->len, 1));
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *tok = g_ptr_array_index (tokens, i);
      multi |= g_utf8_strlen (tok, -1) > 1 || !sm_fts_unichar_is_han (g_utf8_get_char (tok));
      df[i] = term_doc_count (self, tok);
      if (df[i] > 0 && (df[rarest] == 0 || df[i] < df[rarest]))
        rarest = i;
    }

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *tok = g_ptr_array_index (tokens, i);
      gboolean single_han = g_utf8_strlen (tok, -1) == 1 &&
                            sm_fts_unichar_is_han (g_utf8_get_char (tok));

      /* A lone character says little next to bigrams and words */
      if (single_han && multi)
        continue;
      /* Very frequent terms only cost time on a large base */
      if (n >= FREQUENT_MIN_ARTICLES && (df[i] == 0 || (df[i] > limit && i != rarest)))
        continue;

      if (expr->len > 0)
        g_string_append (expr, " OR ");
      g_string_append_printf (expr, "\"%s\"", (const char *)g_ptr_array_index (sources, i));
      g_string_append_printf (dfs, "%s%" G_GINT64_FORMAT, dfs->len > 0 ? " " : "", df[i]);
    }

  return g_string_free (expr, FALSE);
}

/* Snippets are shown on one line */
static char *
flatten (const char *snippet)
{
  GString *out = g_string_sized_new (strlen (snippet));
  gboolean space = FALSE;

  for (const char *p = snippet; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r' || *p == '\t')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
run_query (SmKnowledgeBase          *self,
           const char               *expr,
           const char               *dfs,
           const SmKbSearchOptions  *options,
           guint                     limit,
           GPtrArray                *hits,
           GHashTable               *seen,
           GError                  **error)
{
  g_autoptr(CachedStmt) rank = NULL;
  g_autoptr(sqlite3_stmt) detail = NULL;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scores = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) in_list = g_string_new (NULL);
  g_autoptr(GHashTable) found = NULL;
  g_autofree char *full = NULL;
  g_autofree char *sql = NULL;
  gint64 min_rowid = G_MAXINT64, max_rowid = G_MININT64;
  gboolean boost = options->boost_intent != NULL && options->boost > 0;
  int rc;

  if (expr == NULL || *expr == '\0')
    return TRUE;

  full = g_strdup (expr);

  /* bm25 is computed for at most RANK_CAP matches (the newest), so that an
   * unspecific query costs the same on 100,000 articles as on 2,000; the
   * intent boost then re-orders the best RANK_POOL of them. The language
   * is filtered on the articles table: as a phrase in the MATCH, bm25
   * would count its documents (half the base) for every query. */
  rank = cached_stmt (self, STMT_RANK,
                           "SELECT rid, (score - 1.0) * (1.0 + ?3 * EXISTS ("
                           "    SELECT 1 FROM articles a JOIN article_intents ai ON ai.article_id = a.id "
                           "    WHERE a.seq = rid AND ai.intent = ?2)) + 1.0 AS boosted "
                           "FROM (SELECT rid, score FROM ("
                           "        SELECT rowid AS rid, sm_rank(articles_fts, ?8, " BM25_WEIGHTS ") AS score "
                           "        FROM articles_fts WHERE articles_fts MATCH ?1 "
                           "        ORDER BY rowid DESC LIMIT ?5) "
                           "      JOIN articles l ON l.seq = rid "
                           "      WHERE ?7 IS NULL OR l.language = ?7 "
                           "      ORDER BY score LIMIT ?6) "
                           "ORDER BY boosted LIMIT ?4",
                           error);
  if (rank == NULL)
    return FALSE;
  sqlite3_bind_text (rank, 1, full, -1, SQLITE_STATIC);
  sqlite3_bind_text (rank, 2, boost ? options->boost_intent : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_double (rank, 3, boost ? options->boost : 0.0);
  sqlite3_bind_int (rank, 4, (int)limit + (int)g_hash_table_size (seen));
  sqlite3_bind_int (rank, 5, RANK_CAP);
  sqlite3_bind_text (rank, 7, options->language, -1, SQLITE_STATIC);
  sqlite3_bind_text (rank, 8, dfs, -1, SQLITE_STATIC);
  sqlite3_bind_int (rank, 6, MAX (RANK_POOL, (int)limit * 2) + (int)g_hash_table_size (seen));

  while ((rc = sqlite3_step (rank)) == SQLITE_ROW && rowids->len < limit - hits->len)
    {
      gint64 rowid = sqlite3_column_int64 (rank, 0);
      double score = -sqlite3_column_double (rank, 1);

      if (g_hash_table_contains (seen, &rowid))
        continue;

      g_array_append_val (rowids, rowid);
      g_array_append_val (scores, score);
      min_rowid = MIN (min_rowid, rowid);
      max_rowid = MAX (max_rowid, rowid);
      g_string_append_printf (in_list, "%s%" G_GINT64_FORMAT, in_list->len ? "," : "", rowid);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sm_store_set_error (self->store, rc, error);
  if (rowids->len == 0)
    return TRUE;

  /* Snippets for all the hits in one pass over the matches, within their
   * rowid range: a prefix query expands its terms once, not once per hit.
   * The unary + keeps the IN list from becoming one lookup per rowid. */
  sql = g_strdup_printf ("SELECT f.rowid, a.id, a.title, a.language, "
                         "  snippet(articles_fts, 2, X'02', X'03', '…', 24), "
                         "  EXISTS (SELECT 1 FROM article_intents ai "
                         "          WHERE ai.article_id = a.id AND ai.intent = ?2) "
                         "FROM articles_fts f CROSS JOIN articles a ON a.seq = f.rowid "
                         "WHERE articles_fts MATCH ?1 AND f.rowid >= ?3 AND f.rowid <= ?4 "
                         "  AND +f.rowid IN (%s)",
                         in_list->str);
  detail = sm_store_prepare (self->store, sql, error);
  if (detail == NULL)
    return FALSE;
  sqlite3_bind_text (detail, 1, expr, -1, SQLITE_STATIC);
  sqlite3_bind_text (detail, 2, options->boost_intent, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (detail, 3, min_rowid);
  sqlite3_bind_int64 (detail, 4, max_rowid);

  found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)sm_kb_hit_free);
  while ((rc = sqlite3_step (detail)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (detail, 0);
      SmKbHit *hit = g_new0 (SmKbHit, 1);

      hit->id = g_strdup ((const char *)sqlite3_column_text (detail, 1));
      hit->title = g_strdup ((const char *)sqlite3_column_text (detail, 2));
      hit->language = g_strdup ((const char *)sqlite3_column_text (detail, 3));
      /* The body's excerpt, unless the match is only in another column:
       * snippet() tokenizes the whole column, so it runs once per hit */
      {
        const char *snippet = (const char *)sqlite3_column_text (detail, 4);
        if (snippet != NULL && strchr (snippet, SM_KB_MARK_START[0]) != NULL)
          hit->snippet = flatten (snippet);
      }
      if (options->boost_intent != NULL && sqlite3_column_int (detail, 5))
        hit->intent = g_strdup (options->boost_intent);

      g_hash_table_insert (found, g_memdup2 (&rowid, sizeof rowid), hit);
    }
  if (rc != SQLITE_DONE)
    return sm_store_set_error (self->store, rc, error);

  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      g_autofree gint64 *key = NULL;
      SmKbHit *hit = NULL;

      if (!g_hash_table_steal_extended (found, &rowid, (gpointer *)&key, (gpointer *)&hit))
        continue;

      if (hit->snippet == NULL)
        {
          g_autoptr(sqlite3_stmt) other = NULL;

          /* Matched in the title, tags or wording only: the best column */
          other = sm_store_prepare (self->store,
                                    "SELECT snippet(articles_fts, -1, X'02', X'03', '…', 24) "
                                    "FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2",
                                    NULL);
          if (other != NULL)
            {
              sqlite3_bind_text (other, 1, expr, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (other, 2, rowid);
              if (sqlite3_step (other) == SQLITE_ROW && sqlite3_column_text (other, 0) != NULL)
                hit->snippet = flatten ((const char *)sqlite3_column_text (other, 0));
            }
        }
      hit->score = g_array_index (scores, double, i);
      g_hash_table_add (seen, g_memdup2 (&rowid, sizeof rowid));
      g_ptr_array_add (hits, hit);
    }

  return TRUE;
}

/**
 * sm_knowledge_base_search:
 * @query: what the agent typed
 * @options: (nullable): filters and ranking; %NULL for the defaults
 *
 * Returns: (transfer full) (element-type SmKbHit): the hits, best first
 */
GPtrArray *
sm_knowledge_base_search (SmKnowledgeBase          *self,
                          const char               *query,
                          const SmKbSearchOptions  *options,
                          GError                  **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_kb_hit_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  SmKbSearchOptions defaults;
  guint limit;

  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), NULL);

  if (options == NULL)
    {
      sm_kb_search_options_init (&defaults);
      options = &defaults;
    }
  limit = options->limit > 0 ? options->limit : 10;

  if (query == NULL)
    return g_steal_pointer (&hits);

  if (options->mode != SM_KB_QUERY_QUESTION)
    {
      g_autoptr(GString) dfs = g_string_new (NULL);
      g_autofree char *expr = keyword_expression (self, query, options->prefix, dfs);

      if (!run_query (self, expr, dfs->str, options, limit, hits, seen, error))
        return NULL;
    }

  if (options->mode == SM_KB_QUERY_QUESTION ||
      (options->mode == SM_KB_QUERY_AUTO && hits->len < limit))
    {
      g_autoptr(GString) dfs = g_string_new (NULL);
      g_autofree char *expr = question_expression (self, query, dfs);

      if (!run_query (self, expr, dfs->str, options, limit, hits, seen, error))
        return NULL;
    }

  return g_steal_pointer (&hits);
}

/* Suggestions */

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const SmKbHit *ha = *(SmKbHit * const *)a;
  const SmKbHit *hb = *(SmKbHit * const *)b;

  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;

  return g_strcmp0 (ha->title, hb->title);
}

/**
 * sm_knowledge_base_suggest:
 * @intents: the current top intents, best first
 * @weights: their confidences
 * @language: (nullable): the caller's language; articles in it come first,
 *   and articles in other languages only when none is in it
 * @text: (nullable): what the customer said: among articles for the same
 *   intents, the ones whose text matches it better come first
 *
 * The articles that answer @intents: an article scores the weight of each
 * intent it answers (half of it for a related, not primary, intent), plus
 * up to 5 % of the top weight for how well it matches @text.
 *
 * Returns: (transfer full) (element-type SmKbHit): the suggestions, best
 *   first, each with its approved wording as the snippet
 */
GPtrArray *
sm_knowledge_base_suggest (SmKnowledgeBase    *self,
                           const char * const *intents,
                           const double       *weights,
                           guint               n_intents,
                           const char         *language,
                           const char         *text,
                           guint               limit)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_kb_hit_free);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)sm_kb_hit_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) best = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean any_in_language = FALSE;

  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), NULL);

  stmt = sm_store_prepare (self->store,
                           "SELECT a.id, a.title, a.language, a.wording, ai.position "
                           "FROM article_intents ai JOIN articles a ON a.id = ai.article_id "
                           "WHERE ai.intent = ?1",
                           NULL);
  if (stmt == NULL)
    return g_steal_pointer (&out);

  for (guint i = 0; i < n_intents; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, intents[i], -1, SQLITE_STATIC);

      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *)sqlite3_column_text (stmt, 0);
          double part = weights[i] * (sqlite3_column_int (stmt, 4) == 0 ? 1.0 : 0.5);
          SmKbHit *hit = g_hash_table_lookup (by_id, id);
          double *best_part;

          if (hit == NULL)
            {
              hit = g_new0 (SmKbHit, 1);
              hit->id = g_strdup (id);
              hit->title = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
              hit->language = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
              hit->snippet = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
              g_ptr_array_add (all, hit);
              g_hash_table_insert (by_id, hit->id, hit);
            }

          hit->score += part;
          best_part = g_hash_table_lookup (best, hit->id);
          if (best_part == NULL || part > *best_part)
            {
              g_free (hit->intent);
              hit->intent = g_strdup (intents[i]);
              g_hash_table_insert (best, hit->id, g_memdup2 (&part, sizeof part));
            }
          any_in_language |= g_strcmp0 (hit->language, language) == 0;
        }
    }

  if (text != NULL && *text != '\0' && all->len > 1)
    {
      g_autoptr(GPtrArray) matches = NULL;
      SmKbSearchOptions options;
      double top_weight = 0, best_match = 0;

      sm_kb_search_options_init (&options);
      options.mode = SM_KB_QUERY_QUESTION;
      options.language = language;
      options.limit = 50;
      matches = sm_knowledge_base_search (self, text, &options, NULL);

      for (guint i = 0; i < n_intents; i++)
        top_weight = MAX (top_weight, weights[i]);
      for (guint i = 0; matches != NULL && i < matches->len; i++)
        best_match = MAX (best_match, ((SmKbHit *)matches->pdata[i])->score);
      for (guint i = 0; matches != NULL && best_match > 0 && i < matches->len; i++)
        {
          SmKbHit *match = g_ptr_array_index (matches, i);
          SmKbHit *hit = g_hash_table_lookup (by_id, match->id);

          if (hit != NULL)
            hit->score += 0.05 * top_weight * MAX (match->score, 0) / best_match;
        }
    }

  g_ptr_array_sort (all, compare_hits);

  for (guint i = 0; i < all->len && out->len < limit; i++)
    {
      SmKbHit *hit = g_ptr_array_index (all, i);

      if (language == NULL || !any_in_language || g_strcmp0 (hit->language, language) == 0)
        g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
    }

  return g_steal_pointer (&out);
}

/* GObject */

static void
sm_knowledge_base_finalize (GObject *object)
{
  SmKnowledgeBase *self = (SmKnowledgeBase *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->tokenizer, sm_fts_tokenizer_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_knowledge_base_parent_class)->finalize (object);
}

static void
sm_knowledge_base_class_init (SmKnowledgeBaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_knowledge_base_finalize;
}

static void
sm_knowledge_base_init (SmKnowledgeBase *self)
{
  self->n_articles = -1;
}

/* Public API */

/**
 * sm_knowledge_base_new:
 * @store: the store holding the articles (schema 2 or later)
 *
 * Returns: (transfer full): the knowledge base
 */
SmKnowledgeBase *
sm_knowledge_base_new (SmStore *store)
{
  SmKnowledgeBase *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_KNOWLEDGE_BASE, NULL);
  self->store = g_object_ref (store);

  return self;
}

SmStore *
sm_knowledge_base_get_store (SmKnowledgeBase *self)
{
  g_return_val_if_fail (SM_IS_KNOWLEDGE_BASE (self), NULL);
  return self->store;
}
