/* sm-cti-baresip.h: calls from a baresip softphone over ctrl_tcp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sm-cti-source.h"

G_BEGIN_DECLS

#define SM_CTI_BARESIP_DEFAULT_PORT 4444

#define SM_TYPE_CTI_BARESIP (sm_cti_baresip_get_type ())

G_DECLARE_FINAL_TYPE (SmCtiBaresip, sm_cti_baresip, SM, CTI_BARESIP, GObject)

SmCtiBaresip *sm_cti_baresip_new              (const char    *address,
                                               gboolean       allow_remote,
                                               GError       **error);
void          sm_cti_baresip_set_backoff      (SmCtiBaresip  *self,
                                               guint          initial_ms,
                                               guint          max_ms);
guint         sm_cti_baresip_get_next_backoff (SmCtiBaresip  *self);
guint         sm_cti_baresip_get_n_connects   (SmCtiBaresip  *self);
void          sm_cti_baresip_handle_frame     (SmCtiBaresip  *self,
                                               const char    *frame,
                                               gsize          len);
char         *sm_cti_baresip_number_from_uri  (const char    *uri);

G_END_DECLS
