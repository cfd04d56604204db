/* sm-cti-replay.h: calls replayed from a JSON Lines file of call events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sm-cti-source.h"

G_BEGIN_DECLS

#define SM_TYPE_CTI_REPLAY (sm_cti_replay_get_type ())

G_DECLARE_FINAL_TYPE (SmCtiReplay, sm_cti_replay, SM, CTI_REPLAY, GObject)

SmCtiReplay *sm_cti_replay_new_from_file (const char   *path,
                                          GError      **error);
SmCtiReplay *sm_cti_replay_new_from_data (const char   *data,
                                          const char   *name,
                                          GError      **error);
guint        sm_cti_replay_get_n_events  (SmCtiReplay  *self);
void         sm_cti_replay_set_speed     (SmCtiReplay  *self,
                                          double        speed);
void         sm_cti_replay_set_loop      (SmCtiReplay  *self,
                                          gboolean      loop,
                                          guint         pause_ms);

G_END_DECLS
