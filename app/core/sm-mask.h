/* sm-mask.h: masking of card numbers and PRC resident ID numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What sm_mask_text() puts in place of the hidden characters */
#define SM_MASK_BULLETS "••••"

gboolean     sm_mask_luhn_valid          (const char      *digits,
                                          gssize           length);
gboolean     sm_mask_prc_id_valid        (const char      *id,
                                          gssize           length);
char        *sm_mask_text                (const char      *text,
                                          guint           *n_masked);
gboolean     sm_mask_has_sensitive       (const char      *text);
GLogWriterOutput sm_mask_log_writer      (GLogLevelFlags   log_level,
                                          const GLogField *fields,
                                          gsize            n_fields,
                                          gpointer         user_data);
void         sm_mask_install_log_writer  (void);

G_END_DECLS
