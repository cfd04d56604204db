/* sm-context.c: the services of one seat, passed to every window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-context"

#include "config.h"

#include "sm-context.h"

struct _SmContext
{
  GObject     parent_instance;

  SmStore    *store;
  GSettings  *settings;
  SmCallList *calls;
  SmNotifier *notifier;
  char       *agent_id;
  gboolean    demo;
};

G_DEFINE_FINAL_TYPE (SmContext, sm_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sm_context_dispose (GObject *object)
{
  SmContext *self = (SmContext *)object;

  g_clear_object (&self->calls);
  g_clear_object (&self->notifier);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_context_parent_class)->dispose (object);
}

static void
sm_context_finalize (GObject *object)
{
  SmContext *self = (SmContext *)object;

  g_clear_pointer (&self->agent_id, g_free);

  G_OBJECT_CLASS (sm_context_parent_class)->finalize (object);
}

static void
sm_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SmContext *self = SM_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CALLS:
      g_value_set_object (value, self->calls);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_context_class_init (SmContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_context_dispose;
  object_class->finalize = sm_context_finalize;
  object_class->get_property = sm_context_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CALLS] =
    g_param_spec_object ("calls", NULL, NULL, SM_TYPE_CALL_LIST,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_context_init (SmContext *self)
{
  self->calls = sm_call_list_new ();
}

/**
 * sm_context_new:
 * @store: the open store
 * @settings: (nullable): the app's settings; %NULL in the command line
 * @demo: whether the seat runs on the demo data
 */
SmContext *
sm_context_new (SmStore   *store,
                GSettings *settings,
                gboolean   demo)
{
  SmContext *self;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  self = g_object_new (SM_TYPE_CONTEXT, NULL);
  self->store = g_object_ref (store);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->demo = demo;
  self->agent_id = settings != NULL ? g_settings_get_string (settings, "agent-id")
                                    : g_strdup ("a7");

  return self;
}

SmStore *
sm_context_get_store (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);
  return self->store;
}

/**
 * sm_context_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, if there are any
 */
GSettings *
sm_context_get_settings (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);
  return self->settings;
}

/**
 * sm_context_get_notifier:
 *
 * Returns: (transfer none): the desktop notifier, created on first use
 */
SmNotifier *
sm_context_get_notifier (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);

  if (self->notifier == NULL)
    self->notifier = sm_notifier_new ("Seatmate");

  return self->notifier;
}

SmCallList *
sm_context_get_calls (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);
  return self->calls;
}

gboolean
sm_context_get_demo (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), FALSE);
  return self->demo;
}

const char *
sm_context_get_agent_id (SmContext *self)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);
  return self->agent_id;
}

/**
 * sm_context_dup_agent_name:
 *
 * Returns: (transfer full): the agent-name setting, else the stored name,
 *   else the agent identifier
 */
char *
sm_context_dup_agent_name (SmContext *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (SM_IS_CONTEXT (self), NULL);

  if (self->settings != NULL)
    name = g_settings_get_string (self->settings, "agent-name");
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = sm_store_get_agent_name (self->store, self->agent_id);
    }

  return name != NULL ? g_steal_pointer (&name) : g_strdup (self->agent_id);
}

/**
 * sm_context_get_double:
 * @fallback: the value without settings (the command line, some tests)
 *
 * Returns: the setting @key, or @fallback when the context has no settings
 */
double
sm_context_get_double (SmContext  *self,
                       const char *key,
                       double      fallback)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), fallback);

  return self->settings != NULL ? g_settings_get_double (self->settings, key) : fallback;
}

/**
 * sm_context_get_uint:
 * @fallback: the value without settings (the command line, some tests)
 *
 * Returns: the setting @key, or @fallback when the context has no settings
 */
guint
sm_context_get_uint (SmContext  *self,
                     const char *key,
                     guint       fallback)
{
  g_return_val_if_fail (SM_IS_CONTEXT (self), fallback);

  return self->settings != NULL ? g_settings_get_uint (self->settings, key) : fallback;
}
