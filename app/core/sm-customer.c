/* sm-customer.c: who is calling, looked up by number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sm-customer"

#include "config.h"

#include <glib/gi18n.h>

#include "sm-customer.h"

struct _SmCustomer
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  char      *segment;
  char      *language;
  char      *since;
  GStrv      products;
  GStrv      cards;
  GStrv      flags;
  guint      open_work_orders;
  GPtrArray *recent_contacts;
};

G_DEFINE_FINAL_TYPE (SmCustomer, sm_customer, G_TYPE_OBJECT)

static void
contact_free (gpointer data)
{
  SmCustomerContact *contact = data;

  g_free (contact->id);
  g_free (contact->reason);
  g_free (contact->disposition);
  g_free (contact);
}

static void
sm_customer_finalize (GObject *object)
{
  SmCustomer *self = (SmCustomer *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->segment, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->since, g_free);
  g_clear_pointer (&self->products, g_strfreev);
  g_clear_pointer (&self->cards, g_strfreev);
  g_clear_pointer (&self->flags, g_strfreev);
  g_clear_pointer (&self->recent_contacts, g_ptr_array_unref);

  G_OBJECT_CLASS (sm_customer_parent_class)->finalize (object);
}

static void
sm_customer_class_init (SmCustomerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sm_customer_finalize;
}

static void
sm_customer_init (SmCustomer *self)
{
  self->recent_contacts = g_ptr_array_new_with_free_func (contact_free);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, col));
}

static GStrv
query_strv (SmStore    *store,
            const char *sql,
            const char *id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = sm_store_prepare (store, sql, NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));
    }

  return g_strv_builder_end (builder);
}

/**
 * sm_customer_load:
 *
 * Returns: (transfer full) (nullable): the customer with its cards (masked),
 *   risk flags, open work orders and last five contacts
 */
SmCustomer *
sm_customer_load (SmStore     *store,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(SmCustomer) self = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *products;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  stmt = sm_store_prepare (store,
                           "SELECT id, name, segment, language, customer_since, products"
                           " FROM customers WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SM_STORE_ERROR, SM_STORE_ERROR_NOT_FOUND,
                   _("No customer “%s”"), id);
      return NULL;
    }

  self = g_object_new (SM_TYPE_CUSTOMER, NULL);
  self->id = column_dup (stmt, 0);
  self->name = column_dup (stmt, 1);
  self->segment = column_dup (stmt, 2);
  self->language = column_dup (stmt, 3);
  self->since = column_dup (stmt, 4);
  products = (const char *)sqlite3_column_text (stmt, 5);
  self->products = products != NULL && *products ? g_strsplit (products, "\n", -1)
                                                 : g_new0 (char *, 1);

  self->cards = query_strv (store,
                            "SELECT masked || coalesce(' · ' || product, '')"
                            " FROM cards WHERE customer_id = ?1 ORDER BY id",
                            self->id);
  self->flags = query_strv (store,
                            "SELECT flag FROM risk_flags WHERE customer_id = ?1 ORDER BY flag",
                            self->id);

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sm_store_prepare (store,
                           "SELECT count(*) FROM work_orders"
                           " WHERE customer_id = ?1 AND status <> 'closed'",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->open_work_orders = sqlite3_column_int (stmt, 0);

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = sm_store_prepare (store,
                           "SELECT id, reason, disposition, offered_ms FROM contacts"
                           " WHERE customer = ?1 ORDER BY offered_ms DESC LIMIT 5",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SmCustomerContact *contact = g_new0 (SmCustomerContact, 1);

      contact->id = column_dup (stmt, 0);
      contact->reason = column_dup (stmt, 1);
      contact->disposition = column_dup (stmt, 2);
      contact->offered_ms = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (self->recent_contacts, contact);
    }

  return g_steal_pointer (&self);
}

/**
 * sm_customer_lookup_number:
 * @number: the caller's number as the CTI source gave it
 *
 * Returns: (transfer full) (element-type SmCustomer): every customer with
 *   that number; empty for an unknown number, %NULL on a store error
 */
GPtrArray *
sm_customer_lookup_number (SmStore     *store,
                           const char  *number,
                           GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  if (number == NULL || *number == '\0')
    return g_steal_pointer (&found);

  stmt = sm_store_prepare (store,
                           "SELECT customer_id FROM customer_phones WHERE number = ?1"
                           " ORDER BY customer_id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, column_dup (stmt, 0));

  for (guint i = 0; i < ids->len; i++)
    {
      SmCustomer *customer = sm_customer_load (store, g_ptr_array_index (ids, i), error);

      if (customer == NULL)
        return NULL;
      g_ptr_array_add (found, customer);
    }

  return g_steal_pointer (&found);
}

const char *
sm_customer_get_id (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->id;
}

const char *
sm_customer_get_name (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->name;
}

const char *
sm_customer_get_segment (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->segment;
}

const char *
sm_customer_get_language (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->language;
}

const char *
sm_customer_get_since (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->since;
}

const char * const *
sm_customer_get_products (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return (const char * const *)self->products;
}

/**
 * sm_customer_get_cards:
 *
 * Returns: (transfer none): the cards, masked, with their product names
 */
const char * const *
sm_customer_get_cards (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return (const char * const *)self->cards;
}

const char * const *
sm_customer_get_flags (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return (const char * const *)self->flags;
}

gboolean
sm_customer_has_flag (SmCustomer *self,
                      const char *flag)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), FALSE);
  return g_strv_contains ((const char * const *)self->flags, flag);
}

guint
sm_customer_get_open_work_orders (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), 0);
  return self->open_work_orders;
}

/**
 * sm_customer_get_recent_contacts:
 *
 * Returns: (transfer none) (element-type SmCustomerContact): newest first
 */
GPtrArray *
sm_customer_get_recent_contacts (SmCustomer *self)
{
  g_return_val_if_fail (SM_IS_CUSTOMER (self), NULL);
  return self->recent_contacts;
}
