/* sm-labels.c: words for the ids that core stores (intents, contact outcomes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store keeps intents and outcomes as ids ("lost_or_stolen_card",
 * "callback"); every screen shows them through these functions, in the
 * language of the UI. The intents are those of the category map
 * (data/work-orders/categories.csv): BANKING77's 77 and the Chinese starter
 * set's own; their Chinese names in po/zh_CN.po are the map's sub-categories.
 */

#define G_LOG_DOMAIN "sm-labels"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sm-labels.h"

typedef struct
{
  const char *id;
  const char *label;
} SmLabel;

/* Sorted by id, for bsearch () */
static const SmLabel intents[] = {
  { "Refund_not_showing_up", N_("Refund not showing up") },
  { "activate_my_card", N_("Activate my card") },
  { "age_limit", N_("Age limit") },
  { "apple_pay_or_google_pay", N_("Apple pay or google pay") },
  { "atm_support", N_("Atm support") },
  { "automatic_top_up", N_("Automatic top up") },
  { "balance_not_updated_after_bank_transfer", N_("Balance not updated after bank transfer") },
  { "balance_not_updated_after_cheque_or_cash_deposit", N_("Balance not updated after cheque or cash deposit") },
  { "beneficiary_not_allowed", N_("Beneficiary not allowed") },
  { "cancel_transfer", N_("Cancel transfer") },
  { "card_about_to_expire", N_("Card about to expire") },
  { "card_acceptance", N_("Card acceptance") },
  { "card_arrival", N_("Card arrival") },
  { "card_delivery_estimate", N_("Card delivery estimate") },
  { "card_linking", N_("Card linking") },
  { "card_not_working", N_("Card not working") },
  { "card_payment_fee_charged", N_("Card payment fee charged") },
  { "card_payment_not_recognised", N_("Card payment not recognised") },
  { "card_payment_wrong_exchange_rate", N_("Card payment wrong exchange rate") },
  { "card_swallowed", N_("Card swallowed") },
  { "cash_withdrawal_charge", N_("Cash withdrawal charge") },
  { "cash_withdrawal_not_recognised", N_("Cash withdrawal not recognised") },
  { "change_pin", N_("Change pin") },
  { "complaint", N_("Complaint") },
  { "compromised_card", N_("Compromised card") },
  { "contactless_not_working", N_("Contactless not working") },
  { "country_support", N_("Country support") },
  { "credit_limit", N_("Credit limit") },
  { "declined_card_payment", N_("Declined card payment") },
  { "declined_cash_withdrawal", N_("Declined cash withdrawal") },
  { "declined_transfer", N_("Declined transfer") },
  { "direct_debit_payment_not_recognised", N_("Direct debit payment not recognised") },
  { "disposable_card_limits", N_("Disposable card limits") },
  { "edit_personal_details", N_("Edit personal details") },
  { "exchange_charge", N_("Exchange charge") },
  { "exchange_rate", N_("Exchange rate") },
  { "exchange_via_app", N_("Exchange via app") },
  { "extra_charge_on_statement", N_("Extra charge on statement") },
  { "failed_transfer", N_("Failed transfer") },
  { "fiat_currency_support", N_("Fiat currency support") },
  { "get_disposable_virtual_card", N_("Get disposable virtual card") },
  { "get_physical_card", N_("Get physical card") },
  { "getting_spare_card", N_("Getting spare card") },
  { "getting_virtual_card", N_("Getting virtual card") },
  { "lost_or_stolen_card", N_("Lost or stolen card") },
  { "lost_or_stolen_phone", N_("Lost or stolen phone") },
  { "order_physical_card", N_("Order physical card") },
  { "passcode_forgotten", N_("Passcode forgotten") },
  { "pending_card_payment", N_("Pending card payment") },
  { "pending_cash_withdrawal", N_("Pending cash withdrawal") },
  { "pending_top_up", N_("Pending top up") },
  { "pending_transfer", N_("Pending transfer") },
  { "pin_blocked", N_("Pin blocked") },
  { "receiving_money", N_("Receiving money") },
  { "request_refund", N_("Request refund") },
  { "reverted_card_payment?", N_("Reverted card payment") },
  { "statement_repayment", N_("Statement repayment") },
  { "supported_cards_and_currencies", N_("Supported cards and currencies") },
  { "terminate_account", N_("Terminate account") },
  { "top_up_by_bank_transfer_charge", N_("Top up by bank transfer charge") },
  { "top_up_by_card_charge", N_("Top up by card charge") },
  { "top_up_by_cash_or_cheque", N_("Top up by cash or cheque") },
  { "top_up_failed", N_("Top up failed") },
  { "top_up_limits", N_("Top up limits") },
  { "top_up_reverted", N_("Top up reverted") },
  { "topping_up_by_card", N_("Topping up by card") },
  { "transaction_charged_twice", N_("Transaction charged twice") },
  { "transfer_fee_charged", N_("Transfer fee charged") },
  { "transfer_into_account", N_("Transfer into account") },
  { "transfer_not_received_by_recipient", N_("Transfer not received by recipient") },
  { "transfer_timing", N_("Transfer timing") },
  { "unable_to_verify_identity", N_("Unable to verify identity") },
  { "verify_my_identity", N_("Verify my identity") },
  { "verify_source_of_funds", N_("Verify source of funds") },
  { "verify_top_up", N_("Verify top up") },
  { "virtual_card_not_working", N_("Virtual card not working") },
  { "visa_or_mastercard", N_("Visa or mastercard") },
  { "why_verify_identity", N_("Why verify identity") },
  { "wrong_amount_of_cash_received", N_("Wrong amount of cash received") },
  { "wrong_exchange_rate_for_cash_withdrawal", N_("Wrong exchange rate for cash withdrawal") },
};

static const SmLabel outcomes[] = {
  { "abandoned", N_("abandoned") },
  { "callback", N_("callback") },
  { "escalated", N_("escalated") },
  { "missed", N_("missed") },
  { "no_answer", N_("no answer") },
  { "resolved", N_("resolved") },
  { "transferred", N_("transferred") },
};

static int
compare_label (const void *key,
               const void *item)
{
  return strcmp (key, ((const SmLabel *)item)->id);
}

static const SmLabel *
find_label (const SmLabel *labels,
            gsize          n_labels,
            const char    *id)
{
  return bsearch (id, labels, n_labels, sizeof *labels, compare_label);
}

/**
 * sm_intent_title:
 * @intent: an intent id, such as "lost_or_stolen_card"
 *
 * Returns: (transfer full): the intent's name in the UI's language ("Lost or
 *   stolen card", "卡片遗失或被盗"); an intent the map does not know is shown
 *   as its id in words
 */
char *
sm_intent_title (const char *intent)
{
  const SmLabel *label;
  char *text;
  gsize len;

  g_return_val_if_fail (intent != NULL, NULL);

  label = find_label (intents, G_N_ELEMENTS (intents), intent);
  if (label != NULL)
    return g_strdup (_(label->label));

  text = g_strdelimit (g_strdup (intent), "_", ' ');
  len = strlen (text);
  while (len > 0 && (text[len - 1] == '?' || text[len - 1] == ' '))
    text[--len] = '\0';
  if (len > 0)
    text[0] = g_ascii_toupper (text[0]);

  return text;
}

/**
 * sm_outcome_label:
 * @disposition: (nullable): a contact's disposition, such as "callback"
 *
 * Returns: (transfer none): the outcome in the UI's language; an unknown
 *   disposition is returned as it is
 */
const char *
sm_outcome_label (const char *disposition)
{
  const SmLabel *label;

  if (disposition == NULL)
    return _("no outcome");

  label = find_label (outcomes, G_N_ELEMENTS (outcomes), disposition);
  return label != NULL ? _(label->label) : disposition;
}
