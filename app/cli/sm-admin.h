/* sm-admin.h: shared pieces of the seatmate-admin subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* Exit codes of every subcommand */
#define SM_ADMIN_EXIT_OK      0
#define SM_ADMIN_EXIT_FAILED  1
#define SM_ADMIN_EXIT_USAGE   2

typedef struct
{
  char    *db_path;
  SmStore *store;
} SmAdminContext;

/* A subcommand group: `seatmate-admin [--db PATH] NAME ARGS…`.
 * argv[0] is the group name. */
typedef int (*SmAdminGroupFunc) (SmAdminContext  *ctx,
                                 int              argc,
                                 char           **argv);

SmStore *sm_admin_get_store    (SmAdminContext  *ctx);
int      sm_admin_fail         (GError          *error);
int      sm_admin_usage        (const char      *usage);

int      sm_admin_cti          (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_db           (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_demo         (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_events       (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_intent       (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_kb           (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_metrics      (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_schedule     (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);
int      sm_admin_wo           (SmAdminContext  *ctx,
                                int              argc,
                                char           **argv);

G_END_DECLS
