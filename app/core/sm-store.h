/* sm-store.h: the local SQLite database of a seat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "sm-types.h"

G_BEGIN_DECLS

#define SM_STORE_ERROR (sm_store_error_quark ())

typedef enum
{
  SM_STORE_ERROR_CORRUPT,
  SM_STORE_ERROR_LOCKED,
  SM_STORE_ERROR_TOO_NEW,
  SM_STORE_ERROR_IO,
  SM_STORE_ERROR_SQL,
  SM_STORE_ERROR_INVALID,
  SM_STORE_ERROR_NOT_FOUND,
} SmStoreError;

/* The agent states of DESIGN.md, in the order of the state selector */
typedef enum
{
  SM_AGENT_STATE_AVAILABLE,
  SM_AGENT_STATE_ON_CONTACT,
  SM_AGENT_STATE_ACW,
  SM_AGENT_STATE_BREAK,
  SM_AGENT_STATE_LUNCH,
  SM_AGENT_STATE_MEETING,
  SM_AGENT_STATE_TRAINING,
  SM_AGENT_STATE_OFFLINE,
  SM_AGENT_STATE_N_STATES
} SmAgentState;

#define SM_TYPE_STORE (sm_store_get_type ())

G_DECLARE_FINAL_TYPE (SmStore, sm_store, SM, STORE, GObject)

GQuark        sm_store_error_quark          (void);
SmStore      *sm_store_open                 (const char    *path,
                                             GError       **error);
sqlite3      *sm_store_get_db               (SmStore       *self);
const char   *sm_store_get_path             (SmStore       *self);
int           sm_store_get_schema_version   (SmStore       *self);
int           sm_store_get_latest_version   (void);
gboolean      sm_store_exec                 (SmStore       *self,
                                             const char    *sql,
                                             GError       **error);
sqlite3_stmt *sm_store_prepare              (SmStore       *self,
                                             const char    *sql,
                                             GError       **error);
gboolean      sm_store_begin                (SmStore       *self,
                                             GError       **error);
gboolean      sm_store_commit               (SmStore       *self,
                                             GError       **error);
void          sm_store_rollback             (SmStore       *self);
gboolean      sm_store_set_error            (SmStore       *self,
                                             int            rc,
                                             GError       **error);
char         *sm_store_get_meta             (SmStore       *self,
                                             const char    *key);
gboolean      sm_store_set_meta             (SmStore       *self,
                                             const char    *key,
                                             const char    *value,
                                             GError       **error);
gint64        sm_store_count                (SmStore       *self,
                                             const char    *table);

const char   *sm_agent_state_to_string      (SmAgentState   state);
gboolean      sm_agent_state_from_string    (const char    *str,
                                             SmAgentState  *state);
const char   *sm_agent_state_get_label      (SmAgentState   state);
gboolean      sm_store_record_agent_state   (SmStore       *self,
                                             const char    *agent,
                                             SmAgentState   state,
                                             gint64         at_ms,
                                             GError       **error);
gboolean      sm_store_get_agent_state      (SmStore       *self,
                                             const char    *agent,
                                             SmAgentState  *state,
                                             gint64        *since_ms);
char         *sm_store_get_agent_name       (SmStore       *self,
                                             const char    *agent);

gint64        sm_now_ms                     (void);
char         *sm_time_format_ms             (gint64         ms);
gboolean      sm_time_parse_ms              (const char    *rfc3339,
                                             gint64        *ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
