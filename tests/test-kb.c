/* test-kb.c: knowledge base import, search, suggestions and Markdown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sm-knowledge-base.h"
#include "sm-markdown.h"

typedef struct
{
  char            *dir;
  SmStore         *store;
  SmKnowledgeBase *kb;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("seatmate-kb-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kb.db", NULL);
  f->store = sm_store_open (path, &error);
  g_assert_no_error (error);
  f->kb = sm_knowledge_base_new (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->kb);
  g_clear_object (&f->store);
  g_free (f->dir);
}

static char *
shipped_kb (void)
{
  const char *datadir = g_getenv ("SEATMATE_DATADIR");

  g_assert_nonnull (datadir);
  return g_build_filename (datadir, "kb", NULL);
}

static void
import_shipped (Fixture *f)
{
  g_autofree char *dir = shipped_kb ();
  g_autoptr(GError) error = NULL;
  SmKbImportReport report;

  sm_kb_import_report_init (&report);
  g_assert_true (sm_knowledge_base_import_dir (f->kb, dir, NULL, &report, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < report.problems->len; i++)
    g_test_message ("%s", (char *)g_ptr_array_index (report.problems, i));
  g_assert_cmpuint (report.problems->len, ==, 0);
  g_assert_cmpuint (report.imported, >=, 99);
  sm_kb_import_report_clear (&report);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

#define ARTICLE(id, intents, title, body) \
  "---\nid: " id "\ntitle: " title "\nlanguage: en\nintents: " intents \
  "\ntags: test\nupdated: 2026-11-02\n---\n" body

static GPtrArray *
search (Fixture    *f,
        const char *query,
        const char *language)
{
  SmKbSearchOptions options;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  sm_kb_search_options_init (&options);
  options.language = language;
  hits = sm_knowledge_base_search (f->kb, query, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hits);

  return hits;
}

static int
rank_of (GPtrArray  *hits,
         const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((SmKbHit *)g_ptr_array_index (hits, i))->id, id))
      return (int)i;

  return -1;
}

/* Import */

static void
test_import_shipped (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SmKbArticle) article = NULL;

  import_shipped (f);
  g_assert_cmpint (sm_knowledge_base_count (f->kb), >=, 99);

  article = sm_knowledge_base_get_article (f->kb, "en-card-arrival");
  g_assert_nonnull (article);
  g_assert_cmpstr (article->language, ==, "en");
  g_assert_cmpstr (article->intents[0], ==, "card_arrival");
  g_assert_nonnull (article->wording);
  g_assert_true (g_str_has_prefix (article->wording, "I'm sorry your card hasn't arrived yet."));
  g_assert_null (strstr (article->wording, "##"));

  /* Importing again replaces, never duplicates */
  import_shipped (f);
  g_assert_cmpint (sm_store_count (f->store, "articles"), ==, sm_knowledge_base_count (f->kb));
  g_assert_cmpint (sm_store_count (f->store, "articles_fts"), ==, sm_knowledge_base_count (f->kb));
}

static void
test_import_malformed_header (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "articles", NULL);
  g_autoptr(GError) error = NULL;
  SmKbImportReport report;
  gboolean found = FALSE;

  g_mkdir (dir, 0700);
  write_file (dir, "good.md", ARTICLE ("en-good", "card_arrival", "Good", "# Good\n\n## Say this\nHello.\n"));
  write_file (dir, "bad.md",
              "---\nid: en-bad\ntitle Missing colon\nlanguage: en\n---\nBody\n");
  write_file (dir, "unclosed.md", "---\nid: en-unclosed\ntitle: x\n");
  write_file (dir, "README.md", "# Not an article\n");

  sm_kb_import_report_init (&report);
  g_assert_true (sm_knowledge_base_import_dir (f->kb, dir, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.imported, ==, 1);
  g_assert_cmpuint (report.skipped, ==, 2);

  for (guint i = 0; i < report.problems->len; i++)
    {
      const char *problem = g_ptr_array_index (report.problems, i);
      g_test_message ("%s", problem);
      if (strstr (problem, "bad.md:3: ") != NULL)
        found = TRUE;
    }
  g_assert_true (found);
  g_assert_cmpint (sm_knowledge_base_count (f->kb), ==, 1);
  sm_kb_import_report_clear (&report);
}

static void
test_import_header_errors (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "# No header\n", "x.md:1: " },
    { "---\nid: a\ntitle: t\nlanguage: fr\nintents: i\ntags: t\nupdated: 2026-01-01\n---\n", "x.md:4: " },
    { "---\nid: a\ntitle: t\nlanguage: en\nintents: i\ntags: t\nupdated: 2026-13-01\n---\n", "x.md:7: " },
    { "---\nid: a\ntitle: t\nlanguage: en\nintents: i\ntags: t\ncolour: red\n---\n", "x.md:7: " },
    { "---\nid: a\ntitle: t\nlanguage: en\nintents: i\ntags: t\n---\n", "x.md:7: " },
    { "---\nid: a b\ntitle: t\nlanguage: en\nintents: i\ntags: t\nupdated: 2026-01-01\n---\n", "x.md:2: " },
    { "---\nid: a\nid: b\n---\n", "x.md:3: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmKbArticle) article = sm_kb_article_parse (cases[i].text, "x.md", NULL, &error);

      g_assert_null (article);
      g_assert_error (error, SM_KB_ERROR, SM_KB_ERROR_HEADER);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }
}

static void
test_import_unknown_intent (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "articles", NULL);
  const char * const known[] = { "card_arrival", "lost_or_stolen_card", NULL };
  g_autoptr(GError) error = NULL;
  SmKbImportReport report;
  gboolean found = FALSE;

  g_mkdir (dir, 0700);
  write_file (dir, "a.md", ARTICLE ("en-a", "card_arrival, made_up_intent", "A", "# A\n\n## Say this\nHi.\n"));

  sm_kb_import_report_init (&report);
  g_assert_true (sm_knowledge_base_import_dir (f->kb, dir, known, &report, &error));
  g_assert_no_error (error);
  /* A warning, not a reason to skip the article */
  g_assert_cmpuint (report.imported, ==, 1);
  for (guint i = 0; i < report.warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (report.warnings, i);
      if (strstr (warning, "a.md:5: ") != NULL && strstr (warning, "made_up_intent") != NULL)
        found = TRUE;
    }
  g_assert_true (found);
  sm_kb_import_report_clear (&report);
}

static void
test_import_transaction (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "articles", NULL);
  g_autoptr(GError) error = NULL;
  SmKbImportReport report;

  import_shipped (f);
  g_assert_cmpint (sm_knowledge_base_count (f->kb), >=, 99);

  g_mkdir (dir, 0700);
  write_file (dir, "a.md", ARTICLE ("en-new-a", "card_arrival", "New A", "# A\n"));
  write_file (dir, "b.md", ARTICLE ("en-card-arrival", "card_arrival", "Replaced", "# B\n"));
  write_file (dir, "c.md", ARTICLE ("en-new-c", "card_arrival", "New C", "# C\n"));

  /* The store refuses the third article: nothing of this import stays,
   * not even the replacement of an existing article */
  g_assert_true (sm_store_exec (f->store,
                                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON articles "
                                "WHEN NEW.id = 'en-new-c' BEGIN SELECT RAISE (ABORT, 'refused'); END",
                                NULL));

  sm_kb_import_report_init (&report);
  g_assert_false (sm_knowledge_base_import_dir (f->kb, dir, NULL, &report, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (report.imported, ==, 0);
  sm_kb_import_report_clear (&report);

  g_assert_null (sm_knowledge_base_get_article (f->kb, "en-new-a"));
  {
    g_autoptr(SmKbArticle) article = sm_knowledge_base_get_article (f->kb, "en-card-arrival");
    g_assert_cmpstr (article->title, ==, "New card has not arrived");
  }
  g_assert_cmpint (sm_store_count (f->store, "articles"), ==,
                   sm_store_count (f->store, "articles_fts"));
}

/* Search */

static void
test_search_chinese_two_characters (Fixture       *f,
                                    gconstpointer  data)
{
  static const struct { const char *query; const char *id; } cases[] = {
    { "额度", "zh-credit-limit" },
    { "挂失", "zh-card-lost" },
    { "年费", "zh-annual-fee" },
  };

  import_shipped (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) hits = search (f, cases[i].query, NULL);
      int rank = rank_of (hits, cases[i].id);

      g_test_message ("%s → %s at %d", cases[i].query, cases[i].id, rank);
      g_assert_cmpint (rank, >=, 0);
      g_assert_cmpint (rank, <, 3);
      /* Every hit is in Chinese and the snippet highlights the term */
      g_assert_cmpstr (((SmKbHit *)hits->pdata[0])->language, ==, "zh");
      g_assert_nonnull (strstr (((SmKbHit *)hits->pdata[rank])->snippet, SM_KB_MARK_START));
    }
}

static void
test_search_mixed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) atm = NULL;
  g_autoptr(GPtrArray) question = NULL;
  g_autoptr(GPtrArray) single = NULL;

  import_shipped (f);

  /* Latin and Han in one query */
  atm = search (f, "ATM 吞卡", NULL);
  g_assert_cmpint (rank_of (atm, "zh-card-captured-atm"), ==, 0);

  /* A typed question: any bigram, ranked by bm25 */
  question = search (f, "我的信用卡丢了怎么办", "zh");
  g_assert_cmpint (rank_of (question, "zh-card-lost"), >=, 0);
  g_assert_cmpint (rank_of (question, "zh-card-lost"), <, 3);

  /* One character matches where it ends a run (信用卡) */
  single = search (f, "卡", "zh");
  g_assert_cmpuint (single->len, >, 0);

  /* As the agent types: one character, and a word's first letters */
  {
    g_autoptr(GPtrArray) typing_zh = NULL;
    g_autoptr(GPtrArray) typing_en = NULL;
    g_autoptr(GError) error = NULL;
    SmKbSearchOptions options;

    sm_kb_search_options_init (&options);
    options.prefix = TRUE;
    options.language = "zh";
    typing_zh = sm_knowledge_base_search (f->kb, "挂", &options, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rank_of (typing_zh, "zh-card-lost"), >=, 0);

    options.language = "en";
    typing_en = sm_knowledge_base_search (f->kb, "contactl", &options, &error);
    g_assert_no_error (error);
    g_assert_cmpint (rank_of (typing_en, "en-contactless-not-working"), ==, 0);
  }
}

static void
test_search_english_stemming (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) arrival = NULL;
  g_autoptr(GPtrArray) question = NULL;
  g_autoptr(GPtrArray) en_only = NULL;

  import_shipped (f);

  /* "arrived" and "cards" meet "arrive" and "card" in the article */
  arrival = search (f, "cards arrived", "en");
  g_assert_cmpint (rank_of (arrival, "en-card-arrival"), >=, 0);
  g_assert_cmpint (rank_of (arrival, "en-card-arrival"), <, 3);

  question = search (f, "I still haven't received my new card", "en");
  g_assert_cmpint (rank_of (question, "en-card-arrival"), >=, 0);
  g_assert_cmpint (rank_of (question, "en-card-arrival"), <, 3);

  /* The language filter */
  en_only = search (f, "card", "en");
  for (guint i = 0; i < en_only->len; i++)
    g_assert_cmpstr (((SmKbHit *)en_only->pdata[i])->language, ==, "en");
}

static void
test_search_intent_boost (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) boosted = NULL;
  g_autoptr(GError) error = NULL;
  SmKbSearchOptions options;
  int before;

  import_shipped (f);

  plain = search (f, "card", "en");
  before = rank_of (plain, "en-card-arrival");
  g_assert_cmpint (before, !=, 0);

  sm_kb_search_options_init (&options);
  options.language = "en";
  options.boost_intent = "card_arrival";
  options.boost = 2.0;
  boosted = sm_knowledge_base_search (f->kb, "card", &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rank_of (boosted, "en-card-arrival"), ==, 0);
  g_assert_cmpstr (((SmKbHit *)boosted->pdata[0])->intent, ==, "card_arrival");
}

static void
test_search_hostile_input (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const queries[] = {
    "\"", "card\" OR \"", "NEAR(a b)", "*", "title:card", "a AND", "(((", "---", "", "'; DROP TABLE articles; --",
  };

  import_shipped (f);

  /* Whatever is typed, the query is built from words: no FTS5 syntax error */
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) hits = search (f, queries[i], NULL);
      (void)hits;
    }
  g_assert_cmpint (sm_knowledge_base_count (f->kb), >=, 99);
}

static void
test_suggest (Fixture       *f,
              gconstpointer  data)
{
  const char * const intents[] = { "card_arrival", "card_delivery_estimate", "activate_my_card" };
  const double weights[] = { 0.8, 0.1, 0.05 };
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(GPtrArray) zh = NULL;

  import_shipped (f);

  en = sm_knowledge_base_suggest (f->kb, intents, weights, 3, "en", NULL, 5);
  g_assert_cmpuint (en->len, >, 0);
  g_assert_cmpstr (((SmKbHit *)en->pdata[0])->id, ==, "en-card-arrival");
  g_assert_cmpstr (((SmKbHit *)en->pdata[0])->intent, ==, "card_arrival");
  g_assert_nonnull (((SmKbHit *)en->pdata[0])->snippet);

  /* A Chinese call gets Chinese articles */
  zh = sm_knowledge_base_suggest (f->kb, intents, weights, 3, "zh", NULL, 5);
  g_assert_cmpuint (zh->len, >, 0);
  for (guint i = 0; i < zh->len; i++)
    g_assert_cmpstr (((SmKbHit *)zh->pdata[i])->language, ==, "zh");
  g_assert_cmpstr (((SmKbHit *)zh->pdata[0])->id, ==, "zh-card-delivery");

  /* Among articles for the same intent, what the customer said decides */
  {
    const char * const lost[] = { "lost_or_stolen_card" };
    const double one[] = { 0.9 };
    g_autoptr(GPtrArray) by_text = NULL;
    g_autoptr(GPtrArray) atm = NULL;

    by_text = sm_knowledge_base_suggest (f->kb, lost, one, 1, "zh", "我的信用卡丢了，想挂失", 5);
    g_assert_cmpstr (((SmKbHit *)by_text->pdata[0])->id, ==, "zh-card-lost");
    atm = sm_knowledge_base_suggest (f->kb, lost, one, 1, "zh", "ATM 把我的卡吞了", 5);
    g_assert_cmpstr (((SmKbHit *)atm->pdata[0])->id, ==, "zh-card-captured-atm");
  }
}

/* Markdown */

static void
test_markdown_html_never_rendered (void)
{
  const char *md =
    "# Title <em>x</em>\n\n"
    "<script>alert(1)</script>\n\n"
    "<div onclick=\"evil()\">block</div>\n\n"
    "Text with <b>inline</b> HTML, a < b & c, *emphasis*, **strong** and `code`.\n\n"
    "- [safe](https://example.com/a?b=1&c=2)\n"
    "- [unsafe](javascript:alert(1))\n"
    "  1. nested\n";
  g_autoptr(GPtrArray) blocks = sm_markdown_render (md);
  g_autofree char *plain = sm_markdown_to_plain_text (md);
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      SmMdBlock *block = g_ptr_array_index (blocks, i);
      g_autoptr(GError) error = NULL;

      g_string_append_printf (all, "%s\n", block->markup);
    }

  g_assert_null (strstr (all->str, "<script"));
  g_assert_null (strstr (all->str, "alert"));
  g_assert_null (strstr (all->str, "<div"));
  g_assert_null (strstr (all->str, "<em>"));
  g_assert_null (strstr (all->str, "javascript"));
  g_assert_null (strstr (all->str, "evil"));
  g_assert_nonnull (strstr (all->str, "a &lt; b &amp; c"));
  g_assert_nonnull (strstr (all->str, "<i>emphasis</i>"));
  g_assert_nonnull (strstr (all->str, "<b>strong</b>"));
  g_assert_nonnull (strstr (all->str, "<tt>code</tt>"));
  g_assert_nonnull (strstr (all->str, "<a href=\"https://example.com/a?b=1&amp;c=2\">safe</a>"));

  g_assert_cmpuint (((SmMdBlock *)blocks->pdata[0])->kind, ==, SM_MD_BLOCK_HEADING);
  g_assert_cmpstr (((SmMdBlock *)blocks->pdata[0])->text, ==, "Title x");
  g_assert_null (strstr (plain, "<script"));
  g_assert_null (strstr (plain, "<b>"));
  g_assert_nonnull (strstr (plain, "• safe"));
  g_assert_nonnull (strstr (plain, "  1. nested"));
}

static void
test_markdown_pango_valid (void)
{
  g_autofree char *dir = shipped_kb ();
  g_autofree char *path = g_build_filename (dir, "zh", "card-lost.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  GMarkupParser parser = { 0 };

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  blocks = sm_markdown_render (text);
  g_assert_cmpuint (blocks->len, >, 5);

  /* Each block parses as markup, which is what Pango needs */
  for (guint i = 0; i < blocks->len; i++)
    {
      SmMdBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *wrapped = g_strdup_printf ("<m>%s</m>", block->markup);
      g_autoptr(GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_markup_parse_context_parse (ctx, wrapped, -1, &error));
      g_assert_no_error (error);
    }
}

static void
test_snippet_markup (void)
{
  g_autofree char *markup = sm_kb_snippet_to_markup ("a <x> & " SM_KB_MARK_START "挂失" SM_KB_MARK_END " b");
  g_autofree char *text = sm_kb_snippet_to_text (SM_KB_MARK_START "card" SM_KB_MARK_END, "[", "]");

  g_assert_cmpstr (markup, ==, "a &lt;x&gt; &amp; <b>挂失</b> b");
  g_assert_cmpstr (text, ==, "[card]");
  g_assert_cmpstr (sm_kb_language_for_text ("my card 丢了"), ==, "zh");
  g_assert_cmpstr (sm_kb_language_for_text ("my card"), ==, "en");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kb/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("import/shipped", test_import_shipped);
  ADD ("import/malformed-header", test_import_malformed_header);
  g_test_add_func ("/kb/import/header-errors", test_import_header_errors);
  ADD ("import/unknown-intent", test_import_unknown_intent);
  ADD ("import/transaction", test_import_transaction);
  ADD ("search/chinese-two-characters", test_search_chinese_two_characters);
  ADD ("search/mixed", test_search_mixed);
  ADD ("search/english-stemming", test_search_english_stemming);
  ADD ("search/intent-boost", test_search_intent_boost);
  ADD ("search/hostile-input", test_search_hostile_input);
  ADD ("suggest", test_suggest);
  g_test_add_func ("/kb/markdown/html-never-rendered", test_markdown_html_never_rendered);
  g_test_add_func ("/kb/markdown/pango-valid", test_markdown_pango_valid);
  g_test_add_func ("/kb/snippet-markup", test_snippet_markup);

  return g_test_run ();
}
