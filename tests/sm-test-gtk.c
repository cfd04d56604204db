/* sm-test-gtk.c: widget helpers shared by the GUI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sm-test-gtk.h"

static void
collect (GtkWidget *widget,
         GType      type,
         gboolean   mapped_only,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (!mapped_only || gtk_widget_get_mapped (widget)))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, mapped_only, found);
}

/**
 * sm_test_collect:
 * @found: (element-type GtkWidget): where to append them
 *
 * Appends @widget and each widget below it that is a @type, depth first.
 */
void
sm_test_collect (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  collect (widget, type, FALSE, found);
}

/**
 * sm_test_find_all:
 *
 * Returns: (transfer container) (element-type GtkWidget): @root and the
 *   widgets below it that are a @type, depth first
 */
GPtrArray *
sm_test_find_all (GtkWidget *root,
                  GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, FALSE, found);
  return found;
}

/**
 * sm_test_find_all_mapped:
 *
 * Returns: (transfer container) (element-type GtkWidget): as
 *   sm_test_find_all(), only those on screen
 */
GPtrArray *
sm_test_find_all_mapped (GtkWidget *root,
                         GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, TRUE, found);
  return found;
}
