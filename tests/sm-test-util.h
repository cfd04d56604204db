/* sm-test-util.h: helpers shared by the test programs (GLib and core only;
 * the widget helpers are in sm-test-gtk.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sm-context.h"
#include "sm-cti-source.h"

G_BEGIN_DECLS

/* Runs the main loop until @cond holds; aborts the test after @seconds */
#define SM_TEST_WAIT_FOR_SECONDS(cond, seconds)                                      \
  G_STMT_START {                                                                     \
    guint _id = g_timeout_add_seconds ((seconds), sm_test_timeout_cb,                \
                                       (gpointer) #cond);                            \
    while (!(cond))                                                                  \
      g_main_context_iteration (NULL, TRUE);                                         \
    g_source_remove (_id);                                                           \
  } G_STMT_END

#define SM_TEST_WAIT_FOR(cond) SM_TEST_WAIT_FOR_SECONDS (cond, 20)

/* What a CTI test sees of a source: connection changes and the last
 * command's outcome (and, if the test sets it, the events it collects) */
typedef struct
{
  GPtrArray *events;
  guint      n_connected;
  guint      n_disconnected;
  gboolean   done;
  gboolean   ok;
  GError    *error;
} SmTestWatch;

void       sm_test_watch_connection_cb (SmCtiSource  *source,
                                        gboolean      connected,
                                        const char   *message,
                                        SmTestWatch  *watch);
void       sm_test_watch_command_cb    (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data);

gboolean   sm_test_timeout_cb    (gpointer     what);
void       sm_test_spin          (void);
void       sm_test_init          (int         *argc,
                                  char      ***argv);
SmContext *sm_test_demo_context  (const char  *tmp_template);

G_END_DECLS
