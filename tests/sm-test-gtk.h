/* sm-test-gtk.h: widget helpers shared by the GUI test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-test-util.h"

G_BEGIN_DECLS

void       sm_test_collect         (GtkWidget *widget,
                                    GType      type,
                                    GPtrArray *found);
GPtrArray *sm_test_find_all        (GtkWidget *root,
                                    GType      type);
GPtrArray *sm_test_find_all_mapped (GtkWidget *root,
                                    GType      type);

G_END_DECLS
