/* sm-customer.h: who is calling, looked up by number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *reason;
  char   *disposition;
  gint64  offered_ms;
} SmCustomerContact;

#define SM_TYPE_CUSTOMER (sm_customer_get_type ())

G_DECLARE_FINAL_TYPE (SmCustomer, sm_customer, SM, CUSTOMER, GObject)

GPtrArray          *sm_customer_lookup_number     (SmStore     *store,
                                                   const char  *number,
                                                   GError     **error);
SmCustomer         *sm_customer_load              (SmStore     *store,
                                                   const char  *id,
                                                   GError     **error);
const char         *sm_customer_get_id            (SmCustomer  *self);
const char         *sm_customer_get_name          (SmCustomer  *self);
const char         *sm_customer_get_segment       (SmCustomer  *self);
const char         *sm_customer_get_language      (SmCustomer  *self);
const char         *sm_customer_get_since         (SmCustomer  *self);
const char * const *sm_customer_get_products      (SmCustomer  *self);
const char * const *sm_customer_get_cards         (SmCustomer  *self);
const char * const *sm_customer_get_flags         (SmCustomer  *self);
guint               sm_customer_get_open_work_orders (SmCustomer *self);
GPtrArray          *sm_customer_get_recent_contacts  (SmCustomer *self);
gboolean            sm_customer_has_flag          (SmCustomer  *self,
                                                   const char  *flag);

G_END_DECLS
