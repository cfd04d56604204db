/* sm-demo.h: the bundled demo data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sm-store.h"

G_BEGIN_DECLS

/* The demo day was recorded up to this moment; seeding moves it to now. */
#define SM_DEMO_RECORDED_NOW "2026-01-05T14:00:00Z"

gboolean sm_demo_is_seeded (SmStore  *store);
gboolean sm_demo_seed      (SmStore  *store,
                            gint64    now_ms,
                            GError  **error);

SmStore *sm_demo_open      (const char  *path,
                            gint64       now_ms,
                            GError     **error);

G_END_DECLS
