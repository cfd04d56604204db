/* sm-csv.h: a small RFC 4180 CSV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_CSV_ERROR (sm_csv_error_quark ())

typedef enum
{
  SM_CSV_ERROR_UNTERMINATED_QUOTE,
  SM_CSV_ERROR_BAD_QUOTE,
  SM_CSV_ERROR_INVALID_UTF8,
  SM_CSV_ERROR_EMBEDDED_NUL,
} SmCsvError;

typedef struct _SmCsvReader SmCsvReader;

GQuark       sm_csv_error_quark          (void);

SmCsvReader *sm_csv_reader_new_from_file (const char   *path,
                                          GError      **error);
SmCsvReader *sm_csv_reader_new_from_data (const char   *data,
                                          gssize        length);
gboolean     sm_csv_reader_next          (SmCsvReader  *self,
                                          GStrv        *row,
                                          guint        *line,
                                          GError      **error);
guint        sm_csv_reader_get_line      (SmCsvReader  *self);
void         sm_csv_reader_free          (SmCsvReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmCsvReader, sm_csv_reader_free)

G_END_DECLS
