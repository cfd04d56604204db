/* sm-types.h: forward declarations of every Seatmate type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SmCall           SmCall;
typedef struct _SmCallList       SmCallList;
typedef struct _SmContext        SmContext;
typedef struct _SmCtiSource      SmCtiSource;
typedef struct _SmCustomer       SmCustomer;
typedef struct _SmIntentModel    SmIntentModel;
typedef struct _SmKnowledgeBase  SmKnowledgeBase;
typedef struct _SmNotifier       SmNotifier;
typedef struct _SmStore          SmStore;

G_END_DECLS
