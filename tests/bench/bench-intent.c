/* bench-intent.c: figures of the intent model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints, one JSON object a line:
 *  - 5-fold cross-validation top-1/top-3 on BANKING77's training split (and on
 *    the Chinese starter set, per script), with the shipped settings;
 *  - training time and model size of the model trained on all of it;
 *  - p50/p99 latency of one prediction (top 3), English and Chinese.
 *
 * Usage: bench-intent [--folds K] [--skip-cv] [DATADIR]
 * DATADIR defaults to $SEATMATE_DATADIR, then the source tree's data/.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "sm-intent-model.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_cv (const char               *set,
          const SmIntentEvalResult *r)
{
  g_print ("{\"bench\":\"intent-cv\",\"set\":\"%s\",\"n\":%u,\"top1\":%.4f,\"top3\":%.4f,"
           "\"top5\":%.4f,\"btop1\":%.4f,\"btop3\":%.4f,\"nll\":%.4f}\n",
           set, r->n, r->top1, r->top3, r->top5, r->btop1, r->btop3, r->nll);
}

static double
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
latency (SmIntentModel *model,
         GPtrArray     *texts,
         gboolean       han,
         const char    *name)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  SmIntentScore top[3];

  /* Warm up, then three rounds over every text of the script. */
  for (guint i = 0; i < MIN (texts->len, 200u); i++)
    sm_intent_model_predict (model, g_ptr_array_index (texts, i), top, 3);

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < texts->len; i++)
      {
        const char *text = g_ptr_array_index (texts, i);
        gint64 t0;
        double us, c0;

        if (sm_intent_text_has_han (text) != han)
          continue;
        c0 = thread_cpu_us ();
        t0 = g_get_monotonic_time ();
        sm_intent_model_predict (model, text, top, 3);
        us = (double) (g_get_monotonic_time () - t0);
        g_array_append_val (times, us);
        us = thread_cpu_us () - c0;
        g_array_append_val (cpu, us);
      }

  if (times->len == 0)
    return;
  g_array_sort (times, compare_double);
  g_array_sort (cpu, compare_double);
  /* Wall-clock figures include preemption by other processes on a shared
   * machine; thread CPU time is the cost of the prediction itself. */
  g_print ("{\"bench\":\"intent-latency\",\"set\":\"%s\",\"n\":%u,\"p50_us\":%.0f,"
           "\"p99_us\":%.0f,\"max_us\":%.0f,\"cpu_p50_us\":%.0f,\"cpu_p99_us\":%.0f}\n",
           name, times->len,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, (guint) ceil (times->len * 0.99) - 1),
           g_array_index (times, double, times->len - 1),
           g_array_index (cpu, double, cpu->len / 2),
           g_array_index (cpu, double, (guint) ceil (cpu->len * 0.99) - 1));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SmIntentModel) model = NULL;
  g_autoptr(SmIntentModel) shipped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *shipped_path = NULL;
  g_autofree char *en = NULL;
  g_autofree char *zh = NULL;
  const char *datadir = NULL;
  SmIntentTrainOptions options;
  SmIntentEvalResult all, han, other;
  gboolean skip_cv = FALSE;
  guint folds = 5;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--folds") && i + 1 < argc)
        folds = (guint) atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--skip-cv"))
        skip_cv = TRUE;
      else
        datadir = argv[i];
    }
  if (datadir == NULL)
    datadir = g_getenv ("SEATMATE_DATADIR");
  if (datadir == NULL)
    datadir = SOURCE_DATADIR;

  en = g_build_filename (datadir, "banking77", "train.csv", NULL);
  zh = g_build_filename (datadir, "intent", "zh-train.csv", NULL);
  if (!sm_intent_load_csv (en, texts, labels, FALSE, NULL, &error) ||
      !sm_intent_load_csv (zh, texts, labels, FALSE, NULL, &error))
    {
      g_printerr ("bench-intent: %s\n", error->message);
      return 1;
    }

  sm_intent_train_options_init (&options);

  if (!skip_cv)
    {
      t0 = g_get_monotonic_time ();
      if (!sm_intent_cross_validate (texts, labels, &options, folds, 1, FALSE,
                                     &all, &han, &other, NULL, &error))
        {
          g_printerr ("bench-intent: %s\n", error->message);
          return 1;
        }
      g_print ("{\"bench\":\"intent-cv\",\"folds\":%u,\"seconds\":%.1f}\n", folds,
               (g_get_monotonic_time () - t0) / 1e6);
      print_cv ("all", &all);
      print_cv ("other (BANKING77)", &other);
      print_cv ("han (zh-train)", &han);
    }

  t0 = g_get_monotonic_time ();
  model = sm_intent_model_train (texts, labels, &options, &error);
  if (model == NULL)
    {
      g_printerr ("bench-intent: %s\n", error->message);
      return 1;
    }
  bytes = sm_intent_model_serialize (model);
  g_print ("{\"bench\":\"intent-train\",\"n\":%u,\"seconds\":%.1f,\"model_bytes\":%" G_GSIZE_FORMAT "}\n",
           texts->len, (g_get_monotonic_time () - t0) / 1e6, g_bytes_get_size (bytes));

  latency (model, texts, FALSE, "en");
  latency (model, texts, TRUE, "zh");

  /* Loading the shipped model, as the app does at start-up */
  shipped_path = g_build_filename (datadir, "intent", "seatmate-intent.model", NULL);
  t0 = g_get_monotonic_time ();
  shipped = sm_intent_model_new_from_file (shipped_path, &error);
  if (shipped == NULL)
    {
      g_printerr ("bench-intent: %s\n", error->message);
      return 1;
    }
  g_print ("{\"bench\":\"intent-load\",\"ms\":%.1f}\n", (g_get_monotonic_time () - t0) / 1e3);

  /* Is the shipped model what this build trains from the data? */
  {
    g_autoptr(GBytes) shipped_bytes = sm_intent_model_serialize (shipped);

    g_print ("{\"bench\":\"intent-reproducible\",\"shipped_model_identical\":%s}\n",
             g_bytes_equal (bytes, shipped_bytes) ? "true" : "false");
  }

  return 0;
}
