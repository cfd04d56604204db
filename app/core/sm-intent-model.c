/* sm-intent-model.c: offline intent classifier (TF-IDF n-grams + liblinear)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Features work for English and Chinese without a word segmenter:
 *  - words: NFKC, lowercased runs of letters and digits (apostrophes inside a
 *    word are dropped); every Han character is a word of its own, so word
 *    bigrams over Han text are overlapping character bigrams;
 *  - chars: n-grams inside each whitespace-separated chunk padded with spaces
 *    (scikit-learn's char_wb); a Chinese sentence has no spaces, so it yields
 *    overlapping Han n-grams.
 * Every n-gram is a 64-bit hash; the vocabulary keeps hashes seen in at least
 * min_df training texts. Values are sublinear TF-IDF, each block L2-normalised.
 *
 * liblinear trains L2-regularised logistic regression (one vs rest) and/or a
 * Crammer-Singer SVM; the ensemble is a weighted sum of the two decision
 * functions, which is itself linear, so the model stores one weight matrix
 * (int8 with a scale per feature row). Confidences are a softmax of the scores
 * with a temperature fitted on out-of-fold scores.
 *
 * A text that contains Han characters only ranks intents that have Han
 * training texts (and other text only intents that have non-Han texts); in
 * per-script mode each script also has its own model.
 */

#define G_LOG_DOMAIN "sm-intent-model"

/* Training runs millions of multiply-adds (vectorising, matrix scaling) and
 * prediction must stay far below a millisecond: optimise this file even in
 * debug builds, where it would otherwise be about ten times slower. */
#if defined(__GNUC__) && !defined(__clang__) && !defined(__OPTIMIZE__)
#pragma GCC optimize ("O2")
#endif

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <linear.h>

#include "sm-csv.h"
#include "sm-intent-model.h"

#define MODEL_MAGIC      "SMINTENT"
#define MODEL_MAGIC_LEN  8
#define MAX_TEXT_CHARS   2000
#define MAX_LABELS       100000
#define MAX_FEATURES     (64u * 1024u * 1024u)
#define MAX_NGRAM        8

#define LABEL_HAN   1
#define LABEL_OTHER 2

enum
{
  SCRIPT_ANY = 0,
  SCRIPT_HAN = 1,
  SCRIPT_OTHER = 2,
};

typedef struct
{
  guint word_max_n;
  guint char_min_n;
  guint char_max_n;
  float char_weight;
} Features;

typedef struct
{
  guint8   script;
  guint    n_word;      /* word features come first: [0, n_word) */
  guint    n_feat;
  float    temperature;
  guint8  *label_mask;  /* n_labels: LABEL_HAN | LABEL_OTHER, 0 = never trained */
  guint64 *hashes;      /* n_feat, sorted within each block */
  float   *idf;         /* n_feat */
  float   *bias;        /* n_labels */
  float   *w_scale;     /* n_feat */
  gint8   *w;           /* n_feat x n_labels, row major */

  /* lookup table, built on load: feature index + 1 by hash, 0 when empty */
  guint32 *table;
  gsize    table_mask;
} Submodel;

struct _SmIntentModel
{
  GObject   parent_instance;

  Features  features;
  GStrv     labels;
  guint     n_labels;
  Submodel *subs;
  guint     n_subs;
};

G_DEFINE_FINAL_TYPE (SmIntentModel, sm_intent_model, G_TYPE_OBJECT)

G_DEFINE_QUARK (sm-intent-model-error-quark, sm_intent_model_error)

/* Hashing {{{ */

#define SEED_WORD G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define SEED_CHAR G_GUINT64_CONSTANT (0x84222325cbf29ce4)

static inline guint64
hash_step (guint64  h,
           gunichar c)
{
  return (h ^ (guint64) c) * G_GUINT64_CONSTANT (0x100000001b3);
}

static inline guint64
hash_finish (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h;
}

/* Word hashes have the low bit set, char hashes have it clear (and are never 0). */
static inline guint64
word_key (guint64 h)
{
  return hash_finish (h) | 1;
}

static inline guint64
char_key (guint64 h)
{
  h = hash_finish (h) & ~G_GUINT64_CONSTANT (1);
  return h != 0 ? h : 2;
}

static inline gboolean
is_han (gunichar c)
{
  /* Fast path for ASCII. */
  if (c < 0x2E80)
    return FALSE;
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;
}

/* }}} */

/* Feature extraction {{{ */

static gunichar *
normalize_text (const char *text,
                glong      *n_chars)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  g_autofree char *lower = NULL;
  gunichar *u;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  lower = g_utf8_strdown (nfkc != NULL ? nfkc : text, -1);
  u = g_utf8_to_ucs4_fast (lower, -1, n_chars);
  if (*n_chars > MAX_TEXT_CHARS)
    *n_chars = MAX_TEXT_CHARS;

  return u;
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

/* Appends word keys to @word_out and char keys to @char_out. Returns whether
 * the text has Han characters. */
static gboolean
extract_grams (const Features *f,
               const char     *text,
               GArray         *word_out,
               GArray         *char_out)
{
  g_autofree gunichar *u = NULL;
  g_autofree gunichar *buf = NULL;
  g_autofree guint *tok_start = NULL;
  g_autofree guint *tok_len = NULL;
  glong n = 0;
  guint n_tok = 0;
  guint buf_len = 0;
  gboolean han = FALSE;

  u = normalize_text (text, &n);
  buf = g_new (gunichar, n + 1);
  tok_start = g_new (guint, n + 1);
  tok_len = g_new (guint, n + 1);

  /* Word tokens */
  for (glong i = 0; i < n;)
    {
      gunichar c = u[i];

      if (is_han (c))
        {
          han = TRUE;
          tok_start[n_tok] = buf_len;
          tok_len[n_tok] = 1;
          buf[buf_len++] = c;
          n_tok++;
          i++;
        }
      else if (g_unichar_isalnum (c))
        {
          guint start = buf_len;

          while (i < n)
            {
              c = u[i];
              if (g_unichar_isalnum (c) && !is_han (c))
                buf[buf_len++] = c;
              else if (!(is_apostrophe (c) && i + 1 < n &&
                         g_unichar_isalnum (u[i + 1]) && !is_han (u[i + 1])))
                break;
              i++;
            }
          tok_start[n_tok] = start;
          tok_len[n_tok] = buf_len - start;
          n_tok++;
        }
      else
        {
          i++;
        }
    }

  for (guint i = 0; i < n_tok; i++)
    {
      guint64 h = SEED_WORD;

      for (guint k = 0; k < f->word_max_n && i + k < n_tok; k++)
        {
          guint64 key;

          if (k > 0)
            h = hash_step (h, 0);
          for (guint j = 0; j < tok_len[i + k]; j++)
            h = hash_step (h, buf[tok_start[i + k] + j]);
          key = word_key (h);
          g_array_append_val (word_out, key);
        }
    }

  /* Char n-grams inside whitespace-separated chunks, padded with spaces */
  for (glong i = 0; i < n;)
    {
      glong a, b, len;

      while (i < n && g_unichar_isspace (u[i]))
        i++;
      if (i >= n)
        break;
      a = i;
      while (i < n && !g_unichar_isspace (u[i]))
        i++;
      b = i;
      len = b - a + 2;

#define PADDED(k) (((k) == 0 || (k) == len - 1) ? (gunichar) ' ' : u[a + (k) - 1])
      if (len < (glong) f->char_min_n)
        {
          guint64 h = SEED_CHAR;
          guint64 key;

          for (glong k = 0; k < len; k++)
            h = hash_step (h, PADDED (k));
          key = char_key (h);
          g_array_append_val (char_out, key);
          continue;
        }

      for (glong s = 0; s < len; s++)
        {
          guint64 h = SEED_CHAR;

          for (glong k = 1; k <= (glong) f->char_max_n && s + k <= len; k++)
            {
              h = hash_step (h, PADDED (s + k - 1));
              if (k >= (glong) f->char_min_n)
                {
                  guint64 key = char_key (h);

                  g_array_append_val (char_out, key);
                }
            }
        }
#undef PADDED
    }

  return han;
}

/**
 * sm_intent_text_has_han:
 *
 * Returns: whether @text contains a Han character (the model then treats it
 *   as Chinese)
 */
gboolean
sm_intent_text_has_han (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if ((guchar) *p >= 0xE0 && is_han (g_utf8_get_char_validated (p, -1)))
        return TRUE;
    }
  return FALSE;
}

/* }}} */

/* Submodel: vocabulary lookup and vectorising {{{ */

static void
submodel_clear (Submodel *sub)
{
  g_clear_pointer (&sub->label_mask, g_free);
  g_clear_pointer (&sub->hashes, g_free);
  g_clear_pointer (&sub->idf, g_free);
  g_clear_pointer (&sub->bias, g_free);
  g_clear_pointer (&sub->w_scale, g_free);
  g_clear_pointer (&sub->w, g_free);
  g_clear_pointer (&sub->table, g_free);
}

/* The table holds only indices into sub->hashes, which has the keys already:
 * 4 bytes a slot instead of 12 (about 0.6 MB less for the shipped model). */
static void
submodel_build_table (Submodel *sub)
{
  gsize cap = 16;

  while (cap < (gsize) sub->n_feat * 2)
    cap <<= 1;

  g_free (sub->table);
  sub->table = g_new0 (guint32, cap);
  sub->table_mask = cap - 1;

  for (guint i = 0; i < sub->n_feat; i++)
    {
      gsize pos = (sub->hashes[i] >> 7) & sub->table_mask;

      while (sub->table[pos] != 0 && sub->hashes[sub->table[pos] - 1] != sub->hashes[i])
        pos = (pos + 1) & sub->table_mask;
      sub->table[pos] = i + 1;
    }
}

static inline gint64
submodel_lookup (const Submodel *sub,
                 guint64         key)
{
  gsize pos = (key >> 7) & sub->table_mask;

  for (;;)
    {
      guint32 slot = sub->table[pos];

      if (slot == 0)
        return -1;
      if (sub->hashes[slot - 1] == key)
        return slot - 1;
      pos = (pos + 1) & sub->table_mask;
    }
}

static int
compare_guint32 (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Turns n-gram keys into a sorted sparse TF-IDF vector. @idx and @val must
 * have room for n_word + n_char entries. Returns the number of entries. */
static guint
vectorize (const Submodel *sub,
           const Features *f,
           const guint64  *word,
           guint           n_word,
           const guint64  *chars,
           guint           n_char,
           guint32        *idx,
           float          *val)
{
  guint k = 0, m = 0;
  double norm_w = 0, norm_c = 0;

  for (guint i = 0; i < n_word; i++)
    {
      gint64 j = submodel_lookup (sub, word[i]);
      if (j >= 0)
        idx[k++] = (guint32) j;
    }
  for (guint i = 0; i < n_char; i++)
    {
      gint64 j = submodel_lookup (sub, chars[i]);
      if (j >= 0)
        idx[k++] = (guint32) j;
    }

  qsort (idx, k, sizeof (guint32), compare_guint32);

  for (guint i = 0; i < k;)
    {
      guint j = i;
      double v;

      while (j < k && idx[j] == idx[i])
        j++;
      v = (1.0 + log ((double) (j - i))) * sub->idf[idx[i]];
      idx[m] = idx[i];
      val[m] = (float) v;
      if (idx[i] < sub->n_word)
        norm_w += v * v;
      else
        norm_c += v * v;
      m++;
      i = j;
    }

  norm_w = norm_w > 0 ? 1.0 / sqrt (norm_w) : 0;
  norm_c = norm_c > 0 ? f->char_weight / sqrt (norm_c) : 0;
  for (guint i = 0; i < m; i++)
    val[i] *= (float) (idx[i] < sub->n_word ? norm_w : norm_c);

  return m;
}

/* }}} */

/* GObject {{{ */

static void
sm_intent_model_finalize (GObject *object)
{
  SmIntentModel *self = (SmIntentModel *) object;

  for (guint i = 0; i < self->n_subs; i++)
    submodel_clear (&self->subs[i]);
  g_clear_pointer (&self->subs, g_free);
  g_clear_pointer (&self->labels, g_strfreev);

  G_OBJECT_CLASS (sm_intent_model_parent_class)->finalize (object);
}

static void
sm_intent_model_class_init (SmIntentModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_intent_model_finalize;
}

static void
sm_intent_model_init (SmIntentModel *self)
{
}

/* }}} */

/* Prediction {{{ */

static const Submodel *
pick_submodel (SmIntentModel *self,
               gboolean       han)
{
  for (guint i = 0; i < self->n_subs; i++)
    {
      guint8 s = self->subs[i].script;

      if (s == SCRIPT_ANY || (han && s == SCRIPT_HAN) || (!han && s == SCRIPT_OTHER))
        return &self->subs[i];
    }
  return &self->subs[0];
}

/* Which labels a text of this script may get: those trained on its script if
 * there are any, else every label of the submodel. */
static guint8
allowed_bits (const Submodel *sub,
              guint           n_labels,
              gboolean        han)
{
  guint8 want = han ? LABEL_HAN : LABEL_OTHER;

  for (guint c = 0; c < n_labels; c++)
    if (sub->label_mask[c] & want)
      return want;
  return LABEL_HAN | LABEL_OTHER;
}

typedef struct
{
  guint  label;
  double score;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->label < y->label ? -1 : (x->label > y->label);
}

/* Fills @scores (n_labels) with raw scores; masked labels get -INFINITY. */
static const Submodel *
score_text (SmIntentModel *self,
            const char    *text,
            double        *scores)
{
  g_autoptr(GArray) word = g_array_sized_new (FALSE, FALSE, sizeof (guint64), 64);
  g_autoptr(GArray) chars = g_array_sized_new (FALSE, FALSE, sizeof (guint64), 256);
  g_autofree guint32 *idx = NULL;
  g_autofree float *val = NULL;
  const Submodel *sub;
  gboolean han;
  guint8 allowed;
  guint m, L = self->n_labels;

  han = extract_grams (&self->features, text, word, chars);
  sub = pick_submodel (self, han);
  allowed = allowed_bits (sub, L, han);

  idx = g_new (guint32, word->len + chars->len + 1);
  val = g_new (float, word->len + chars->len + 1);
  m = vectorize (sub, &self->features,
                 (const guint64 *) (gpointer) word->data, word->len,
                 (const guint64 *) (gpointer) chars->data, chars->len, idx, val);

  for (guint c = 0; c < L; c++)
    scores[c] = sub->bias[c];

  for (guint i = 0; i < m; i++)
    {
      const gint8 *row = sub->w + (gsize) idx[i] * L;
      double s = (double) val[i] * sub->w_scale[idx[i]];

      if (s == 0)
        continue;
      for (guint c = 0; c < L; c++)
        scores[c] += s * row[c];
    }

  for (guint c = 0; c < L; c++)
    if ((sub->label_mask[c] & allowed) == 0)
      scores[c] = -INFINITY;

  return sub;
}

/* Softmax with temperature, in place; -INFINITY becomes 0. */
static void
softmax (double *scores,
         guint   n,
         double  temperature)
{
  double max = -INFINITY, sum = 0;

  for (guint c = 0; c < n; c++)
    max = MAX (max, scores[c]);
  if (!isfinite (max))
    {
      for (guint c = 0; c < n; c++)
        scores[c] = 0;
      return;
    }
  for (guint c = 0; c < n; c++)
    {
      scores[c] = isfinite (scores[c]) ? exp ((scores[c] - max) / temperature) : 0;
      sum += scores[c];
    }
  for (guint c = 0; c < n; c++)
    scores[c] /= sum;
}

/**
 * sm_intent_model_predict:
 * @self: a model
 * @text: an utterance (UTF-8; invalid bytes are replaced)
 * @out: (out caller-allocates) (array length=n_out): the best intents
 * @n_out: room in @out
 *
 * Ranks the intents for @text. Safe to call from several threads at once.
 *
 * Returns: the number of entries written to @out, best first
 */
guint
sm_intent_model_predict (SmIntentModel *self,
                         const char    *text,
                         SmIntentScore *out,
                         guint          n_out)
{
  g_autofree double *scores = NULL;
  g_autofree Ranked *ranked = NULL;
  const Submodel *sub;
  guint n_ranked = 0;

  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), 0);
  g_return_val_if_fail (text != NULL, 0);
  g_return_val_if_fail (out != NULL || n_out == 0, 0);

  if (n_out == 0 || self->n_labels == 0)
    return 0;

  scores = g_new (double, self->n_labels);
  sub = score_text (self, text, scores);

  /* Rank by raw score (a probability may underflow to 0), report the softmax. */
  ranked = g_new (Ranked, self->n_labels);
  for (guint c = 0; c < self->n_labels; c++)
    if (isfinite (scores[c]))
      {
        ranked[n_ranked].label = c;
        ranked[n_ranked].score = scores[c];
        n_ranked++;
      }
  softmax (scores, self->n_labels, sub->temperature);

  /* Partial selection: n_out is small. */
  n_out = MIN (n_out, n_ranked);
  for (guint i = 0; i < n_out; i++)
    {
      guint best = i;

      for (guint j = i + 1; j < n_ranked; j++)
        if (compare_ranked (&ranked[j], &ranked[best]) < 0)
          best = j;
      if (best != i)
        {
          Ranked t = ranked[i];
          ranked[i] = ranked[best];
          ranked[best] = t;
        }
      out[i].intent = self->labels[ranked[i].label];
      out[i].confidence = scores[ranked[i].label];
    }

  return n_out;
}

/**
 * sm_intent_model_get_labels:
 *
 * Returns: (transfer none) (array zero-terminated=1): every intent the model knows, sorted
 */
const char * const *
sm_intent_model_get_labels (SmIntentModel *self)
{
  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), NULL);

  return (const char * const *) self->labels;
}

guint
sm_intent_model_get_n_labels (SmIntentModel *self)
{
  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), 0);

  return self->n_labels;
}

/**
 * sm_intent_model_has_language:
 * @intent: an intent name
 * @han: %TRUE to ask about Chinese (Han) training texts, %FALSE for others
 *
 * Returns: whether @intent was trained on texts of that script
 */
gboolean
sm_intent_model_has_language (SmIntentModel *self,
                              const char    *intent,
                              gboolean       han)
{
  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), FALSE);
  g_return_val_if_fail (intent != NULL, FALSE);

  for (guint c = 0; c < self->n_labels; c++)
    {
      if (g_strcmp0 (self->labels[c], intent) != 0)
        continue;
      for (guint i = 0; i < self->n_subs; i++)
        if (self->subs[i].label_mask[c] & (han ? LABEL_HAN : LABEL_OTHER))
          return TRUE;
      return FALSE;
    }
  return FALSE;
}

/**
 * sm_intent_model_describe:
 *
 * Returns: (transfer full): a one-line summary of the model's settings
 */
char *
sm_intent_model_describe (SmIntentModel *self)
{
  GString *s;

  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "format %u, %u intents, words 1-%u, chars %u-%u, char weight %.2f",
                          SM_INTENT_MODEL_FORMAT_VERSION, self->n_labels,
                          self->features.word_max_n, self->features.char_min_n,
                          self->features.char_max_n, self->features.char_weight);
  for (guint i = 0; i < self->n_subs; i++)
    {
      const Submodel *sub = &self->subs[i];
      const char *script = sub->script == SCRIPT_HAN ? "han" :
                           sub->script == SCRIPT_OTHER ? "other" : "any";

      g_string_append_printf (s, "; %s: %u features, temperature %.3f",
                              script, sub->n_feat, sub->temperature);
    }
  return g_string_free (s, FALSE);
}

/* }}} */

/* CSV loading {{{ */

static gboolean
valid_label (const char *label)
{
  gsize len = strlen (label);

  if (len == 0 || len > 200)
    return FALSE;
  for (const char *p = label; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == ',')
        return FALSE;
    }
  return TRUE;
}

/**
 * sm_intent_load_csv:
 * @path: a CSV file with a header row naming a `text` column and a
 *   `category` (or `intent`, or `label`) column
 * @texts: (element-type utf8): texts are appended here
 * @labels: (element-type utf8): labels are appended here
 * @skip_bad: whether to skip bad rows (else nothing is appended if any row is bad)
 * @problems: (element-type utf8) (nullable): one message per bad row
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the rows were appended
 */
gboolean
sm_intent_load_csv (const char  *path,
                    GPtrArray   *texts,
                    GPtrArray   *labels,
                    gboolean     skip_bad,
                    GPtrArray   *problems,
                    GError     **error)
{
  g_autoptr(SmCsvReader) reader = NULL;
  g_autoptr(GPtrArray) new_texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) new_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) header = NULL;
  g_autoptr(GError) local_error = NULL;
  int text_col = -1, label_col = -1;
  guint line = 0, n_cols;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (texts != NULL && labels != NULL, FALSE);

  reader = sm_csv_reader_new_from_file (path, error);
  if (reader == NULL)
    return FALSE;

  if (!sm_csv_reader_next (reader, &header, &line, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS,
                     "%s: %s", path, local_error->message);
      else
        g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                     _("%s: the file is empty"), path);
      return FALSE;
    }

  n_cols = g_strv_length (header);
  for (guint i = 0; i < n_cols; i++)
    {
      g_autofree char *name = g_utf8_strdown (g_strstrip (header[i]), -1);

      if (g_str_equal (name, "text") || g_str_equal (name, "utterance"))
        text_col = i;
      else if (g_str_equal (name, "category") || g_str_equal (name, "intent") ||
               g_str_equal (name, "label"))
        label_col = i;
    }
  if (text_col < 0 || label_col < 0)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS,
                   _("%s:%u: the header row must name a “text” and a “category” column"),
                   path, line);
      return FALSE;
    }

  for (;;)
    {
      g_auto(GStrv) row = NULL;
      g_autoptr(GError) row_error = NULL;
      char *text, *label;

      if (!sm_csv_reader_next (reader, &row, &line, &row_error))
        {
          if (row_error == NULL)
            break;
          g_ptr_array_add (bad, g_strdup_printf ("%s: %s", path, row_error->message));
          continue;
        }

      if (g_strv_length (row) != n_cols)
        {
          g_ptr_array_add (bad, g_strdup_printf (_("%s: Line %u: expected %u fields, found %u"),
                                                 path, line, n_cols, g_strv_length (row)));
          continue;
        }

      text = g_strstrip (row[text_col]);
      label = g_strstrip (row[label_col]);
      if (*text == '\0')
        {
          g_ptr_array_add (bad, g_strdup_printf (_("%s: Line %u: the text is empty"), path, line));
          continue;
        }
      if (!valid_label (label))
        {
          g_ptr_array_add (bad, g_strdup_printf (_("%s: Line %u: “%s” is not a valid intent name"),
                                                 path, line, label));
          continue;
        }

      g_ptr_array_add (new_texts, g_strdup (text));
      g_ptr_array_add (new_labels, g_strdup (label));
    }

  if (problems != NULL)
    for (guint i = 0; i < bad->len; i++)
      g_ptr_array_add (problems, g_strdup (g_ptr_array_index (bad, i)));

  if (bad->len > 0 && !skip_bad)
    {
      g_autoptr(GString) msg = g_string_new (NULL);

      g_string_append_printf (msg, g_dngettext (GETTEXT_PACKAGE,
                                                "%s has %u bad row; nothing was loaded:",
                                                "%s has %u bad rows; nothing was loaded:",
                                                bad->len),
                              path, bad->len);
      for (guint i = 0; i < bad->len && i < 50; i++)
        g_string_append_printf (msg, "\n  %s", (const char *) g_ptr_array_index (bad, i));
      if (bad->len > 50)
        g_string_append (msg, "\n  …");
      g_set_error_literal (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS, msg->str);
      return FALSE;
    }

  for (guint i = 0; i < new_texts->len; i++)
    {
      g_ptr_array_add (texts, g_steal_pointer (&new_texts->pdata[i]));
      g_ptr_array_add (labels, g_steal_pointer (&new_labels->pdata[i]));
    }

  return TRUE;
}

/* }}} */

/* Training {{{ */

typedef struct
{
  guint64 *word;
  guint    n_word;
  guint64 *chars;
  guint    n_char;
  gboolean han;
} DocGrams;

typedef struct
{
  Features  features;
  guint     n_docs;
  DocGrams *docs;
  guint    *y;          /* global label index */
  guint     n_labels;
  GStrv     labels;
} Corpus;

static void
corpus_clear (Corpus *corpus)
{
  for (guint i = 0; i < corpus->n_docs; i++)
    {
      g_free (corpus->docs[i].word);
      g_free (corpus->docs[i].chars);
    }
  g_clear_pointer (&corpus->docs, g_free);
  g_clear_pointer (&corpus->y, g_free);
  g_clear_pointer (&corpus->labels, g_strfreev);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
check_options (const SmIntentTrainOptions *o,
               GError                    **error)
{
  if (o->word_max_n < 1 || o->word_max_n > MAX_NGRAM ||
      o->char_min_n < 1 || o->char_max_n < o->char_min_n || o->char_max_n > MAX_NGRAM ||
      o->min_df < 1 || !(o->char_weight >= 0) ||
      !(o->c_lr > 0) || !(o->c_cs > 0) || !(o->lr_share >= 0 && o->lr_share <= 1) ||
      !(o->temperature > 0) || !(o->stack_c > 0) ||
      (o->calibration != SM_INTENT_CALIBRATION_NONE &&
       (o->calibration_folds < 2 || o->calibration_folds > 20)) ||
      o->calibration > SM_INTENT_CALIBRATION_MATRIX ||
      (o->solver != SM_INTENT_SOLVER_LR && o->solver != SM_INTENT_SOLVER_CS &&
       o->solver != SM_INTENT_SOLVER_ENSEMBLE))
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_INVALID_OPTIONS,
                   _("Invalid training settings (n-gram ranges 1–%u, min df ≥ 1, C > 0, "
                     "LR share 0–1, calibration folds 2–20)"), MAX_NGRAM);
      return FALSE;
    }
  return TRUE;
}

static gboolean
corpus_init (Corpus                     *corpus,
             GPtrArray                  *texts,
             GPtrArray                  *labels,
             const SmIntentTrainOptions *options,
             GError                    **error)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) c = g_array_new (FALSE, FALSE, sizeof (guint64));

  memset (corpus, 0, sizeof *corpus);

  if (!check_options (options, error))
    return FALSE;

  if (texts == NULL || labels == NULL || texts->len != labels->len || texts->len < 2)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("Training needs at least two labelled texts"));
      return FALSE;
    }

  corpus->features.word_max_n = options->word_max_n;
  corpus->features.char_min_n = options->char_min_n;
  corpus->features.char_max_n = options->char_max_n;
  corpus->features.char_weight = (float) options->char_weight;

  /* Labels, sorted and unique */
  sorted = g_ptr_array_new ();
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);

      g_return_val_if_fail (label != NULL && g_ptr_array_index (texts, i) != NULL, FALSE);
      if (!g_hash_table_contains (ids, label))
        {
          g_hash_table_add (ids, (gpointer) label);
          g_ptr_array_add (sorted, (gpointer) label);
        }
    }
  if (sorted->len < 2)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("Training needs at least two different intents"));
      return FALSE;
    }
  g_ptr_array_sort (sorted, compare_strings);
  corpus->n_labels = sorted->len;
  corpus->labels = g_new0 (char *, sorted->len + 1);
  for (guint i = 0; i < sorted->len; i++)
    {
      corpus->labels[i] = g_strdup (g_ptr_array_index (sorted, i));
      g_hash_table_insert (ids, g_ptr_array_index (sorted, i), GUINT_TO_POINTER (i));
    }

  corpus->n_docs = texts->len;
  corpus->docs = g_new0 (DocGrams, texts->len);
  corpus->y = g_new0 (guint, texts->len);
  for (guint i = 0; i < texts->len; i++)
    {
      DocGrams *d = &corpus->docs[i];

      g_array_set_size (w, 0);
      g_array_set_size (c, 0);
      d->han = extract_grams (&corpus->features, g_ptr_array_index (texts, i), w, c);
      d->n_word = w->len;
      d->word = g_memdup2 (w->data, w->len * sizeof (guint64));
      d->n_char = c->len;
      d->chars = g_memdup2 (c->data, c->len * sizeof (guint64));
      corpus->y[i] = GPOINTER_TO_UINT (g_hash_table_lookup (ids, g_ptr_array_index (labels, i)));
    }

  return TRUE;
}

/* Float weights of one trained learner, n_feat x n_labels and n_labels. */
typedef struct
{
  float *w;
  float *bias;
} Weights;

static void
weights_clear (Weights *wt)
{
  g_clear_pointer (&wt->w, g_free);
  g_clear_pointer (&wt->bias, g_free);
}

/* Builds the vocabulary, IDF, label mask and lookup table of @sub from the
 * documents @rows. */
static void
submodel_fit_vocabulary (Submodel     *sub,
                         const Corpus *corpus,
                         const guint  *rows,
                         guint         n_rows,
                         guint         min_df)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) dfs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) uniq = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint n_word = 0;

  sub->label_mask = g_new0 (guint8, corpus->n_labels);

  /* Each document's distinct keys, all together; then count runs. */
  for (guint r = 0; r < n_rows; r++)
    {
      const DocGrams *d = &corpus->docs[rows[r]];

      sub->label_mask[corpus->y[rows[r]]] |= d->han ? LABEL_HAN : LABEL_OTHER;

      g_array_set_size (uniq, 0);
      g_array_append_vals (uniq, d->word, d->n_word);
      g_array_append_vals (uniq, d->chars, d->n_char);
      g_array_sort (uniq, compare_guint64);
      for (guint i = 0; i < uniq->len; i++)
        {
          guint64 h = g_array_index (uniq, guint64, i);

          if (i == 0 || h != g_array_index (uniq, guint64, i - 1))
            g_array_append_val (all, h);
        }
    }
  g_array_sort (all, compare_guint64);

  for (guint i = 0; i < all->len;)
    {
      guint j = i;

      while (j < all->len && g_array_index (all, guint64, j) == g_array_index (all, guint64, i))
        j++;
      if (j - i >= min_df)
        {
          guint df = j - i;

          g_array_append_val (keys, g_array_index (all, guint64, i));
          g_array_append_val (dfs, df);
        }
      i = j;
    }

  /* Word keys (odd) first, then char keys; sorted within each block. */
  sub->n_feat = keys->len;
  sub->hashes = g_new (guint64, MAX (keys->len, 1));
  sub->idf = g_new (float, MAX (keys->len, 1));
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < keys->len; i++)
      {
        guint64 h = g_array_index (keys, guint64, i);

        if ((h & 1) == (pass == 0 ? 1u : 0u))
          {
            guint df = g_array_index (dfs, guint, i);

            sub->idf[n_word] = (float) (log ((1.0 + n_rows) / (1.0 + df)) + 1.0);
            sub->hashes[n_word++] = h;
            if (pass == 0)
              sub->n_word = n_word;
          }
      }

  submodel_build_table (sub);
}

static void
silent_print (const char *s)
{
}

typedef struct
{
  struct problem      prob;
  struct feature_node *space;
} Problem;

static void
problem_clear (Problem *p)
{
  g_clear_pointer (&p->prob.x, g_free);
  g_clear_pointer (&p->prob.y, g_free);
  g_clear_pointer (&p->space, g_free);
}

static void
problem_build (Problem        *p,
               const Submodel *sub,
               const Corpus   *corpus,
               const guint    *rows,
               guint           n_rows)
{
  gsize total = 0, pos = 0;
  guint max_len = 1;
  g_autofree guint32 *idx = NULL;
  g_autofree float *val = NULL;

  for (guint r = 0; r < n_rows; r++)
    {
      const DocGrams *d = &corpus->docs[rows[r]];
      max_len = MAX (max_len, d->n_word + d->n_char);
      total += d->n_word + d->n_char + 2;
    }

  idx = g_new (guint32, max_len);
  val = g_new (float, max_len);
  p->space = g_new (struct feature_node, total);
  p->prob.l = n_rows;
  p->prob.n = sub->n_feat + 1;
  p->prob.bias = 1.0;
  p->prob.y = g_new (double, n_rows);
  p->prob.x = g_new (struct feature_node *, n_rows);

  for (guint r = 0; r < n_rows; r++)
    {
      const DocGrams *d = &corpus->docs[rows[r]];
      guint m = vectorize (sub, &corpus->features, d->word, d->n_word, d->chars, d->n_char,
                           idx, val);

      p->prob.y[r] = corpus->y[rows[r]];
      p->prob.x[r] = &p->space[pos];
      for (guint i = 0; i < m; i++)
        {
          p->space[pos].index = idx[i] + 1;
          p->space[pos].value = val[i];
          pos++;
        }
      p->space[pos].index = sub->n_feat + 1;
      p->space[pos].value = 1.0;
      pos++;
      p->space[pos].index = -1;
      p->space[pos].value = 0;
      pos++;
    }
}

static void
train_learner (const Problem  *p,
               const Submodel *sub,
               guint           n_labels,
               int             solver,
               double          C,
               gboolean        balanced,
               Weights        *out)
{
  struct parameter param = { 0 };
  struct model *model;
  int nr_class;
  g_autofree guint *counts = g_new0 (guint, n_labels);
  g_autofree int *weight_label = g_new0 (int, n_labels);
  g_autofree double *weight = g_new0 (double, n_labels);

  out->w = g_new0 (float, (gsize) MAX (sub->n_feat, 1) * n_labels);
  out->bias = g_new0 (float, n_labels);

  param.solver_type = solver;
  param.C = C;
  param.eps = solver == MCSVM_CS ? 0.1 : 0.01;
  param.p = 0.1;

  if (balanced)
    {
      guint present = 0;

      for (int i = 0; i < p->prob.l; i++)
        counts[(guint) p->prob.y[i]]++;
      for (guint c = 0; c < n_labels; c++)
        present += counts[c] > 0;
      for (guint c = 0; c < n_labels; c++)
        if (counts[c] > 0)
          {
            weight_label[param.nr_weight] = c;
            weight[param.nr_weight] = (double) p->prob.l / ((double) present * counts[c]);
            param.nr_weight++;
          }
      param.weight_label = weight_label;
      param.weight = weight;
    }

  set_print_string_function (silent_print);
  if (solver == MCSVM_CS)
    {
      /* liblinear's Crammer-Singer solver shuffles with rand(), whose state is
       * global: serialise it and reseed so that training is reproducible. */
      static GMutex rand_lock;

      g_mutex_lock (&rand_lock);
      srand (1);
      model = train (&p->prob, &param);
      g_mutex_unlock (&rand_lock);
    }
  else
    {
      model = train (&p->prob, &param);
    }
  nr_class = get_nr_class (model);

  if (nr_class >= 2)
    {
      for (int k = 0; k < nr_class; k++)
        {
          guint c = (guint) model->label[k];

          for (guint f = 0; f < sub->n_feat; f++)
            out->w[(gsize) f * n_labels + c] = (float) get_decfun_coef (model, f + 1, k);
          out->bias[c] = (float) get_decfun_coef (model, sub->n_feat + 1, k);
        }
    }

  free_and_destroy_model (&model);
}

static double
learner_weight (const SmIntentTrainOptions *o,
                gboolean                    lr)
{
  switch (o->solver)
    {
    case SM_INTENT_SOLVER_LR:
      return lr ? 1.0 : 0.0;
    case SM_INTENT_SOLVER_CS:
      return lr ? 0.0 : 1.0;
    case SM_INTENT_SOLVER_ENSEMBLE:
      return lr ? o->lr_share : 1.0 - o->lr_share;
    default:
      g_assert_not_reached ();
    }
  return 0;
}

/* Combines the learners, applies the matrix scaling (if any) and quantises
 * to int8 with a scale per row. */
static void
submodel_set_weights (Submodel                   *sub,
                      guint                       n_labels,
                      const SmIntentTrainOptions *o,
                      const Weights              *lr,
                      const Weights              *cs,
                      const guint                *local,
                      guint                       K,
                      const double               *M,
                      const double               *mb)
{
  double a = learner_weight (o, TRUE), b = learner_weight (o, FALSE);
  g_autofree float *row = g_new (float, n_labels);
  g_autofree float *mixed = g_new (float, n_labels);

  sub->bias = g_new0 (float, n_labels);
  sub->w_scale = g_new0 (float, MAX (sub->n_feat, 1));
  sub->w = g_new0 (gint8, (gsize) MAX (sub->n_feat, 1) * n_labels);

  for (gint f = -1; f < (gint) sub->n_feat; f++)
    {
      float max = 0;

      /* f == -1 is the bias */
      for (guint c = 0; c < n_labels; c++)
        {
          gsize k = (gsize) f * n_labels + c;

          if (f < 0)
            row[c] = (float) ((lr->bias ? a * lr->bias[c] : 0) + (cs->bias ? b * cs->bias[c] : 0));
          else
            row[c] = (float) ((lr->w ? a * lr->w[k] : 0) + (cs->w ? b * cs->w[k] : 0));
        }

      if (M != NULL)
        {
          memcpy (mixed, row, sizeof (float) * n_labels);
          memset (row, 0, sizeof (float) * n_labels);
          for (guint k = 0; k < K; k++)
            {
              const double *m = M + (gsize) k * K;
              double v = f < 0 ? mb[k] : 0;

              for (guint j = 0; j < K; j++)
                v += m[j] * mixed[local[j]];
              row[local[k]] = (float) v;
            }
        }

      if (f < 0)
        {
          memcpy (sub->bias, row, sizeof (float) * n_labels);
          continue;
        }

      for (guint c = 0; c < n_labels; c++)
        max = MAX (max, fabsf (row[c]));
      sub->w_scale[f] = max / 127.0f;
      if (max > 0)
        for (guint c = 0; c < n_labels; c++)
          sub->w[(gsize) f * n_labels + c] = (gint8) lrintf (row[c] * 127.0f / max);
    }
}

/* A submodel trained on @rows, with both learners' float weights kept. */
typedef struct
{
  Submodel sub;
  Weights  lr;
  Weights  cs;
} Trained;

typedef struct
{
  const Problem  *problem;
  const Submodel *sub;
  guint           n_labels;
  int             solver;
  double          C;
  gboolean        balanced;
  Weights        *out;
} LearnerJob;

static gpointer
learner_thread (gpointer data)
{
  LearnerJob *job = data;

  train_learner (job->problem, job->sub, job->n_labels, job->solver, job->C, job->balanced,
                 job->out);
  return NULL;
}

static void
trained_fit (Trained                    *t,
             const Corpus               *corpus,
             const guint                *rows,
             guint                       n_rows,
             const SmIntentTrainOptions *o,
             gboolean                    parallel)
{
  Problem p = { { 0 }, NULL };
  gboolean need_lr = learner_weight (o, TRUE) > 0;
  gboolean need_cs = learner_weight (o, FALSE) > 0;
  LearnerJob jobs[2] = {
    { &p, &t->sub, corpus->n_labels, L2R_LR, o->c_lr, o->balanced, &t->lr },
    { &p, &t->sub, corpus->n_labels, MCSVM_CS, o->c_cs, o->balanced, &t->cs },
  };

  memset (t, 0, sizeof *t);
  submodel_fit_vocabulary (&t->sub, corpus, rows, n_rows, o->min_df);
  problem_build (&p, &t->sub, corpus, rows, n_rows);

  if (need_lr && need_cs && parallel)
    {
      GThread *thread = g_thread_new ("sm-intent-cs", learner_thread, &jobs[1]);
      learner_thread (&jobs[0]);
      g_thread_join (thread);
    }
  else
    {
      if (need_lr)
        learner_thread (&jobs[0]);
      if (need_cs)
        learner_thread (&jobs[1]);
    }

  problem_clear (&p);
}

static void
trained_clear (Trained *t)
{
  submodel_clear (&t->sub);
  weights_clear (&t->lr);
  weights_clear (&t->cs);
}

/* Out-of-fold scores {{{ */

typedef struct
{
  const Corpus               *corpus;
  const SmIntentTrainOptions *options;
  const guint                *rows;    /* the subset being cross-validated */
  guint                       n_rows;
  const guint                *fold;    /* fold of each row of the subset */
  guint                       k;
  float                      *s_lr;    /* n_docs x n_labels, indexed by document */
  float                      *s_cs;
} CvJob;

static void
cv_fold (CvJob *job,
         guint  k)
{
  const Corpus *corpus = job->corpus;
  guint L = corpus->n_labels;
  g_autofree guint *train_rows = g_new (guint, job->n_rows);
  g_autofree guint32 *idx = NULL;
  g_autofree float *val = NULL;
  guint n_train = 0, max_len = 1;
  Trained t;
  gboolean parts[2] = { TRUE, FALSE };

  for (guint r = 0; r < job->n_rows; r++)
    {
      const DocGrams *d = &corpus->docs[job->rows[r]];

      max_len = MAX (max_len, d->n_word + d->n_char);
      if (job->fold[r] != k)
        train_rows[n_train++] = job->rows[r];
    }

  trained_fit (&t, corpus, train_rows, n_train, job->options, FALSE);

  idx = g_new (guint32, max_len);
  val = g_new (float, max_len);

  for (guint r = 0; r < job->n_rows; r++)
    {
      const DocGrams *d;
      guint m;

      if (job->fold[r] != k)
        continue;

      d = &corpus->docs[job->rows[r]];
      m = vectorize (&t.sub, &corpus->features, d->word, d->n_word, d->chars, d->n_char,
                     idx, val);

      for (guint part = 0; part < 2; part++)
        {
          const Weights *wt = parts[part] ? &t.lr : &t.cs;
          float *s = (parts[part] ? job->s_lr : job->s_cs) + (gsize) job->rows[r] * L;
          guint8 allowed = allowed_bits (&t.sub, L, d->han);

          if (wt->w == NULL)
            continue;
          for (guint c = 0; c < L; c++)
            s[c] = wt->bias[c];
          for (guint i = 0; i < m; i++)
            {
              const float *row = wt->w + (gsize) idx[i] * L;
              for (guint c = 0; c < L; c++)
                s[c] += val[i] * row[c];
            }
          for (guint c = 0; c < L; c++)
            if ((t.sub.label_mask[c] & allowed) == 0)
              s[c] = -INFINITY;
        }
    }

  trained_clear (&t);
}

typedef struct
{
  CvJob *job;
  guint  k;
} CvTask;

static void
cv_pool_func (gpointer data,
              gpointer user_data)
{
  CvTask *task = data;

  cv_fold (task->job, task->k);
}

/* Stratified folds over @rows: each label's rows are dealt round robin. */
static guint *
make_folds (const guint *y,
            guint        n_labels,
            const guint *rows,
            guint        n_rows,
            guint        k,
            guint        seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint *order = g_new (guint, n_rows);
  g_autofree guint *next = g_new0 (guint, n_labels);
  guint *fold = g_new0 (guint, n_rows);
  guint offset = 0;

  for (guint r = 0; r < n_rows; r++)
    order[r] = r;
  for (guint r = n_rows; r > 1; r--)
    {
      guint j = g_rand_int_range (rand, 0, r);
      guint t = order[r - 1];
      order[r - 1] = order[j];
      order[j] = t;
    }
  /* Start each label at a different fold so small folds stay balanced. */
  for (guint c = 0; c < n_labels; c++)
    next[c] = offset++ % k;
  for (guint r = 0; r < n_rows; r++)
    {
      guint c = y[rows[order[r]]];
      fold[order[r]] = next[c]++ % k;
    }

  return fold;
}

static void
out_of_fold_scores (const Corpus               *corpus,
                    const SmIntentTrainOptions *options,
                    const guint                *rows,
                    guint                       n_rows,
                    guint                       k,
                    guint                       seed,
                    float                      *s_lr,
                    float                      *s_cs)
{
  g_autofree guint *fold = make_folds (corpus->y, corpus->n_labels, rows, n_rows, k, seed);
  g_autofree CvTask *tasks = g_new (CvTask, k);
  CvJob job = { corpus, options, rows, n_rows, fold, k, s_lr, s_cs };
  GThreadPool *pool;

  pool = g_thread_pool_new (cv_pool_func, NULL, MAX (options->threads, 1), TRUE, NULL);
  for (guint i = 0; i < k; i++)
    {
      tasks[i].job = &job;
      tasks[i].k = i;
      g_thread_pool_push (pool, &tasks[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
}

/* }}} */

/* Scores of the learners combined as the options say. */
static float *
combine_scores (const float                *s_lr,
                const float                *s_cs,
                gsize                       n,
                double                      a,
                double                      b)
{
  float *s = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    {
      float v = 0;

      if (!isfinite (s_lr[i]) || !isfinite (s_cs[i]))
        v = -INFINITY;
      else
        v = (float) (a * s_lr[i] + b * s_cs[i]);
      s[i] = v;
    }
  return s;
}

static double
mean_nll (const float *s,
          guint        L,
          const guint *rows,
          guint        n_rows,
          const guint *y,
          double       temperature)
{
  double total = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      const float *row = s + (gsize) rows[r] * L;
      double max = -INFINITY, sum = 0, p;

      for (guint c = 0; c < L; c++)
        max = MAX (max, row[c]);
      for (guint c = 0; c < L; c++)
        if (isfinite (row[c]))
          sum += exp ((row[c] - max) / temperature);
      p = isfinite (row[y[rows[r]]]) ? exp ((row[y[rows[r]]] - max) / temperature) / sum : 0;
      total += -log (MAX (p, 1e-12));
    }
  return n_rows > 0 ? total / n_rows : 0;
}

/* Golden-section search of log T. */
static double
fit_temperature (const float *s,
                 guint        L,
                 const guint *rows,
                 guint        n_rows,
                 const guint *y)
{
  const double phi = (sqrt (5.0) - 1) / 2;
  double lo = log (1e-3), hi = log (1e3);
  double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
  double f1 = mean_nll (s, L, rows, n_rows, y, exp (x1));
  double f2 = mean_nll (s, L, rows, n_rows, y, exp (x2));

  if (n_rows == 0)
    return 1.0;

  for (guint i = 0; i < 40; i++)
    {
      if (f1 < f2)
        {
          hi = x2;
          x2 = x1;
          f2 = f1;
          x1 = hi - phi * (hi - lo);
          f1 = mean_nll (s, L, rows, n_rows, y, exp (x1));
        }
      else
        {
          lo = x1;
          x1 = x2;
          f1 = f2;
          x2 = lo + phi * (hi - lo);
          f2 = mean_nll (s, L, rows, n_rows, y, exp (x2));
        }
    }
  return exp ((lo + hi) / 2);
}

static void
evaluate_scores (const float        *s,
                 guint               L,
                 const guint        *rows,
                 guint               n_rows,
                 const guint        *y,
                 double              temperature,
                 SmIntentEvalResult *result)
{
  guint hits[3] = { 0, 0, 0 };
  g_autofree guint *per_class = g_new0 (guint, L * 3);
  double b1 = 0, b3 = 0;
  guint present = 0;

  for (guint r = 0; r < n_rows; r++)
    {
      const float *row = s + (gsize) rows[r] * L;
      guint truth = y[rows[r]];
      guint rank = 0;

      /* Rank of the true label: labels scoring higher, ties broken by index. */
      for (guint c = 0; c < L; c++)
        if (row[c] > row[truth] || (row[c] == row[truth] && c < truth))
          rank++;
      if (!isfinite (row[truth]))
        rank = L;
      per_class[truth * 3]++;
      if (rank < 1)
        {
          hits[0]++;
          per_class[truth * 3 + 1]++;
        }
      if (rank < 3)
        {
          hits[1]++;
          per_class[truth * 3 + 2]++;
        }
      if (rank < 5)
        hits[2]++;
    }

  for (guint c = 0; c < L; c++)
    if (per_class[c * 3] > 0)
      {
        present++;
        b1 += (double) per_class[c * 3 + 1] / per_class[c * 3];
        b3 += (double) per_class[c * 3 + 2] / per_class[c * 3];
      }

  result->n = n_rows;
  result->top1 = n_rows ? (double) hits[0] / n_rows : 0;
  result->top3 = n_rows ? (double) hits[1] / n_rows : 0;
  result->top5 = n_rows ? (double) hits[2] / n_rows : 0;
  result->btop1 = present ? b1 / present : 0;
  result->btop3 = present ? b3 / present : 0;
  result->nll = mean_nll (s, L, rows, n_rows, y, temperature);
}

/* Matrix scaling {{{
 *
 * A multinomial logistic regression from the out-of-fold decision values of
 * the submodel's K intents to those K intents (Guo et al. 2017 call it matrix
 * scaling): it makes one-vs-rest scores comparable across intents and turns
 * them into calibrated probabilities. It is linear, so it folds into the
 * weights. Fitted by L-BFGS with an L2 penalty 1/(2 C n) on the matrix. */

typedef struct
{
  guint         n;
  guint         K;
  const double *x;       /* n x K */
  const guint  *y;       /* n, local labels */
  double        lambda;
} MsProblem;

static double
ms_eval (const MsProblem *p,
         const double    *theta,
         double          *grad)
{
  guint K = p->K;
  const double *W = theta, *b = theta + (gsize) K * K;
  double *gW = grad, *gb = grad + (gsize) K * K;
  g_autofree double *z = g_new (double, K);
  double f = 0;

  memset (grad, 0, sizeof (double) * ((gsize) K * K + K));

  for (guint i = 0; i < p->n; i++)
    {
      const double *x = p->x + (gsize) i * K;
      double max = -INFINITY, sum = 0;

      for (guint k = 0; k < K; k++)
        {
          const double *w = W + (gsize) k * K;
          double v = b[k];

          for (guint j = 0; j < K; j++)
            v += w[j] * x[j];
          z[k] = v;
          max = MAX (max, v);
        }
      for (guint k = 0; k < K; k++)
        {
          z[k] = exp (z[k] - max);
          sum += z[k];
        }
      f += -log (MAX (z[p->y[i]] / sum, 1e-300));
      for (guint k = 0; k < K; k++)
        {
          double g = z[k] / sum - (k == p->y[i] ? 1.0 : 0.0);
          double *gw = gW + (gsize) k * K;

          gb[k] += g;
          for (guint j = 0; j < K; j++)
            gw[j] += g * x[j];
        }
    }

  f /= p->n;
  for (gsize k = 0; k < (gsize) K * K + K; k++)
    grad[k] /= p->n;
  for (gsize k = 0; k < (gsize) K * K; k++)
    {
      f += 0.5 * p->lambda * W[k] * W[k];
      grad[k] += p->lambda * W[k];
    }
  return f;
}

static double
dot (const double *a,
     const double *b,
     gsize         n)
{
  double s = 0;

  for (gsize i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

#define LBFGS_M 8

/* Intents with fewer texts are left out of matrix scaling. */
#define MS_MIN_TEXTS 20

static void
ms_minimize (const MsProblem *p,
             double          *theta,
             guint            max_iter)
{
  gsize dim = (gsize) p->K * p->K + p->K;
  g_autofree double *g = g_new (double, dim);
  g_autofree double *g_new_ = g_new (double, dim);
  g_autofree double *theta_new = g_new (double, dim);
  g_autofree double *d = g_new (double, dim);
  g_autofree double *S = g_new (double, dim * LBFGS_M);
  g_autofree double *Y = g_new (double, dim * LBFGS_M);
  double rho[LBFGS_M], alpha[LBFGS_M];
  guint n_mem = 0, head = 0;
  double f = ms_eval (p, theta, g);

  for (guint iter = 0; iter < max_iter; iter++)
    {
      double gd, step = 1.0, f_new = f, gmax = 0;
      guint tries;

      for (gsize i = 0; i < dim; i++)
        gmax = MAX (gmax, fabs (g[i]));
      if (gmax < 1e-6)
        break;

      /* Two-loop recursion: d = -H g */
      for (gsize i = 0; i < dim; i++)
        d[i] = -g[i];
      for (guint m = 0; m < n_mem; m++)
        {
          guint k = (head + LBFGS_M - 1 - m) % LBFGS_M;
          alpha[k] = rho[k] * dot (S + k * dim, d, dim);
          for (gsize i = 0; i < dim; i++)
            d[i] -= alpha[k] * Y[k * dim + i];
        }
      if (n_mem > 0)
        {
          guint k = (head + LBFGS_M - 1) % LBFGS_M;
          double gamma = dot (S + k * dim, Y + k * dim, dim) / dot (Y + k * dim, Y + k * dim, dim);
          for (gsize i = 0; i < dim; i++)
            d[i] *= gamma;
        }
      else
        {
          step = 1.0 / MAX (gmax, 1.0);
        }
      for (guint m = n_mem; m > 0; m--)
        {
          guint k = (head + LBFGS_M - m) % LBFGS_M;
          double beta = rho[k] * dot (Y + k * dim, d, dim);
          for (gsize i = 0; i < dim; i++)
            d[i] += (alpha[k] - beta) * S[k * dim + i];
        }

      gd = dot (g, d, dim);
      if (!(gd < 0))
        {
          for (gsize i = 0; i < dim; i++)
            d[i] = -g[i];
          gd = -dot (g, g, dim);
          n_mem = 0;
          step = 1.0 / MAX (gmax, 1.0);
        }

      /* Backtracking (Armijo) line search */
      for (tries = 0; tries < 40; tries++)
        {
          for (gsize i = 0; i < dim; i++)
            theta_new[i] = theta[i] + step * d[i];
          f_new = ms_eval (p, theta_new, g_new_);
          if (f_new <= f + 1e-4 * step * gd)
            break;
          step *= 0.5;
        }
      if (tries == 40)
        break;

      /* Remember the curvature pair */
      {
        double *s_k = S + head * dim, *y_k = Y + head * dim, sy;

        for (gsize i = 0; i < dim; i++)
          {
            s_k[i] = theta_new[i] - theta[i];
            y_k[i] = g_new_[i] - g[i];
          }
        sy = dot (s_k, y_k, dim);
        if (sy > 1e-12)
          {
            rho[head] = 1.0 / sy;
            head = (head + 1) % LBFGS_M;
            n_mem = MIN (n_mem + 1, LBFGS_M);
          }
      }

      memcpy (theta, theta_new, sizeof (double) * dim);
      memcpy (g, g_new_, sizeof (double) * dim);
      if (f - f_new < 1e-9 * MAX (1.0, fabs (f)))
        {
          f = f_new;
          break;
        }
      f = f_new;
    }
}

/* Fits matrix scaling on the out-of-fold scores @s of @rows. Returns the
 * matrix (K x K, K = number of @local labels) and writes the bias to @b. */
static double *
fit_matrix_scaling (const float  *s,
                    guint         L,
                    const guint  *rows,
                    guint         n_rows,
                    const guint  *y,
                    const guint  *local,
                    guint         K,
                    double        C,
                    double        temperature,
                    double       *b)
{
  g_autofree double *x = g_new (double, (gsize) n_rows * K);
  g_autofree guint *yl = g_new (guint, n_rows);
  g_autofree gint *to_local = g_new (gint, L);
  double *theta = g_new0 (double, (gsize) K * K + K);
  MsProblem p = { n_rows, K, x, yl, 1.0 / (C * MAX (n_rows, 1)) };

  for (guint c = 0; c < L; c++)
    to_local[c] = -1;
  for (guint k = 0; k < K; k++)
    to_local[local[k]] = k;

  for (guint r = 0; r < n_rows; r++)
    {
      const float *row = s + (gsize) rows[r] * L;
      double min = 0;

      for (guint k = 0; k < K; k++)
        if (isfinite (row[local[k]]))
          min = MIN (min, row[local[k]]);
      /* Inputs are the temperature-scaled scores, so that the penalty means
       * the same for learners whose scores have different scales. */
      for (guint k = 0; k < K; k++)
        x[(gsize) r * K + k] = (isfinite (row[local[k]]) ? row[local[k]] : min - 1.0) / temperature;
      g_assert (to_local[y[rows[r]]] >= 0);
      yl[r] = to_local[y[rows[r]]];
    }

  /* Start from temperature scaling. */
  for (guint k = 0; k < K; k++)
    theta[(gsize) k * K + k] = 1.0;

  ms_minimize (&p, theta, 300);

  /* The penalty leaves the matrix a little too cautious: fit a temperature on
   * the scaled out-of-fold scores and fold it in. */
  {
    g_autofree float *z = g_new (float, (gsize) n_rows * K);
    g_autofree guint *all_rows = g_new (guint, n_rows);
    double t;

    for (guint r = 0; r < n_rows; r++)
      {
        all_rows[r] = r;
        for (guint k = 0; k < K; k++)
          {
            double v = theta[(gsize) K * K + k];

            for (guint j = 0; j < K; j++)
              v += theta[(gsize) k * K + j] * x[(gsize) r * K + j];
            z[(gsize) r * K + k] = (float) v;
          }
      }
    t = fit_temperature (z, K, all_rows, n_rows, yl);
    for (gsize i = 0; i < (gsize) K * K + K; i++)
      theta[i] /= t;
  }

  /* An intent with few texts (say, one an agent added as a correction) has
   * too little out-of-fold evidence: the matrix would learn to bury it. It
   * keeps plain temperature scaling of its own score instead. */
  {
    g_autofree guint *count = g_new0 (guint, K);

    for (guint r = 0; r < n_rows; r++)
      count[yl[r]]++;
    for (guint k = 0; k < K; k++)
      if (count[k] < MS_MIN_TEXTS)
        {
          for (guint j = 0; j < K; j++)
            theta[(gsize) k * K + j] = j == k ? 1.0 : 0.0;
          theta[(gsize) K * K + k] = 0;
        }
  }

  /* Back to raw scores: the matrix applies to score / temperature. */
  for (gsize i = 0; i < (gsize) K * K; i++)
    theta[i] /= temperature;

  memcpy (b, theta + (gsize) K * K, sizeof (double) * K);
  return theta;
}

/* }}} */

/* Rows of the corpus split by script, for per-script models. */
static void
split_rows (const Corpus *corpus,
            GArray       *han,
            GArray       *other)
{
  for (guint i = 0; i < corpus->n_docs; i++)
    g_array_append_val (corpus->docs[i].han ? han : other, i);
}

static SmIntentModel *
model_new_from_corpus (Corpus *corpus)
{
  SmIntentModel *self = g_object_new (SM_TYPE_INTENT_MODEL, NULL);

  self->features = corpus->features;
  self->labels = g_steal_pointer (&corpus->labels);
  self->n_labels = corpus->n_labels;
  return self;
}

/**
 * sm_intent_train_options_init:
 * @options: (out caller-allocates): options to fill in
 *
 * Fills @options with the settings chosen by cross-validation.
 */
void
sm_intent_train_options_init (SmIntentTrainOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->word_max_n = 2;
  options->char_min_n = 2;
  options->char_max_n = 5;
  options->min_df = 2;
  options->char_weight = 1.0;
  options->solver = SM_INTENT_SOLVER_ENSEMBLE;
  options->c_lr = 10.0;
  options->c_cs = 0.5;
  options->lr_share = 0.5;
  options->balanced = TRUE;
  options->languages = SM_INTENT_LANGUAGES_PER_SCRIPT;
  options->calibration = SM_INTENT_CALIBRATION_MATRIX;
  options->calibration_folds = 3;
  options->stack_c = 0.007;
  options->temperature = 1.0;
  options->threads = 2;
}

/**
 * sm_intent_model_train:
 * @texts: (element-type utf8): utterances
 * @labels: (element-type utf8): their intents
 * @options: (nullable): settings, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a trained model
 */
SmIntentModel *
sm_intent_model_train (GPtrArray                  *texts,
                       GPtrArray                  *labels,
                       const SmIntentTrainOptions *options,
                       GError                    **error)
{
  g_autoptr(SmIntentModel) self = NULL;
  g_autoptr(GArray) han = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) other = g_array_new (FALSE, FALSE, sizeof (guint));
  SmIntentTrainOptions defaults;
  Corpus corpus;
  GArray *groups[2];
  guint8 scripts[2];
  guint n_groups = 0;

  if (options == NULL)
    {
      sm_intent_train_options_init (&defaults);
      options = &defaults;
    }

  if (!corpus_init (&corpus, texts, labels, options, error))
    {
      corpus_clear (&corpus);
      return NULL;
    }

  if (options->languages == SM_INTENT_LANGUAGES_PER_SCRIPT)
    {
      split_rows (&corpus, han, other);
      if (other->len > 0)
        {
          groups[n_groups] = other;
          scripts[n_groups++] = han->len > 0 ? SCRIPT_OTHER : SCRIPT_ANY;
        }
      if (han->len > 0)
        {
          groups[n_groups] = han;
          scripts[n_groups++] = other->len > 0 ? SCRIPT_HAN : SCRIPT_ANY;
        }
    }
  else
    {
      for (guint i = 0; i < corpus.n_docs; i++)
        g_array_append_val (other, i);
      groups[n_groups] = other;
      scripts[n_groups++] = SCRIPT_ANY;
    }

  self = model_new_from_corpus (&corpus);
  self->n_subs = n_groups;
  self->subs = g_new0 (Submodel, n_groups);

  for (guint g = 0; g < n_groups; g++)
    {
      const guint *rows = (const guint *) (gpointer) groups[g]->data;
      guint n_rows = groups[g]->len;
      Submodel *sub = &self->subs[g];
      Trained t;
      double temperature = options->temperature;
      g_autofree guint *local = g_new (guint, corpus.n_labels);
      g_autofree double *M = NULL;
      g_autofree double *mb = g_new0 (double, corpus.n_labels);
      g_autofree gboolean *present = g_new0 (gboolean, corpus.n_labels);
      guint K = 0;

      for (guint r = 0; r < n_rows; r++)
        present[corpus.y[rows[r]]] = TRUE;
      for (guint c = 0; c < corpus.n_labels; c++)
        if (present[c])
          local[K++] = c;

      if (options->calibration != SM_INTENT_CALIBRATION_NONE &&
          n_rows >= options->calibration_folds * 2 && K >= 2)
        {
          gsize n = (gsize) corpus.n_docs * corpus.n_labels;
          g_autofree float *s_lr = g_new0 (float, n);
          g_autofree float *s_cs = g_new0 (float, n);
          g_autofree float *s = NULL;

          gint64 t0 = g_get_monotonic_time ();

          out_of_fold_scores (&corpus, options, rows, n_rows, options->calibration_folds,
                              4242, s_lr, s_cs);
          g_debug ("submodel %u: out-of-fold scores in %.1f s", g,
                   (g_get_monotonic_time () - t0) / 1e6);
          s = combine_scores (s_lr, s_cs, n, learner_weight (options, TRUE),
                              learner_weight (options, FALSE));
          temperature = fit_temperature (s, corpus.n_labels, rows, n_rows, corpus.y);
          if (options->calibration == SM_INTENT_CALIBRATION_MATRIX)
            {
              t0 = g_get_monotonic_time ();
              M = fit_matrix_scaling (s, corpus.n_labels, rows, n_rows, corpus.y, local, K,
                                      options->stack_c, temperature, mb);
              temperature = 1.0;
              g_debug ("submodel %u: matrix scaling in %.1f s", g,
                       (g_get_monotonic_time () - t0) / 1e6);
            }
        }

      {
        gint64 t0 = g_get_monotonic_time ();
        trained_fit (&t, &corpus, rows, n_rows, options, options->threads > 1);
        g_debug ("submodel %u: final learners in %.1f s", g,
                 (g_get_monotonic_time () - t0) / 1e6);
      }
      *sub = t.sub;
      memset (&t.sub, 0, sizeof t.sub);
      sub->script = scripts[g];
      sub->temperature = (float) temperature;
      submodel_set_weights (sub, corpus.n_labels, options, &t.lr, &t.cs, local, K, M, mb);
      trained_clear (&t);
    }

  corpus_clear (&corpus);

  return g_steal_pointer (&self);
}

/* Cross-validation of the learners alone: out-of-fold decision values, a
 * temperature fitted on them, optionally a sweep of the ensemble's LR share. */
static gboolean
cross_validate_fast (GPtrArray                  *texts,
                          GPtrArray                  *labels,
                          const SmIntentTrainOptions *options,
                          guint                       folds,
                          guint                       seed,
                          SmIntentEvalResult         *all,
                          SmIntentEvalResult         *han,
                          SmIntentEvalResult         *other,
                          GString                    *sweep,
                          GError                    **error)
{
  g_autoptr(GArray) han_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) other_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) all_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree float *s_lr = NULL;
  g_autofree float *s_cs = NULL;
  SmIntentTrainOptions o = *options;
  Corpus corpus;
  gsize n;
  guint L;

  if (!corpus_init (&corpus, texts, labels, options, error))
    {
      corpus_clear (&corpus);
      return FALSE;
    }

  if (sweep != NULL)
    o.solver = SM_INTENT_SOLVER_ENSEMBLE;

  L = corpus.n_labels;
  n = (gsize) corpus.n_docs * L;
  s_lr = g_new0 (float, n);
  s_cs = g_new0 (float, n);
  split_rows (&corpus, han_rows, other_rows);
  for (guint i = 0; i < corpus.n_docs; i++)
    g_array_append_val (all_rows, i);

  if (o.languages == SM_INTENT_LANGUAGES_PER_SCRIPT)
    {
      if (han_rows->len > 0)
        out_of_fold_scores (&corpus, &o, (guint *) (gpointer) han_rows->data, han_rows->len,
                            folds, seed, s_lr, s_cs);
      if (other_rows->len > 0)
        out_of_fold_scores (&corpus, &o, (guint *) (gpointer) other_rows->data,
                            other_rows->len, folds, seed, s_lr, s_cs);
    }
  else
    {
      out_of_fold_scores (&corpus, &o, (guint *) (gpointer) all_rows->data, all_rows->len,
                          folds, seed, s_lr, s_cs);
    }

  if (g_getenv ("SM_INTENT_DUMP_OOF") != NULL)
    {
      g_autoptr(GString) dump = g_string_new (NULL);
      g_autofree char *path = g_strdup (g_getenv ("SM_INTENT_DUMP_OOF"));

      g_string_append_len (dump, (const char *) corpus.y, corpus.n_docs * sizeof (guint));
      g_string_append_len (dump, (const char *) s_lr, n * sizeof (float));
      g_string_append_len (dump, (const char *) s_cs, n * sizeof (float));
      g_file_set_contents (path, dump->str, dump->len, NULL);
    }

  if (sweep != NULL)
    {
      for (guint step = 0; step <= 10; step++)
        {
          double a = step / 10.0;
          g_autofree float *s = combine_scores (s_lr, s_cs, n, a, 1 - a);
          double t = fit_temperature (s, L, (guint *) (gpointer) all_rows->data, all_rows->len,
                                      corpus.y);
          SmIntentEvalResult r;

          evaluate_scores (s, L, (guint *) (gpointer) all_rows->data, all_rows->len, corpus.y,
                           t, &r);
          g_string_append_printf (sweep,
                                  "{\"lr_share\":%.1f,\"top1\":%.4f,\"top3\":%.4f,\"top5\":%.4f,"
                                  "\"btop1\":%.4f,\"btop3\":%.4f,\"nll\":%.4f,"
                                  "\"temperature\":%.4f}\n",
                                  a, r.top1, r.top3, r.top5, r.btop1, r.btop3, r.nll, t);
        }
    }

  {
    g_autofree float *s = combine_scores (s_lr, s_cs, n, learner_weight (options, TRUE),
                                          learner_weight (options, FALSE));
    double t = fit_temperature (s, L, (guint *) (gpointer) all_rows->data, all_rows->len,
                                corpus.y);

    evaluate_scores (s, L, (guint *) (gpointer) all_rows->data, all_rows->len, corpus.y, t, all);
    if (han != NULL)
      evaluate_scores (s, L, (guint *) (gpointer) han_rows->data, han_rows->len, corpus.y, t,
                       han);
    if (other != NULL)
      evaluate_scores (s, L, (guint *) (gpointer) other_rows->data, other_rows->len, corpus.y,
                       t, other);
  }

  corpus_clear (&corpus);
  return TRUE;
}

/* Full cross-validation {{{ */

typedef struct
{
  GPtrArray                  *texts;
  GPtrArray                  *labels;
  SmIntentTrainOptions        options;
  const guint                *fold;
  guint                      *rank;   /* per text: rank of the true intent */
  double                     *nll;    /* per text */
  GError                    **errors; /* per fold */
} FullCv;

typedef struct
{
  FullCv *cv;
  guint   k;
} FullCvTask;

static void
full_cv_fold (gpointer data,
              gpointer user_data)
{
  FullCvTask *task = data;
  FullCv *cv = task->cv;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(SmIntentModel) model = NULL;
  g_autofree double *scores = NULL;
  GError *error = NULL;

  for (guint i = 0; i < cv->texts->len; i++)
    if (cv->fold[i] != task->k)
      {
        g_ptr_array_add (texts, g_ptr_array_index (cv->texts, i));
        g_ptr_array_add (labels, g_ptr_array_index (cv->labels, i));
      }

  model = sm_intent_model_train (texts, labels, &cv->options, &error);
  if (model == NULL)
    {
      cv->errors[task->k] = error;
      return;
    }

  scores = g_new (double, model->n_labels);
  for (guint i = 0; i < cv->texts->len; i++)
    {
      const char *truth = g_ptr_array_index (cv->labels, i);
      const Submodel *sub;
      gint truth_id = -1;
      guint rank = 0;

      if (cv->fold[i] != task->k)
        continue;

      sub = score_text (model, g_ptr_array_index (cv->texts, i), scores);
      softmax (scores, model->n_labels, sub->temperature);
      for (guint c = 0; c < model->n_labels; c++)
        if (g_str_equal (model->labels[c], truth))
          truth_id = c;
      if (truth_id < 0 || scores[truth_id] <= 0)
        {
          cv->rank[i] = G_MAXUINT;
          cv->nll[i] = -log (1e-12);
          continue;
        }
      for (guint c = 0; c < model->n_labels; c++)
        if (scores[c] > scores[truth_id] || (scores[c] == scores[truth_id] && (gint) c < truth_id))
          rank++;
      cv->rank[i] = rank;
      cv->nll[i] = -log (MAX (scores[truth_id], 1e-12));
    }
}

static void
summarize (const guint        *rank,
           const double       *nll,
           const guint        *y,
           guint               n_labels,
           const gboolean     *keep,
           guint               n,
           SmIntentEvalResult *result)
{
  g_autofree guint *per_class = g_new0 (guint, n_labels * 3);
  guint hits[3] = { 0, 0, 0 }, m = 0, present = 0;
  double total_nll = 0, b1 = 0, b3 = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!keep[i])
        continue;
      m++;
      total_nll += nll[i];
      per_class[y[i] * 3]++;
      if (rank[i] < 1)
        {
          hits[0]++;
          per_class[y[i] * 3 + 1]++;
        }
      if (rank[i] < 3)
        {
          hits[1]++;
          per_class[y[i] * 3 + 2]++;
        }
      if (rank[i] < 5)
        hits[2]++;
    }
  for (guint c = 0; c < n_labels; c++)
    if (per_class[c * 3] > 0)
      {
        present++;
        b1 += (double) per_class[c * 3 + 1] / per_class[c * 3];
        b3 += (double) per_class[c * 3 + 2] / per_class[c * 3];
      }

  result->n = m;
  result->top1 = m ? (double) hits[0] / m : 0;
  result->top3 = m ? (double) hits[1] / m : 0;
  result->top5 = m ? (double) hits[2] / m : 0;
  result->btop1 = present ? b1 / present : 0;
  result->btop3 = present ? b3 / present : 0;
  result->nll = m ? total_nll / m : 0;
}

/**
 * sm_intent_cross_validate:
 * @texts: (element-type utf8): utterances
 * @labels: (element-type utf8): their intents
 * @options: settings to evaluate
 * @folds: number of folds (stratified by intent)
 * @seed: seed of the fold assignment
 * @fast: %FALSE to train the whole pipeline (vocabulary, learners, calibration
 *   and quantisation) on each fold and score the held-out fold with the
 *   resulting model; %TRUE to score only the learners' out-of-fold decision
 *   values with a fitted temperature (quicker, no matrix scaling)
 * @all: (out caller-allocates): figures over every text
 * @han: (out caller-allocates) (optional): figures over texts with Han characters
 * @other: (out caller-allocates) (optional): figures over the other texts
 * @sweep: (nullable): with @fast, one line per LR share 0, 0.1, … 1 is appended
 * @error: return location for a #GError
 *
 * k-fold cross-validation: nothing of a held-out fold is seen by its model.
 *
 * Returns: %TRUE on success
 */
gboolean
sm_intent_cross_validate (GPtrArray                  *texts,
                          GPtrArray                  *labels,
                          const SmIntentTrainOptions *options,
                          guint                       folds,
                          guint                       seed,
                          gboolean                    fast,
                          SmIntentEvalResult         *all,
                          SmIntentEvalResult         *han,
                          SmIntentEvalResult         *other,
                          GString                    *sweep,
                          GError                    **error)
{
  g_autoptr(GHashTable) ids = NULL;
  g_autofree guint *y = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *fold = NULL;
  g_autofree guint *rank = NULL;
  g_autofree double *nll = NULL;
  g_autofree gboolean *keep = NULL;
  g_autofree GError **errors = NULL;
  g_autofree FullCvTask *tasks = NULL;
  FullCv cv;
  GThreadPool *pool;
  guint n_labels = 0, n;

  g_return_val_if_fail (all != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (folds < 2)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_INVALID_OPTIONS,
                   _("Cross-validation needs at least 2 folds"));
      return FALSE;
    }
  if (fast)
    return cross_validate_fast (texts, labels, options, folds, seed, all, han, other, sweep,
                                error);
  if (!check_options (options, error))
    return FALSE;
  if (texts == NULL || labels == NULL || texts->len != labels->len || texts->len < folds * 2)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("Too few labelled texts for %u folds"), folds);
      return FALSE;
    }

  n = texts->len;
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  y = g_new (guint, n);
  rows = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    {
      gpointer id;

      if (!g_hash_table_lookup_extended (ids, g_ptr_array_index (labels, i), NULL, &id))
        {
          id = GUINT_TO_POINTER (n_labels++);
          g_hash_table_insert (ids, g_ptr_array_index (labels, i), id);
        }
      y[i] = GPOINTER_TO_UINT (id);
      rows[i] = i;
    }

  fold = make_folds (y, n_labels, rows, n, folds, seed);
  rank = g_new (guint, n);
  nll = g_new (double, n);
  keep = g_new (gboolean, n);
  errors = g_new0 (GError *, folds);
  tasks = g_new (FullCvTask, folds);

  cv.texts = texts;
  cv.labels = labels;
  cv.options = *options;
  cv.options.threads = 1;
  cv.fold = fold;
  cv.rank = rank;
  cv.nll = nll;
  cv.errors = errors;

  pool = g_thread_pool_new (full_cv_fold, NULL, MAX (options->threads, 1), TRUE, NULL);
  for (guint k = 0; k < folds; k++)
    {
      tasks[k].cv = &cv;
      tasks[k].k = k;
      g_thread_pool_push (pool, &tasks[k], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint k = 0; k < folds; k++)
    if (errors[k] != NULL)
      {
        g_propagate_error (error, errors[k]);
        for (guint j = k + 1; j < folds; j++)
          g_clear_error (&errors[j]);
        return FALSE;
      }

  for (guint i = 0; i < n; i++)
    keep[i] = TRUE;
  summarize (rank, nll, y, n_labels, keep, n, all);
  if (han != NULL)
    {
      for (guint i = 0; i < n; i++)
        keep[i] = sm_intent_text_has_han (g_ptr_array_index (texts, i));
      summarize (rank, nll, y, n_labels, keep, n, han);
    }
  if (other != NULL)
    {
      for (guint i = 0; i < n; i++)
        keep[i] = !sm_intent_text_has_han (g_ptr_array_index (texts, i));
      summarize (rank, nll, y, n_labels, keep, n, other);
    }

  return TRUE;
}

/* }}} */

/**
 * sm_intent_model_evaluate:
 * @texts: (element-type utf8): utterances
 * @labels: (element-type utf8): their true intents
 * @result: (out caller-allocates): accuracy figures
 *
 * Scores labelled texts with the model as it is (no training).
 */
void
sm_intent_model_evaluate (SmIntentModel      *self,
                          GPtrArray          *texts,
                          GPtrArray          *labels,
                          SmIntentEvalResult *result)
{
  g_autofree double *scores = NULL;
  g_autofree guint *per_class = NULL;
  guint hits[3] = { 0, 0, 0 };
  double nll = 0, b1 = 0, b3 = 0;
  guint present = 0;

  g_return_if_fail (SM_IS_INTENT_MODEL (self));
  g_return_if_fail (texts != NULL && labels != NULL && texts->len == labels->len);
  g_return_if_fail (result != NULL);

  scores = g_new (double, self->n_labels);
  per_class = g_new0 (guint, self->n_labels * 3);

  for (guint i = 0; i < texts->len; i++)
    {
      const char *truth = g_ptr_array_index (labels, i);
      const Submodel *sub = score_text (self, g_ptr_array_index (texts, i), scores);
      gint truth_id = -1;
      guint rank = 0;

      for (guint c = 0; c < self->n_labels; c++)
        if (g_str_equal (self->labels[c], truth))
          truth_id = c;

      softmax (scores, self->n_labels, sub->temperature);
      if (truth_id < 0 || scores[truth_id] <= 0)
        {
          if (truth_id >= 0)
            per_class[truth_id * 3]++;
          nll += -log (1e-12);
          continue;
        }
      for (guint c = 0; c < self->n_labels; c++)
        if (scores[c] > scores[truth_id] || (scores[c] == scores[truth_id] && (gint) c < truth_id))
          rank++;
      per_class[truth_id * 3]++;
      if (rank < 1)
        {
          hits[0]++;
          per_class[truth_id * 3 + 1]++;
        }
      if (rank < 3)
        {
          hits[1]++;
          per_class[truth_id * 3 + 2]++;
        }
      if (rank < 5)
        hits[2]++;
      nll += -log (MAX (scores[truth_id], 1e-12));
    }

  for (guint c = 0; c < self->n_labels; c++)
    if (per_class[c * 3] > 0)
      {
        present++;
        b1 += (double) per_class[c * 3 + 1] / per_class[c * 3];
        b3 += (double) per_class[c * 3 + 2] / per_class[c * 3];
      }

  result->n = texts->len;
  result->top1 = texts->len ? (double) hits[0] / texts->len : 0;
  result->top3 = texts->len ? (double) hits[1] / texts->len : 0;
  result->top5 = texts->len ? (double) hits[2] / texts->len : 0;
  result->btop1 = present ? b1 / present : 0;
  result->btop3 = present ? b3 / present : 0;
  result->nll = texts->len ? nll / texts->len : 0;
}

/* }}} */

/* Serialisation {{{ */

static guint32 crc_table[256];

static gpointer
init_crc_table (gpointer data)
{
  for (guint32 i = 0; i < 256; i++)
    {
      guint32 c = i;
      for (int k = 0; k < 8; k++)
        c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
  return NULL;
}

static guint32
crc32_compute (const guint8 *data,
               gsize         len)
{
  static GOnce once = G_ONCE_INIT;
  guint32 c = 0xFFFFFFFFu;

  g_once (&once, init_crc_table, NULL);
  for (gsize i = 0; i < len; i++)
    c = crc_table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static void
put_u32 (GByteArray *b,
         guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &le, 4);
}

static void
put_f32 (GByteArray *b,
         float       v)
{
  guint32 u;
  memcpy (&u, &v, 4);
  put_u32 (b, u);
}

static void
put_u64 (GByteArray *b,
         guint64     v)
{
  guint64 le = GUINT64_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &le, 8);
}

/**
 * sm_intent_model_serialize:
 *
 * Returns: (transfer full): the model in its file format
 */
GBytes *
sm_intent_model_serialize (SmIntentModel *self)
{
  GByteArray *b;
  guint L;

  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), NULL);

  L = self->n_labels;
  b = g_byte_array_new ();
  g_byte_array_append (b, (const guint8 *) MODEL_MAGIC, MODEL_MAGIC_LEN);
  put_u32 (b, SM_INTENT_MODEL_FORMAT_VERSION);
  put_u32 (b, self->features.word_max_n);
  put_u32 (b, self->features.char_min_n);
  put_u32 (b, self->features.char_max_n);
  put_f32 (b, self->features.char_weight);
  put_u32 (b, L);
  for (guint c = 0; c < L; c++)
    {
      guint32 len = strlen (self->labels[c]);
      put_u32 (b, len);
      g_byte_array_append (b, (const guint8 *) self->labels[c], len);
    }
  put_u32 (b, self->n_subs);
  for (guint i = 0; i < self->n_subs; i++)
    {
      const Submodel *sub = &self->subs[i];

      put_u32 (b, sub->script);
      put_u32 (b, sub->n_word);
      put_u32 (b, sub->n_feat);
      put_f32 (b, sub->temperature);
      g_byte_array_append (b, sub->label_mask, L);
      for (guint c = 0; c < L; c++)
        put_f32 (b, sub->bias[c]);
      for (guint f = 0; f < sub->n_feat; f++)
        put_u64 (b, sub->hashes[f]);
      for (guint f = 0; f < sub->n_feat; f++)
        put_f32 (b, sub->idf[f]);
      for (guint f = 0; f < sub->n_feat; f++)
        put_f32 (b, sub->w_scale[f]);
      g_byte_array_append (b, (const guint8 *) sub->w, (gsize) sub->n_feat * L);
    }
  put_u32 (b, crc32_compute (b->data, b->len));

  return g_byte_array_free_to_bytes (b);
}

/**
 * sm_intent_model_save:
 * @path: where to write the model (atomically)
 *
 * Returns: %TRUE on success
 */
gboolean
sm_intent_model_save (SmIntentModel  *self,
                      const char     *path,
                      GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (SM_IS_INTENT_MODEL (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = sm_intent_model_serialize (self);
  data = g_bytes_get_data (bytes, &len);
  return g_file_set_contents (path, data, len, error);
}

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
} Reader;

static gboolean
get_bytes (Reader   *r,
           gpointer  out,
           gsize     n)
{
  if (r->len - r->pos < n)
    return FALSE;
  memcpy (out, r->data + r->pos, n);
  r->pos += n;
  return TRUE;
}

static gboolean
get_u32 (Reader  *r,
         guint32 *v)
{
  guint32 le;
  if (!get_bytes (r, &le, 4))
    return FALSE;
  *v = GUINT32_FROM_LE (le);
  return TRUE;
}

static gboolean
get_f32 (Reader *r,
         float  *v)
{
  guint32 u;
  if (!get_u32 (r, &u))
    return FALSE;
  memcpy (v, &u, 4);
  return TRUE;
}

static gboolean
get_u64 (Reader  *r,
         guint64 *v)
{
  guint64 le;
  if (!get_bytes (r, &le, 8))
    return FALSE;
  *v = GUINT64_FROM_LE (le);
  return TRUE;
}

static gboolean
corrupt (GError    **error,
         const char *what)
{
  g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_CORRUPT,
               _("The intent model is corrupt: %s"), what);
  return FALSE;
}

static gboolean
read_submodel (Reader    *r,
               Submodel  *sub,
               guint      L,
               GError   **error)
{
  guint32 script, n_word, n_feat;
  gsize need;

  if (!get_u32 (r, &script) || !get_u32 (r, &n_word) || !get_u32 (r, &n_feat) ||
      !get_f32 (r, &sub->temperature))
    return corrupt (error, _("a submodel header is cut short"));
  if (script > SCRIPT_OTHER || n_word > n_feat || n_feat > MAX_FEATURES ||
      !(sub->temperature > 0) || !isfinite (sub->temperature))
    return corrupt (error, _("a submodel header has impossible values"));

  /* Check the size before allocating anything. */
  need = L + (gsize) L * 4 + (gsize) n_feat * (8 + 4 + 4) + (gsize) n_feat * L;
  if (r->len - r->pos < need)
    return corrupt (error, _("the weights are cut short"));

  sub->script = script;
  sub->n_word = n_word;
  sub->n_feat = n_feat;
  sub->label_mask = g_new (guint8, MAX (L, 1));
  sub->bias = g_new (float, MAX (L, 1));
  sub->hashes = g_new (guint64, MAX (n_feat, 1));
  sub->idf = g_new (float, MAX (n_feat, 1));
  sub->w_scale = g_new (float, MAX (n_feat, 1));
  sub->w = g_new (gint8, MAX ((gsize) n_feat * L, 1));

  get_bytes (r, sub->label_mask, L);
  for (guint c = 0; c < L; c++)
    {
      get_f32 (r, &sub->bias[c]);
      if (!isfinite (sub->bias[c]) || sub->label_mask[c] > (LABEL_HAN | LABEL_OTHER))
        return corrupt (error, _("a label's bias or mask is invalid"));
    }
  for (guint f = 0; f < n_feat; f++)
    {
      get_u64 (r, &sub->hashes[f]);
      if (sub->hashes[f] == 0 || ((sub->hashes[f] & 1) != 0) != (f < n_word) ||
          (f > 0 && f != n_word && sub->hashes[f] <= sub->hashes[f - 1]))
        return corrupt (error, _("the vocabulary is not in order"));
    }
  for (guint f = 0; f < n_feat; f++)
    {
      get_f32 (r, &sub->idf[f]);
      if (!isfinite (sub->idf[f]))
        return corrupt (error, _("an IDF value is invalid"));
    }
  for (guint f = 0; f < n_feat; f++)
    {
      get_f32 (r, &sub->w_scale[f]);
      if (!isfinite (sub->w_scale[f]))
        return corrupt (error, _("a weight scale is invalid"));
    }
  get_bytes (r, sub->w, (gsize) n_feat * L);

  submodel_build_table (sub);
  return TRUE;
}

/**
 * sm_intent_model_new_from_data:
 * @data: (array length=length): a serialised model
 * @length: its size in bytes
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the model, or %NULL with @error set if
 *   the data is not a model of this format version or is damaged
 */
SmIntentModel *
sm_intent_model_new_from_data (const guint8  *data,
                               gsize          length,
                               GError       **error)
{
  g_autoptr(SmIntentModel) self = NULL;
  Reader r = { data, length, 0 };
  guint32 version, word_max_n, char_min_n, char_max_n, n_labels, n_subs, crc, stored_crc;
  float char_weight;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < MODEL_MAGIC_LEN && (length == 0 || memcmp (data, MODEL_MAGIC, length) == 0))
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_TRUNCATED,
                   _("The intent model is truncated (%lu bytes)"), (unsigned long) length);
      return NULL;
    }
  if (length < MODEL_MAGIC_LEN || memcmp (data, MODEL_MAGIC, MODEL_MAGIC_LEN) != 0)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_MAGIC,
                   _("This is not a Seatmate intent model (wrong magic number)"));
      return NULL;
    }
  r.pos = MODEL_MAGIC_LEN;
  if (!get_u32 (&r, &version))
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_TRUNCATED,
                   _("The intent model is truncated (%lu bytes)"), (unsigned long) length);
      return NULL;
    }
  if (version != SM_INTENT_MODEL_FORMAT_VERSION)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_VERSION,
                   _("The intent model has format version %u, but this Seatmate reads only "
                     "version %u; retrain it with “seatmate-admin intent train”"),
                   version, SM_INTENT_MODEL_FORMAT_VERSION);
      return NULL;
    }
  if (length < MODEL_MAGIC_LEN + 8)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_TRUNCATED,
                   _("The intent model is truncated (%lu bytes)"), (unsigned long) length);
      return NULL;
    }
  memcpy (&stored_crc, data + length - 4, 4);
  stored_crc = GUINT32_FROM_LE (stored_crc);
  crc = crc32_compute (data, length - 4);
  if (crc != stored_crc)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_CORRUPT,
                   _("The intent model is truncated or damaged (checksum mismatch, %lu bytes)"),
                   (unsigned long) length);
      return NULL;
    }
  r.len = length - 4;

  if (!get_u32 (&r, &word_max_n) || !get_u32 (&r, &char_min_n) || !get_u32 (&r, &char_max_n) ||
      !get_f32 (&r, &char_weight) || !get_u32 (&r, &n_labels))
    {
      corrupt (error, _("the header is cut short"));
      return NULL;
    }
  if (word_max_n < 1 || word_max_n > MAX_NGRAM || char_min_n < 1 || char_max_n < char_min_n ||
      char_max_n > MAX_NGRAM || !(char_weight >= 0) || !isfinite (char_weight) ||
      n_labels < 1 || n_labels > MAX_LABELS)
    {
      corrupt (error, _("the feature settings are impossible"));
      return NULL;
    }

  self = g_object_new (SM_TYPE_INTENT_MODEL, NULL);
  self->features.word_max_n = word_max_n;
  self->features.char_min_n = char_min_n;
  self->features.char_max_n = char_max_n;
  self->features.char_weight = char_weight;
  self->labels = g_new0 (char *, n_labels + 1);
  self->n_labels = n_labels;

  for (guint c = 0; c < n_labels; c++)
    {
      guint32 len;

      if (!get_u32 (&r, &len) || len == 0 || len > 1024 || r.len - r.pos < len)
        {
          corrupt (error, _("a label is cut short"));
          return NULL;
        }
      self->labels[c] = g_strndup ((const char *) r.data + r.pos, len);
      r.pos += len;
      if (strlen (self->labels[c]) != len || !g_utf8_validate (self->labels[c], len, NULL))
        {
          corrupt (error, _("a label is not valid UTF-8"));
          return NULL;
        }
    }

  if (!get_u32 (&r, &n_subs) || n_subs < 1 || n_subs > 8)
    {
      corrupt (error, _("the number of submodels is invalid"));
      return NULL;
    }
  self->subs = g_new0 (Submodel, n_subs);
  self->n_subs = n_subs;
  for (guint i = 0; i < n_subs; i++)
    if (!read_submodel (&r, &self->subs[i], n_labels, error))
      return NULL;

  if (r.pos != r.len)
    {
      corrupt (error, _("there is unexpected data at the end"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * sm_intent_model_new_from_file:
 * @path: a model file written by sm_intent_model_save()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the model
 */
SmIntentModel *
sm_intent_model_new_from_file (const char  *path,
                               GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  SmIntentModel *self;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;

  self = sm_intent_model_new_from_data ((const guint8 *) g_mapped_file_get_contents (file),
                                        g_mapped_file_get_length (file), &local_error);
  if (self == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return self;
}

/* }}} */
