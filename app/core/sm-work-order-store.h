/* sm-work-order-store.h: work orders, their history, drafts and reference data in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "sm-call.h"
#include "sm-store.h"
#include "sm-work-order.h"

G_BEGIN_DECLS

typedef enum
{
  SM_WO_LIST_MINE,
  SM_WO_LIST_OPEN,
  SM_WO_LIST_NEAR_DUE,
  SM_WO_LIST_OVERDUE,
  SM_WO_LIST_COMPLAINTS,
  SM_WO_LIST_ALL,
} SmWoListFilter;

/* A row of a list: the work order and its customer's name */
typedef struct
{
  SmWorkOrder *wo;
  char        *customer_name;
} SmWoRow;

typedef void (*SmWoForeachFunc) (SmWorkOrder *wo,
                                 gpointer     user_data);

#define SM_TYPE_WORK_ORDER_STORE (sm_work_order_store_get_type ())

G_DECLARE_FINAL_TYPE (SmWorkOrderStore, sm_work_order_store, SM, WORK_ORDER_STORE, GObject)

SmWorkOrderStore *sm_work_order_store_new              (SmStore            *store);
SmStore          *sm_work_order_store_get_store        (SmWorkOrderStore   *self);
void              sm_work_order_store_set_policy       (SmWorkOrderStore   *self,
                                                        const SmWoPolicy   *policy);
const SmWoPolicy *sm_work_order_store_get_policy       (SmWorkOrderStore   *self);

gboolean          sm_work_order_store_load_reference   (SmWorkOrderStore   *self,
                                                        GError            **error);
SmWoCategory     *sm_work_order_store_lookup_intent    (SmWorkOrderStore   *self,
                                                        const char         *intent);
SmWoCategory     *sm_work_order_store_lookup_category  (SmWorkOrderStore   *self,
                                                        const char         *category,
                                                        const char         *subcategory);
GPtrArray        *sm_work_order_store_list_categories  (SmWorkOrderStore   *self);
char             *sm_work_order_store_lookup_canned    (SmWorkOrderStore   *self,
                                                        const char         *keyword,
                                                        gboolean            chinese);
GStrv             sm_work_order_store_list_departments (SmWorkOrderStore   *self);

gboolean          sm_work_order_store_save             (SmWorkOrderStore   *self,
                                                        SmWorkOrder        *wo,
                                                        const char         *agent,
                                                        gint64              now_ms,
                                                        GError            **error);
gboolean          sm_work_order_store_import           (SmWorkOrderStore   *self,
                                                        SmWorkOrder        *wo,
                                                        GError            **error);
gboolean          sm_work_order_store_transition       (SmWorkOrderStore   *self,
                                                        const char         *id,
                                                        SmWoStatus          to,
                                                        const char         *agent,
                                                        gint64              now_ms,
                                                        GError            **error);
SmWorkOrder      *sm_work_order_store_load             (SmWorkOrderStore   *self,
                                                        const char         *id,
                                                        GError            **error);
GPtrArray        *sm_work_order_store_history          (SmWorkOrderStore   *self,
                                                        const char         *id,
                                                        GError            **error);
GPtrArray        *sm_work_order_store_list             (SmWorkOrderStore   *self,
                                                        SmWoListFilter      filter,
                                                        const char         *agent,
                                                        const char         *search,
                                                        gint64              now_ms,
                                                        guint               limit,
                                                        GError            **error);
gint64            sm_work_order_store_count            (SmWorkOrderStore   *self,
                                                        SmWoListFilter      filter,
                                                        const char         *agent,
                                                        gint64              now_ms);
gboolean          sm_work_order_store_foreach          (SmWorkOrderStore   *self,
                                                        gint64              from_ms,
                                                        gint64              to_ms,
                                                        SmWoForeachFunc     func,
                                                        gpointer            user_data,
                                                        GError            **error);

gboolean          sm_work_order_store_save_draft       (SmWorkOrderStore   *self,
                                                        const char         *agent,
                                                        const SmWorkOrder  *wo,
                                                        gint64              now_ms,
                                                        GError            **error);
void              sm_work_order_store_schedule_draft   (SmWorkOrderStore   *self,
                                                        const char         *agent,
                                                        const SmWorkOrder  *wo);
void              sm_work_order_store_flush_draft      (SmWorkOrderStore   *self);
SmWorkOrder      *sm_work_order_store_load_draft       (SmWorkOrderStore   *self,
                                                        const char         *agent,
                                                        gint64             *updated_ms);
gboolean          sm_work_order_store_discard_draft    (SmWorkOrderStore   *self,
                                                        const char         *agent,
                                                        GError            **error);

void              sm_work_order_store_prefill_from_call (SmWorkOrderStore  *self,
                                                        SmWorkOrder        *wo,
                                                        SmCall             *call,
                                                        gboolean            chinese,
                                                        gint64              now_ms);

gboolean          sm_work_order_store_write            (SmStore            *store,
                                                        SmWorkOrder        *wo,
                                                        const SmWoPolicy   *policy,
                                                        const char         *event,
                                                        const char         *agent,
                                                        gint64              at_ms,
                                                        GError            **error);

void              sm_wo_row_free                       (SmWoRow            *row);

G_END_DECLS
