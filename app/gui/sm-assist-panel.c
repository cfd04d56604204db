/* sm-assist-panel.c: knowledge that follows the call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pane listens to the current call's transcript (and to the work order
 * notes, when the window passes them in), re-ranks the customer's intents
 * about 150 ms after the text last changed, and pulls the articles and
 * approved wording for the top intents to the top. The agent confirms or
 * corrects the intent with one key (corrections become training data) and
 * copies the wording into the work order with another. Ctrl+K searches the
 * local knowledge base as they type.
 */

#define G_LOG_DOMAIN "sm-assist-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-assist-panel.h"
#include "sm-customer.h"
#include "sm-knowledge-base.h"
#include "sm-labels.h"
#include "sm-markdown.h"
#include "sm-paths.h"

#define N_TOP_INTENTS    3
#define N_SUGGESTIONS    5
#define N_RESULTS        20
#define DEBOUNCE_MS      150
#define DEFAULT_THRESHOLD 0.35

struct _SmAssistPanel
{
  GtkWidget          parent_instance;

  /* Template children */
  GtkLabel          *article_title_label;
  GtkBox            *article_box;
  GtkScrolledWindow *article_scroller;
  GtkButton         *back_button;
  GtkButton         *confirm_button;
  GtkDropDown       *correct_dropdown;
  GtkListBox        *intent_list;
  GtkLabel          *intent_status_label;
  GtkLabel          *results_label;
  GtkListBox        *results_list;
  GtkSearchEntry    *search_entry;
  GtkStack          *stack;
  GtkListBox        *suggestion_list;
  GtkLabel          *suggestions_label;
  GtkBox            *wording_card;
  GtkLabel          *wording_label;
  GtkLabel          *wording_title_label;

  /* Owned references */
  SmContext         *context;
  SmKnowledgeBase   *kb;
  SmIntentModel     *model;
  GSignalGroup      *call_signals;
  GCancellable      *cancellable;

  /* State */
  guint              update_id;
  char              *notes_text;
  char              *intents[N_TOP_INTENTS];
  double             confidences[N_TOP_INTENTS];
  guint              n_intents;
  gboolean           sure;
  gboolean           locked;
  char              *stored_intent;
  char              *top_article_id;
  char              *top_wording;
  char              *article_id;
  char              *article_wording;
  char              *article_return_page;
  gboolean           updating_dropdown;
  GPtrArray         *correct_ids;   /* the dropdown's intents after its first row */
  gboolean           model_missing;
};

G_DEFINE_FINAL_TYPE (SmAssistPanel, sm_assist_panel, GTK_TYPE_WIDGET)

enum {
  USE_WORDING,
  ARTICLE_USED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_now (SmAssistPanel *self);

/* Helpers */

static double
intent_threshold (SmAssistPanel *self)
{
  GSettings *settings = self->context ? sm_context_get_settings (self->context) : NULL;

  return settings != NULL ? g_settings_get_double (settings, "intent-threshold") : DEFAULT_THRESHOLD;
}

static SmCall *
current_call (SmAssistPanel *self)
{
  return self->call_signals ? g_signal_group_dup_target (self->call_signals) : NULL;
}

static char *
current_text (SmAssistPanel *self)
{
  g_autoptr(SmCall) call = current_call (self);
  GString *text = g_string_new (NULL);

  if (call != NULL && sm_call_get_customer_text (call) != NULL)
    g_string_append (text, sm_call_get_customer_text (call));
  if (self->notes_text != NULL && *self->notes_text != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, self->notes_text);
    }

  g_strstrip (text->str);
  text->len = strlen (text->str);

  return g_string_free (text, FALSE);
}

static const char *
text_language (SmAssistPanel *self,
               const char    *text)
{
  g_autoptr(SmCall) call = current_call (self);

  /* The script of what was said decides; before anything is said, the
   * customer's recorded language */
  if (text != NULL && *text != '\0')
    return sm_kb_language_for_text (text);

  if (call != NULL && sm_call_get_customer_id (call) != NULL && self->context != NULL)
    {
      g_autoptr(SmCustomer) customer = sm_customer_load (sm_context_get_store (self->context),
                                                         sm_call_get_customer_id (call), NULL);
      if (customer != NULL && g_strcmp0 (sm_customer_get_language (customer), "zh") == 0)
        return "zh";
    }

  return "en";
}

static void
clear_intents (SmAssistPanel *self)
{
  for (guint i = 0; i < N_TOP_INTENTS; i++)
    g_clear_pointer (&self->intents[i], g_free);
  self->n_intents = 0;
  self->sure = FALSE;
}

static void
remove_all_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
remove_all_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
make_label (const char *text,
            gboolean    markup,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (markup)
    gtk_label_set_markup (GTK_LABEL (label), text);
  else
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
make_article_row (const char *id,
                  const char *title,
                  const char *language,
                  const char *detail_markup)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title_label = make_label (title, FALSE, "article-title");
  GtkWidget *lang_label = gtk_label_new (language);

  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (lang_label, "language-badge");
  gtk_widget_set_valign (lang_label, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (header), title_label);
  gtk_box_append (GTK_BOX (header), lang_label);
  gtk_box_append (GTK_BOX (box), header);

  if (detail_markup != NULL && *detail_markup != '\0')
    {
      GtkWidget *detail = make_label (detail_markup, TRUE, "dim-label");

      gtk_label_set_lines (GTK_LABEL (detail), 2);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), detail);
    }

  gtk_widget_add_css_class (box, "article-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "article-id", g_strdup (id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}

static void
emit_wording (SmAssistPanel *self,
              const char    *article_id,
              const char    *wording)
{
  g_autoptr(SmCall) call = current_call (self);

  if (wording == NULL || *wording == '\0')
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  g_signal_emit (self, signals[USE_WORDING], 0, wording);
  if (article_id != NULL)
    {
      g_signal_emit (self, signals[ARTICLE_USED], 0, article_id);
      if (call != NULL)
        sm_call_add_article (call, article_id);
    }
}

static void
store_intent_label (SmAssistPanel *self,
                    const char    *intent)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = current_text (self);
  SmStore *store;

  /* Each call teaches the model once per intent */
  if (self->context == NULL || *text == '\0' || g_strcmp0 (self->stored_intent, intent) == 0)
    return;

  store = sm_context_get_store (self->context);
  stmt = sm_store_prepare (store,
                           "INSERT INTO intent_corrections (text, intent, agent, created_ms) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, intent, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, sm_context_get_agent_id (self->context), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, sm_now_ms ());
      if (sqlite3_step (stmt) != SQLITE_DONE)
        sm_store_set_error (store, sqlite3_errcode (sm_store_get_db (store)), &error);
    }
  if (error != NULL)
    g_warning ("The intent was not stored: %s", error->message);
  else
    {
      g_free (self->stored_intent);
      self->stored_intent = g_strdup (intent);
    }
}

/* Choosing an intent by hand: the top one confirmed, or another one */
static void
choose_intent (SmAssistPanel *self,
               const char    *intent)
{
  g_autoptr(SmCall) call = current_call (self);
  g_autofree char *chosen = g_strdup (intent);
  guint n = 1;

  store_intent_label (self, chosen);

  /* The chosen intent goes first, the others keep their order */
  for (guint i = 0; i < self->n_intents && n < N_TOP_INTENTS; i++)
    if (g_strcmp0 (self->intents[i], chosen) != 0)
      {
        char *other = g_strdup (self->intents[i]);
        double confidence = self->confidences[i];
        g_free (self->intents[n]);
        self->intents[n] = other;
        self->confidences[n] = confidence;
        n++;
      }
  for (guint i = n; i < N_TOP_INTENTS; i++)
    g_clear_pointer (&self->intents[i], g_free);

  g_free (self->intents[0]);
  self->intents[0] = g_steal_pointer (&chosen);
  self->confidences[0] = 1.0;
  self->n_intents = n;
  self->sure = TRUE;
  self->locked = TRUE;

  if (call != NULL)
    sm_call_set_intent (call, self->intents[0], 1.0);

  update_now (self);
}

/* Rendering */

static void
render_intents (SmAssistPanel *self)
{
  remove_all_rows (self->intent_list);

  for (guint i = 0; i < self->n_intents; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *name = sm_intent_title (self->intents[i]);
      g_autofree char *percent = g_strdup_printf ("%d %%", (int)(self->confidences[i] * 100 + 0.5));
      g_autofree char *accessible = g_strdup_printf ("%s, %s", name, percent);
      GtkWidget *name_label = make_label (name, FALSE, i == 0 ? "intent-top" : NULL);
      GtkWidget *percent_label = gtk_label_new (percent);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);

      gtk_widget_set_hexpand (name_label, TRUE);
      gtk_widget_set_tooltip_text (name_label, self->intents[i]);
      gtk_widget_add_css_class (percent_label, "numeric");
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (self->confidences[i], 0.0, 1.0));
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      if (!self->sure)
        gtk_widget_add_css_class (bar, "unsure");
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

      gtk_box_append (GTK_BOX (header), name_label);
      gtk_box_append (GTK_BOX (header), percent_label);
      gtk_box_append (GTK_BOX (box), header);
      gtk_box_append (GTK_BOX (box), bar);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data_full (G_OBJECT (row), "intent", g_strdup (self->intents[i]), g_free);
      gtk_list_box_append (self->intent_list, row);
    }

  if (self->model_missing)
    gtk_label_set_text (self->intent_status_label, _("No intent model installed"));
  else if (self->locked)
    gtk_label_set_text (self->intent_status_label, _("Confirmed"));
  else if (self->n_intents == 0)
    gtk_label_set_text (self->intent_status_label, _("Listening…"));
  else if (!self->sure)
    gtk_label_set_text (self->intent_status_label, _("Not sure yet"));
  else
    gtk_label_set_text (self->intent_status_label, "");

  if (!self->sure && self->n_intents > 0 && !self->locked)
    gtk_widget_add_css_class (GTK_WIDGET (self->intent_status_label), "unsure");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->intent_status_label), "unsure");
  gtk_widget_set_visible (GTK_WIDGET (self->intent_list), self->n_intents > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assist.confirm-intent", self->n_intents > 0);
}

static void
render_suggestions (SmAssistPanel *self,
                    const char    *language,
                    const char    *text)
{
  g_autoptr(GPtrArray) hits = NULL;
  const char *intents[N_TOP_INTENTS];

  remove_all_rows (self->suggestion_list);
  g_clear_pointer (&self->top_article_id, g_free);
  g_clear_pointer (&self->top_wording, g_free);

  for (guint i = 0; i < self->n_intents; i++)
    intents[i] = self->intents[i];

  if (self->kb != NULL && self->n_intents > 0)
    hits = sm_knowledge_base_suggest (self->kb, intents, self->confidences, self->n_intents,
                                      language, text, N_SUGGESTIONS);

  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      SmKbHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *preview = g_strdelimit (g_strdup (hit->snippet ? hit->snippet : ""), "\n", ' ');
      g_autofree char *escaped = g_markup_escape_text (preview, -1);

      gtk_list_box_append (self->suggestion_list,
                           make_article_row (hit->id, hit->title, hit->language, escaped));
    }

  /* The approved wording of the best article, only when the intent is sure */
  if (self->sure && hits != NULL && hits->len > 0)
    {
      SmKbHit *top = g_ptr_array_index (hits, 0);

      self->top_article_id = g_strdup (top->id);
      self->top_wording = g_strdup (top->snippet);
      gtk_label_set_text (self->wording_title_label, top->title);
      gtk_label_set_text (self->wording_label, top->snippet ? top->snippet : "");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->wording_card), self->top_wording != NULL);
  gtk_label_set_text (self->suggestions_label,
                      self->sure ? _("Suggested articles") : _("Might help"));
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_label), hits != NULL && hits->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_list), hits != NULL && hits->len > 0);
}

static void
update_now (SmAssistPanel *self)
{
  g_autoptr(SmCall) call = current_call (self);
  g_autofree char *text = current_text (self);
  const char *language = text_language (self, text);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  g_clear_handle_id (&self->update_id, g_source_remove);

  if (!self->locked)
    {
      clear_intents (self);

      if (self->model != NULL && *text != '\0')
        {
          SmIntentScore scores[N_TOP_INTENTS];

          self->n_intents = sm_intent_model_predict (self->model, text, scores, N_TOP_INTENTS);
          for (guint i = 0; i < self->n_intents; i++)
            {
              self->intents[i] = g_strdup (scores[i].intent);
              self->confidences[i] = scores[i].confidence;
            }
          self->sure = self->n_intents > 0 && self->confidences[0] >= intent_threshold (self);

          if (self->sure && call != NULL)
            sm_call_set_intent (call, self->intents[0], self->confidences[0]);
        }
    }

  render_intents (self);
  render_suggestions (self, language, text);

  /* Follow the call, but never take the agent away from a search or an article */
  if (g_strcmp0 (page, "empty") == 0 || g_strcmp0 (page, "assist") == 0)
    gtk_stack_set_visible_child_name (self->stack,
                                      (*text != '\0' || self->n_intents > 0) ? "assist" : "empty");
}

static gboolean
update_timeout_cb (gpointer user_data)
{
  SmAssistPanel *self = user_data;

  self->update_id = 0;
  update_now (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_update (SmAssistPanel *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  self->update_id = g_timeout_add (DEBOUNCE_MS, update_timeout_cb, self);
}

typedef struct
{
  const char *id;
  char       *title;
} IntentChoice;

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (((const IntentChoice *)a)->title, ((const IntentChoice *)b)->title);
}

static void
fill_correct_dropdown (SmAssistPanel *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (IntentChoice));
  const char * const *all;

  if (self->model == NULL)
    return;

  /* The intents by their names in the UI's language, in its order */
  all = sm_intent_model_get_labels (self->model);
  for (guint i = 0; all != NULL && all[i] != NULL; i++)
    {
      IntentChoice choice = { all[i], sm_intent_title (all[i]) };
      g_array_append_val (choices, choice);
    }
  g_array_sort (choices, compare_choices);

  g_ptr_array_set_size (self->correct_ids, 0);
  gtk_string_list_append (labels, _("Correct the intent…"));
  for (guint i = 0; i < choices->len; i++)
    {
      IntentChoice *choice = &g_array_index (choices, IntentChoice, i);

      gtk_string_list_append (labels, choice->title);
      g_ptr_array_add (self->correct_ids, g_strdup (choice->id));
      g_free (choice->title);
    }

  self->updating_dropdown = TRUE;
  gtk_drop_down_set_model (self->correct_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->correct_dropdown, 0);
  self->updating_dropdown = FALSE;
}

/* Article view */

static void
add_wording_card (SmAssistPanel *self,
                  const char    *wording)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *heading = make_label (_("Say this"), FALSE, "heading");
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Copy to _notes"));
  GtkWidget *text = make_label (wording, FALSE, "wording");

  gtk_widget_set_hexpand (heading, TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "assist.use-wording");
  gtk_widget_set_tooltip_text (button, _("Copy the approved wording into the work order notes (Ctrl+U)"));
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_add_css_class (card, "wording-card");
  gtk_box_append (GTK_BOX (header), heading);
  gtk_box_append (GTK_BOX (header), button);
  gtk_box_append (GTK_BOX (card), header);
  gtk_box_append (GTK_BOX (card), text);
  gtk_box_append (self->article_box, card);
}

static void
render_article (SmAssistPanel *self,
                SmKbArticle   *article)
{
  g_autoptr(GPtrArray) blocks = sm_markdown_render (article->body);
  gboolean skipped_title = FALSE;

  remove_all_children (self->article_box);
  gtk_label_set_text (self->article_title_label, article->title);

  if (article->wording != NULL)
    add_wording_card (self, article->wording);

  for (guint i = 0; i < blocks->len; i++)
    {
      SmMdBlock *block = g_ptr_array_index (blocks, i);
      GtkWidget *widget;

      switch (block->kind)
        {
        case SM_MD_BLOCK_HEADING:
          /* The title is already in the header */
          if (block->level == 1 && !skipped_title)
            {
              skipped_title = TRUE;
              continue;
            }
          widget = make_label (block->markup, TRUE, block->level <= 2 ? "title-4" : "heading");
          gtk_widget_set_margin_top (widget, 6);
          break;

        case SM_MD_BLOCK_LIST_ITEM:
          {
            g_autofree char *markup = g_strdup_printf ("%s\u2002%s", block->marker, block->markup);
            widget = make_label (markup, TRUE, NULL);
            gtk_widget_set_margin_start (widget, 12 * block->level);
          }
          break;

        case SM_MD_BLOCK_CODE:
          widget = make_label (block->markup, TRUE, "monospace");
          break;

        case SM_MD_BLOCK_QUOTE:
          widget = make_label (block->markup, TRUE, "article-quote");
          break;

        case SM_MD_BLOCK_RULE:
          widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
          break;

        case SM_MD_BLOCK_PARAGRAPH:
        default:
          widget = make_label (block->markup, TRUE, NULL);
          gtk_widget_set_margin_start (widget, 12 * block->level);
          break;
        }

      gtk_box_append (self->article_box, widget);
    }
}

static void
show_article (SmAssistPanel *self,
              const char    *id)
{
  g_autoptr(SmKbArticle) article = NULL;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (self->kb == NULL || (article = sm_knowledge_base_get_article (self->kb, id)) == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (g_strcmp0 (page, "article") != 0)
    {
      g_free (self->article_return_page);
      self->article_return_page = g_strdup (page);
    }

  g_free (self->article_id);
  self->article_id = g_strdup (article->id);
  g_free (self->article_wording);
  self->article_wording = g_strdup (article->wording);

  render_article (self, article);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->article_scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "article");
  gtk_widget_grab_focus (GTK_WIDGET (self->back_button));
}

/* Search */

static void
run_search (SmAssistPanel *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (query));
  SmKbSearchOptions options;

  remove_all_rows (self->results_list);

  if (*stripped == '\0')
    {
      gtk_stack_set_visible_child_name (self->stack,
                                        self->n_intents > 0 || self->locked ? "assist" : "empty");
      update_now (self);
      return;
    }

  sm_kb_search_options_init (&options);
  options.limit = N_RESULTS;
  options.prefix = TRUE;
  options.boost_intent = self->sure && self->n_intents > 0 ? self->intents[0] : NULL;

  if (self->kb != NULL)
    hits = sm_knowledge_base_search (self->kb, stripped, &options, &error);
  if (error != NULL)
    g_warning ("Knowledge search failed: %s", error->message);

  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      SmKbHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *snippet = sm_kb_snippet_to_markup (hit->snippet);

      gtk_list_box_append (self->results_list,
                           make_article_row (hit->id, hit->title, hit->language, snippet));
    }

  if (hits == NULL || hits->len == 0)
    {
      g_autofree char *message = g_strdup_printf (_("No article matches “%s”"), stripped);
      gtk_label_set_text (self->results_label, message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u article", "%u articles",
                                                               hits->len),
                                                  hits->len);
      gtk_label_set_text (self->results_label, message);
    }

  gtk_stack_set_visible_child_name (self->stack, "results");
}

/* Callbacks */

static void
search_entry_changed_cb (SmAssistPanel  *self,
                         GtkSearchEntry *entry)
{
  run_search (self);
}

static void
search_entry_activate_cb (SmAssistPanel  *self,
                          GtkSearchEntry *entry)
{
  GtkListBoxRow *row;

  /* Enter opens the first result */
  run_search (self);
  row = gtk_list_box_get_row_at_index (self->results_list, 0);
  if (row != NULL)
    show_article (self, g_object_get_data (G_OBJECT (row), "article-id"));
}

static void
search_entry_stop_cb (SmAssistPanel  *self,
                      GtkSearchEntry *entry)
{
  /* Esc clears the search and returns to the suggestions */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  run_search (self);
}

static gboolean
search_entry_key_pressed_cb (SmAssistPanel         *self,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             GtkEventControllerKey *controller)
{
  GtkListBox *list;
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;

  /* Down moves from the search into the results (or the suggestions) */
  list = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0
           ? self->results_list : self->suggestion_list;
  row = gtk_list_box_get_row_at_index (list, 0);
  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (list, row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     SmAssistPanel         *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (list));

  /* Up from the first row goes back to the search */
  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) && first != NULL &&
      focus != NULL && (focus == GTK_WIDGET (first) || gtk_widget_is_ancestor (focus, GTK_WIDGET (first))))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return TRUE;
    }

  return FALSE;
}

static void
article_row_activated_cb (SmAssistPanel *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  show_article (self, g_object_get_data (G_OBJECT (row), "article-id"));
}

static void
intent_row_activated_cb (SmAssistPanel *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  choose_intent (self, g_object_get_data (G_OBJECT (row), "intent"));
}

static void
correct_dropdown_selected_cb (SmAssistPanel *self,
                              GParamSpec    *pspec,
                              GtkDropDown   *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_dropdown || selected == 0 || selected > self->correct_ids->len)
    return;

  choose_intent (self, g_ptr_array_index (self->correct_ids, selected - 1));

  self->updating_dropdown = TRUE;
  gtk_drop_down_set_selected (dropdown, 0);
  self->updating_dropdown = FALSE;
}

static void
call_transcript_added_cb (SmAssistPanel *self,
                          const char    *speaker,
                          const char    *text,
                          SmCall        *call)
{
  schedule_update (self);
}

static void
current_call_changed_cb (SmAssistPanel *self,
                         GParamSpec    *pspec,
                         SmCallList    *calls)
{
  SmCall *call = sm_call_list_get_current (calls);
  g_autoptr(SmCall) old = g_signal_group_dup_target (self->call_signals);

  if (call == old)
    return;

  g_signal_group_set_target (self->call_signals, call);
  self->locked = FALSE;
  g_clear_pointer (&self->stored_intent, g_free);
  clear_intents (self);
  update_now (self);
}

static void
model_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SmIntentModel) model = NULL;
  g_autoptr(GError) error = NULL;
  SmAssistPanel *self;

  model = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = SM_ASSIST_PANEL (object);
  if (model == NULL)
    {
      /* Not an error: the pane says so and search still works */
      g_debug ("No intent model: %s", error ? error->message : "not installed");
      self->model_missing = self->model == NULL;
      update_now (self);
      return;
    }

  if (self->model == NULL)
    sm_assist_panel_set_model (self, model);
}

static void
load_model_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *path = sm_paths_find_data ("intent/seatmate-intent.model");
  SmIntentModel *model;
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "%s", _("The intent model is not installed"));
      return;
    }

  model = sm_intent_model_new_from_file (path, &error);
  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, g_object_unref);
}

/* Actions */

static void
confirm_intent_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SmAssistPanel *self = SM_ASSIST_PANEL (widget);

  if (self->n_intents == 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  choose_intent (self, self->intents[0]);
}

static void
correct_intent_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SmAssistPanel *self = SM_ASSIST_PANEL (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "assist") != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_stack_set_visible_child_name (self->stack, "assist");
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->correct_dropdown));
  gtk_widget_activate (GTK_WIDGET (self->correct_dropdown));
}

static void
use_wording_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SmAssistPanel *self = SM_ASSIST_PANEL (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "article") == 0)
    emit_wording (self, self->article_id, self->article_wording);
  else
    emit_wording (self, self->top_article_id, self->top_wording);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SmAssistPanel *self = SM_ASSIST_PANEL (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "article") == 0)
    {
      const char *back = self->article_return_page ? self->article_return_page : "assist";
      GtkListBox *list = g_str_equal (back, "results") ? self->results_list : self->suggestion_list;
      GtkListBoxRow *row;

      gtk_stack_set_visible_child_name (self->stack, back);
      row = gtk_list_box_get_selected_row (list);
      if (row == NULL)
        row = gtk_list_box_get_row_at_index (list, 0);
      if (row != NULL && !g_str_equal (back, "empty"))
        gtk_widget_grab_focus (GTK_WIDGET (row));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GObject */

static void
sm_assist_panel_dispose (GObject *object)
{
  SmAssistPanel *self = (SmAssistPanel *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->call_signals != NULL)
    g_signal_group_set_target (self->call_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_ASSIST_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->call_signals);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->kb);
  g_clear_object (&self->model);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_assist_panel_parent_class)->dispose (object);
}

static void
sm_assist_panel_finalize (GObject *object)
{
  SmAssistPanel *self = (SmAssistPanel *)object;

  clear_intents (self);
  g_clear_pointer (&self->notes_text, g_free);
  g_clear_pointer (&self->stored_intent, g_free);
  g_clear_pointer (&self->top_article_id, g_free);
  g_clear_pointer (&self->top_wording, g_free);
  g_clear_pointer (&self->article_id, g_free);
  g_clear_pointer (&self->article_wording, g_free);
  g_clear_pointer (&self->article_return_page, g_free);
  g_clear_pointer (&self->correct_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_assist_panel_parent_class)->finalize (object);
}

static void
sm_assist_panel_class_init (SmAssistPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_assist_panel_dispose;
  object_class->finalize = sm_assist_panel_finalize;

  /**
   * SmAssistPanel::use-wording:
   * @text: approved wording to add to the work order's notes
   */
  signals[USE_WORDING] =
    g_signal_new ("use-wording", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SmAssistPanel::article-used:
   * @id: the article whose wording was used
   */
  signals[ARTICLE_USED] =
    g_signal_new ("article-used", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-assist-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "assistpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, article_box);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, article_scroller);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, article_title_label);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, back_button);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, correct_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, intent_list);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, intent_status_label);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, results_label);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, results_list);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, suggestion_list);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, suggestions_label);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, wording_card);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, wording_label);
  gtk_widget_class_bind_template_child (widget_class, SmAssistPanel, wording_title_label);
  gtk_widget_class_bind_template_callback (widget_class, article_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, intent_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_stop_cb);

  gtk_widget_class_install_action (widget_class, "assist.confirm-intent", NULL, confirm_intent_action);
  gtk_widget_class_install_action (widget_class, "assist.correct-intent", NULL, correct_intent_action);
  gtk_widget_class_install_action (widget_class, "assist.use-wording", NULL, use_wording_action);
  gtk_widget_class_install_action (widget_class, "assist.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assist.back", NULL);
}

static void
add_global_shortcut (GtkShortcutController *controller,
                     guint                  key,
                     GdkModifierType        modifiers,
                     const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                                          gtk_named_action_new (action)));
}

static void
sm_assist_panel_init (SmAssistPanel *self)
{
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->correct_ids = g_ptr_array_new_with_free_func (g_free);

  self->cancellable = g_cancellable_new ();
  self->call_signals = g_signal_group_new (SM_TYPE_CALL);
  g_signal_group_connect_object (self->call_signals, "transcript-added",
                                 G_CALLBACK (call_transcript_added_cb), self, G_CONNECT_SWAPPED);

  /* Down from the search goes into the results; Up from the first result back */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (search_entry_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (list_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->results_list), controller);
  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (list_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->suggestion_list), controller);

  /* The intent and wording keys work from anywhere in the window */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_GLOBAL);
  add_global_shortcut (shortcuts, GDK_KEY_j, GDK_CONTROL_MASK, "assist.confirm-intent");
  add_global_shortcut (shortcuts, GDK_KEY_j, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "assist.correct-intent");
  add_global_shortcut (shortcuts, GDK_KEY_J, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "assist.correct-intent");
  add_global_shortcut (shortcuts, GDK_KEY_u, GDK_CONTROL_MASK, "assist.use-wording");
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));

  gtk_drop_down_set_expression (self->correct_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  g_signal_connect_object (self->correct_dropdown, "notify::selected",
                           G_CALLBACK (correct_dropdown_selected_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assist.confirm-intent", FALSE);
  render_intents (self);
}

/* Public API */

/**
 * sm_assist_panel_set_context:
 *
 * Starts following the context's current call. The shipped intent model is
 * loaded in a thread unless one was set with sm_assist_panel_set_model().
 */
void
sm_assist_panel_set_context (SmAssistPanel *self,
                             SmContext     *context)
{
  SmCallList *calls;

  g_return_if_fail (SM_IS_ASSIST_PANEL (self));
  g_return_if_fail (SM_IS_CONTEXT (context));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  self->kb = sm_knowledge_base_new (sm_context_get_store (context));

  calls = sm_context_get_calls (context);
  g_signal_connect_object (calls, "notify::current",
                           G_CALLBACK (current_call_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->call_signals, sm_call_list_get_current (calls));

  if (self->model == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, model_loaded_cb, NULL);

      g_task_set_source_tag (task, sm_assist_panel_set_context);
      g_task_run_in_thread (task, load_model_thread);
    }

  update_now (self);
}

/**
 * sm_assist_panel_set_model:
 * @model: (nullable): the intent model
 */
void
sm_assist_panel_set_model (SmAssistPanel *self,
                           SmIntentModel *model)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));

  if (!g_set_object (&self->model, model))
    return;

  self->model_missing = FALSE;
  fill_correct_dropdown (self);
  update_now (self);
}

/**
 * sm_assist_panel_get_model:
 *
 * Returns: (transfer none) (nullable): the intent model, once loaded
 */
SmIntentModel *
sm_assist_panel_get_model (SmAssistPanel *self)
{
  g_return_val_if_fail (SM_IS_ASSIST_PANEL (self), NULL);
  return self->model;
}

/**
 * sm_assist_panel_set_notes_text:
 * @text: (nullable): what the agent typed in the work order notes
 *
 * The notes count as evidence for the intent too, like the transcript.
 */
void
sm_assist_panel_set_notes_text (SmAssistPanel *self,
                                const char    *text)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));

  if (g_strcmp0 (self->notes_text, text) == 0)
    return;

  g_free (self->notes_text);
  self->notes_text = g_strdup (text);
  schedule_update (self);
}

/**
 * sm_assist_panel_refresh:
 *
 * Re-ranks the intents now instead of after the debounce delay.
 */
void
sm_assist_panel_refresh (SmAssistPanel *self)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));
  update_now (self);
}

/**
 * sm_assist_panel_focus_search:
 *
 * Moves the keyboard focus to the knowledge search, selecting what was typed.
 */
void
sm_assist_panel_focus_search (SmAssistPanel *self)
{
  g_return_if_fail (SM_IS_ASSIST_PANEL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * sm_assist_panel_get_top_intent:
 *
 * Returns: (nullable): the intent shown first, if the pane is sure of it
 */
const char *
sm_assist_panel_get_top_intent (SmAssistPanel *self)
{
  g_return_val_if_fail (SM_IS_ASSIST_PANEL (self), NULL);
  return self->sure && self->n_intents > 0 ? self->intents[0] : NULL;
}

/**
 * sm_assist_panel_get_top_article:
 *
 * Returns: (nullable): the article whose wording is shown on top
 */
const char *
sm_assist_panel_get_top_article (SmAssistPanel *self)
{
  g_return_val_if_fail (SM_IS_ASSIST_PANEL (self), NULL);
  return self->top_article_id;
}

/**
 * sm_assist_panel_get_shown_article:
 *
 * Returns: (nullable): the article open in the article view
 */
const char *
sm_assist_panel_get_shown_article (SmAssistPanel *self)
{
  g_return_val_if_fail (SM_IS_ASSIST_PANEL (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "article") != 0)
    return NULL;
  return self->article_id;
}
