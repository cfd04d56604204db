/* test-intent.c: the offline intent model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sm-intent-model.h"

/* A small real subset of BANKING77 (English) and the Chinese starter set. */
static const char *const english_intents[] = {
  "card_arrival", "lost_or_stolen_card", "change_pin", "exchange_rate",
  "top_up_failed", "terminate_account", "pin_blocked", "request_refund",
};

#define TRAIN_PER_INTENT 40
#define TEST_PER_INTENT  15

typedef struct
{
  char      *dir;
  GPtrArray *train_texts;
  GPtrArray *train_labels;
  GPtrArray *test_texts;
  GPtrArray *test_labels;
} Fixture;

static gboolean
wanted (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (english_intents); i++)
    if (g_str_equal (label, english_intents[i]))
      return TRUE;
  return FALSE;
}

/* Splits the rows of @path: the first TRAIN_PER_INTENT of each wanted intent go
 * to training, the next TEST_PER_INTENT to the test set. */
static void
load_subset (Fixture    *fixture,
             const char *path,
             gboolean    all_intents)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_intent_load_csv (path, texts, labels, FALSE, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < texts->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);
      guint n;

      if (!all_intents && !wanted (label))
        continue;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, label));
      g_hash_table_insert (seen, (gpointer) label, GUINT_TO_POINTER (n + 1));
      if (n < TRAIN_PER_INTENT)
        {
          g_ptr_array_add (fixture->train_texts, g_strdup (g_ptr_array_index (texts, i)));
          g_ptr_array_add (fixture->train_labels, g_strdup (label));
        }
      else if (n < TRAIN_PER_INTENT + TEST_PER_INTENT)
        {
          g_ptr_array_add (fixture->test_texts, g_strdup (g_ptr_array_index (texts, i)));
          g_ptr_array_add (fixture->test_labels, g_strdup (label));
        }
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *en = g_build_filename (SOURCE_DATADIR, "banking77", "train.csv", NULL);
  g_autofree char *zh = g_build_filename (SOURCE_DATADIR, "intent", "zh-train.csv", NULL);

  fixture->dir = g_dir_make_tmp ("test-intent-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->train_texts = g_ptr_array_new_with_free_func (g_free);
  fixture->train_labels = g_ptr_array_new_with_free_func (g_free);
  fixture->test_texts = g_ptr_array_new_with_free_func (g_free);
  fixture->test_labels = g_ptr_array_new_with_free_func (g_free);

  load_subset (fixture, en, FALSE);
  if (GPOINTER_TO_INT (user_data))
    load_subset (fixture, zh, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->train_texts);
  g_ptr_array_unref (fixture->train_labels);
  g_ptr_array_unref (fixture->test_texts);
  g_ptr_array_unref (fixture->test_labels);
}

static SmIntentModel *
train_default (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SmIntentTrainOptions options;
  SmIntentModel *model;

  sm_intent_train_options_init (&options);
  model = sm_intent_model_train (fixture->train_texts, fixture->train_labels, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* CSV loading {{{ */

static void
test_intent_csv_bad_rows (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "bad.csv", NULL);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "text,category\n"
                                      "\"\nHow do I unblock my PIN?\",pin_blocked\n"
                                      "no label here,\n"
                                      "three,fields,here\n"
                                      "\"   \",card_arrival\n"
                                      "What happens if I forget my PIN?,pin_blocked\n"
                                      "a stray \" quote,pin_blocked\n"
                                      "bad label,has space\n", -1, &error));
  g_assert_no_error (error);

  /* Strict: nothing is loaded and every bad line is named. */
  g_assert_false (sm_intent_load_csv (path, texts, labels, FALSE, problems, &error));
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS);
  g_assert_cmpuint (texts->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_nonnull (strstr (error->message, "Line 4:"));
  g_assert_nonnull (strstr (error->message, "Line 5:"));
  g_assert_nonnull (strstr (error->message, "Line 6:"));
  g_assert_nonnull (strstr (error->message, "Line 8:"));
  g_assert_nonnull (strstr (error->message, "Line 9:"));
  g_assert_null (strstr (error->message, "Line 2:"));
  g_clear_error (&error);
  g_ptr_array_set_size (problems, 0);

  /* --skip-bad: the good rows load. */
  g_assert_true (sm_intent_load_csv (path, texts, labels, TRUE, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "How do I unblock my PIN?");
  g_assert_cmpstr (g_ptr_array_index (labels, 1), ==, "pin_blocked");

  /* A missing header is an error too. */
  g_assert_true (g_file_set_contents (path, "foo,bar\nx,y\n", -1, &error));
  g_assert_false (sm_intent_load_csv (path, texts, labels, TRUE, NULL, &error));
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS);
}

/* }}} */

/* Training and prediction {{{ */

static void
test_intent_train_predict (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SmIntentModel) model = train_default (fixture);
  SmIntentScore top[3];
  SmIntentEvalResult result;
  const char * const *labels;
  double sum = 0;
  guint n;

  labels = sm_intent_model_get_labels (model);
  g_assert_cmpuint (g_strv_length ((GStrv) labels), ==, G_N_ELEMENTS (english_intents));
  g_assert_true (g_strv_contains (labels, "card_arrival"));

  n = sm_intent_model_predict (model, "I still haven't received my new card", top, 3);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (top[0].intent, ==, "card_arrival");
  g_assert_cmpfloat (top[0].confidence, >, top[1].confidence);
  g_assert_cmpfloat (top[1].confidence, >=, top[2].confidence);
  g_assert_cmpfloat (top[0].confidence, <=, 1.0);

  n = sm_intent_model_predict (model, "Someone stole my wallet with the card in it", top, 1);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (top[0].intent, ==, "lost_or_stolen_card");

  /* Confidences over all intents sum to one. */
  {
    SmIntentScore all[20];

    n = sm_intent_model_predict (model, "how do I change my PIN", all, G_N_ELEMENTS (all));
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (english_intents));
    for (guint i = 0; i < n; i++)
      sum += all[i].confidence;
    g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-9);
    g_assert_cmpstr (all[0].intent, ==, "change_pin");
  }

  /* Held-out rows of the same intents. */
  sm_intent_model_evaluate (model, fixture->test_texts, fixture->test_labels, &result);
  g_assert_cmpuint (result.n, ==, fixture->test_texts->len);
  g_assert_cmpfloat (result.top1, >=, 0.85);
  g_assert_cmpfloat (result.top3, >=, 0.95);

  /* Odd input never crashes: empty, punctuation, invalid UTF-8, very long. */
  {
    g_autofree char *long_text = g_strnfill (100000, 'a');

    g_assert_cmpuint (sm_intent_model_predict (model, "", top, 3), ==, 3);
    g_assert_cmpuint (sm_intent_model_predict (model, "?!…", top, 3), ==, 3);
    g_assert_cmpuint (sm_intent_model_predict (model, "card \xff\xfe arrived", top, 3), ==, 3);
    g_assert_cmpuint (sm_intent_model_predict (model, long_text, top, 3), ==, 3);
    g_assert_cmpuint (sm_intent_model_predict (model, "card", top, 0), ==, 0);
  }
}

static void
test_intent_invalid_options (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  SmIntentTrainOptions options;
  SmIntentModel *model;

  sm_intent_train_options_init (&options);
  options.char_min_n = 6;
  options.char_max_n = 3;
  model = sm_intent_model_train (fixture->train_texts, fixture->train_labels, &options, &error);
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_INVALID_OPTIONS);
  g_assert_null (model);
  g_clear_error (&error);

  g_ptr_array_add (one, (gpointer) "just one text");
  model = sm_intent_model_train (one, one, NULL, &error);
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA);
  g_assert_null (model);
}

static void
test_intent_chinese (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const struct
  {
    const char *text;
    const char *intent;
  } cases[] = {
    { "我的信用卡丢了，帮我挂失一下", "lost_or_stolen_card" },
    { "能不能把我的额度提高一点", "credit_limit" },
    { "新卡收到了，怎么激活", "activate_my_card" },
    { "I still haven't received my new card", "card_arrival" },
  };
  g_autoptr(SmIntentModel) model = train_default (fixture);
  SmIntentEvalResult result;

  g_assert_true (sm_intent_text_has_han ("我的卡"));
  g_assert_false (sm_intent_text_has_han ("my card ﬁ café"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmIntentScore top[3];
      gboolean han = sm_intent_text_has_han (cases[i].text);
      guint n = sm_intent_model_predict (model, cases[i].text, top, 3);

      g_assert_cmpuint (n, ==, 3);
      g_assert_cmpstr (top[0].intent, ==, cases[i].intent);
      /* Every suggestion for a Chinese text is a Chinese topic, and the other way round. */
      for (guint k = 0; k < n; k++)
        g_assert_true (sm_intent_model_has_language (model, top[k].intent, han));
    }

  /* English-only intents are never offered for Chinese text, and the
   * Chinese-only ones never for English. */
  g_assert_false (sm_intent_model_has_language (model, "exchange_rate", TRUE));
  g_assert_false (sm_intent_model_has_language (model, "credit_limit", FALSE));

  sm_intent_model_evaluate (model, fixture->test_texts, fixture->test_labels, &result);
  g_assert_cmpfloat (result.top1, >=, 0.7);
}

/* Both language modes keep Chinese text on Chinese topics. */
static void
test_intent_bilingual_mode (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmIntentModel) model = NULL;
  SmIntentTrainOptions options;
  SmIntentScore top[5];
  guint n;

  sm_intent_train_options_init (&options);
  options.languages = SM_INTENT_LANGUAGES_BILINGUAL;
  options.solver = SM_INTENT_SOLVER_LR;
  options.calibration = SM_INTENT_CALIBRATION_NONE;
  model = sm_intent_model_train (fixture->train_texts, fixture->train_labels, &options, &error);
  g_assert_no_error (error);

  n = sm_intent_model_predict (model, "密码输错三次被锁了", top, 5);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (top[0].intent, ==, "pin_blocked");
  for (guint k = 0; k < n; k++)
    g_assert_true (sm_intent_model_has_language (model, top[k].intent, TRUE));
}

/* }}} */

/* Files {{{ */

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
test_intent_round_trip (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(SmIntentModel) model = train_default (fixture);
  g_autoptr(SmIntentModel) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "model.bin", NULL);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) again = NULL;

  g_assert_true (sm_intent_model_save (model, path, &error));
  g_assert_no_error (error);
  loaded = sm_intent_model_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_assert_cmpstrv (sm_intent_model_get_labels (model), sm_intent_model_get_labels (loaded));

  for (guint i = 0; i < fixture->test_texts->len; i++)
    {
      SmIntentScore a[5], b[5];
      guint na = sm_intent_model_predict (model, g_ptr_array_index (fixture->test_texts, i), a, 5);
      guint nb = sm_intent_model_predict (loaded, g_ptr_array_index (fixture->test_texts, i), b, 5);

      g_assert_cmpuint (na, ==, nb);
      for (guint k = 0; k < na; k++)
        {
          g_assert_cmpstr (a[k].intent, ==, b[k].intent);
          g_assert_true (a[k].confidence == b[k].confidence);
        }
    }

  /* Saving the loaded model gives the same bytes. */
  saved = read_bytes (path);
  again = sm_intent_model_serialize (loaded);
  g_assert_true (g_bytes_equal (saved, again));
}

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 c = 0xFFFFFFFFu;

  for (gsize i = 0; i < len; i++)
    {
      c ^= data[i];
      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
  return c ^ 0xFFFFFFFFu;
}

static void
fix_crc (guint8 *data,
         gsize   len)
{
  guint32 crc = GUINT32_TO_LE (crc32_of (data, len - 4));

  memcpy (data + len - 4, &crc, 4);
}

static void
test_intent_bad_files (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(SmIntentModel) model = train_default (fixture);
  g_autoptr(GBytes) bytes = sm_intent_model_serialize (model);
  g_autofree char *path = g_build_filename (fixture->dir, "bad.model", NULL);
  g_autofree guint8 *copy = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;
  SmIntentModel *bad;
  guint32 v;

  data = g_bytes_get_data (bytes, &len);
  copy = g_memdup2 (data, len);

  /* Wrong magic */
  g_assert_true (g_file_set_contents (path, "PK\3\4 this is a zip file, not a model", -1, &error));
  bad = sm_intent_model_new_from_file (path, &error);
  g_assert_null (bad);
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_MAGIC);
  g_assert_nonnull (strstr (error->message, "not a Seatmate intent model"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Another format version, with a valid checksum */
  v = GUINT32_TO_LE (SM_INTENT_MODEL_FORMAT_VERSION + 1);
  memcpy (copy + 8, &v, 4);
  fix_crc (copy, len);
  bad = sm_intent_model_new_from_data (copy, len, &error);
  g_assert_null (bad);
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "version 2"));
  g_clear_error (&error);
  memcpy (copy, data, len);

  /* Every truncation is refused cleanly. */
  for (gsize cut = 0; cut < len; cut += (cut < 64 ? 1 : len / 97 + 1))
    {
      bad = sm_intent_model_new_from_data (data, cut, &error);
      g_assert_null (bad);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SM_INTENT_MODEL_ERROR);
      g_assert_true (error->code == SM_INTENT_MODEL_ERROR_TRUNCATED ||
                     error->code == SM_INTENT_MODEL_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, "truncated"));
      g_clear_error (&error);
    }

  /* A flipped byte breaks the checksum. */
  copy[len / 2] ^= 0x40;
  bad = sm_intent_model_new_from_data (copy, len, &error);
  g_assert_null (bad);
  g_assert_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Damage behind a valid checksum: impossible counts, cut lists. Each is an
   * error, never a crash or a huge allocation. */
  for (gsize off = 12; off < MIN (len - 4, (gsize) 600); off += 4)
    {
      for (guint pattern = 0; pattern < 3; pattern++)
        {
          guint32 junk = pattern == 0 ? 0xFFFFFFFFu : pattern == 1 ? 0 : 0x7FFFFFF0u;

          memcpy (copy, data, len);
          memcpy (copy + off, &junk, 4);
          fix_crc (copy, len);
          bad = sm_intent_model_new_from_data (copy, len, &error);
          if (bad != NULL)
            {
              /* Harmless damage (a weight, a bias): the model still works. */
              SmIntentScore top[1];
              g_assert_no_error (error);
              sm_intent_model_predict (bad, "card", top, 1);
              g_object_unref (bad);
            }
          else
            {
              g_assert_true (error->domain == SM_INTENT_MODEL_ERROR);
              g_clear_error (&error);
            }
        }
    }

  /* A missing file */
  bad = sm_intent_model_new_from_file ("/nonexistent/seatmate.model", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

/* }}} */

/* Threads {{{ */

typedef struct
{
  SmIntentModel *model;
  GPtrArray     *texts;
  char         **answers;
} ThreadData;

static gpointer
predict_thread (gpointer user_data)
{
  ThreadData *td = user_data;

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < td->texts->len; i++)
      {
        SmIntentScore top[1];

        sm_intent_model_predict (td->model, g_ptr_array_index (td->texts, i), top, 1);
        if (g_strcmp0 (top[0].intent, td->answers[i]) != 0)
          return GINT_TO_POINTER (1);
      }
  return NULL;
}

static void
test_intent_threads (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(SmIntentModel) model = train_default (fixture);
  g_autofree char **answers = g_new0 (char *, fixture->test_texts->len);
  ThreadData td = { model, fixture->test_texts, answers };
  GThread *threads[4];

  for (guint i = 0; i < fixture->test_texts->len; i++)
    {
      SmIntentScore top[1];

      sm_intent_model_predict (model, g_ptr_array_index (fixture->test_texts, i), top, 1);
      answers[i] = (char *) top[0].intent;
    }

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("predict", predict_thread, &td);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_assert_null (g_thread_join (threads[t]));
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  /* No G_TEST_OPTION_ISOLATE_DIRS: these tests use no user directories, and
   * GLib 2.74 leaks the isolated paths of every test case. */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, zh) \
  g_test_add (path, Fixture, GINT_TO_POINTER (zh), fixture_set_up, func, fixture_tear_down)

  ADD ("/intent/csv/bad-rows", test_intent_csv_bad_rows, FALSE);
  ADD ("/intent/train-predict", test_intent_train_predict, FALSE);
  ADD ("/intent/invalid-options", test_intent_invalid_options, FALSE);
  ADD ("/intent/chinese", test_intent_chinese, TRUE);
  ADD ("/intent/bilingual-mode", test_intent_bilingual_mode, TRUE);
  ADD ("/intent/round-trip", test_intent_round_trip, TRUE);
  ADD ("/intent/bad-files", test_intent_bad_files, FALSE);
  ADD ("/intent/threads", test_intent_threads, FALSE);

#undef ADD

  return g_test_run ();
}
