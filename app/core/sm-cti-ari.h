/* sm-cti-ari.h: calls from an Asterisk PBX over ARI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sm-cti-source.h"

G_BEGIN_DECLS

#define SM_TYPE_CTI_ARI (sm_cti_ari_get_type ())

G_DECLARE_FINAL_TYPE (SmCtiAri, sm_cti_ari, SM, CTI_ARI, GObject)

SmCtiAri *sm_cti_ari_new            (const char  *url,
                                     const char  *application,
                                     const char  *user,
                                     const char  *password,
                                     GError     **error);
void      sm_cti_ari_set_backoff    (SmCtiAri    *self,
                                     guint        initial_ms,
                                     guint        max_ms);
void      sm_cti_ari_handle_message (SmCtiAri    *self,
                                     const char  *json,
                                     gsize        len);
guint     sm_cti_ari_get_n_connects (SmCtiAri    *self);

G_END_DECLS
