/* sm-csv.c: a small RFC 4180 CSV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Quoted fields may hold commas, doubled quotes ("") and line breaks. Rows end
 * with LF or CRLF. Empty lines are skipped. Every row reports the physical line
 * (1-based) where it starts, so a caller can point at bad input precisely.
 *
 * A malformed row makes sm_csv_reader_next() return FALSE with an error that
 * names its line; the reader has then skipped past that row, so the caller may
 * keep reading to collect every bad row in one pass.
 */

#define G_LOG_DOMAIN "sm-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sm-csv.h"

struct _SmCsvReader
{
  char  *data;
  gsize  length;
  gsize  pos;
  guint  line;
};

G_DEFINE_QUARK (sm-csv-error-quark, sm_csv_error)

static SmCsvReader *
reader_new_take (char  *data,
                 gsize  length)
{
  SmCsvReader *self = g_new0 (SmCsvReader, 1);

  self->data = data;
  self->length = length;
  self->line = 1;

  /* Skip a UTF-8 byte order mark. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    self->pos = 3;

  return self;
}

/**
 * sm_csv_reader_new_from_file:
 * @path: a CSV file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a reader over the whole file
 */
SmCsvReader *
sm_csv_reader_new_from_file (const char  *path,
                             GError     **error)
{
  char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;

  return reader_new_take (data, length);
}

/**
 * sm_csv_reader_new_from_data:
 * @data: CSV text
 * @length: length of @data in bytes, or -1 if it is NUL-terminated
 *
 * Returns: (transfer full): a reader over a copy of @data
 */
SmCsvReader *
sm_csv_reader_new_from_data (const char *data,
                             gssize      length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  return reader_new_take (g_memdup2 (data, length + 1), length);
}

void
sm_csv_reader_free (SmCsvReader *self)
{
  if (self == NULL)
    return;

  g_free (self->data);
  g_free (self);
}

/**
 * sm_csv_reader_get_line:
 *
 * Returns: the physical line (1-based) the reader is at
 */
guint
sm_csv_reader_get_line (SmCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->line;
}

static gboolean
at_end (SmCsvReader *self)
{
  return self->pos >= self->length;
}

/* Consumes a row terminator (LF or CRLF) if one is at pos. */
static gboolean
eat_newline (SmCsvReader *self)
{
  if (self->pos < self->length && self->data[self->pos] == '\n')
    {
      self->pos++;
      self->line++;
      return TRUE;
    }
  if (self->pos + 1 < self->length &&
      self->data[self->pos] == '\r' && self->data[self->pos + 1] == '\n')
    {
      self->pos += 2;
      self->line++;
      return TRUE;
    }
  return FALSE;
}

static void
skip_rest_of_line (SmCsvReader *self)
{
  while (!at_end (self))
    {
      if (eat_newline (self))
        return;
      self->pos++;
    }
}

/**
 * sm_csv_reader_next:
 * @self: a reader
 * @row: (out) (transfer full): the fields of the next row
 * @line: (out) (optional): the physical line where the row starts
 * @error: return location for a #GError
 *
 * Reads the next row. At the end of the input it returns %FALSE and leaves
 * @error unset. On a malformed row it returns %FALSE with @error set (the
 * message names the line); the row has been skipped and reading may go on.
 *
 * Returns: %TRUE if a row was read
 */
gboolean
sm_csv_reader_next (SmCsvReader  *self,
                    GStrv        *row,
                    guint        *line,
                    GError      **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = NULL;
  guint start_line;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *row = NULL;

  /* Skip empty lines. */
  while (eat_newline (self))
    ;

  if (at_end (self))
    return FALSE;

  start_line = self->line;
  if (line != NULL)
    *line = start_line;

  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  for (;;)
    {
      gboolean end_of_row = FALSE;

      if (!at_end (self) && self->data[self->pos] == '"')
        {
          gboolean closed = FALSE;

          self->pos++;
          while (!at_end (self))
            {
              char c = self->data[self->pos];

              if (c == '"')
                {
                  if (self->pos + 1 < self->length && self->data[self->pos + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      self->pos += 2;
                      continue;
                    }
                  self->pos++;
                  closed = TRUE;
                  break;
                }
              if (c == '\n')
                self->line++;
              g_string_append_c (field, c);
              self->pos++;
            }

          if (!closed)
            {
              g_set_error (error, SM_CSV_ERROR, SM_CSV_ERROR_UNTERMINATED_QUOTE,
                           _("Line %u: quoted field is not closed before the end of the file"),
                           start_line);
              return FALSE;
            }

          if (at_end (self) || eat_newline (self))
            end_of_row = TRUE;
          else if (self->data[self->pos] == ',')
            self->pos++;
          else
            {
              guint bad_line = self->line;

              skip_rest_of_line (self);
              g_set_error (error, SM_CSV_ERROR, SM_CSV_ERROR_BAD_QUOTE,
                           _("Line %u: unexpected text after a closing quote"), bad_line);
              return FALSE;
            }
        }
      else
        {
          for (;;)
            {
              char c;

              if (at_end (self) || eat_newline (self))
                {
                  end_of_row = TRUE;
                  break;
                }
              c = self->data[self->pos];
              if (c == ',')
                {
                  self->pos++;
                  break;
                }
              if (c == '"')
                {
                  guint bad_line = self->line;

                  skip_rest_of_line (self);
                  g_set_error (error, SM_CSV_ERROR, SM_CSV_ERROR_BAD_QUOTE,
                               _("Line %u: a quote inside an unquoted field (quote the whole field and double the quote)"),
                               bad_line);
                  return FALSE;
                }
              g_string_append_c (field, c);
              self->pos++;
            }
        }

      if (memchr (field->str, '\0', field->len) != NULL)
        {
          if (!end_of_row)
            skip_rest_of_line (self);
          g_set_error (error, SM_CSV_ERROR, SM_CSV_ERROR_EMBEDDED_NUL,
                       _("Line %u: the row contains a NUL byte"), start_line);
          return FALSE;
        }
      if (!g_utf8_validate_len (field->str, field->len, NULL))
        {
          if (!end_of_row)
            skip_rest_of_line (self);
          g_set_error (error, SM_CSV_ERROR, SM_CSV_ERROR_INVALID_UTF8,
                       _("Line %u: the row is not valid UTF-8"), start_line);
          return FALSE;
        }

      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));

      if (end_of_row)
        break;

      field = g_string_new (NULL);
    }

  g_ptr_array_add (fields, NULL);
  *row = (GStrv) g_ptr_array_free (g_steal_pointer (&fields), FALSE);

  return TRUE;
}
