/* sm-work-order-panel.c: the one-screen work order and the work-order lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form sits on the main window, filled from the call and the intent as
 * they change; the agent types notes and presses Ctrl+Enter. The widget
 * owns no rules: it reads and writes an SmWorkOrder (validation, pre-fill,
 * clocks are in core) and saves through SmWorkOrderStore. Every change is
 * a draft in the store within 300 ms, so a crash loses nothing.
 */

#define G_LOG_DOMAIN "sm-work-order-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sm-customer.h"
#include "sm-mask.h"
#include "sm-work-order-panel.h"
#include "sm-work-order-store.h"

#define LIST_LIMIT 100

enum {
  COLUMN_DISPLAY,
  COLUMN_CATEGORY,
  COLUMN_SUBCATEGORY,
  COLUMN_SEARCH,
  N_COLUMNS
};

struct _SmWorkOrderPanel
{
  GtkWidget         parent_instance;

  /* Template children */
  GtkLabel         *articles_label;
  GtkEntry         *callback_entry;
  GtkLabel         *callback_error;
  GtkEntry         *category_entry;
  GtkLabel         *category_error;
  GtkDropDown      *channel_dropdown;
  GtkLabel         *counts_label;
  GtkEntry         *customer_entry;
  GtkLabel         *customer_error;
  GtkLabel         *customer_name_label;
  GtkEntry         *department_entry;
  GtkLabel         *department_error;
  GtkEntry         *dispositions_entry;
  GtkLabel         *dispositions_error;
  GtkDropDown      *filter_dropdown;
  GtkLabel         *history_label;
  GtkLabel         *history_title;
  GtkLabel         *level_error;
  GtkDropDown      *level_dropdown;
  GtkStack         *list_stack;
  GtkLabel         *notes_error;
  GtkTextView      *notes_view;
  GtkPaned         *paned;
  GtkDropDown      *priority_dropdown;
  GtkListBox       *recent_list;
  GtkLabel         *save_reason_label;
  GtkSearchEntry   *search_entry;
  GtkLabel         *status_label;
  GtkLabel         *summary_error;
  GtkTextView      *summary_view;
  GtkBox           *transitions_box;

  /* Owned references */
  SmContext        *context;
  SmWorkOrderStore *store;
  SmCall           *call;
  SmWorkOrder      *wo;
  GtkListStore     *categories;
  char             *history_id;
  char             *customer_shown;

  /* State */
  guint             tick_id;
  gboolean          updating;
  gboolean          callback_invalid;
  gboolean          save_attempted;
  gboolean          chinese;
  guint             n_saved;
};

G_DEFINE_FINAL_TYPE (SmWorkOrderPanel, sm_work_order_panel, GTK_TYPE_WIDGET)

enum {
  SAVED,
  NOTES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const filter_labels[] = {
  N_("Mine"), N_("Open"), N_("Near due"), N_("Overdue"), N_("Complaints"),
};

static void changed (SmWorkOrderPanel *self);

/* Helpers */

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
text_view_set_text (GtkTextView *view,
                    const char  *text)
{
  g_autofree char *current = text_view_get_text (view);

  if (g_strcmp0 (current, text != NULL ? text : "") != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
entry_set_text (GtkEntry   *entry,
                const char *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static char *
category_display (SmWorkOrderPanel *self,
                  const char       *category,
                  const char       *subcategory)
{
  g_autoptr(SmWoCategory) row = NULL;

  if (category == NULL || *category == '\0')
    return g_strdup ("");

  if (self->chinese &&
      (row = sm_work_order_store_lookup_category (self->store, category, subcategory)) != NULL &&
      row->category_zh != NULL)
    return g_strdup_printf ("%s › %s", row->category_zh, row->subcategory_zh);

  return g_strdup_printf ("%s › %s", category, subcategory != NULL ? subcategory : "");
}

static char *
format_due (gint64 due,
            gint64 now)
{
  gint64 minutes = (due - now) / 60000;

  if (minutes >= 0)
    {
      if (minutes < 120)
        return g_strdup_printf (_("due in %d min"), (int)minutes);
      if (minutes < 48 * 60)
        return g_strdup_printf (_("due in %d h"), (int)(minutes / 60));
      return g_strdup_printf (_("due in %d days"), (int)(minutes / (24 * 60)));
    }

  minutes = -minutes;
  if (minutes < 120)
    return g_strdup_printf (_("overdue %d min"), (int)minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (_("overdue %d h"), (int)(minutes / 60));
  return g_strdup_printf (_("overdue %d days"), (int)(minutes / (24 * 60)));
}

/* Shows the problem under the field, and tells assistive technologies */
static void
set_error (GtkLabel   *label,
           GtkWidget  *field,
           const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    message, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update_articles (SmWorkOrderPanel *self)
{
  g_autofree char *text = NULL;

  if (self->wo->article_titles == NULL || self->wo->article_titles[0] == NULL)
    {
      gtk_label_set_text (self->articles_label, _("None linked"));
      return;
    }

  text = g_strjoinv ("\n", self->wo->article_titles);
  gtk_label_set_text (self->articles_label, text);
}

/* Who the customer id is, under the field */
static void
update_customer_name (SmWorkOrderPanel *self)
{
  g_autoptr(SmCustomer) customer = NULL;
  const char *id = self->wo->customer_id;

  /* Every keystroke syncs the form: look the customer up only when it changes */
  if (g_strcmp0 (id, self->customer_shown) == 0)
    return;
  g_free (self->customer_shown);
  self->customer_shown = g_strdup (id);

  if (id != NULL && *id != '\0')
    customer = sm_customer_load (sm_context_get_store (self->context), id, NULL);

  if (customer != NULL)
    {
      g_autofree char *text = NULL;

      if (sm_customer_get_segment (customer) != NULL)
        text = g_strdup_printf ("%s · %s", sm_customer_get_name (customer),
                                sm_customer_get_segment (customer));
      else
        text = g_strdup (sm_customer_get_name (customer));
      gtk_label_set_text (self->customer_name_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->customer_name_label), customer != NULL);
}

/* Writes the value into the widgets, without feeding it back */
static void
sync_widgets (SmWorkOrderPanel *self)
{
  g_autofree char *category = NULL;
  g_autofree char *dispositions = NULL;
  g_autofree char *callback = NULL;
  SmWorkOrder *wo = self->wo;

  self->updating = TRUE;

  entry_set_text (self->customer_entry, wo->customer_id);
  update_customer_name (self);
  gtk_drop_down_set_selected (self->channel_dropdown, wo->channel);

  /* Keep what the agent is typing in the category field */
  if (!(wo->touched & SM_WO_FIELD_CATEGORY) || !gtk_widget_has_focus (GTK_WIDGET (self->category_entry)))
    {
      category = category_display (self, wo->category, wo->subcategory);
      if (wo->category != NULL || !(wo->touched & SM_WO_FIELD_CATEGORY))
        entry_set_text (self->category_entry, category);
    }

  gtk_drop_down_set_selected (self->priority_dropdown, wo->priority);
  gtk_drop_down_set_selected (self->level_dropdown, wo->complaint_level);
  text_view_set_text (self->summary_view, wo->summary);
  text_view_set_text (self->notes_view, wo->description);

  dispositions = g_strjoinv (", ", wo->dispositions);
  entry_set_text (self->dispositions_entry, dispositions);
  entry_set_text (self->department_entry, wo->department);

  if (!self->callback_invalid)
    {
      if (wo->callback_ms != 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (wo->callback_ms / 1000);
          callback = g_date_time_format (dt, "%Y-%m-%d %H:%M");
        }
      entry_set_text (self->callback_entry, callback);
    }

  update_articles (self);

  self->updating = FALSE;
}

static void
update_validation (SmWorkOrderPanel *self)
{
  g_autoptr(GPtrArray) problems = sm_work_order_validate (self->wo, sm_now_ms ());
  const char *reason = NULL;

  if (self->callback_invalid)
    {
      SmWoProblem *problem = g_new0 (SmWoProblem, 1);

      problem->field = SM_WO_FIELD_CALLBACK;
      problem->message = g_strdup (_("Write the call-back time as YYYY-MM-DD HH:MM"));
      g_ptr_array_add (problems, problem);
    }

#define SHOW(label, widget, fields) \
  set_error (label, GTK_WIDGET (widget), \
             (self->save_attempted || (self->wo->touched & (fields))) \
               ? sm_wo_problems_find (problems, fields) : NULL)
  SHOW (self->customer_error, self->customer_entry, SM_WO_FIELD_CUSTOMER);
  SHOW (self->category_error, self->category_entry, SM_WO_FIELD_CATEGORY | SM_WO_FIELD_SUBCATEGORY);
  SHOW (self->level_error, self->level_dropdown, SM_WO_FIELD_COMPLAINT_LEVEL);
  SHOW (self->summary_error, self->summary_view, SM_WO_FIELD_SUMMARY);
  SHOW (self->notes_error, self->notes_view, SM_WO_FIELD_DESCRIPTION);
  SHOW (self->dispositions_error, self->dispositions_entry, SM_WO_FIELD_DISPOSITIONS);
  SHOW (self->department_error, self->department_entry, SM_WO_FIELD_DEPARTMENT);
  SHOW (self->callback_error, self->callback_entry, SM_WO_FIELD_CALLBACK);
#undef SHOW

  if (problems->len > 0)
    reason = ((SmWoProblem *)g_ptr_array_index (problems, 0))->message;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "work-order.save", problems->len == 0);
  if (reason != NULL)
    {
      /* Translators: why the Save button is disabled */
      g_autofree char *text = g_strdup_printf (_("Cannot save yet: %s"), reason);
      gtk_label_set_text (self->save_reason_label, text);
    }
  else
    {
      gtk_label_set_text (self->save_reason_label, _("Ready to save (Ctrl+Enter)"));
    }
}

static void
prefill (SmWorkOrderPanel *self)
{
  g_autoptr(SmWoCategory) category = NULL;
  SmWoPrefill in = { 0 };
  guint touched;

  /* Only the form of this call (or a blank one) fills from it */
  if (self->call != NULL &&
      (self->wo->call_id == NULL || g_str_equal (self->wo->call_id, sm_call_get_id (self->call))))
    {
      sm_work_order_store_prefill_from_call (self->store, self->wo, self->call, self->chinese,
                                             sm_now_ms ());
      return;
    }

  /* No call (a letter, a restored draft): the rules on the notes still
   * apply; what the call would fill, and the summary, stay as they are */
  category = sm_work_order_store_lookup_category (self->store, self->wo->category,
                                                  self->wo->subcategory);
  in.category = category;
  in.notes = self->wo->description;
  in.chinese = self->chinese;

  touched = self->wo->touched;
  self->wo->touched |= SM_WO_FIELD_SUMMARY | SM_WO_FIELD_CUSTOMER | SM_WO_FIELD_CHANNEL;
  sm_work_order_prefill (self->wo, &in);
  self->wo->touched = touched;
}

/* Every change of the form ends here */
static void
changed (SmWorkOrderPanel *self)
{
  prefill (self);
  sync_widgets (self);
  update_validation (self);

  /* A form nobody touched is the call's pre-fill: nothing to keep */
  if (self->wo->touched != 0)
    sm_work_order_store_schedule_draft (self->store, sm_context_get_agent_id (self->context),
                                        self->wo);
}

static void
new_work_order (SmWorkOrderPanel *self)
{
  g_clear_pointer (&self->wo, sm_work_order_free);
  self->wo = sm_work_order_new ();
  self->callback_invalid = FALSE;
  self->save_attempted = FALSE;
}

static void
append_history_line (GString    *out,
                     SmWoEvent  *event)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (event->at_ms / 1000);
  g_autofree char *when = g_date_time_format (dt, "%Y-%m-%d %H:%M");
  const char *what;

  if (g_strcmp0 (event->event, "created") == 0)
    what = _("Created");
  else if (g_strcmp0 (event->event, "saved") == 0)
    what = _("Edited");
  else if (g_strcmp0 (event->event, "imported") == 0)
    what = _("Imported");
  else if (g_strcmp0 (event->event, "reopened") == 0)
    what = _("Reopened");
  else
    what = sm_wo_status_get_label (event->to);

  g_string_append_printf (out, "%s  %s  %s\n", when, event->agent != NULL ? event->agent : "—", what);
}

static const char *
transition_label (SmWoStatus from,
                  SmWoStatus to)
{
  switch (to)
    {
    /* No mnemonics here: the letters belong to the form and the other panes */
    case SM_WO_STATUS_DISPATCHED:
      return _("Dispatch");
    case SM_WO_STATUS_IN_PROGRESS:
      return from == SM_WO_STATUS_RECEIVED || from == SM_WO_STATUS_DISPATCHED
               ? _("Start handling") : _("Reopen");
    case SM_WO_STATUS_RESOLVED:
      return _("Resolve");
    case SM_WO_STATUS_INFORMED:
      return _("Customer informed");
    case SM_WO_STATUS_CLOSED:
      return _("Close");
    case SM_WO_STATUS_RECEIVED:
    case SM_WO_N_STATUSES:
    default:
      return sm_wo_status_get_label (to);
    }
}

static void
show_history (SmWorkOrderPanel *self,
              const char       *id)
{
  g_autoptr(SmWorkOrder) wo = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *category = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;

  wo = sm_work_order_store_load (self->store, id, &error);
  if (wo == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }

  category = category_display (self, wo->category, wo->subcategory);
  title = g_strdup_printf ("%s · %s", wo->id, sm_wo_status_get_label (wo->status));
  gtk_label_set_text (self->history_title, title);

  g_string_append_printf (text, "%s\n%s · %s · %s\n\n%s\n\n%s\n\n", category,
                          sm_wo_channel_get_label (wo->channel),
                          sm_wo_priority_get_label (wo->priority),
                          sm_wo_level_get_label (wo->complaint_level),
                          wo->summary, wo->description);

  events = sm_work_order_store_history (self->store, id, &error);
  for (guint i = 0; events != NULL && i < events->len; i++)
    append_history_line (text, g_ptr_array_index (events, i));

  gtk_label_set_text (self->history_label, text->str);

  /* The steps of the lifecycle this work order can take now */
  g_free (self->history_id);
  self->history_id = g_strdup (id);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->transitions_box))) != NULL)
    gtk_box_remove (self->transitions_box, child);
  for (SmWoStatus to = 0; to < SM_WO_N_STATUSES; to++)
    {
      GtkWidget *button;

      if (!sm_wo_status_can_change (wo->status, to))
        continue;

      button = gtk_button_new_with_label (transition_label (wo->status, to));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "work-order.transition");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", sm_wo_status_to_string (to));
      gtk_box_append (self->transitions_box, button);
    }

  gtk_stack_set_visible_child_name (self->list_stack, "history");
}

static GtkWidget *
create_row (SmWorkOrderPanel *self,
            SmWoRow          *item,
            gint64            now)
{
  SmWorkOrder *wo = item->wo;
  g_autofree char *first_line = g_strdup (wo->summary != NULL ? wo->summary : "");
  g_autofree char *sub = NULL;
  g_autofree char *due_text = NULL;
  const SmWoPolicy *policy = sm_work_order_store_get_policy (self->store);
  SmWoClock clock = sm_work_order_get_clock (wo, policy, now);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title, *subtitle, *badge, *due;
  char *nl = strchr (first_line, '\n');

  if (nl != NULL)
    *nl = '\0';

  if (wo->complaint_level != SM_WO_LEVEL_NONE)
    sub = g_strdup_printf ("%s · %s · %s", wo->id,
                           item->customer_name ?: (wo->customer_id ?: "—"),
                           sm_wo_level_get_label (wo->complaint_level));
  else
    sub = g_strdup_printf ("%s · %s", wo->id,
                           item->customer_name ?: (wo->customer_id ?: "—"));
  if (clock != SM_WO_CLOCK_STOPPED)
    due_text = format_due (sm_work_order_get_next_due (wo, NULL), now);

  title = gtk_label_new (first_line);
  subtitle = gtk_label_new (sub);
  badge = gtk_label_new (sm_wo_status_get_label (wo->status));
  due = gtk_label_new (due_text != NULL ? due_text : "");

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_top (grid, 4);
  gtk_widget_set_margin_bottom (grid, 4);
  gtk_widget_set_margin_start (grid, 8);
  gtk_widget_set_margin_end (grid, 8);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (badge, "status-badge");
  gtk_widget_add_css_class (badge, sm_wo_status_to_string (wo->status));
  gtk_widget_add_css_class (due, "caption");
  gtk_widget_add_css_class (due, "numeric");
  if (clock == SM_WO_CLOCK_OVERDUE)
    {
      gtk_widget_add_css_class (due, "overdue");
      gtk_widget_add_css_class (due, "error");
    }
  else if (clock == SM_WO_CLOCK_NEAR_DUE)
    {
      gtk_widget_add_css_class (due, "near-due");
      gtk_widget_add_css_class (due, "warning");
    }
  if (wo->complaint_level != SM_WO_LEVEL_NONE)
    gtk_widget_add_css_class (row, "complaint");

  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), subtitle, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), badge, 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), due, 1, 1, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), grid);
  g_object_set_data_full (G_OBJECT (row), "work-order-id", g_strdup (wo->id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  first_line, -1);
  return row;
}

static void
reload_list (SmWorkOrderPanel *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint filter = gtk_drop_down_get_selected (self->filter_dropdown);
  gint64 now = sm_now_ms ();

  if (self->context == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  if (filter >= G_N_ELEMENTS (filter_labels))
    filter = SM_WO_LIST_MINE;

  rows = sm_work_order_store_list (self->store, filter, sm_context_get_agent_id (self->context),
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                   now, LIST_LIMIT, &error);
  if (rows == NULL)
    {
      g_warning ("Cannot list work orders: %s", error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_append (self->recent_list, create_row (self, g_ptr_array_index (rows, i), now));

  /* The clocks of the whole desk at a glance */
  {
    const char *agent = sm_context_get_agent_id (self->context);
    g_autofree char *counts = NULL;

    /* Translators: counts of work orders: open, near due, overdue, complaints */
    counts = g_strdup_printf (_("%d open · %d near due · %d overdue · %d complaints"),
                              (int)sm_work_order_store_count (self->store, SM_WO_LIST_OPEN, agent, now),
                              (int)sm_work_order_store_count (self->store, SM_WO_LIST_NEAR_DUE, agent, now),
                              (int)sm_work_order_store_count (self->store, SM_WO_LIST_OVERDUE, agent, now),
                              (int)sm_work_order_store_count (self->store, SM_WO_LIST_COMPLAINTS, agent, now));
    gtk_label_set_text (self->counts_label, counts);
  }

  if (rows->len == 0)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (_("No work orders here"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->recent_list, row);
    }
}

/* `::keyword` followed by a space or a new line becomes the canned text */
static gboolean
expand_canned (SmWorkOrderPanel *self,
               GtkTextBuffer    *buffer)
{
  GtkTextIter cursor, start, line_start;
  g_autofree char *before = NULL;
  g_autofree char *canned = NULL;
  const char *marker;
  gsize len;
  char last;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  line_start = cursor;
  gtk_text_iter_set_line_offset (&line_start, 0);
  if (gtk_text_iter_equal (&line_start, &cursor) && !gtk_text_iter_starts_line (&cursor))
    return FALSE;
  if (gtk_text_iter_get_line_offset (&cursor) == 0)
    {
      /* A new line was just typed: look at the line before */
      if (!gtk_text_iter_backward_line (&line_start))
        return FALSE;
    }

  before = gtk_text_buffer_get_text (buffer, &line_start, &cursor, FALSE);
  len = strlen (before);
  if (len < 4)
    return FALSE;
  last = before[len - 1];
  if (last != ' ' && last != '\n')
    return FALSE;
  before[len - 1] = '\0';

  marker = g_strrstr (before, "::");
  if (marker == NULL || strchr (marker + 2, ' ') != NULL || marker[2] == '\0')
    return FALSE;

  canned = sm_work_order_store_lookup_canned (self->store, marker + 2, self->chinese);
  if (canned == NULL)
    return FALSE;

  start = cursor;
  gtk_text_iter_backward_chars (&start, g_utf8_strlen (marker, -1) + 1);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &cursor);
  gtk_text_buffer_insert (buffer, &start, canned, -1);
  gtk_text_buffer_insert (buffer, &start, last == '\n' ? "\n" : " ", -1);
  gtk_text_buffer_end_user_action (buffer);

  return TRUE;
}

/* Callbacks */

static void
text_changed_cb (SmWorkOrderPanel *self,
                 GtkTextBuffer    *buffer)
{
  g_autofree char *text = NULL;
  gboolean notes;

  if (self->updating || self->context == NULL)
    return;

  self->updating = TRUE;
  expand_canned (self, buffer);
  self->updating = FALSE;

  notes = buffer == gtk_text_view_get_buffer (self->notes_view);
  text = text_view_get_text (notes ? self->notes_view : self->summary_view);
  sm_work_order_set_string (self->wo, notes ? SM_WO_FIELD_DESCRIPTION : SM_WO_FIELD_SUMMARY,
                            text, TRUE);
  changed (self);

  /* Others get the notes masked: no pane needs a card number */
  if (notes)
    {
      g_autofree char *masked = sm_mask_text (text, NULL);
      g_signal_emit (self, signals[NOTES_CHANGED], 0, masked);
    }
}

static void
entry_changed_cb (SmWorkOrderPanel *self,
                  GtkEditable      *editable)
{
  const char *text = gtk_editable_get_text (editable);

  if (self->updating || self->context == NULL)
    return;

  if (editable == GTK_EDITABLE (self->customer_entry))
    {
      sm_work_order_set_string (self->wo, SM_WO_FIELD_CUSTOMER, *text ? text : NULL, TRUE);
    }
  else if (editable == GTK_EDITABLE (self->department_entry))
    {
      sm_work_order_set_string (self->wo, SM_WO_FIELD_DEPARTMENT, *text ? text : NULL, TRUE);
    }
  else if (editable == GTK_EDITABLE (self->dispositions_entry))
    {
      g_auto(GStrv) parts = g_strsplit_set (text, ",，;", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            g_strv_builder_add (builder, parts[i]);
        }
      g_strfreev (self->wo->dispositions);
      self->wo->dispositions = g_strv_builder_end (builder);
      self->wo->touched |= SM_WO_FIELD_DISPOSITIONS;
    }
  else if (editable == GTK_EDITABLE (self->callback_entry))
    {
      g_autoptr(GDateTime) dt = NULL;
      int y, mo, d, h, mi;

      self->callback_invalid = FALSE;
      self->wo->callback_ms = 0;
      if (*text != '\0')
        {
          if (sscanf (text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) == 5)
            dt = g_date_time_new_local (y, mo, d, h, mi, 0);
          if (dt != NULL)
            self->wo->callback_ms = g_date_time_to_unix (dt) * 1000;
          else
            self->callback_invalid = TRUE;
        }
      self->wo->touched |= SM_WO_FIELD_CALLBACK;
    }
  else if (editable == GTK_EDITABLE (self->category_entry))
    {
      g_auto(GStrv) parts = g_strsplit (text, "›", 2);
      g_autoptr(SmWoCategory) row = NULL;

      if (parts[0] != NULL && parts[1] != NULL)
        row = sm_work_order_store_lookup_category (self->store, g_strstrip (parts[0]),
                                                   g_strstrip (parts[1]));

      sm_work_order_set_string (self->wo, SM_WO_FIELD_CATEGORY, row ? row->category : NULL, TRUE);
      sm_work_order_set_string (self->wo, SM_WO_FIELD_SUBCATEGORY, row ? row->subcategory : NULL, TRUE);
    }

  changed (self);
}

static void
dropdown_selected_cb (SmWorkOrderPanel *self,
                      GParamSpec       *pspec,
                      GtkDropDown      *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || self->context == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (dropdown == self->channel_dropdown)
    {
      self->wo->channel = selected;
      self->wo->touched |= SM_WO_FIELD_CHANNEL;
    }
  else if (dropdown == self->priority_dropdown)
    {
      self->wo->priority = selected;
      self->wo->touched |= SM_WO_FIELD_PRIORITY;
    }
  else if (dropdown == self->level_dropdown)
    {
      self->wo->complaint_level = selected;
      self->wo->touched |= SM_WO_FIELD_COMPLAINT_LEVEL;
    }

  changed (self);
}

static gboolean
category_match_cb (GtkEntryCompletion *completion,
                   const char         *key,
                   GtkTreeIter        *iter,
                   gpointer            user_data)
{
  GtkTreeModel *model = gtk_entry_completion_get_model (completion);
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;

  gtk_tree_model_get (model, iter, COLUMN_SEARCH, &haystack, -1);
  needle = g_utf8_casefold (key, -1);

  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static gboolean
category_selected_cb (GtkEntryCompletion *completion,
                      GtkTreeModel       *model,
                      GtkTreeIter        *iter,
                      SmWorkOrderPanel   *self)
{
  g_autofree char *category = NULL;
  g_autofree char *subcategory = NULL;
  g_autofree char *display = NULL;

  gtk_tree_model_get (model, iter, COLUMN_CATEGORY, &category, COLUMN_SUBCATEGORY, &subcategory,
                      COLUMN_DISPLAY, &display, -1);

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->category_entry), display);
  gtk_editable_set_position (GTK_EDITABLE (self->category_entry), -1);
  self->updating = FALSE;

  sm_work_order_set_string (self->wo, SM_WO_FIELD_CATEGORY, category, TRUE);
  sm_work_order_set_string (self->wo, SM_WO_FIELD_SUBCATEGORY, subcategory, TRUE);
  changed (self);

  return TRUE;
}

static void
filter_changed_cb (SmWorkOrderPanel *self)
{
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  reload_list (self);
}

static void
recent_list_row_activated_cb (SmWorkOrderPanel *self,
                              GtkListBoxRow    *row,
                              GtkListBox       *list)
{
  const char *id = g_object_get_data (G_OBJECT (row), "work-order-id");

  if (id != NULL)
    show_history (self, id);
}

static void
call_changed_cb (SmWorkOrderPanel *self)
{
  if (self->call == NULL)
    return;

  changed (self);
}

static void
current_call_changed_cb (SmWorkOrderPanel *self,
                         GParamSpec       *pspec,
                         SmCallList       *calls)
{
  SmCall *call = sm_call_list_get_current (calls);

  if (call == self->call)
    return;

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_set_object (&self->call, call);

  if (call == NULL)
    return;

  g_signal_connect_object (call, "notify::intent", G_CALLBACK (call_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::state", G_CALLBACK (call_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::customer-id", G_CALLBACK (call_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* A new call starts a new work order, unless the form is this call's
   * draft. Work the agent did on the previous call's form is never
   * dropped: saved if it is valid, kept on screen if it is not. */
  if (g_strcmp0 (self->wo->call_id, sm_call_get_id (call)) != 0)
    {
      if (self->wo->call_id != NULL && self->wo->touched != 0)
        {
          g_autoptr(GPtrArray) problems = sm_work_order_validate (self->wo, sm_now_ms ());
          g_autoptr(GError) error = NULL;
          g_autofree char *message = NULL;
          const char *agent = sm_context_get_agent_id (self->context);

          if (problems->len > 0 || self->callback_invalid ||
              !sm_work_order_store_save (self->store, self->wo, agent, sm_now_ms (), &error))
            {
              /* Translators: %s is the id of a call */
              message = g_strdup_printf (_("The work order of call %s is not finished: save it "
                                           "(Ctrl+Enter) or start a new one"),
                                         self->wo->call_id);
              gtk_label_set_text (self->status_label, message);
              changed (self);
              return;
            }

          sm_work_order_store_discard_draft (self->store, agent, NULL);
          /* Translators: %s is a work order number */
          message = g_strdup_printf (_("Saved %s when the next call came"), self->wo->id);
          gtk_label_set_text (self->status_label, message);
          g_signal_emit (self, signals[SAVED], 0, self->wo->id);
          reload_list (self);
        }
      else
        {
          gtk_label_set_text (self->status_label, "");
        }
      new_work_order (self);
    }

  changed (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  SmWorkOrderPanel *self = user_data;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "list") == 0)
    reload_list (self);
  update_validation (self);

  return G_SOURCE_CONTINUE;
}

/* Actions */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *agent;

  if (self->context == NULL || self->callback_invalid)
    return;

  agent = sm_context_get_agent_id (self->context);
  if (!sm_work_order_store_save (self->store, self->wo, agent, sm_now_ms (), &error))
    {
      /* Inline, never a dialog */
      message = g_strdup_printf (_("Not saved: %s"), error->message);
      gtk_label_set_text (self->save_reason_label, message);
      return;
    }

  if (!sm_work_order_store_discard_draft (self->store, agent, &error))
    g_warning ("The draft was not discarded: %s", error->message);

  self->n_saved++;
  /* Translators: %s is a work order number */
  message = g_strdup_printf (_("Saved %s"), self->wo->id);
  gtk_label_set_text (self->status_label, message);
  g_signal_emit (self, signals[SAVED], 0, self->wo->id);

  /* The next work order starts empty (a second one for the same call
   * keeps the call link) */
  {
    g_autofree char *call_id = self->call != NULL ? g_strdup (sm_call_get_id (self->call))
                                                  : g_strdup (self->wo->call_id);

    new_work_order (self);
    self->wo->call_id = g_steal_pointer (&call_id);
  }
  prefill (self);
  sync_widgets (self);
  update_validation (self);
  reload_list (self);
}

static GtkWidget *
field_widget (SmWorkOrderPanel *self,
              SmWoField         field)
{
  switch (field)
    {
    case SM_WO_FIELD_CUSTOMER:        return GTK_WIDGET (self->customer_entry);
    case SM_WO_FIELD_CHANNEL:         return GTK_WIDGET (self->channel_dropdown);
    case SM_WO_FIELD_CATEGORY:
    case SM_WO_FIELD_SUBCATEGORY:     return GTK_WIDGET (self->category_entry);
    case SM_WO_FIELD_PRIORITY:        return GTK_WIDGET (self->priority_dropdown);
    case SM_WO_FIELD_COMPLAINT_LEVEL: return GTK_WIDGET (self->level_dropdown);
    case SM_WO_FIELD_SUMMARY:         return GTK_WIDGET (self->summary_view);
    case SM_WO_FIELD_DESCRIPTION:     return GTK_WIDGET (self->notes_view);
    case SM_WO_FIELD_DISPOSITIONS:    return GTK_WIDGET (self->dispositions_entry);
    case SM_WO_FIELD_DEPARTMENT:      return GTK_WIDGET (self->department_entry);
    case SM_WO_FIELD_CALLBACK:        return GTK_WIDGET (self->callback_entry);
    case SM_WO_FIELD_NONE:
    case SM_WO_FIELD_ARTICLES:
    case SM_WO_FIELD_STATUS:
    default:                          return GTK_WIDGET (self->notes_view);
    }
}

/* Ctrl+Enter: saves, or shows every problem and goes to the first one */
static void
try_save_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);
  g_autoptr(GPtrArray) problems = NULL;

  if (self->context == NULL)
    return;

  problems = sm_work_order_validate (self->wo, sm_now_ms ());
  if (problems->len == 0 && !self->callback_invalid)
    {
      gtk_widget_activate_action (widget, "work-order.save", NULL);
      return;
    }

  self->save_attempted = TRUE;
  update_validation (self);
  gtk_widget_grab_focus (field_widget (self, problems->len > 0
                                               ? ((SmWoProblem *)g_ptr_array_index (problems, 0))->field
                                               : SM_WO_FIELD_CALLBACK));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);

  if (self->context == NULL)
    return;

  new_work_order (self);
  if (self->call != NULL)
    self->wo->call_id = g_strdup (sm_call_get_id (self->call));
  changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->customer_entry));
}

static void
focus_notes_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->notes_view));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
transition_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (self->history_id);
  SmWoStatus to;

  if (self->context == NULL || id == NULL ||
      !sm_wo_status_from_string (g_variant_get_string (param, NULL), &to))
    return;

  if (!sm_work_order_store_transition (self->store, id, to, sm_context_get_agent_id (self->context),
                                       sm_now_ms (), &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }

  show_history (self, id);
  reload_list (self);
  gtk_widget_child_focus (GTK_WIDGET (self->transitions_box), GTK_DIR_TAB_FORWARD);
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SmWorkOrderPanel *self = SM_WORK_ORDER_PANEL (widget);

  gtk_stack_set_visible_child_name (self->list_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->recent_list));
}

/* GObject */

static void
sm_work_order_panel_dispose (GObject *object)
{
  SmWorkOrderPanel *self = (SmWorkOrderPanel *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->store != NULL)
    sm_work_order_store_flush_draft (self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_WORK_ORDER_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  g_clear_object (&self->store);
  g_clear_object (&self->categories);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sm_work_order_panel_parent_class)->dispose (object);
}

static void
sm_work_order_panel_finalize (GObject *object)
{
  SmWorkOrderPanel *self = (SmWorkOrderPanel *)object;

  g_clear_pointer (&self->wo, sm_work_order_free);
  g_clear_pointer (&self->history_id, g_free);
  g_clear_pointer (&self->customer_shown, g_free);

  G_OBJECT_CLASS (sm_work_order_panel_parent_class)->finalize (object);
}

static void
sm_work_order_panel_class_init (SmWorkOrderPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_work_order_panel_dispose;
  object_class->finalize = sm_work_order_panel_finalize;

  /**
   * SmWorkOrderPanel::saved:
   * @id: the number of the saved work order
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SmWorkOrderPanel::notes-changed:
   * @text: the notes as they are now, masked (for the intent model)
   */
  signals[NOTES_CHANGED] =
    g_signal_new ("notes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/sm-work-order-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "workorderpanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, articles_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, callback_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, callback_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, category_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, category_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, counts_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, customer_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, customer_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, customer_name_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, department_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, department_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, dispositions_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, dispositions_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, history_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, history_title);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, level_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, notes_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, notes_view);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, paned);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, priority_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, save_reason_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, summary_error);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, summary_view);
  gtk_widget_class_bind_template_child (widget_class, SmWorkOrderPanel, transitions_box);
  gtk_widget_class_bind_template_callback (widget_class, recent_list_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "work-order.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "work-order.try-save", NULL, try_save_action);
  gtk_widget_class_install_action (widget_class, "work-order.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "work-order.focus-notes", NULL, focus_notes_action);
  gtk_widget_class_install_action (widget_class, "work-order.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "work-order.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "work-order.transition", "s", transition_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "work-order.focus-notes", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "work-order.focus-search", NULL);
}

static void
setup_dropdown (GtkDropDown         *dropdown,
                guint                n,
                const char        *(*label) (guint))
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static const char *
filter_label (guint i)
{
  return _(filter_labels[i]);
}

static void
sm_work_order_panel_init (SmWorkOrderPanel *self)
{
  GtkEventController *shortcuts;
  GtkShortcut *shortcut;
  const char * const *languages = g_get_language_names ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->wo = sm_work_order_new ();
  self->chinese = languages[0] != NULL && g_str_has_prefix (languages[0], "zh");

  setup_dropdown (self->channel_dropdown, SM_WO_N_CHANNELS,
                  (const char *(*) (guint))sm_wo_channel_get_label);
  setup_dropdown (self->priority_dropdown, SM_WO_N_PRIORITIES,
                  (const char *(*) (guint))sm_wo_priority_get_label);
  setup_dropdown (self->level_dropdown, SM_WO_N_LEVELS,
                  (const char *(*) (guint))sm_wo_level_get_label);
  setup_dropdown (self->filter_dropdown, G_N_ELEMENTS (filter_labels), filter_label);

  /* Ctrl+Enter saves from anywhere in the pane, even from inside the
   * notes, which would otherwise take the Enter: capture phase */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_alternative_trigger_new (
                                 gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                 gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                               gtk_named_action_new ("work-order.try-save"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "work-order.save", FALSE);
}

/* Public API */

static void
load_categories (SmWorkOrderPanel *self)
{
  g_autoptr(GPtrArray) categories = sm_work_order_store_list_categories (self->store);
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();

  self->categories = gtk_list_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                         G_TYPE_STRING);
  for (guint i = 0; i < categories->len; i++)
    {
      SmWoCategory *c = g_ptr_array_index (categories, i);
      g_autofree char *display = NULL;
      g_autofree char *search = NULL;
      g_autofree char *all = NULL;
      GtkTreeIter iter;

      if (self->chinese && c->category_zh != NULL)
        display = g_strdup_printf ("%s › %s", c->category_zh, c->subcategory_zh);
      else
        display = g_strdup_printf ("%s › %s", c->category, c->subcategory);
      all = g_strdup_printf ("%s %s %s %s %s", c->category, c->subcategory,
                             c->category_zh ?: "", c->subcategory_zh ?: "", c->intent);
      search = g_utf8_casefold (all, -1);

      gtk_list_store_insert_with_values (self->categories, &iter, -1,
                                         COLUMN_DISPLAY, display,
                                         COLUMN_CATEGORY, c->category,
                                         COLUMN_SUBCATEGORY, c->subcategory,
                                         COLUMN_SEARCH, search,
                                         -1);
    }

  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (self->categories));
  gtk_entry_completion_set_text_column (completion, COLUMN_DISPLAY);
  gtk_entry_completion_set_match_func (completion, category_match_cb, NULL, NULL);
  gtk_entry_completion_set_minimum_key_length (completion, 1);
  gtk_entry_completion_set_popup_completion (completion, TRUE);
  g_signal_connect_object (completion, "match-selected", G_CALLBACK (category_selected_cb), self, 0);
  gtk_entry_set_completion (self->category_entry, completion);
}

void
sm_work_order_panel_set_context (SmWorkOrderPanel *self,
                                 SmContext        *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmWorkOrder) draft = NULL;
  GSettings *settings;
  SmCallList *calls;
  GtkEditable *entries[5];
  GtkDropDown *dropdowns[3];

  g_return_if_fail (SM_IS_WORK_ORDER_PANEL (self));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  self->store = sm_work_order_store_new (sm_context_get_store (context));

  settings = sm_context_get_settings (context);
  if (settings != NULL)
    {
      SmWoPolicy policy;

      sm_wo_policy_init (&policy);
      policy.regulatory_days = g_settings_get_uint (settings, "wo-regulatory-days");
      sm_work_order_store_set_policy (self->store, &policy);
      g_settings_bind (settings, "pane-work-order-position", self->paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
    }

  if (!sm_work_order_store_load_reference (self->store, &error))
    g_warning ("The work-order categories were not loaded: %s", error->message);
  load_categories (self);

  /* A draft left by a crash comes back, with its call link */
  draft = sm_work_order_store_load_draft (self->store, sm_context_get_agent_id (context), NULL);
  if (draft != NULL && draft->touched != 0)
    {
      g_autofree char *message = NULL;

      g_clear_pointer (&self->wo, sm_work_order_free);
      self->wo = g_steal_pointer (&draft);
      if (self->wo->call_id != NULL)
        /* Translators: %s is the id of a call */
        message = g_strdup_printf (_("Draft restored (call %s)"), self->wo->call_id);
      else
        message = g_strdup (_("Draft restored"));
      gtk_label_set_text (self->status_label, message);
    }

  entries[0] = GTK_EDITABLE (self->customer_entry);
  entries[1] = GTK_EDITABLE (self->category_entry);
  entries[2] = GTK_EDITABLE (self->dispositions_entry);
  entries[3] = GTK_EDITABLE (self->department_entry);
  entries[4] = GTK_EDITABLE (self->callback_entry);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect_object (entries[i], "changed", G_CALLBACK (entry_changed_cb), self,
                             G_CONNECT_SWAPPED);

  dropdowns[0] = self->channel_dropdown;
  dropdowns[1] = self->priority_dropdown;
  dropdowns[2] = self->level_dropdown;
  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    g_signal_connect_object (dropdowns[i], "notify::selected", G_CALLBACK (dropdown_selected_cb),
                             self, G_CONNECT_SWAPPED);

  g_signal_connect_object (gtk_text_view_get_buffer (self->summary_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);

  sync_widgets (self);
  update_validation (self);
  reload_list (self);

  calls = sm_context_get_calls (context);
  g_signal_connect_object (calls, "notify::current", G_CALLBACK (current_call_changed_cb), self,
                           G_CONNECT_SWAPPED);
  current_call_changed_cb (self, NULL, calls);

  self->tick_id = g_timeout_add_seconds (30, tick_cb, self);
}

/**
 * sm_work_order_panel_insert_notes:
 * @text: approved wording, or any text, to add to the notes
 *
 * Adds @text to the notes as a paragraph of its own (the assist pane's
 * "use-wording").
 */
void
sm_work_order_panel_insert_notes (SmWorkOrderPanel *self,
                                  const char       *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (SM_IS_WORK_ORDER_PANEL (self));

  if (text == NULL || *text == '\0')
    return;

  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  if (gtk_text_buffer_get_char_count (buffer) > 0 && gtk_text_iter_backward_char (&end) &&
      gtk_text_iter_get_char (&end) != '\n')
    {
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, "\n", -1);
    }
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

/**
 * sm_work_order_panel_link_article:
 * @id: the article id
 * @title: (nullable): its title
 *
 * Links a knowledge article to the work order (the assist pane's
 * "article-used"). Linking the same article twice does nothing.
 */
void
sm_work_order_panel_link_article (SmWorkOrderPanel *self,
                                  const char       *id,
                                  const char       *title)
{
  g_autoptr(GStrvBuilder) ids = NULL;
  g_autoptr(GStrvBuilder) titles = NULL;

  g_return_if_fail (SM_IS_WORK_ORDER_PANEL (self));
  g_return_if_fail (id != NULL);

  if (g_strv_contains ((const char * const *)self->wo->article_ids, id))
    return;

  ids = g_strv_builder_new ();
  titles = g_strv_builder_new ();
  g_strv_builder_addv (ids, (const char **)self->wo->article_ids);
  g_strv_builder_addv (titles, (const char **)self->wo->article_titles);
  g_strv_builder_add (ids, id);
  g_strv_builder_add (titles, title != NULL ? title : id);
  g_strfreev (self->wo->article_ids);
  g_strfreev (self->wo->article_titles);
  self->wo->article_ids = g_strv_builder_end (ids);
  self->wo->article_titles = g_strv_builder_end (titles);
  self->wo->touched |= SM_WO_FIELD_ARTICLES;

  if (self->context != NULL)
    changed (self);
  else
    update_articles (self);
}

/**
 * sm_work_order_panel_get_work_order:
 *
 * Returns: (transfer none): the form's current value
 */
const SmWorkOrder *
sm_work_order_panel_get_work_order (SmWorkOrderPanel *self)
{
  g_return_val_if_fail (SM_IS_WORK_ORDER_PANEL (self), NULL);
  return self->wo;
}

/**
 * sm_work_order_panel_focus_notes:
 *
 * Puts the keyboard in the notes.
 */
void
sm_work_order_panel_focus_notes (SmWorkOrderPanel *self)
{
  g_return_if_fail (SM_IS_WORK_ORDER_PANEL (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->notes_view));
}
