/* sm-agent-grid.c: every agent as a tile with state and time in state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn natively, one tile per agent, with no child widget per agent: the
 * tile size adapts to the number of agents (a few large tiles with the name,
 * state and time; hundreds of small ones with a short name and minutes).
 * Each tile's render node is kept until its text, state or size changes, so
 * a second's redraw with 500 agents rebuilds only the tiles whose time
 * changed. For the small tiles of a large team, at a scale of 1, that node
 * is the tile's pixels (a cairo node): GTK, which draws every node of the
 * window each frame, then copies a few hundred small images rather than
 * drawing a thousand runs of text. At larger scales the tile stays text
 * and colour, which GTK 4.8 only keeps sharp that way.
 */

#define G_LOG_DOMAIN "sm-agent-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-agent-grid.h"

#define GAP 8.0

/* The three texts of a large tile; medium and small ones use fewer */
enum {
  TEXT_NAME,
  TEXT_STATE,
  TEXT_TIME,
  N_TEXTS
};

/* What a tile's node shows: compared without formatting anything */
typedef struct
{
  char          *id;
  char          *name;
  SmAgentState   state;
  gint64         shown;     /* the time shown, in its unit (s or min) */
  GskRenderNode *node;
} TileCache;

struct _SmAgentGrid
{
  GtkWidget    parent_instance;

  /* Owned references */
  PangoLayout *layouts[N_TEXTS];     /* re-used for every tile */

  /* State */
  GArray      *tiles;                /* SmAgentTile */
  GArray      *cache;                /* TileCache, one per tile */
  gint64       now_ms;
  int          cache_width;
  int          cache_height;
  int          cache_scale;
  guint        columns;
  double       tile_w;
  double       tile_h;
  double       text_px[N_TEXTS];     /* the layouts' font sizes */
};

G_DEFINE_FINAL_TYPE (SmAgentGrid, sm_agent_grid, GTK_TYPE_WIDGET)

const char *
sm_agent_state_get_short_label (SmAgentState state)
{
  switch (state)
    {
    case SM_AGENT_STATE_AVAILABLE:
      return C_("agent state, short", "Ready");
    case SM_AGENT_STATE_ON_CONTACT:
      return C_("agent state, short", "On call");
    case SM_AGENT_STATE_ACW:
      return C_("agent state, short", "ACW");
    case SM_AGENT_STATE_BREAK:
      return C_("agent state, short", "Break");
    case SM_AGENT_STATE_LUNCH:
      return C_("agent state, short", "Lunch");
    case SM_AGENT_STATE_MEETING:
      return C_("agent state, short", "Meeting");
    case SM_AGENT_STATE_TRAINING:
      return C_("agent state, short", "Training");
    case SM_AGENT_STATE_OFFLINE:
    case SM_AGENT_STATE_N_STATES:
    default:
      return C_("agent state, short", "Offline");
    }
}

/* A code of a few letters for small tiles; the legend spells it out */
const char *
sm_agent_state_get_code (SmAgentState state)
{
  switch (state)
    {
    case SM_AGENT_STATE_AVAILABLE:
      return C_("agent state code", "RDY");
    case SM_AGENT_STATE_ON_CONTACT:
      return C_("agent state code", "CALL");
    case SM_AGENT_STATE_ACW:
      return C_("agent state code", "ACW");
    case SM_AGENT_STATE_BREAK:
      return C_("agent state code", "BRK");
    case SM_AGENT_STATE_LUNCH:
      return C_("agent state code", "LUN");
    case SM_AGENT_STATE_MEETING:
      return C_("agent state code", "MTG");
    case SM_AGENT_STATE_TRAINING:
      return C_("agent state code", "TRN");
    case SM_AGENT_STATE_OFFLINE:
    case SM_AGENT_STATE_N_STATES:
    default:
      return C_("agent state code", "OFF");
    }
}

/* Colours for a dark wall; the state is always written too */
void
sm_agent_state_get_color (SmAgentState  state,
                          GdkRGBA      *color)
{
  static const char * const colors[] = {
    [SM_AGENT_STATE_AVAILABLE] = "#1f8a4c",
    [SM_AGENT_STATE_ON_CONTACT] = "#1c62c4",
    [SM_AGENT_STATE_ACW] = "#7a3b96",
    [SM_AGENT_STATE_BREAK] = "#b07800",
    [SM_AGENT_STATE_LUNCH] = "#b34700",
    [SM_AGENT_STATE_MEETING] = "#0b7a74",
    [SM_AGENT_STATE_TRAINING] = "#7d5a3a",
    [SM_AGENT_STATE_OFFLINE] = "#3d3846",
  };

  gdk_rgba_parse (color, colors[MIN (state, SM_AGENT_STATE_OFFLINE)]);
}

void
sm_agent_tile_clear (SmAgentTile *tile)
{
  g_clear_pointer (&tile->id, g_free);
  g_clear_pointer (&tile->name, g_free);
}

static void
tile_cache_clear (gpointer data)
{
  TileCache *c = data;

  g_clear_pointer (&c->id, g_free);
  g_clear_pointer (&c->name, g_free);
  g_clear_pointer (&c->node, gsk_render_node_unref);
}

static char *
format_time_in_state (gint64   ms,
                      gboolean seconds)
{
  gint64 s = MAX (ms, 0) / 1000;

  if (s >= 3600)
    /* TRANSLATORS: hours and minutes in a state, such as 1h05 */
    return g_strdup_printf (_("%dh%02d"), (int)(s / 3600), (int)(s % 3600 / 60));
  if (seconds)
    return g_strdup_printf ("%d:%02d", (int)(s / 60), (int)(s % 60));
  /* TRANSLATORS: minutes in a state, such as 12m */
  return g_strdup_printf (_("%dm"), (int)(s / 60));
}

/* Finds the number of columns that gives the largest tiles */
static void
compute_grid (guint   n,
              double  width,
              double  height,
              guint  *columns,
              double *tile_w,
              double *tile_h)
{
  double best = -1;

  *columns = 1;
  *tile_w = width;
  *tile_h = height;

  if (n == 0)
    return;

  for (guint c = 1; c <= n; c++)
    {
      guint r = (n + c - 1) / c;
      double w = (width - (c - 1) * GAP) / c;
      double h = (height - (r - 1) * GAP) / r;
      double score;

      if (w < 20 || h < 12)
        continue;

      h = MIN (h, MIN (w * 0.62, 170));
      w = MIN (w, 380);
      score = MIN (w * 0.62, h);
      if (score > best + 0.01)
        {
          best = score;
          *columns = c;
          *tile_w = w;
          *tile_h = h;
        }
    }
}

/* The layouts keep their font, width and ellipsizing from tile to tile:
 * only the text changes */
static void
setup_layouts (SmAgentGrid *self)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  double w = self->tile_w, h = self->tile_h;
  double pad = h >= 60 ? 10 : 4;
  int width = (int)((w - 2 * pad) * PANGO_SCALE);
  double *px = self->text_px;
  PangoWeight weight[N_TEXTS];

  if (h >= 100)
    {
      /* Large: name, state, time in state */
      double name_px = MIN (30, h * 0.22);

      px[TEXT_NAME] = name_px;
      weight[TEXT_NAME] = PANGO_WEIGHT_BOLD;
      px[TEXT_STATE] = name_px * 0.8;
      weight[TEXT_STATE] = PANGO_WEIGHT_NORMAL;
      px[TEXT_TIME] = MIN (48, h * 0.34);
      weight[TEXT_TIME] = PANGO_WEIGHT_HEAVY;
    }
  else if (h >= 40)
    {
      /* Medium: name on top; state and time below */
      px[TEXT_NAME] = px[TEXT_STATE] = px[TEXT_TIME] = MIN (22, h * 0.3);
      weight[TEXT_NAME] = PANGO_WEIGHT_BOLD;
      weight[TEXT_STATE] = weight[TEXT_TIME] = PANGO_WEIGHT_HEAVY;
    }
  else
    {
      /* Small: one line */
      px[TEXT_NAME] = px[TEXT_STATE] = px[TEXT_TIME] = MAX (9, MIN (14, h * 0.36));
      weight[TEXT_NAME] = weight[TEXT_STATE] = weight[TEXT_TIME] = PANGO_WEIGHT_BOLD;
    }

  pango_font_description_set_family (font, "Cantarell, Noto Sans, WenQuanYi Micro Hei, sans-serif");
  for (guint t = 0; t < N_TEXTS; t++)
    {
      g_clear_object (&self->layouts[t]);
      self->layouts[t] = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_font_description_set_weight (font, weight[t]);
      pango_font_description_set_absolute_size (font, px[t] * PANGO_SCALE);
      pango_layout_set_font_description (self->layouts[t], font);
      pango_layout_set_width (self->layouts[t], width);
      pango_layout_set_ellipsize (self->layouts[t], PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layouts[t], TRUE);
    }
}

static void
append_text (SmAgentGrid   *self,
             GtkSnapshot   *snapshot,
             guint          which,
             const char    *text,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  PangoLayout *layout = self->layouts[which];

  pango_layout_set_text (layout, text, -1);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static GskRenderNode *
build_tile (SmAgentGrid       *self,
            const SmAgentTile *tile,
            const char        *time_text,
            double             x,
            double             y)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double w = self->tile_w, h = self->tile_h;
  GdkRGBA bg, fg = { 1, 1, 1, 1 }, dim = { 1, 1, 1, 0.82 };
  GskRoundedRect rect;
  double pad = h >= 60 ? 10 : 4;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderNode *pixels;
  double x0 = floor (x), y0 = floor (y);
  GskRenderer *renderer;
  cairo_t *cr;

  sm_agent_state_get_color (tile->state, &bg);
  if (h >= 100)
    {
      /* Rounded corners cost a clip each: only for a few large tiles */
      gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x, y, w, h), 10);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (x, y, w, h));
      gtk_snapshot_pop (snapshot);
    }
  else
    {
      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (x, y, w, h));
    }

  if (h >= 100)
    {
      /* Large: name, state, time in state */
      double name_px = self->text_px[TEXT_NAME];
      double time_px = self->text_px[TEXT_TIME];

      append_text (self, snapshot, TEXT_NAME, tile->name, x + pad, y + pad, &fg);
      append_text (self, snapshot, TEXT_STATE, sm_agent_state_get_short_label (tile->state),
                   x + pad, y + pad + name_px * 1.3, &dim);
      append_text (self, snapshot, TEXT_TIME, time_text, x + pad, y + h - pad - time_px * 1.25, &fg);
    }
  else if (h >= 40)
    {
      /* Medium: name on top; state and time below */
      double px = self->text_px[TEXT_NAME];
      g_autofree char *line = g_strdup_printf ("%s %s", sm_agent_state_get_code (tile->state), time_text);

      append_text (self, snapshot, TEXT_NAME, tile->name, x + pad, y + pad * 0.6, &fg);
      append_text (self, snapshot, TEXT_TIME, line, x + pad, y + h - pad * 0.6 - px * 1.3, &fg);
    }
  else
    {
      /* Small: id and minutes; the legend names the colours */
      double px = self->text_px[TEXT_NAME];
      g_autofree char *line = g_strdup_printf ("%s %s %s", sm_agent_state_get_code (tile->state),
                                               tile->id, time_text);

      append_text (self, snapshot, TEXT_NAME, line, x + pad, y + (h - px * 1.25) / 2, &fg);
    }

  /* Large tiles show seconds and change every second: their pixels would
   * be used once */
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL || self->cache_scale != 1 || h >= 100)
    return g_steal_pointer (&node);

  /* At a scale of 1, the same nodes drawn once into the tile's pixels, in
   * whole pixels so that GTK copies them as they are; the tile keeps its
   * exact place and edges inside */
  pixels = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x0, y0, ceil (x + w) - x0, ceil (y + h) - y0));
  cr = gsk_cairo_node_get_draw_context (pixels);
  /* The edges as the window's renderer would draw them: GL puts them on
   * whole pixels, cairo smooths them */
  renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (self)));
  if (!GSK_IS_CAIRO_RENDERER (renderer))
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);

  return pixels;
}

static void
sm_agent_grid_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SmAgentGrid *self = SM_AGENT_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  double tile_w, tile_h;
  gboolean seconds;

  if (self->tiles->len == 0)
    return;

  compute_grid (self->tiles->len, width, height, &self->columns, &tile_w, &tile_h);
  /* Seconds only on large tiles: with hundreds of agents each tile is
   * redrawn once a minute, not every second */
  seconds = tile_h >= 100;

  if (width != self->cache_width || height != self->cache_height || scale != self->cache_scale ||
      tile_w != self->tile_w || tile_h != self->tile_h || self->layouts[0] == NULL)
    {
      g_array_set_size (self->cache, 0);
      self->cache_width = width;
      self->cache_height = height;
      self->cache_scale = scale;
      self->tile_w = tile_w;
      self->tile_h = tile_h;
      setup_layouts (self);
    }
  if (self->cache->len != self->tiles->len)
    g_array_set_size (self->cache, self->tiles->len);

  for (guint i = 0; i < self->tiles->len; i++)
    {
      const SmAgentTile *tile = &g_array_index (self->tiles, SmAgentTile, i);
      TileCache *cache = &g_array_index (self->cache, TileCache, i);
      gint64 in_state = MAX (self->now_ms - tile->since_ms, 0) / 1000;
      gint64 shown = seconds && in_state < 3600 ? in_state : in_state / 60;

      if (cache->node == NULL || cache->state != tile->state || cache->shown != shown ||
          g_strcmp0 (cache->id, tile->id) != 0 || g_strcmp0 (cache->name, tile->name) != 0)
        {
          g_autofree char *time_text = format_time_in_state (self->now_ms - tile->since_ms, seconds);
          guint col = i % self->columns, row = i / self->columns;

          g_clear_pointer (&cache->node, gsk_render_node_unref);
          g_free (cache->id);
          g_free (cache->name);
          cache->id = g_strdup (tile->id);
          cache->name = g_strdup (tile->name);
          cache->state = tile->state;
          cache->shown = shown;
          cache->node = build_tile (self, tile, time_text, col * (tile_w + GAP), row * (tile_h + GAP));
        }

      gtk_snapshot_append_node (snapshot, cache->node);
    }
}

static void
sm_agent_grid_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  gtk_widget_queue_draw (widget);
}

static void
sm_agent_grid_system_setting_changed (GtkWidget        *widget,
                                      GtkSystemSetting  setting)
{
  SmAgentGrid *self = SM_AGENT_GRID (widget);

  GTK_WIDGET_CLASS (sm_agent_grid_parent_class)->system_setting_changed (widget, setting);

  /* New fonts or resolution: build every tile again */
  for (guint t = 0; t < N_TEXTS; t++)
    g_clear_object (&self->layouts[t]);
  gtk_widget_queue_draw (widget);
}

static void
sm_agent_grid_finalize (GObject *object)
{
  SmAgentGrid *self = (SmAgentGrid *)object;

  g_clear_pointer (&self->tiles, g_array_unref);
  g_clear_pointer (&self->cache, g_array_unref);
  for (guint t = 0; t < N_TEXTS; t++)
    g_clear_object (&self->layouts[t]);

  G_OBJECT_CLASS (sm_agent_grid_parent_class)->finalize (object);
}

static void
sm_agent_grid_class_init (SmAgentGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sm_agent_grid_finalize;
  widget_class->snapshot = sm_agent_grid_snapshot;
  widget_class->size_allocate = sm_agent_grid_size_allocate;
  widget_class->system_setting_changed = sm_agent_grid_system_setting_changed;

  gtk_widget_class_set_css_name (widget_class, "agentgrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sm_agent_grid_init (SmAgentGrid *self)
{
  self->tiles = g_array_new (FALSE, TRUE, sizeof (SmAgentTile));
  g_array_set_clear_func (self->tiles, (GDestroyNotify)sm_agent_tile_clear);
  self->cache = g_array_new (FALSE, TRUE, sizeof (TileCache));
  g_array_set_clear_func (self->cache, tile_cache_clear);
  self->columns = 1;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
sm_agent_grid_new (void)
{
  return g_object_new (SM_TYPE_AGENT_GRID, NULL);
}

/**
 * sm_agent_grid_set_agents:
 * @tiles: (array length=n_tiles): copied
 */
void
sm_agent_grid_set_agents (SmAgentGrid       *self,
                          const SmAgentTile *tiles,
                          guint              n_tiles,
                          gint64             now_ms)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (SM_IS_AGENT_GRID (self));

  g_array_set_size (self->tiles, 0);
  for (guint i = 0; i < n_tiles; i++)
    {
      SmAgentTile copy = tiles[i];

      copy.id = g_strdup (tiles[i].id);
      copy.name = g_strdup (tiles[i].name != NULL ? tiles[i].name : tiles[i].id);
      g_array_append_val (self->tiles, copy);
    }
  self->now_ms = now_ms;

  summary = g_strdup_printf (ngettext ("%u agent", "%u agents", n_tiles), n_tiles);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sm_agent_grid_get_columns (SmAgentGrid *self)
{
  g_return_val_if_fail (SM_IS_AGENT_GRID (self), 0);
  return self->columns;
}
