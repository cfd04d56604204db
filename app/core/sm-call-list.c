/* sm-call-list.c: the calls of a seat, as a GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-call-list"

#include "config.h"

#include "sm-call-list.h"

struct _SmCallList
{
  GObject    parent_instance;

  GPtrArray *calls;
  SmCall    *current;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmCallList, sm_call_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel */

static GType
get_item_type (GListModel *model)
{
  return SM_TYPE_CALL;
}

static guint
get_n_items (GListModel *model)
{
  return SM_CALL_LIST (model)->calls->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SmCallList *self = SM_CALL_LIST (model);

  if (position >= self->calls->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->calls, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* GObject */

static void
sm_call_list_dispose (GObject *object)
{
  SmCallList *self = (SmCallList *)object;

  g_clear_object (&self->current);
  g_clear_pointer (&self->calls, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_call_list_parent_class)->dispose (object);
}

static void
sm_call_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmCallList *self = SM_CALL_LIST (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_call_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmCallList *self = SM_CALL_LIST (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      sm_call_list_set_current (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_call_list_class_init (SmCallListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_call_list_dispose;
  object_class->get_property = sm_call_list_get_property;
  object_class->set_property = sm_call_list_set_property;

  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, SM_TYPE_CALL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sm_call_list_init (SmCallList *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

SmCallList *
sm_call_list_new (void)
{
  return g_object_new (SM_TYPE_CALL_LIST, NULL);
}

/**
 * sm_call_list_add:
 *
 * Appends @call; the first call added becomes the current one.
 */
void
sm_call_list_add (SmCallList *self,
                  SmCall     *call)
{
  g_return_if_fail (SM_IS_CALL_LIST (self));
  g_return_if_fail (SM_IS_CALL (call));

  g_ptr_array_add (self->calls, g_object_ref (call));
  g_list_model_items_changed (G_LIST_MODEL (self), self->calls->len - 1, 0, 1);

  if (self->current == NULL)
    sm_call_list_set_current (self, call);
}

gboolean
sm_call_list_remove (SmCallList *self,
                     SmCall     *call)
{
  guint position;

  g_return_val_if_fail (SM_IS_CALL_LIST (self), FALSE);

  if (!g_ptr_array_find (self->calls, call, &position))
    return FALSE;

  if (self->current == call)
    sm_call_list_set_current (self, NULL);

  g_ptr_array_remove_index (self->calls, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  return TRUE;
}

/**
 * sm_call_list_find:
 *
 * Returns: (transfer none) (nullable): the call with @id
 */
SmCall *
sm_call_list_find (SmCallList *self,
                   const char *id)
{
  g_return_val_if_fail (SM_IS_CALL_LIST (self), NULL);

  for (guint i = 0; i < self->calls->len; i++)
    {
      SmCall *call = g_ptr_array_index (self->calls, i);
      if (g_strcmp0 (sm_call_get_id (call), id) == 0)
        return call;
    }

  return NULL;
}

/**
 * sm_call_list_get_current:
 *
 * Returns: (transfer none) (nullable): the call the agent works on
 */
SmCall *
sm_call_list_get_current (SmCallList *self)
{
  g_return_val_if_fail (SM_IS_CALL_LIST (self), NULL);
  return self->current;
}

void
sm_call_list_set_current (SmCallList *self,
                          SmCall     *call)
{
  g_return_if_fail (SM_IS_CALL_LIST (self));

  if (g_set_object (&self->current, call))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}
