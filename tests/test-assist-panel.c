/* test-assist-panel.c: the knowledge pane follows the call (needs a display)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sm-assist-panel.h"
#include "sm-demo.h"
#include "sm-intent-model.h"
#include "sm-knowledge-base.h"
#include "sm-test-gtk.h"

static SmIntentModel *model;

/* Helpers */

static GtkWidget *
find_label (GtkWidget  *root,
            const char *prefix)
{
  g_autoptr(GPtrArray) labels = sm_test_find_all_mapped (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), prefix))
      return g_ptr_array_index (labels, i);

  return NULL;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms: long enough for the pane's debounce */
static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  sm_test_spin ();
}

static SmContext *
demo_context (void)
{
  SmContext *context = sm_test_demo_context ("seatmate-assist-XXXXXX");

  /* The demo database comes with the shipped knowledge base */
  g_assert_cmpint (sm_store_count (sm_context_get_store (context), "articles"), >=, 99);

  return context;
}

/* The shipped model if it is there; otherwise a small one trained on part
 * of BANKING77 and the Chinese starter set, enough for these tests */
static SmIntentModel *
load_model (void)
{
  const char *datadir = g_getenv ("SEATMATE_DATADIR");
  g_autofree char *shipped = g_build_filename (datadir, "intent", "seatmate-intent.model", NULL);
  g_autofree char *banking = g_build_filename (datadir, "banking77", "train.csv", NULL);
  g_autofree char *chinese = g_build_filename (datadir, "intent", "zh-train.csv", NULL);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) keep_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char * const kept[] = {
    "card_arrival", "card_delivery_estimate", "lost_or_stolen_card", "activate_my_card",
    "change_pin", "request_refund", "exchange_rate", "top_up_failed", NULL
  };
  SmIntentTrainOptions options;
  SmIntentModel *trained;

  if (g_file_test (shipped, G_FILE_TEST_EXISTS))
    {
      trained = sm_intent_model_new_from_file (shipped, &error);
      g_assert_no_error (error);
      return trained;
    }

  g_assert_true (sm_intent_load_csv (banking, texts, labels, FALSE, problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < texts->len; i++)
    if (g_strv_contains (kept, g_ptr_array_index (labels, i)))
      {
        g_ptr_array_add (keep_texts, g_strdup (g_ptr_array_index (texts, i)));
        g_ptr_array_add (keep_labels, g_strdup (g_ptr_array_index (labels, i)));
      }
  g_assert_true (sm_intent_load_csv (chinese, keep_texts, keep_labels, FALSE, problems, &error));
  g_assert_no_error (error);

  sm_intent_train_options_init (&options);
  trained = sm_intent_model_train (keep_texts, keep_labels, &options, &error);
  g_assert_no_error (error);

  return trained;
}

static SmAssistPanel *
new_panel (SmContext  *context,
           GtkWindow **window)
{
  SmAssistPanel *panel = g_object_new (SM_TYPE_ASSIST_PANEL, NULL);

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (*window, 500, 900);
  gtk_window_set_child (*window, GTK_WIDGET (panel));
  sm_assist_panel_set_model (panel, model);
  sm_assist_panel_set_context (panel, context);
  gtk_window_present (*window);
  sm_test_spin ();

  return panel;
}

static void
use_wording_cb (SmAssistPanel *panel,
                const char    *text,
                char         **out)
{
  g_free (*out);
  *out = g_strdup (text);
}

/* Tests */

static void
test_assist_follows_call (void)
{
  g_autoptr(SmContext) context = demo_context ();
  g_autoptr(SmCall) call = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *used = NULL;
  SmAssistPanel *panel;
  GtkWindow *window;
  GtkWidget *wording;
  GtkListBoxRow *first;

  panel = new_panel (context, &window);
  g_signal_connect (panel, "use-wording", G_CALLBACK (use_wording_cb), &used);

  call = sm_call_new ("t1", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_call_add_transcript (call, "agent", "Thank you for calling, how can I help?", sm_now_ms ());
  sm_call_add_transcript (call, "customer", "I still haven't received my new card", sm_now_ms ());

  /* No input from the agent: the debounce fires on its own */
  wait_ms (400);

  g_assert_cmpstr (sm_assist_panel_get_top_intent (panel), ==, "card_arrival");
  g_assert_cmpstr (sm_call_get_intent (call), ==, "card_arrival");
  g_assert_cmpstr (sm_assist_panel_get_top_article (panel), ==, "en-card-arrival");

  /* The intent's bar and name, the article on top and its wording, shown */
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Card arrival"));
  wording = find_label (GTK_WIDGET (window), "I'm sorry your card hasn't arrived yet.");
  g_assert_nonnull (wording);
  rows = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_LEVEL_BAR);
  g_assert_cmpuint (rows->len, >=, 1);

  first = NULL;
  {
    g_autoptr(GPtrArray) labels = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_LABEL);
    for (guint i = 0; i < labels->len && first == NULL; i++)
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), "New card has not arrived") == 0)
        first = GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (g_ptr_array_index (labels, i),
                                                           GTK_TYPE_LIST_BOX_ROW));
  }
  g_assert_nonnull (first);
  g_assert_cmpint (gtk_list_box_row_get_index (first), ==, 0);

  /* One key copies the wording into the work order and records the article */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "assist.use-wording", NULL));
  g_assert_nonnull (used);
  g_assert_true (g_str_has_prefix (used, "I'm sorry your card hasn't arrived yet."));
  g_assert_true (g_strv_contains (sm_call_get_articles (call), "en-card-arrival"));

  gtk_window_destroy (window);
  sm_test_spin ();
}

static void
test_assist_confirm_and_correct (void)
{
  g_autoptr(SmContext) context = demo_context ();
  g_autoptr(SmCall) call = NULL;
  SmStore *store = sm_context_get_store (context);
  SmAssistPanel *panel;
  GtkWindow *window;
  g_autoptr(GPtrArray) lists = NULL;
  GtkListBoxRow *second = NULL;

  panel = new_panel (context, &window);

  call = sm_call_new ("t2", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_call_add_transcript (call, "customer", "my card still has not come in the post", sm_now_ms ());
  sm_assist_panel_refresh (panel);
  sm_test_spin ();

  /* Confirming stores the text as training data, once */
  g_assert_cmpint (sm_store_count (store, "intent_corrections"), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "assist.confirm-intent", NULL));
  g_assert_cmpint (sm_store_count (store, "intent_corrections"), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "assist.confirm-intent", NULL));
  g_assert_cmpint (sm_store_count (store, "intent_corrections"), ==, 1);

  /* Choosing the second intent corrects it, and new text no longer moves it */
  lists = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  for (guint i = 0; i < lists->len && second == NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (g_ptr_array_index (lists, i), 1);
      if (row != NULL && g_object_get_data (G_OBJECT (row), "intent") != NULL)
        second = row;
    }
  g_assert_nonnull (second);
  {
    g_autofree char *intent = g_strdup (g_object_get_data (G_OBJECT (second), "intent"));

    g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (second)), "row-activated", second);
    sm_test_spin ();
    g_assert_cmpstr (sm_call_get_intent (call), ==, intent);
    g_assert_cmpstr (sm_assist_panel_get_top_intent (panel), ==, intent);
    g_assert_cmpint (sm_store_count (store, "intent_corrections"), ==, 2);

    sm_call_add_transcript (call, "customer", "and I want to change my PIN", sm_now_ms ());
    wait_ms (400);
    g_assert_cmpstr (sm_assist_panel_get_top_intent (panel), ==, intent);
  }

  gtk_window_destroy (window);
  sm_test_spin ();
}

static void
test_assist_not_sure (void)
{
  g_autoptr(SmContext) context = demo_context ();
  g_autoptr(SmCall) call = NULL;
  SmAssistPanel *panel;
  GtkWindow *window;

  /* Below the threshold the pane says so rather than guess */
  g_settings_set_double (sm_context_get_settings (context), "intent-threshold", 1.0);
  panel = new_panel (context, &window);

  call = sm_call_new ("t4", SM_CALL_DIRECTION_INBOUND, "+12025550123", "Jane Doe", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_call_add_transcript (call, "customer", "hello there, um, it is about my account", sm_now_ms ());
  wait_ms (400);

  g_assert_null (sm_assist_panel_get_top_intent (panel));
  g_assert_null (sm_assist_panel_get_top_article (panel));
  g_assert_null (sm_call_get_intent (call));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Not sure yet"));
  g_assert_null (find_label (GTK_WIDGET (window), "Say this"));

  g_settings_reset (sm_context_get_settings (context), "intent-threshold");
  gtk_window_destroy (window);
  sm_test_spin ();
}

static void
test_assist_chinese_call (void)
{
  g_autoptr(SmContext) context = demo_context ();
  g_autoptr(SmCall) call = NULL;
  g_autoptr(SmKnowledgeBase) kb = NULL;
  g_autoptr(SmKbArticle) article = NULL;
  SmAssistPanel *panel;
  GtkWindow *window;

  panel = new_panel (context, &window);

  call = sm_call_new ("t3", SM_CALL_DIRECTION_INBOUND, "+8613800000000", "张伟", sm_now_ms ());
  sm_call_list_add (sm_context_get_calls (context), call);
  sm_call_add_transcript (call, "customer", "喂，你好，我的信用卡丢了，想挂失一下", sm_now_ms ());
  wait_ms (400);

  /* A Chinese call gets a Chinese article and wording */
  g_assert_cmpstr (sm_assist_panel_get_top_intent (panel), ==, "lost_or_stolen_card");
  g_assert_nonnull (sm_assist_panel_get_top_article (panel));
  kb = sm_knowledge_base_new (sm_context_get_store (context));
  article = sm_knowledge_base_get_article (kb, sm_assist_panel_get_top_article (panel));
  g_assert_cmpstr (article->language, ==, "zh");
  g_assert_cmpstr (article->id, ==, "zh-card-lost");

  gtk_window_destroy (window);
  sm_test_spin ();
}

static void
test_assist_search (void)
{
  g_autoptr(SmContext) context = demo_context ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  SmAssistPanel *panel;
  GtkWindow *window;
  GtkEditable *entry;
  gboolean found = FALSE;
  GtkWidget *focus;

  panel = new_panel (context, &window);

  sm_assist_panel_focus_search (panel);
  entries = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));

  /* As the agent types, after the entry's own short delay */
  gtk_editable_set_text (entry, "挂失");
  wait_ms (400);

  rows = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (g_ptr_array_index (rows, i)), "article-id"),
                   "zh-card-lost") == 0)
      found = TRUE;
  g_assert_true (found);
  g_assert_nonnull (find_label (GTK_WIDGET (window), "信用卡挂失与补卡"));

  /* Matches are highlighted in the snippet */
  {
    g_autoptr(GPtrArray) labels = sm_test_find_all_mapped (GTK_WIDGET (window), GTK_TYPE_LABEL);
    gboolean bold = FALSE;
    for (guint i = 0; i < labels->len; i++)
      if (strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), "<b>挂失</b>") != NULL)
        bold = TRUE;
    g_assert_true (bold);
  }

  /* Enter opens the first result; Esc goes back to the results */
  g_signal_emit_by_name (entry, "activate");
  sm_test_spin ();
  g_assert_nonnull (sm_assist_panel_get_shown_article (panel));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "assist.back", NULL));
  sm_test_spin ();
  g_assert_null (sm_assist_panel_get_shown_article (panel));

  gtk_window_destroy (window);
  sm_test_spin ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  sm_test_init (&argc, &argv);

  if (!gtk_init_check ())
    return 77;

  model = load_model ();

  g_test_add_func ("/assist/follows-call", test_assist_follows_call);
  g_test_add_func ("/assist/confirm-and-correct", test_assist_confirm_and_correct);
  g_test_add_func ("/assist/not-sure", test_assist_not_sure);
  g_test_add_func ("/assist/chinese-call", test_assist_chinese_call);
  g_test_add_func ("/assist/search", test_assist_search);

  ret = g_test_run ();
  g_clear_object (&model);

  return ret;
}
