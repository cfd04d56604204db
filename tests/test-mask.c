/* test-mask.c: card number and resident ID masking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sm-mask.h"

static void
assert_masked (const char *in,
               const char *expected,
               guint       expected_n)
{
  g_autofree char *out = NULL;
  guint n = 99;

  out = sm_mask_text (in, &n);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpuint (n, ==, expected_n);
}

static void
test_luhn (void)
{
  /* Valid test numbers of every length class */
  g_assert_true (sm_mask_luhn_valid ("4222222222222", -1));         /* 13 */
  g_assert_true (sm_mask_luhn_valid ("378282246310005", -1));       /* 15 */
  g_assert_true (sm_mask_luhn_valid ("4111111111111111", -1));      /* 16 */
  g_assert_true (sm_mask_luhn_valid ("6222021000000000009", -1));   /* 19 */

  /* One digit off */
  g_assert_false (sm_mask_luhn_valid ("4111111111111112", -1));
  /* Too short and too long, even when the checksum works */
  g_assert_false (sm_mask_luhn_valid ("424242424242", -1));         /* 12 */
  g_assert_false (sm_mask_luhn_valid ("00000000000000000000", -1)); /* 20 */
  g_assert_false (sm_mask_luhn_valid ("4111-1111", -1));
  g_assert_false (sm_mask_luhn_valid ("", -1));
  /* A length argument */
  g_assert_true (sm_mask_luhn_valid ("4111111111111111999", 16));
}

static void
test_prc_id (void)
{
  g_assert_true (sm_mask_prc_id_valid ("11010519491231002X", -1));
  g_assert_true (sm_mask_prc_id_valid ("11010519491231002x", -1));
  g_assert_true (sm_mask_prc_id_valid ("440304199001011233", -1));
  g_assert_true (sm_mask_prc_id_valid ("320106198507161511", -1));

  /* Wrong check character */
  g_assert_false (sm_mask_prc_id_valid ("110105194912310021", -1));
  g_assert_false (sm_mask_prc_id_valid ("440304199001011234", -1));
  /* Wrong length, letters */
  g_assert_false (sm_mask_prc_id_valid ("11010519491231002", -1));
  g_assert_false (sm_mask_prc_id_valid ("11010519491231002XX", -1));
  g_assert_false (sm_mask_prc_id_valid ("1101051949123100AX", -1));
  /* X only as the check character */
  g_assert_false (sm_mask_prc_id_valid ("X10105194912310021", -1));
}

static void
test_mask_pan (void)
{
  assert_masked ("card 4111111111111111 lost", "card •••• 1111 lost", 1);
  assert_masked ("4111 1111 1111 1111", "•••• 1111", 1);
  assert_masked ("4111-1111-1111-1111.", "•••• 1111.", 1);
  assert_masked ("Amex 3782 822463 10005, thanks", "Amex •••• 0005, thanks", 1);
  assert_masked ("卡号6222021000000000009已挂失", "卡号•••• 0009已挂失", 1);
  assert_masked ("4222222222222", "•••• 2222", 1);
  assert_masked ("two: 4111111111111111 and 378282246310005",
                 "two: •••• 1111 and •••• 0005", 2);
}

static void
test_mask_pan_borderline (void)
{
  /* Not Luhn-valid: left alone */
  assert_masked ("4111111111111112", "4111111111111112", 0);
  /* 12 digits, even Luhn-valid: too short */
  assert_masked ("424242424242", "424242424242", 0);
  /* 20 contiguous digits are a reference number */
  assert_masked ("41111111111111110000", "41111111111111110000", 0);
  /* Digits glued to letters are part of a word */
  assert_masked ("REF4111111111111111", "REF4111111111111111", 0);
  assert_masked ("4111111111111111abc", "4111111111111111abc", 0);
  /* A card number next to other groups is still found, group-aligned */
  assert_masked ("ref 12 4111 1111 1111 1111", "ref 12 •••• 1111", 1);
  assert_masked ("4111 1111 1111 1111 2026", "•••• 1111 2026", 1);
  /* Double separators break the groups apart: no number in either half */
  assert_masked ("4111 1111  1111 1111", "4111 1111  1111 1111", 0);
  /* Phone numbers and amounts pass */
  assert_masked ("call +86 138 0013 8000 about 1,234.56",
                 "call +86 138 0013 8000 about 1,234.56", 0);
  /* Already masked text stays as it is */
  assert_masked ("•••• 4821", "•••• 4821", 0);
  assert_masked ("", "", 0);
  g_assert_null (sm_mask_text (NULL, NULL));
}

static void
test_mask_prc_id (void)
{
  assert_masked ("ID 11010519491231002X ok", "ID ••••••••••••••002X ok", 1);
  assert_masked ("身份证号：11010519491231002x。", "身份证号：••••••••••••••002x。", 1);
  assert_masked ("440304199001011233", "••••••••••••••1233", 1);
  assert_masked ("110105 19491231 002X", "••••••••••••••002X", 1);

  /* Invalid check digit, wrong length, glued X */
  assert_masked ("110105194912310021", "110105194912310021", 0);
  assert_masked ("1101051949123100X", "1101051949123100X", 0);
  assert_masked ("11010519491231002XY", "11010519491231002XY", 0);
}

static void
test_has_sensitive (void)
{
  g_assert_true (sm_mask_has_sensitive ("pan 4111111111111111"));
  g_assert_true (sm_mask_has_sensitive ("11010519491231002X"));
  g_assert_false (sm_mask_has_sensitive ("nothing here 12345"));
  g_assert_false (sm_mask_has_sensitive (NULL));
}

static void
test_log_writer_child (void)
{
  sm_mask_install_log_writer ();
  sm_mask_install_log_writer ();
  g_message ("customer read out 4111 1111 1111 1111 and 11010519491231002X");
}

static void
test_log_writer (void)
{
  g_test_trap_subprocess ("/mask/log-writer/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The default writer converts to the locale's charset: bullets may become "?" */
  g_test_trap_assert_stderr ("*customer read out * 1111 and *002X*");
  g_test_trap_assert_stderr_unmatched ("*4111 1111*");
  g_test_trap_assert_stderr_unmatched ("*1101051949*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/mask/luhn", test_luhn);
  g_test_add_func ("/mask/prc-id", test_prc_id);
  g_test_add_func ("/mask/pan", test_mask_pan);
  g_test_add_func ("/mask/pan-borderline", test_mask_pan_borderline);
  g_test_add_func ("/mask/prc-id-text", test_mask_prc_id);
  g_test_add_func ("/mask/has-sensitive", test_has_sensitive);
  g_test_add_func ("/mask/log-writer", test_log_writer);
  g_test_add_func ("/mask/log-writer/subprocess", test_log_writer_child);

  return g_test_run ();
}
