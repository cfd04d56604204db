/* sm-admin-kb.c: `seatmate-admin kb …`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "sm-admin.h"
#include "sm-intent-model.h"
#include "sm-knowledge-base.h"
#include "sm-paths.h"

#define KB_USAGE \
  "kb import DIR [--model MODEL]\n" \
  "       seatmate-admin [--db PATH] kb search QUERY [--lang zh|en] [--limit N] [--intent INTENT]\n" \
  "       seatmate-admin [--db PATH] kb show ID"

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static char *
json_string (const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value != NULL ? value : "");
  return json_to_string (node, FALSE);
}

static int
kb_import (SmAdminContext  *ctx,
           int              argc,
           char           **argv)
{
  g_autoptr(SmKnowledgeBase) kb = NULL;
  g_autoptr(SmIntentModel) model = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *model_path = NULL;
  const char *dir = NULL;
  SmKbImportReport report;
  SmStore *store;
  gboolean ok;

  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--model") && i + 1 < argc)
        model_path = g_strdup (argv[++i]);
      else if (dir == NULL && argv[i][0] != '-')
        dir = argv[i];
      else
        return sm_admin_usage (KB_USAGE);
    }
  if (dir == NULL)
    return sm_admin_usage (KB_USAGE);

  /* Unknown intents are checked against the shipped model by default */
  if (model_path == NULL)
    model_path = sm_paths_find_data ("intent/seatmate-intent.model");
  if (model_path != NULL)
    {
      model = sm_intent_model_new_from_file (model_path, &error);
      if (model == NULL)
        return sm_admin_fail (error);
    }

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  kb = sm_knowledge_base_new (store);

  sm_kb_import_report_init (&report);
  ok = sm_knowledge_base_import_dir (kb, dir,
                                     model ? sm_intent_model_get_labels (model) : NULL,
                                     &report, &error);

  for (guint i = 0; i < report.problems->len; i++)
    g_printerr (_("error: %s\n"), (const char *)g_ptr_array_index (report.problems, i));
  for (guint i = 0; i < report.warnings->len; i++)
    g_printerr (_("warning: %s\n"), (const char *)g_ptr_array_index (report.warnings, i));

  if (!ok)
    {
      sm_kb_import_report_clear (&report);
      return sm_admin_fail (error);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report.imported);
  json_builder_set_member_name (builder, "skipped");
  json_builder_add_int_value (builder, report.skipped);
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_int_value (builder, report.warnings->len);
  json_builder_set_member_name (builder, "articles");
  json_builder_add_int_value (builder, sm_knowledge_base_count (kb));
  json_builder_end_object (builder);
  print_json (builder);

  ok = report.skipped == 0;
  sm_kb_import_report_clear (&report);

  return ok ? SM_ADMIN_EXIT_OK : SM_ADMIN_EXIT_FAILED;
}

static int
kb_search (SmAdminContext  *ctx,
           int              argc,
           char           **argv)
{
  g_autoptr(SmKnowledgeBase) kb = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  const char *query = NULL;
  SmKbSearchOptions options;
  SmStore *store;

  sm_kb_search_options_init (&options);

  for (int i = 0; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--lang") && i + 1 < argc)
        {
          options.language = argv[++i];
          if (!g_str_equal (options.language, "zh") && !g_str_equal (options.language, "en"))
            return sm_admin_usage (KB_USAGE);
        }
      else if (g_str_equal (argv[i], "--limit") && i + 1 < argc)
        {
          guint64 limit;

          if (!g_ascii_string_to_unsigned (argv[++i], 10, 1, 1000, &limit, NULL))
            return sm_admin_usage (KB_USAGE);
          options.limit = (guint)limit;
        }
      else if (g_str_equal (argv[i], "--intent") && i + 1 < argc)
        options.boost_intent = argv[++i];
      else if (query == NULL)
        query = argv[i];
      else
        return sm_admin_usage (KB_USAGE);
    }
  if (query == NULL)
    return sm_admin_usage (KB_USAGE);

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  kb = sm_knowledge_base_new (store);

  hits = sm_knowledge_base_search (kb, query, &options, &error);
  if (hits == NULL)
    return sm_admin_fail (error);

  for (guint i = 0; i < hits->len; i++)
    {
      SmKbHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *snippet = sm_kb_snippet_to_text (hit->snippet, "[", "]");
      g_autofree char *id = json_string (hit->id);
      g_autofree char *title = json_string (hit->title);
      g_autofree char *language = json_string (hit->language);
      g_autofree char *snippet_json = json_string (snippet);
      char score[G_ASCII_DTOSTR_BUF_SIZE];

      /* Written by hand to keep the score at three decimals */
      g_ascii_formatd (score, sizeof score, "%.3f", hit->score);
      printf ("{\"id\":%s,\"title\":%s,\"language\":%s,\"score\":%s,\"snippet\":%s}\n",
              id, title, language, score, snippet_json);
    }

  return SM_ADMIN_EXIT_OK;
}

static int
kb_show (SmAdminContext  *ctx,
         const char      *id)
{
  g_autoptr(SmKnowledgeBase) kb = NULL;
  g_autoptr(SmKbArticle) article = NULL;
  SmStore *store;

  if ((store = sm_admin_get_store (ctx)) == NULL)
    return SM_ADMIN_EXIT_FAILED;
  kb = sm_knowledge_base_new (store);

  article = sm_knowledge_base_get_article (kb, id);
  if (article == NULL)
    {
      g_printerr (_("seatmate-admin: no article “%s”\n"), id);
      return SM_ADMIN_EXIT_FAILED;
    }

  printf ("%s\n\n%s", article->title, article->body);
  return SM_ADMIN_EXIT_OK;
}

/**
 * sm_admin_kb:
 *
 * `kb import DIR`, `kb search QUERY`, `kb show ID`
 */
int
sm_admin_kb (SmAdminContext  *ctx,
             int              argc,
             char           **argv)
{
  if (argc < 2)
    return sm_admin_usage (KB_USAGE);

  if (g_str_equal (argv[1], "import"))
    return kb_import (ctx, argc - 2, argv + 2);
  if (g_str_equal (argv[1], "search"))
    return kb_search (ctx, argc - 2, argv + 2);
  if (g_str_equal (argv[1], "show") && argc == 3)
    return kb_show (ctx, argv[2]);

  return sm_admin_usage (KB_USAGE);
}
