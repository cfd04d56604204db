/* sm-chart-util.c: drawing shared by the cairo-drawn chart widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bar chart, the sparkline and the timeline are plain GtkWidgets that
 * draw with cairo in their snapshot and show as one image to assistive
 * technologies; these are the pieces they have in common.
 */

#include "config.h"

#include "sm-chart-util.h"

/**
 * sm_chart_class_init:
 * @css_name: the widget's CSS node name
 *
 * Names the CSS node and makes the widget one image for accessibility
 * (each chart describes itself with GTK_ACCESSIBLE_PROPERTY_DESCRIPTION).
 */
void
sm_chart_class_init (GtkWidgetClass *widget_class,
                     const char     *css_name)
{
  gtk_widget_class_set_css_name (widget_class, css_name);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

/**
 * sm_chart_measure:
 *
 * A GtkWidgetClass.measure for a fixed minimum and natural size in each
 * orientation.
 */
void
sm_chart_measure (GtkOrientation  orientation,
                  int             min_width,
                  int             nat_width,
                  int             min_height,
                  int             nat_height,
                  int            *minimum,
                  int            *natural)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? min_width : min_height;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? nat_width : nat_height;
}

/**
 * sm_chart_begin:
 *
 * Returns: (transfer full): a cairo context covering the whole widget;
 *   cairo_destroy() it when done
 */
cairo_t *
sm_chart_begin (GtkWidget   *widget,
                GtkSnapshot *snapshot)
{
  double w = gtk_widget_get_width (widget);
  double h = gtk_widget_get_height (widget);

  return gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/**
 * sm_chart_set_source:
 * @alpha: the opacity to use instead of @color's
 */
void
sm_chart_set_source (cairo_t       *cr,
                     const GdkRGBA *color,
                     double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
}

/**
 * sm_chart_show_text:
 * @x: where the text goes, see @xalign
 * @y: the top of the text
 * @xalign: 0 to start the text at @x, 0.5 to centre it on @x
 * @max_width: text wider than this is not shown at all
 * @size: the font size in pixels
 * @weight: the font weight, or %SM_CHART_WEIGHT_INHERIT
 *
 * Shows @text in the widget's font with the current source.
 */
void
sm_chart_show_text (cairo_t     *cr,
                    GtkWidget   *widget,
                    const char  *text,
                    double       x,
                    double       y,
                    double       xalign,
                    double       max_width,
                    double       size,
                    PangoWeight  weight)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  int tw, th;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (weight != SM_CHART_WEIGHT_INHERIT)
    pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_layout_get_pixel_size (layout, &tw, &th);
  if (tw > max_width)
    return;
  cairo_move_to (cr, x - xalign * tw, y);
  pango_cairo_show_layout (cr, layout);
}
