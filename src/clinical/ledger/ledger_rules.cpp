// Ledger rules (see ledger_rules.h).
#include "clinical/ledger/ledger_rules.h"

#include <fmt/format.h>

#include <array>
#include <set>
#include <utility>

#include "base/clock.h"

namespace ketachart::ledger {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 10> kEventKindNames = {{
    {EventKind::kReceive, "receive"},
    {EventKind::kAdminister, "administer"},
    {EventKind::kWaste, "waste"},
    {EventKind::kReturn, "return"},
    {EventKind::kTransfer, "transfer"},
    {EventKind::kDestruction, "destruction"},
    {EventKind::kLoss, "loss"},
    {EventKind::kCount, "count"},
    {EventKind::kCorrection, "correction"},
    {EventKind::kResolution, "resolution"},
}};

constexpr std::array<std::pair<CountKind, std::string_view>, 3> kCountKindNames = {{
    {CountKind::kInitial, "initial"},
    {CountKind::kBiennial, "biennial"},
    {CountKind::kRoutine, "routine"},
}};

}  // namespace

std::string_view EventKindName(EventKind kind) {
  for (const auto& [k, name] : kEventKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (const auto& [k, n] : kEventKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string_view CountKindName(CountKind kind) {
  for (const auto& [k, name] : kCountKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<CountKind> ParseCountKind(std::string_view name) {
  for (const auto& [k, n] : kCountKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::vector<Movement> MovementsOf(const EventMovementInput& event) {
  switch (event.kind) {
    case EventKind::kReceive:
      return {{event.at, event.quantity}};
    case EventKind::kAdminister:
    case EventKind::kReturn:
    case EventKind::kDestruction:
    case EventKind::kLoss:
      return {{event.at, -event.quantity}};
    case EventKind::kWaste:
      if (event.from_draw) return {};
      return {{event.at, -event.quantity}};
    case EventKind::kTransfer:
      return {{event.at, -event.quantity}, {StockKey{event.at.lot_id, event.to_location_id.value_or(0)}, event.quantity}};
    case EventKind::kCount:
    case EventKind::kCorrection:
    case EventKind::kResolution:
      return {};
  }
  return {};
}

std::vector<Movement> Reversal(const std::vector<Movement>& original) {
  std::vector<Movement> out;
  out.reserve(original.size());
  for (const Movement& m : original) out.push_back({m.key, -m.delta});
  return out;
}

Status CheckNoNegativeBalance(const std::map<StockKey, Micrograms>& balances, const std::vector<Movement>& movements) {
  std::map<StockKey, Micrograms> after;
  for (const Movement& m : movements) {
    auto [it, inserted] = after.try_emplace(m.key, Micrograms{0});
    if (inserted) {
      auto found = balances.find(m.key);
      if (found != balances.end()) it->second = found->second;
    }
    it->second += m.delta;
  }
  for (const auto& [key, balance] : after) {
    if (balance.value < 0) {
      const auto found = balances.find(key);
      const Micrograms on_hand = found == balances.end() ? Micrograms{0} : found->second;
      return Conflict(fmt::format("lot {} at location {} holds {} mg; this would leave {} mg (stock cannot go "
                                  "negative)",
                                  key.lot_id, key.location_id, FormatMilligrams(on_hand), FormatMilligrams(balance)),
                      "quantity_mg");
    }
  }
  return Status::Ok();
}

Status CheckDrawAccounting(Micrograms drawn, Micrograms administered, Micrograms already_wasted,
                           Micrograms new_waste) {
  if (drawn.value <= 0) return InvalidInput("drawn_mg", "must be more than 0");
  if (administered.value < 0) return InvalidInput("administered_mg", "must not be negative");
  if (administered > drawn) {
    return InvalidInput("administered_mg", fmt::format("{} mg administered is more than the {} mg drawn",
                                                       FormatMilligrams(administered), FormatMilligrams(drawn)));
  }
  const Micrograms accounted = administered + already_wasted + new_waste;
  if (accounted > drawn) {
    return Conflict(fmt::format("administered {} mg + wasted {} mg would exceed the {} mg drawn",
                                FormatMilligrams(administered), FormatMilligrams(already_wasted + new_waste),
                                FormatMilligrams(drawn)),
                    "quantity_mg");
  }
  return Status::Ok();
}

Status CheckWitnesses(int64_t recorder_user_id, const std::vector<int64_t>& witness_user_ids, size_t required) {
  if (witness_user_ids.size() != required) {
    return InvalidInput("witnesses", fmt::format("this event needs exactly {} witness{}", required,
                                                 required == 1 ? "" : "es"));
  }
  std::set<int64_t> seen;
  for (int64_t id : witness_user_ids) {
    if (id == recorder_user_id) {
      return InvalidInput("witnesses", "a witness must be a different person from the one recording the event");
    }
    if (!seen.insert(id).second) return InvalidInput("witnesses", "the witnesses must be different people");
  }
  return Status::Ok();
}

size_t RequiredWitnesses(EventKind kind) {
  switch (kind) {
    case EventKind::kWaste: return 1;
    case EventKind::kDestruction: return 2;
    default: return 0;
  }
}

bool EstimatedCountAllowed(Microlitres container_volume) {
  // Units are whole millilitres of the labelled volume, rounded up.
  const int64_t units = (container_volume.value + 999) / 1000;
  return units <= kMaxUnitsForEstimatedCount;
}

std::optional<std::string> BiennialInventoryDue(std::string_view last_inventory_date) {
  if (!IsValidDate(last_inventory_date)) return std::nullopt;
  const int year = std::stoi(std::string(last_inventory_date.substr(0, 4))) + 2;
  std::string month_day(last_inventory_date.substr(4));
  std::string due = fmt::format("{:04}{}", year, month_day);
  if (!IsValidDate(due)) due = fmt::format("{:04}-02-28", year);
  return due;
}

}  // namespace ketachart::ledger
