/* sm-call-list.h: the calls of a seat, as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sm-call.h"

G_BEGIN_DECLS

#define SM_TYPE_CALL_LIST (sm_call_list_get_type ())

G_DECLARE_FINAL_TYPE (SmCallList, sm_call_list, SM, CALL_LIST, GObject)

SmCallList *sm_call_list_new          (void);
void        sm_call_list_add          (SmCallList *self,
                                       SmCall     *call);
gboolean    sm_call_list_remove       (SmCallList *self,
                                       SmCall     *call);
SmCall     *sm_call_list_find         (SmCallList *self,
                                       const char *id);
SmCall     *sm_call_list_get_current  (SmCallList *self);
void        sm_call_list_set_current  (SmCallList *self,
                                       SmCall     *call);

G_END_DECLS
