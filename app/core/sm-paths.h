/* sm-paths.h: where Seatmate finds its data and its database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sm_paths_find_data       (const char *relative_path);
char *sm_paths_default_db      (void);
char *sm_paths_demo_db         (void);
const char *sm_paths_localedir (void);

G_END_DECLS
