/* sm-application.h: the Seatmate application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sm-context.h"

G_BEGIN_DECLS

#define SM_TYPE_APPLICATION (sm_application_get_type ())

G_DECLARE_FINAL_TYPE (SmApplication, sm_application, SM, APPLICATION, GtkApplication)

SmApplication *sm_application_new                (int             argc,
                                                  char          **argv);
SmContext     *sm_application_get_context        (SmApplication  *self);
GtkWindow     *sm_application_get_dashboard      (SmApplication  *self);
void           sm_application_toggle_dashboard   (SmApplication  *self);

G_END_DECLS
