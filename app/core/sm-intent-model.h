/* sm-intent-model.h: offline intent classifier (TF-IDF n-grams + liblinear)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SM_INTENT_MODEL_ERROR (sm_intent_model_error_quark ())

typedef enum
{
  SM_INTENT_MODEL_ERROR_BAD_MAGIC,
  SM_INTENT_MODEL_ERROR_VERSION,
  SM_INTENT_MODEL_ERROR_TRUNCATED,
  SM_INTENT_MODEL_ERROR_CORRUPT,
  SM_INTENT_MODEL_ERROR_BAD_ROWS,
  SM_INTENT_MODEL_ERROR_NO_DATA,
  SM_INTENT_MODEL_ERROR_INVALID_OPTIONS,
} SmIntentModelError;

/* The model file format this build writes and reads. */
#define SM_INTENT_MODEL_FORMAT_VERSION 1

/**
 * SmIntentScore:
 * @intent: (transfer none): the intent name, owned by the model
 * @confidence: calibrated probability in [0, 1]
 */
typedef struct
{
  const char *intent;
  double      confidence;
} SmIntentScore;

typedef enum
{
  SM_INTENT_SOLVER_LR,       /* L2-regularised logistic regression, one vs rest */
  SM_INTENT_SOLVER_CS,       /* Crammer-Singer multi-class SVM */
  SM_INTENT_SOLVER_ENSEMBLE, /* a weighted sum of both decision functions */
} SmIntentSolver;

typedef enum
{
  SM_INTENT_CALIBRATION_NONE,        /* softmax with the given temperature */
  SM_INTENT_CALIBRATION_TEMPERATURE, /* temperature fitted on out-of-fold scores */
  SM_INTENT_CALIBRATION_MATRIX,      /* matrix scaling (multinomial LR on out-of-fold scores) */
} SmIntentCalibration;

typedef enum
{
  SM_INTENT_LANGUAGES_BILINGUAL,  /* one model for all text */
  SM_INTENT_LANGUAGES_PER_SCRIPT, /* a Han model and a non-Han model, picked by the text's script */
} SmIntentLanguages;

/**
 * SmIntentTrainOptions:
 *
 * Settings of the features and the learner. sm_intent_train_options_init()
 * fills in the values chosen by 5-fold cross-validation on BANKING77's training
 * split (see data/intent/README-model.md).
 */
typedef struct
{
  guint             word_max_n;        /* word n-grams 1..word_max_n */
  guint             char_min_n;        /* char n-grams within words, padded */
  guint             char_max_n;
  guint             min_df;            /* drop n-grams seen in fewer documents */
  double            char_weight;       /* weight of the char block vs the word block */
  SmIntentSolver    solver;
  double            c_lr;
  double            c_cs;
  double            lr_share;          /* ensemble: share of the LR scores, 0..1 */
  gboolean          balanced;          /* weight classes by 1/frequency (uniform prior) */
  SmIntentLanguages languages;
  SmIntentCalibration calibration;
  guint             calibration_folds; /* folds giving the out-of-fold scores to calibrate on */
  double            stack_c;           /* inverse L2 strength of matrix scaling */
  double            temperature;       /* used with SM_INTENT_CALIBRATION_NONE */
  guint             threads;           /* worker threads for training */
} SmIntentTrainOptions;

typedef struct
{
  guint  n;
  double top1;
  double top3;
  double top5;
  double nll;  /* mean negative log-likelihood of the calibrated confidences */
  double btop1; /* balanced: mean over intents of each intent's top-1 recall */
  double btop3;
} SmIntentEvalResult;

#define SM_TYPE_INTENT_MODEL (sm_intent_model_get_type ())

G_DECLARE_FINAL_TYPE (SmIntentModel, sm_intent_model, SM, INTENT_MODEL, GObject)

GQuark              sm_intent_model_error_quark   (void);

void                sm_intent_train_options_init  (SmIntentTrainOptions        *options);

gboolean            sm_intent_load_csv            (const char                  *path,
                                                   GPtrArray                   *texts,
                                                   GPtrArray                   *labels,
                                                   gboolean                     skip_bad,
                                                   GPtrArray                   *problems,
                                                   GError                     **error);

SmIntentModel      *sm_intent_model_train         (GPtrArray                   *texts,
                                                   GPtrArray                   *labels,
                                                   const SmIntentTrainOptions  *options,
                                                   GError                     **error);
SmIntentModel      *sm_intent_model_new_from_file (const char                  *path,
                                                   GError                     **error);
SmIntentModel      *sm_intent_model_new_from_data (const guint8                *data,
                                                   gsize                        length,
                                                   GError                     **error);
GBytes             *sm_intent_model_serialize     (SmIntentModel               *self);
gboolean            sm_intent_model_save          (SmIntentModel               *self,
                                                   const char                  *path,
                                                   GError                     **error);

guint               sm_intent_model_predict       (SmIntentModel               *self,
                                                   const char                  *text,
                                                   SmIntentScore               *out,
                                                   guint                        n_out);
const char * const *sm_intent_model_get_labels    (SmIntentModel               *self);
guint               sm_intent_model_get_n_labels  (SmIntentModel               *self);
gboolean            sm_intent_model_has_language  (SmIntentModel               *self,
                                                   const char                  *intent,
                                                   gboolean                     han);
char               *sm_intent_model_describe      (SmIntentModel               *self);

void                sm_intent_model_evaluate      (SmIntentModel               *self,
                                                   GPtrArray                   *texts,
                                                   GPtrArray                   *labels,
                                                   SmIntentEvalResult          *result);

gboolean            sm_intent_cross_validate      (GPtrArray                   *texts,
                                                   GPtrArray                   *labels,
                                                   const SmIntentTrainOptions  *options,
                                                   guint                        folds,
                                                   guint                        seed,
                                                   gboolean                     fast,
                                                   SmIntentEvalResult          *all,
                                                   SmIntentEvalResult          *han,
                                                   SmIntentEvalResult          *other,
                                                   GString                     *sweep,
                                                   GError                     **error);

gboolean            sm_intent_text_has_han        (const char                  *text);

G_END_DECLS
