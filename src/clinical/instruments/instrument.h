// A rating-scale instrument (PHQ-9, GAD-7, PCL-5, C-SSRS screener, QIDS-SR16,
// MOAA/S, modified Aldrete, MADRS, CADSS, BPRS+) compiled from its data file
// (data/instruments/*.json) into flat arrays, so scoring a response reads
// small integers only: no JSON, no strings, no allocation. Labels, citations
// and the FHIR Questionnaire travel with it for reporting. Immutable after
// compilation; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json_input.h"

namespace ketachart {

// Fixed capacities keep a compiled instrument and a score outcome flat.
inline constexpr int kMaxInstrumentItems = 32;
inline constexpr int kMaxInstrumentSubscales = 8;
inline constexpr int kMaxInstrumentBands = 8;
inline constexpr int kMaxInstrumentCutoffs = 8;
inline constexpr int kMaxInstrumentAlerts = 8;
inline constexpr int kMaxInstrumentSymptomRules = 4;

// An answer slot with no value: not answered, or not asked under skip logic.
inline constexpr int16_t kNotAnswered = INT16_MIN;

enum class InstrumentKind {
  kSelfReport,       // patient-completed form, every asked item scored
  kClinicianRating,  // clinician-observed items (MOAA/S, modified Aldrete)
  kClinicianTotal,   // licensed scale: clinician-entered total, optional item values
};

// Range and skip logic of one item.
struct InstrumentItem {
  std::string link_id;
  int16_t min = 0;
  int16_t max = 0;
  bool required = true;
  // Asked only when item `enabled_by` (index) has value `enabled_when`; -1: always asked.
  int8_t enabled_by = -1;
  int16_t enabled_when = 0;
};

// One part of a total or subscale: the sum or the maximum of a run of items.
struct ScoreTerm {
  enum class Operation : uint8_t { kSum, kMax };
  Operation operation = Operation::kSum;
  uint8_t first = 0;  // offset into CompiledInstrument::term_items
  uint8_t count = 0;
};

// A run of terms in CompiledInstrument::terms.
struct TermRange {
  uint8_t first = 0;
  uint8_t count = 0;
};

// "Item X is at least V" tests, joined by OR.
struct ItemCondition {
  uint8_t item = 0;
  int16_t at_least = 0;
};

// When a rule-based band or an alert applies.
struct Trigger {
  enum class Kind : uint8_t { kNever, kAnyItem, kBand, kOtherwise };
  Kind kind = Kind::kNever;
  uint8_t first = 0;  // offset into CompiledInstrument::conditions (kAnyItem)
  uint8_t count = 0;
  uint32_t band_mask = 0;  // kBand: bit per band index
};

struct Subscale {
  std::string code;
  std::string display;
  TermRange terms;
};

struct Band {
  std::string code;
  std::string display;
  int16_t min = 0;  // range bands (trigger.kind == kNever)
  int16_t max = 0;
  Trigger trigger;  // rule bands: the first matching band wins
  bool unconfirmed = false;
};

struct Cutoff {
  std::string code;
  std::string display;
  int16_t at_least = 0;
  std::optional<std::pair<int16_t, int16_t>> configurable;  // allowed overrides [min, max]
};

struct Alert {
  std::string code;
  std::string severity;  // "urgent" | "advisory"
  std::string display;
  Trigger trigger;
};

// Items at or above `endorsed_at_least` count as endorsed; each listed subscale
// needs at least its minimum count (PCL-5's DSM-5 symptom rule).
struct SymptomRule {
  std::string code;
  std::string display;
  int16_t endorsed_at_least = 0;
  uint8_t requirement_count = 0;
  std::array<uint8_t, kMaxInstrumentSubscales> subscale{};
  std::array<uint8_t, kMaxInstrumentSubscales> min_count{};
};

// Jacobson–Truax reliable change with the Christensen & Mendoza (1986) √2
// correction: S_diff = SD · √2 · √(1 − r); change is reliable when
// |RC| = |X₂ − X₁| / S_diff > z.
struct ReliableChangeConstants {
  double sd = 0;
  double reliability = 0;
  std::string reliability_kind;  // "cronbach_alpha" | "test_retest"
  double z = 0;
  double s_diff = 0;  // derived at compilation
};

// What counts as improvement for a scale where lower scores are better.
struct ChangeRules {
  bool defined = false;
  std::optional<int> response_percent_reduction;  // e.g. 50
  std::optional<int> remission_at_most;
  std::optional<std::pair<int16_t, int16_t>> remission_configurable;
  std::optional<int> clinically_significant_post_at_most;  // with ≥ clinically_significant_percent
  std::optional<int> clinically_significant_percent;
  std::optional<int> reliable_improvement_points;  // e.g. NHS Talking Therapies convention
  std::optional<int> response_points;              // e.g. PCL-5 ≥5
  std::optional<int> clinically_meaningful_points; // e.g. PCL-5 ≥10
  std::optional<ReliableChangeConstants> reliable_change;
};

struct CompiledInstrument {
  std::string key;    // "phq9": the name used by the CLI and the API
  std::string id;     // "phq-9": the Questionnaire id and data file name
  std::string url;    // canonical Questionnaire url
  std::string version;
  std::string title;
  InstrumentKind kind = InstrumentKind::kSelfReport;
  bool item_text_shipped = false;
  bool range_unconfirmed = false;

  uint8_t item_count = 0;
  std::array<InstrumentItem, kMaxInstrumentItems> items{};
  // kClinicianTotal: index of the entered-total slot (item 0); -1 otherwise.
  int8_t entered_total_item = -1;

  std::vector<uint8_t> term_items;  // item indices referenced by terms
  std::vector<ScoreTerm> terms;
  std::vector<ItemCondition> conditions;

  bool has_total = false;
  TermRange total_terms;
  int16_t total_min = 0;
  int16_t total_max = 0;
  std::optional<std::string> total_loinc;
  std::string total_loinc_display;

  uint8_t subscale_count = 0;
  std::array<Subscale, kMaxInstrumentSubscales> subscales{};
  uint8_t band_count = 0;
  std::array<Band, kMaxInstrumentBands> bands{};
  bool rule_bands = false;  // bands chosen by triggers rather than total ranges
  uint8_t cutoff_count = 0;
  std::array<Cutoff, kMaxInstrumentCutoffs> cutoffs{};
  uint8_t alert_count = 0;
  std::array<Alert, kMaxInstrumentAlerts> alerts{};
  uint8_t symptom_rule_count = 0;
  std::array<SymptomRule, kMaxInstrumentSymptomRules> symptom_rules{};
  ChangeRules change;

  // The data file as loaded (FHIR Questionnaire plus the "ketachart" block).
  Json definition;

  // Index of the item with `link_id`, or -1.
  int ItemIndex(std::string_view link_id) const;
};

}  // namespace ketachart
