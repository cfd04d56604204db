/* sm-call-event.h: the normalised call event of DESIGN.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-call.h"

G_BEGIN_DECLS

#define SM_CALL_EVENT_ERROR (sm_call_event_error_quark ())

typedef enum
{
  SM_CALL_EVENT_ERROR_INVALID,
} SmCallEventError;

typedef enum
{
  SM_CALL_EVENT_RINGING,
  SM_CALL_EVENT_ANSWERED,
  SM_CALL_EVENT_HELD,
  SM_CALL_EVENT_RESUMED,
  SM_CALL_EVENT_ENDED,
  SM_CALL_EVENT_DTMF,
  SM_CALL_EVENT_TRANSCRIPT,
} SmCallEventType;

typedef struct
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  gint64           time_ms;
  char            *call;
  SmCallEventType  type;
  gboolean         has_direction;
  SmCallDirection  direction;
  char            *number;
  char            *name;
  char            *digit;
  char            *speaker;
  char            *text;
  char            *reason;
} SmCallEvent;

#define SM_TYPE_CALL_EVENT (sm_call_event_get_type ())

GType        sm_call_event_get_type        (void) G_GNUC_CONST;
GQuark       sm_call_event_error_quark     (void);
SmCallEvent *sm_call_event_new             (SmCallEventType   type,
                                            const char       *call,
                                            gint64            time_ms);
SmCallEvent *sm_call_event_ref             (SmCallEvent      *event);
void         sm_call_event_unref           (SmCallEvent      *event);
SmCallEvent *sm_call_event_copy            (const SmCallEvent *event);
void         sm_call_event_set_direction   (SmCallEvent      *event,
                                            SmCallDirection   direction);
SmCallEvent *sm_call_event_parse           (const char       *line,
                                            gssize            len,
                                            GError          **error);
char        *sm_call_event_to_json         (const SmCallEvent *event);
const char  *sm_call_event_type_to_string  (SmCallEventType   type);
gboolean     sm_call_event_type_from_string (const char      *str,
                                            SmCallEventType  *type);
gboolean     sm_json_is_single_object      (const char       *data,
                                            gsize             len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmCallEvent, sm_call_event_unref)

G_END_DECLS
