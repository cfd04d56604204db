/* sm-mask.c: masking of card numbers and PRC resident ID numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card number (PAN) is 13 to 19 digits that pass the Luhn check, written
 * together or in groups separated by single spaces or dashes. A PRC resident
 * ID number is 18 characters: 17 digits and a check character (0-9 or X)
 * computed with ISO 7064 MOD 11-2. Both are replaced by bullets keeping the
 * last four characters, wherever they are stored or shown outside the field
 * that needs them (DESIGN.md, "Safety rules of the domain").
 *
 * Digits glued to letters ("AB4111…") are part of a word and left alone;
 * a run of contiguous digits counts only as a whole (20 contiguous digits
 * are a reference number, not a card number with an extra digit), while a
 * run of groups is searched group-aligned, so "ref 12 4111 1111 1111 1111"
 * still masks the card.
 */

#define G_LOG_DOMAIN "sm-mask"

#include "config.h"

#include <string.h>

#include "sm-mask.h"

#define MAX_GROUPS 32

typedef struct
{
  gsize start;  /* byte offset of the first digit */
  gsize end;    /* byte offset after the last digit (or the X) */
  guint n;      /* number of characters (digits, and the X) */
} Group;

static inline gboolean
is_ascii_alnum (char c)
{
  return g_ascii_isalnum (c);
}

/**
 * sm_mask_luhn_valid:
 * @digits: ASCII digits
 * @length: the number of bytes, or -1 if @digits is nul-terminated
 *
 * Returns: %TRUE if @digits is 13 to 19 digits passing the Luhn check
 */
gboolean
sm_mask_luhn_valid (const char *digits,
                    gssize      length)
{
  guint sum = 0;
  gboolean dbl = FALSE;

  g_return_val_if_fail (digits != NULL, FALSE);

  if (length < 0)
    length = strlen (digits);
  if (length < 13 || length > 19)
    return FALSE;

  for (gssize i = length - 1; i >= 0; i--)
    {
      guint d;

      if (!g_ascii_isdigit (digits[i]))
        return FALSE;

      d = digits[i] - '0';
      if (dbl)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
      dbl = !dbl;
    }

  return sum % 10 == 0;
}

/**
 * sm_mask_prc_id_valid:
 * @id: 17 digits and a check character
 * @length: the number of bytes, or -1 if @id is nul-terminated
 *
 * Returns: %TRUE if @id is 18 characters with a valid ISO 7064 MOD 11-2
 *   check character (X or x stands for 10)
 */
gboolean
sm_mask_prc_id_valid (const char *id,
                      gssize      length)
{
  static const guint weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' };
  guint sum = 0;

  g_return_val_if_fail (id != NULL, FALSE);

  if (length < 0)
    length = strlen (id);
  if (length != 18)
    return FALSE;

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (id[i]))
        return FALSE;
      sum += (guint)(id[i] - '0') * weights[i];
    }

  return g_ascii_toupper (id[17]) == checks[sum % 11];
}

/* Gathers the characters of groups[s..e] without separators */
static guint
window_chars (const char  *text,
              const Group *groups,
              guint        s,
              guint        e,
              char        *buf)
{
  guint n = 0;

  for (guint g = s; g <= e; g++)
    {
      memcpy (buf + n, text + groups[g].start, groups[g].end - groups[g].start);
      n += groups[g].end - groups[g].start;
    }
  buf[n] = '\0';

  return n;
}

static void
append_mask (GString    *out,
             const char *chars,
             guint       n,
             gboolean    is_id)
{
  if (is_id)
    {
      /* Keep the last four characters, as the card lists do */
      for (guint i = 0; i < n - 4; i++)
        g_string_append (out, "•");
      g_string_append_len (out, chars + n - 4, 4);
    }
  else
    {
      g_string_append (out, SM_MASK_BULLETS " ");
      g_string_append_len (out, chars + n - 4, 4);
    }
}

/* Handles one run of digit groups starting at text[*pos]; appends the
 * (masked) run to @out and moves *pos past it. Returns the number of
 * numbers masked. */
static guint
mask_run (const char *text,
          gsize       len,
          gsize      *pos,
          GString    *out)
{
  Group groups[MAX_GROUPS];
  guint n_groups = 0;
  gboolean glued_end = FALSE;
  gboolean has_x = FALSE;
  gsize i = *pos;
  gsize copied = *pos;
  guint masked = 0;
  guint s = 0;

  for (;;)
    {
      Group *g;

      if (n_groups == MAX_GROUPS)
        break;

      g = &groups[n_groups++];
      g->start = i;
      while (i < len && g_ascii_isdigit (text[i]))
        i++;
      g->end = i;
      g->n = g->end - g->start;

      if (i + 1 < len && (text[i] == ' ' || text[i] == '-') && g_ascii_isdigit (text[i + 1]))
        {
          i++;
          continue;
        }
      break;
    }

  /* A trailing X closes a resident ID number */
  if (i < len && (text[i] == 'X' || text[i] == 'x') &&
      (i + 1 >= len || !is_ascii_alnum (text[i + 1])))
    {
      has_x = TRUE;
      groups[n_groups - 1].end = ++i;
      groups[n_groups - 1].n++;
    }
  else if (i < len && is_ascii_alnum (text[i]))
    {
      glued_end = TRUE;
    }

  while (s < n_groups)
    {
      gboolean found = FALSE;

      for (guint e = n_groups; e-- > s;)
        {
          char buf[MAX_GROUPS * 24 + 1];
          gboolean ends_run = e == n_groups - 1;
          gboolean is_id = FALSE;
          guint total = 0;

          if (ends_run && glued_end)
            continue;

          for (guint g = s; g <= e; g++)
            total += groups[g].n;
          if (total < 13 || total > 19)
            continue;

          window_chars (text, groups, s, e, buf);

          if (total == 18 && sm_mask_prc_id_valid (buf, 18))
            is_id = TRUE;
          else if (has_x && ends_run)
            continue;
          else if (!sm_mask_luhn_valid (buf, total))
            continue;

          g_string_append_len (out, text + copied, groups[s].start - copied);
          append_mask (out, buf, total, is_id);
          copied = groups[e].end;
          masked++;
          s = e + 1;
          found = TRUE;
          break;
        }

      if (!found)
        s++;
    }

  g_string_append_len (out, text + copied, i - copied);
  *pos = i;

  return masked;
}

/**
 * sm_mask_text:
 * @text: (nullable): any text
 * @n_masked: (out) (optional): the number of numbers masked
 *
 * Replaces every card number and PRC resident ID number in @text by
 * bullets and its last four characters ("•••• 1111").
 *
 * Returns: (transfer full) (nullable): the masked text, %NULL for %NULL
 */
char *
sm_mask_text (const char *text,
              guint      *n_masked)
{
  GString *out;
  gsize len, i = 0, copied = 0;
  guint masked = 0;

  if (n_masked != NULL)
    *n_masked = 0;
  if (text == NULL)
    return NULL;

  len = strlen (text);
  out = g_string_sized_new (len);

  while (i < len)
    {
      if (g_ascii_isdigit (text[i]) && (i == 0 || !is_ascii_alnum (text[i - 1])))
        {
          g_string_append_len (out, text + copied, i - copied);
          masked += mask_run (text, len, &i, out);
          copied = i;
        }
      else if (g_ascii_isdigit (text[i]))
        {
          /* Digits inside a word: skip the whole digit run */
          while (i < len && g_ascii_isdigit (text[i]))
            i++;
        }
      else
        {
          i++;
        }
    }
  g_string_append_len (out, text + copied, len - copied);

  if (n_masked != NULL)
    *n_masked = masked;

  return g_string_free (out, FALSE);
}

/**
 * sm_mask_has_sensitive:
 *
 * Returns: %TRUE if sm_mask_text() would change @text
 */
gboolean
sm_mask_has_sensitive (const char *text)
{
  g_autofree char *masked = NULL;
  guint n = 0;

  masked = sm_mask_text (text, &n);
  return n > 0;
}

/**
 * sm_mask_log_writer:
 *
 * A #GLogWriterFunc that masks card and ID numbers in the message, then
 * hands the record to g_log_writer_default(). A program installs it with
 * sm_mask_install_log_writer(); a program that has its own writer can call
 * this one from it.
 */
GLogWriterOutput
sm_mask_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_autofree GLogField *copy = NULL;
  g_autofree char *masked = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      guint n = 0;

      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].value == NULL)
        continue;

      if (fields[i].length < 0)
        masked = sm_mask_text (fields[i].value, &n);
      else
        {
          g_autofree char *value = g_strndup (fields[i].value, fields[i].length);
          masked = sm_mask_text (value, &n);
        }

      if (n == 0)
        break;

      copy = g_memdup2 (fields, sizeof (GLogField) * n_fields);
      copy[i].value = masked;
      copy[i].length = -1;
      break;
    }

  return g_log_writer_default (log_level, copy != NULL ? copy : fields, n_fields, user_data);
}

/**
 * sm_mask_install_log_writer:
 *
 * Makes sm_mask_log_writer() the process's log writer. Only programs call
 * this (GLib allows one writer per process), once, early in main(); later
 * calls do nothing.
 */
void
sm_mask_install_log_writer (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (sm_mask_log_writer, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
