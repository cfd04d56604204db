/* sm-records.h: JSON Lines records (DESIGN.md) in and out of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sm-store.h"

G_BEGIN_DECLS

#define SM_RECORDS_ERROR (sm_records_error_quark ())

typedef enum
{
  SM_RECORDS_ERROR_PARSE,
  SM_RECORDS_ERROR_INVALID,
} SmRecordsError;

typedef struct
{
  /* Added to every time read, to move a recorded day to another date */
  gint64 shift_ms;
  /* Counts by type, filled by the import */
  guint  n_contacts;
  guint  n_states;
  guint  n_shifts;
  guint  n_customers;
  guint  n_agents;
  guint  n_work_orders;
} SmRecordsImport;

GQuark   sm_records_error_quark   (void);
gboolean sm_records_insert        (SmStore          *store,
                                   JsonObject       *record,
                                   SmRecordsImport  *import,
                                   GError          **error);
gboolean sm_records_import_stream (SmStore          *store,
                                   GInputStream     *stream,
                                   const char       *name,
                                   SmRecordsImport  *import,
                                   GError          **error);
gboolean sm_records_import_file   (SmStore          *store,
                                   const char       *path,
                                   SmRecordsImport  *import,
                                   GError          **error);

G_END_DECLS
