/* fuzz-cti.c: libFuzzer target for the CTI input path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bytes from a softphone go through the netstring parser, then JSON, then
 * the baresip event and response handling; a line of a replay file goes
 * through the normalised call event parser. The first input byte picks the
 * read size, so frames are split at every possible point.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sm-call-event.h"
#include "sm-cti-baresip.h"
#include "sm-cti-ari.h"
#include "sm-netstring.h"

static SmCtiBaresip *source;
static SmCtiAri *ari;

static void
frame_cb (const char *data,
          gsize       len,
          gpointer    user_data)
{
  sm_cti_baresip_handle_frame (source, data, len);
  sm_cti_ari_handle_message (ari, data, len);
}

static void
event_cb (SmCtiSource *s,
          SmCallEvent *event,
          gpointer     user_data)
{
  g_autofree char *json = sm_call_event_to_json (event);

  g_assert (json != NULL);
}

static void
quiet_log (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SmNetstringParser) parser = NULL;
  g_autoptr(SmCallEvent) event = NULL;
  gsize chunk;

  if (source == NULL)
    {
      g_log_set_default_handler (quiet_log, NULL);
      source = sm_cti_baresip_new ("127.0.0.1:1", FALSE, NULL);
      ari = sm_cti_ari_new ("http://127.0.0.1:1", "fuzz", NULL, NULL, NULL);
      g_signal_connect (source, "call-event", G_CALLBACK (event_cb), NULL);
      g_signal_connect (ari, "call-event", G_CALLBACK (event_cb), NULL);
    }

  if (size == 0)
    return 0;

  chunk = 1 + data[0] % 64;
  data++;
  size--;

  parser = sm_netstring_parser_new (0);
  for (gsize i = 0; i < size; i += chunk)
    if (!sm_netstring_parser_feed (parser, (const char *)data + i, MIN (chunk, size - i),
                                   frame_cb, NULL, NULL))
      break;

  /* The same bytes as a replay line */
  event = sm_call_event_parse ((const char *)data, size, NULL);
  if (event != NULL)
    {
      g_autofree char *json = sm_call_event_to_json (event);
      g_autoptr(SmCallEvent) again = sm_call_event_parse (json, -1, NULL);

      /* What we print, we read back */
      g_assert (again != NULL);
    }

  return 0;
}
