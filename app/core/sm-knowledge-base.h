/* sm-knowledge-base.h: articles, full-text search and suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_KB_ERROR (sm_kb_error_quark ())

typedef enum
{
  SM_KB_ERROR_HEADER,
  SM_KB_ERROR_NOT_FOUND,
  SM_KB_ERROR_IO,
} SmKbError;

/* Highlight markers inside SmKbHit.snippet */
#define SM_KB_MARK_START "\002"
#define SM_KB_MARK_END   "\003"

/**
 * SmKbArticle:
 * @id: stable identifier ("en-card-arrival")
 * @title: the title
 * @language: "en" or "zh"
 * @intents: the intents it answers, the primary one first
 * @tags: search keywords
 * @updated: date of the last review, YYYY-MM-DD
 * @body: the Markdown body (without the header)
 * @wording: (nullable): plain text of the approved wording ("Say this" / "话术")
 * @source: (nullable): the file it was imported from
 */
typedef struct
{
  char  *id;
  char  *title;
  char  *language;
  char **intents;
  char **tags;
  char  *updated;
  char  *body;
  char  *wording;
  char  *source;
} SmKbArticle;

/**
 * SmKbHit:
 * @id: article id
 * @title: article title
 * @language: article language
 * @score: higher is better (bm25, boosted by intents)
 * @snippet: (nullable): an excerpt with matches between SM_KB_MARK_START
 *   and SM_KB_MARK_END; for suggestions, the start of the approved wording
 * @intent: (nullable): the intent that pulled a suggestion, or the boost
 *   intent the article answers
 */
typedef struct
{
  char   *id;
  char   *title;
  char   *language;
  double  score;
  char   *snippet;
  char   *intent;
} SmKbHit;

typedef enum
{
  SM_KB_QUERY_AUTO,     /* all terms first, then any term to fill the list */
  SM_KB_QUERY_KEYWORDS, /* every term must match; a Han run is a phrase */
  SM_KB_QUERY_QUESTION, /* any bigram or word, ranked by bm25 */
} SmKbQueryMode;

/**
 * SmKbSearchOptions:
 * @language: (nullable): only articles in this language
 * @limit: the most hits to return (0 means 10)
 * @mode: how to read the query
 * @prefix: the last word is still being typed: match it as a prefix
 * @boost_intent: (nullable): articles answering this intent rank higher
 * @boost: how much higher: (bm25 score + 1) is multiplied by 1 + @boost
 */
typedef struct
{
  const char    *language;
  guint          limit;
  SmKbQueryMode  mode;
  gboolean       prefix;
  const char    *boost_intent;
  double         boost;
} SmKbSearchOptions;

typedef struct
{
  guint      imported;
  guint      skipped;
  GPtrArray *problems; /* "FILE:LINE: message" for each skipped file */
  GPtrArray *warnings; /* "FILE:LINE: message", imported anyway */
} SmKbImportReport;

#define SM_TYPE_KNOWLEDGE_BASE (sm_knowledge_base_get_type ())

G_DECLARE_FINAL_TYPE (SmKnowledgeBase, sm_knowledge_base, SM, KNOWLEDGE_BASE, GObject)

GQuark           sm_kb_error_quark                (void);

void             sm_kb_article_free               (SmKbArticle              *article);
SmKbArticle     *sm_kb_article_parse              (const char               *text,
                                                   const char               *filename,
                                                   const char               *folder_language,
                                                   GError                  **error);
void             sm_kb_hit_free                   (SmKbHit                  *hit);
void             sm_kb_import_report_init         (SmKbImportReport         *report);
void             sm_kb_import_report_clear        (SmKbImportReport         *report);
void             sm_kb_search_options_init        (SmKbSearchOptions        *options);
char            *sm_kb_snippet_to_markup          (const char               *snippet);
char            *sm_kb_snippet_to_text            (const char               *snippet,
                                                   const char               *open,
                                                   const char               *close);
const char      *sm_kb_language_for_text          (const char               *text);

SmKnowledgeBase *sm_knowledge_base_new            (SmStore                  *store);
SmStore         *sm_knowledge_base_get_store      (SmKnowledgeBase          *self);
gboolean         sm_knowledge_base_import_dir     (SmKnowledgeBase          *self,
                                                   const char               *dir,
                                                   const char * const       *known_intents,
                                                   SmKbImportReport         *report,
                                                   GError                  **error);
gboolean         sm_knowledge_base_put            (SmKnowledgeBase          *self,
                                                   const SmKbArticle        *article,
                                                   GError                  **error);
gboolean         sm_knowledge_base_refresh_terms  (SmKnowledgeBase          *self,
                                                   GError                  **error);
gint64           sm_knowledge_base_count          (SmKnowledgeBase          *self);
SmKbArticle     *sm_knowledge_base_get_article    (SmKnowledgeBase          *self,
                                                   const char               *id);
GPtrArray       *sm_knowledge_base_search         (SmKnowledgeBase          *self,
                                                   const char               *query,
                                                   const SmKbSearchOptions  *options,
                                                   GError                  **error);
GPtrArray       *sm_knowledge_base_suggest        (SmKnowledgeBase          *self,
                                                   const char * const       *intents,
                                                   const double             *weights,
                                                   guint                     n_intents,
                                                   const char               *language,
                                                   const char               *text,
                                                   guint                     limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmKbArticle, sm_kb_article_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmKbHit, sm_kb_hit_free)

G_END_DECLS
