// An administration appended to the ledger in the caller's transaction (see ledger_administration.h).
#include "services/ledger_administration.h"

#include "clinical/ledger/ledger_rules.h"
#include "services/audit_trail.h"
#include "services/ledger_chain.h"
#include "services/ledger_queries.h"

namespace ketachart {

using namespace ledger_internal;

Result<Json> AppendLedgerAdministration(Transaction& txn, const Actor& actor, const LedgerAdministration& a,
                                        TimePoint now) {
  KC_RETURN_IF_ERROR(ledger::CheckDrawAccounting(ledger::Micrograms{a.drawn_ug}, ledger::Micrograms{a.administered_ug},
                                                 {0}, {0}));
  // One query for the checks, the balance and the view's names; the view is
  // then built here rather than read back (two round trips fewer).
  KC_ASSIGN_OR_RETURN(AdministrationTargets targets,
                      LoadAdministrationTargets(txn, actor.clinic_id, actor.user_id, a.lot_id, a.location_id,
                                                a.patient_id));
  LedgerEntry entry;
  entry.clinic_id = actor.clinic_id;
  entry.kind = ledger::EventKind::kAdminister;
  entry.recorded_by = actor.user_id;
  entry.occurred_at = a.occurred_at;
  entry.lot_id = a.lot_id;
  entry.location_id = a.location_id;
  entry.patient_id = a.patient_id;
  entry.dosing_session_id = a.dosing_session_id;
  entry.quantity = ledger::Micrograms{a.drawn_ug};
  entry.drawn_ug = a.drawn_ug;
  entry.administered_ug = a.administered_ug;
  if (!a.route.empty()) entry.details["route"] = a.route;
  if (!a.note.empty()) entry.details["note"] = a.note;
  std::map<ledger::StockKey, ledger::Micrograms> known_balances;
  if (targets.balance) known_balances[ledger::StockKey{a.lot_id, a.location_id}] = *targets.balance;
  KC_ASSIGN_OR_RETURN(LedgerEntry stored,
                      AppendLedgerEntry(txn, std::move(entry), FormatTimestamp(now), known_balances));
  Json view = EntryViewOf(stored, targets.names);
  KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                      LedgerAudit("ledger.event.administer", "ledger_entry",
                                                  std::to_string(stored.sequence), stored.patient_id,
                                                  ledger::FormatMilligrams(stored.quantity) + " mg"),
                                      now));
  return view;
}

}  // namespace ketachart
