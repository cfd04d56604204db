/* sm-admin-intent.c: `seatmate-admin intent …`, train and check the intent model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "seatmate-admin"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "sm-admin.h"
#include "sm-intent-model.h"

#define INTENT_USAGE \
  "intent train CSV [CSV…] -o MODEL [--skip-bad] [--with-corrections] [--cv K] [SETTINGS]\n" \
  "       seatmate-admin intent eval MODEL CSV [--skip-bad]\n" \
  "       seatmate-admin intent predict MODEL TEXT [-n N]\n" \
  "       seatmate-admin intent cv CSV [CSV…] [--folds K] [--seed N] [--fast] [--sweep] [SETTINGS]\n" \
  "       seatmate-admin intent info MODEL"

/* Settings shared by train and cv */
typedef struct
{
  SmIntentTrainOptions options;
  char                *solver;
  char                *languages;
  char                *calibration;
} Settings;

static void
settings_clear (Settings *s)
{
  g_clear_pointer (&s->solver, g_free);
  g_clear_pointer (&s->languages, g_free);
  g_clear_pointer (&s->calibration, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

static GOptionGroup *
settings_group (Settings *s)
{
  GOptionEntry entries[] = {
    { "word-max", 0, 0, G_OPTION_ARG_INT, &s->options.word_max_n,
      N_("Longest word n-gram"), "N" },
    { "char-min", 0, 0, G_OPTION_ARG_INT, &s->options.char_min_n,
      N_("Shortest character n-gram"), "N" },
    { "char-max", 0, 0, G_OPTION_ARG_INT, &s->options.char_max_n,
      N_("Longest character n-gram"), "N" },
    { "min-df", 0, 0, G_OPTION_ARG_INT, &s->options.min_df,
      N_("Keep n-grams seen in at least N texts"), "N" },
    { "char-weight", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.char_weight,
      N_("Weight of the character n-grams against the words"), "X" },
    { "solver", 0, 0, G_OPTION_ARG_STRING, &s->solver,
      N_("lr, cs or ensemble"), "NAME" },
    { "c-lr", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.c_lr,
      N_("C of the logistic regression"), "X" },
    { "c-cs", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.c_cs,
      N_("C of the Crammer-Singer SVM"), "X" },
    { "lr-share", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.lr_share,
      N_("Share of the logistic regression in the ensemble (0-1)"), "X" },
    { "balanced", 0, 0, G_OPTION_ARG_NONE, &s->options.balanced,
      N_("Weight intents by 1/frequency, for a uniform prior"), NULL },
    { "unbalanced", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &s->options.balanced,
      N_("Do not weight intents by frequency"), NULL },
    { "languages", 0, 0, G_OPTION_ARG_STRING, &s->languages,
      N_("bilingual (one model) or per-script (Han text gets its own model)"), "MODE" },
    { "calibration", 0, 0, G_OPTION_ARG_STRING, &s->calibration,
      N_("How confidences are calibrated: none, temperature or matrix"), "METHOD" },
    { "calibration-folds", 0, 0, G_OPTION_ARG_INT, &s->options.calibration_folds,
      N_("Folds of the out-of-fold scores used for calibration"), "K" },
    { "stack-c", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.stack_c,
      N_("C of the matrix scaling"), "X" },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &s->options.temperature,
      N_("Softmax temperature when calibration is none"), "X" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &s->options.threads,
      N_("Worker threads"), "N" },
    { NULL }
  };
  GOptionGroup *group;

  group = g_option_group_new ("settings", _("Model settings:"),
                              _("Show the model settings"), NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

static gboolean
settings_finish (Settings  *s,
                 GError   **error)
{
  if (s->solver != NULL)
    {
      if (g_str_equal (s->solver, "lr"))
        s->options.solver = SM_INTENT_SOLVER_LR;
      else if (g_str_equal (s->solver, "cs"))
        s->options.solver = SM_INTENT_SOLVER_CS;
      else if (g_str_equal (s->solver, "ensemble"))
        s->options.solver = SM_INTENT_SOLVER_ENSEMBLE;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown solver “%s” (use lr, cs or ensemble)"), s->solver);
          return FALSE;
        }
    }
  if (s->calibration != NULL)
    {
      if (g_str_equal (s->calibration, "none"))
        s->options.calibration = SM_INTENT_CALIBRATION_NONE;
      else if (g_str_equal (s->calibration, "temperature"))
        s->options.calibration = SM_INTENT_CALIBRATION_TEMPERATURE;
      else if (g_str_equal (s->calibration, "matrix"))
        s->options.calibration = SM_INTENT_CALIBRATION_MATRIX;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown calibration “%s” (use none, temperature or matrix)"),
                       s->calibration);
          return FALSE;
        }
    }
  if (s->languages != NULL)
    {
      if (g_str_equal (s->languages, "bilingual"))
        s->options.languages = SM_INTENT_LANGUAGES_BILINGUAL;
      else if (g_str_equal (s->languages, "per-script"))
        s->options.languages = SM_INTENT_LANGUAGES_PER_SCRIPT;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown language mode “%s” (use bilingual or per-script)"),
                       s->languages);
          return FALSE;
        }
    }
  return TRUE;
}

static const char *
solver_name (SmIntentSolver solver)
{
  switch (solver)
    {
    case SM_INTENT_SOLVER_LR:
      return "lr";
    case SM_INTENT_SOLVER_CS:
      return "cs";
    case SM_INTENT_SOLVER_ENSEMBLE:
      return "ensemble";
    default:
      return "?";
    }
}

/* Loads several CSVs; prints every bad row. */
static gboolean
load_csvs (char      **paths,
           gboolean    skip_bad,
           GPtrArray  *texts,
           GPtrArray  *labels,
           GError    **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) local_error = NULL;

      if (!sm_intent_load_csv (paths[i], texts, labels, skip_bad, problems, &local_error))
        {
          if (local_error->domain == SM_INTENT_MODEL_ERROR &&
              local_error->code == SM_INTENT_MODEL_ERROR_BAD_ROWS && problems->len > 0)
            {
              for (guint k = 0; k < problems->len; k++)
                g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, k));
              g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %u bad row; fix it or use --skip-bad\n",
                                       "%s: %u bad rows; fix them or use --skip-bad\n",
                                       problems->len),
                          paths[i], problems->len);
            }
          else
            g_printerr ("seatmate-admin: %s\n", local_error->message);
          ok = FALSE;
          continue;
        }
      for (guint k = 0; k < problems->len; k++)
        g_printerr (_("warning: skipped %s\n"), (const char *) g_ptr_array_index (problems, k));
    }

  if (!ok)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_BAD_ROWS,
                   _("Nothing was trained"));
      return FALSE;
    }
  if (texts->len == 0)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("No training rows were found"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_corrections (SmAdminContext  *ctx,
                  GPtrArray       *texts,
                  GPtrArray       *labels,
                  guint           *n_added,
                  GError         **error)
{
  SmStore *store = sm_admin_get_store (ctx);
  sqlite3_stmt *stmt;
  int rc;

  *n_added = 0;
  if (store == NULL)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("The database could not be opened"));
      return FALSE;
    }

  stmt = sm_store_prepare (store, "SELECT text, intent FROM intent_corrections ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      const char *intent = (const char *) sqlite3_column_text (stmt, 1);

      if (text == NULL || intent == NULL || *text == '\0' || *intent == '\0' ||
          !g_utf8_validate (text, -1, NULL) || !g_utf8_validate (intent, -1, NULL))
        continue;
      g_ptr_array_add (texts, g_strdup (text));
      g_ptr_array_add (labels, g_strdup (intent));
      (*n_added)++;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SM_INTENT_MODEL_ERROR, SM_INTENT_MODEL_ERROR_NO_DATA,
                   _("Reading the intent corrections failed: %s"),
                   sqlite3_errmsg (sm_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

static void
print_eval_json (const char               *name,
                 const SmIntentEvalResult *r)
{
  g_print ("{\"set\":\"%s\",\"n\":%u,\"top1\":%.4f,\"top3\":%.4f,\"top5\":%.4f,"
           "\"btop1\":%.4f,\"btop3\":%.4f,\"nll\":%.4f}\n",
           name, r->n, r->top1, r->top3, r->top5, r->btop1, r->btop3, r->nll);
}

static gboolean
run_cv (GPtrArray                  *texts,
        GPtrArray                  *labels,
        const SmIntentTrainOptions *options,
        guint                       folds,
        guint                       seed,
        gboolean                    fast,
        gboolean                    sweep,
        GError                    **error)
{
  SmIntentEvalResult all, han, other;
  g_autoptr(GString) sweep_out = sweep ? g_string_new (NULL) : NULL;
  gint64 start = g_get_monotonic_time ();

  if (!sm_intent_cross_validate (texts, labels, options, folds, seed, fast, &all, &han, &other,
                                 sweep_out, error))
    return FALSE;

  if (sweep_out != NULL)
    g_print ("%s", sweep_out->str);
  g_print ("{\"folds\":%u,\"mode\":\"%s\",\"solver\":\"%s\",\"languages\":\"%s\","
           "\"c_lr\":%g,\"c_cs\":%g,\"lr_share\":%g,\"balanced\":%s,\"word_max\":%u,"
           "\"char\":[%u,%u],\"min_df\":%u,\"char_weight\":%g,\"calibration\":\"%s\","
           "\"calibration_folds\":%u,\"stack_c\":%g,\"seconds\":%.1f}\n",
           folds, fast ? "fast" : "full", solver_name (options->solver),
           options->languages == SM_INTENT_LANGUAGES_BILINGUAL ? "bilingual" : "per-script",
           options->c_lr, options->c_cs, options->lr_share,
           options->balanced ? "true" : "false", options->word_max_n,
           options->char_min_n, options->char_max_n, options->min_df, options->char_weight,
           options->calibration == SM_INTENT_CALIBRATION_MATRIX ? "matrix" :
           options->calibration == SM_INTENT_CALIBRATION_TEMPERATURE ? "temperature" : "none",
           options->calibration_folds, options->stack_c,
           (g_get_monotonic_time () - start) / 1e6);
  print_eval_json ("all", &all);
  if (han.n > 0 && other.n > 0)
    {
      print_eval_json ("han", &han);
      print_eval_json ("other", &other);
    }
  return TRUE;
}

static GOptionContext *
make_context (const char    *parameters,
              GOptionEntry  *entries,
              Settings      *settings)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (settings != NULL)
    g_option_context_add_group (context, settings_group (settings));
  return context;
}

static int
intent_train (SmAdminContext  *ctx,
              int              argc,
              char           **argv)
{
  g_auto(Settings) settings = { { 0 }, NULL, NULL };
  g_autofree char *output = NULL;
  gboolean skip_bad = FALSE, with_corrections = FALSE;
  int cv = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the model"), "MODEL" },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Skip bad rows instead of stopping"), NULL },
    { "with-corrections", 0, 0, G_OPTION_ARG_NONE, &with_corrections,
      N_("Add the agents' intent corrections from the database"), NULL },
    { "cv", 0, 0, G_OPTION_ARG_INT, &cv, N_("Print K-fold cross-validation figures first"), "K" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SmIntentModel) model = NULL;
  g_autofree char *description = NULL;
  gint64 start;

  sm_intent_train_options_init (&settings.options);
  context = make_context (_("CSV… - train the intent model"), entries, &settings);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !settings_finish (&settings, &error))
    {
      g_printerr ("seatmate-admin: %s\n", error->message);
      return sm_admin_usage (INTENT_USAGE);
    }
  if (argc < 2 || output == NULL || cv == 1 || cv < 0)
    return sm_admin_usage (INTENT_USAGE);

  if (!load_csvs (argv + 1, skip_bad, texts, labels, &error))
    return sm_admin_fail (error);

  if (with_corrections)
    {
      guint n_added;

      if (!load_corrections (ctx, texts, labels, &n_added, &error))
        return sm_admin_fail (error);
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Added %u correction from the database\n",
                               "Added %u corrections from the database\n", n_added),
                  n_added);
    }

  if (cv > 1 && !run_cv (texts, labels, &settings.options, cv, 1, FALSE, FALSE, &error))
    return sm_admin_fail (error);

  start = g_get_monotonic_time ();
  model = sm_intent_model_train (texts, labels, &settings.options, &error);
  if (model == NULL)
    return sm_admin_fail (error);
  if (!sm_intent_model_save (model, output, &error))
    return sm_admin_fail (error);

  description = sm_intent_model_describe (model);
  g_printerr (_("Trained on %u texts in %.1f s: %s\n"), texts->len,
              (g_get_monotonic_time () - start) / 1e6, description);
  return SM_ADMIN_EXIT_OK;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static int
intent_eval (SmAdminContext  *ctx,
             int              argc,
             char           **argv)
{
  gboolean skip_bad = FALSE;
  GOptionEntry entries[] = {
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Skip bad rows instead of stopping"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SmIntentModel) model = NULL;
  g_autofree double *times = NULL;
  char *csv[2] = { NULL, NULL };
  SmIntentEvalResult result;
  SmIntentScore top[1];

  context = make_context (_("MODEL CSV - score the model on labelled texts"), entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("seatmate-admin: %s\n", error->message);
      return sm_admin_usage (INTENT_USAGE);
    }
  if (argc != 3)
    return sm_admin_usage (INTENT_USAGE);

  model = sm_intent_model_new_from_file (argv[1], &error);
  if (model == NULL)
    return sm_admin_fail (error);
  csv[0] = argv[2];
  if (!load_csvs (csv, skip_bad, texts, labels, &error))
    return sm_admin_fail (error);

  sm_intent_model_evaluate (model, texts, labels, &result);

  /* Latency of one prediction, as the app calls it (top 3). */
  times = g_new (double, texts->len);
  for (guint i = 0; i < texts->len; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      sm_intent_model_predict (model, g_ptr_array_index (texts, i), top, 1);
      times[i] = (double) (g_get_monotonic_time () - t0);
    }
  qsort (times, texts->len, sizeof (double), compare_double);

  g_print ("{\"n\":%u,\"top1\":%.4f,\"top3\":%.4f,\"top5\":%.4f,\"nll\":%.4f,"
           "\"p50_us\":%.0f,\"p99_us\":%.0f}\n",
           result.n, result.top1, result.top3, result.top5, result.nll,
           times[texts->len / 2], times[MIN (texts->len - 1, (guint) ceil (texts->len * 0.99) - 1)]);
  return SM_ADMIN_EXIT_OK;
}

static int
intent_predict (SmAdminContext  *ctx,
                int              argc,
                char           **argv)
{
  int n = 3;
  GOptionEntry entries[] = {
    { "number", 'n', 0, G_OPTION_ARG_INT, &n, N_("How many intents to print"), "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmIntentModel) model = NULL;
  g_autofree SmIntentScore *scores = NULL;
  guint got;

  context = make_context (_("MODEL TEXT - print the best intents for TEXT"), entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("seatmate-admin: %s\n", error->message);
      return sm_admin_usage (INTENT_USAGE);
    }
  if (argc != 3 || n < 1 || n > 1000)
    return sm_admin_usage (INTENT_USAGE);

  model = sm_intent_model_new_from_file (argv[1], &error);
  if (model == NULL)
    return sm_admin_fail (error);

  scores = g_new0 (SmIntentScore, n);
  got = sm_intent_model_predict (model, argv[2], scores, n);
  for (guint i = 0; i < got; i++)
    g_print ("%.4f\t%s\n", scores[i].confidence, scores[i].intent);
  return SM_ADMIN_EXIT_OK;
}

static int
intent_cv (SmAdminContext  *ctx,
           int              argc,
           char           **argv)
{
  g_auto(Settings) settings = { { 0 }, NULL, NULL };
  gboolean skip_bad = FALSE, sweep = FALSE, fast = FALSE;
  int folds = 5, seed = 1;
  GOptionEntry entries[] = {
    { "folds", 0, 0, G_OPTION_ARG_INT, &folds, N_("Number of folds"), "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the fold assignment"), "N" },
    { "fast", 0, 0, G_OPTION_ARG_NONE, &fast,
      N_("Score only the learners' out-of-fold values (no matrix scaling, quicker)"), NULL },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &sweep,
      N_("With --fast, also print figures for LR shares 0, 0.1, … 1 of the ensemble"), NULL },
    { "skip-bad", 0, 0, G_OPTION_ARG_NONE, &skip_bad, N_("Skip bad rows instead of stopping"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  sm_intent_train_options_init (&settings.options);
  context = make_context (_("CSV… - cross-validate the intent model's settings"), entries,
                          &settings);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !settings_finish (&settings, &error))
    {
      g_printerr ("seatmate-admin: %s\n", error->message);
      return sm_admin_usage (INTENT_USAGE);
    }
  if (argc < 2 || folds < 2 || folds > 50)
    return sm_admin_usage (INTENT_USAGE);

  if (!load_csvs (argv + 1, skip_bad, texts, labels, &error))
    return sm_admin_fail (error);

  if (!run_cv (texts, labels, &settings.options, folds, seed, fast || sweep, sweep, &error))
    return sm_admin_fail (error);
  return SM_ADMIN_EXIT_OK;
}

static int
intent_info (SmAdminContext  *ctx,
             int              argc,
             char           **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SmIntentModel) model = NULL;
  g_autofree char *description = NULL;

  if (argc != 2)
    return sm_admin_usage (INTENT_USAGE);

  model = sm_intent_model_new_from_file (argv[1], &error);
  if (model == NULL)
    return sm_admin_fail (error);

  description = sm_intent_model_describe (model);
  g_print ("%s\n", description);
  return SM_ADMIN_EXIT_OK;
}

/**
 * sm_admin_intent:
 *
 * `seatmate-admin intent train|eval|predict|cv|info …`
 */
int
sm_admin_intent (SmAdminContext  *ctx,
                 int              argc,
                 char           **argv)
{
  if (argc >= 2)
    {
      if (g_str_equal (argv[1], "train"))
        return intent_train (ctx, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "eval"))
        return intent_eval (ctx, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "predict"))
        return intent_predict (ctx, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "cv"))
        return intent_cv (ctx, argc - 1, argv + 1);
      if (g_str_equal (argv[1], "info"))
        return intent_info (ctx, argc - 1, argv + 1);
    }
  return sm_admin_usage (INTENT_USAGE);
}
