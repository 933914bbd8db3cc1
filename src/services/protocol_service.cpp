// Protocol versions per clinic (see protocol_service.h).
#include "services/protocol_service.h"

#include <fmt/format.h>

#include "services/course_records.h"
#include "services/eligibility_service.h"
#include "services/guard.h"
#include "services/protocol_store.h"

namespace ketachart {
namespace {

Json Unconfirmed(const Protocol& protocol) {
  Json out = Json::array();
  for (const ProtocolQuantity* q : protocol.UnconfirmedQuantities()) {
    out.push_back({{"id", q->id}, {"label", q->label}, {"value", q->value ? Json(*q->value) : Json(nullptr)},
                   {"unit", q->unit}});
  }
  return out;
}

Json Summary(const ClinicProtocol& entry) {
  const Protocol& p = *entry.protocol;
  return Json{{"id", p.id},           {"version", p.version}, {"title", p.title},
              {"drug", p.drug},       {"route", p.route},     {"summary", p.summary},
              {"origin", entry.origin}, {"digest", p.digest}, {"unconfirmed", Unconfirmed(p)}};
}

Result<Json> Detail(Transaction& txn, int64_t clinic_id, const std::string& protocol_id) {
  KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn, clinic_id, protocol_id));
  Json versions = Json::array();
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query("SELECT v.version, v.created_at, u.username, v.change_reason FROM protocol_versions "
                                "v JOIN users u ON u.id = v.created_by WHERE v.clinic_id = ? AND v.protocol_id = ? "
                                "ORDER BY v.version DESC",
                                {clinic_id, protocol_id}));
  for (const SqlRow& row : rows) {
    versions.push_back({{"version", row.Int(0)},
                        {"origin", "clinic"},
                        {"created_at", row.Text(1)},
                        {"created_by", row.Text(2)},
                        {"change_reason", row.Text(3)}});
  }
  for (const auto& shipped : ShippedProtocols()) {
    if (shipped->id == protocol_id) {
      versions.push_back({{"version", shipped->version},
                          {"origin", "shipped"},
                          {"created_at", nullptr},
                          {"created_by", nullptr},
                          {"change_reason", "shipped with KetaChart"}});
    }
  }
  Json detail = Summary(active);
  detail["protocol"] = active.protocol->document;
  detail["versions"] = std::move(versions);
  return detail;
}

}  // namespace

Result<Json> ProtocolService::ListProtocols(const Actor& actor) {
  if (actor.user_id == 0 || actor.clinic_id == 0) return Unauthenticated("log in to a clinic first");
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(std::vector<ClinicProtocol> active, ActiveProtocols(txn, actor.clinic_id));
    Json items = Json::array();
    for (const ClinicProtocol& entry : active) items.push_back(Summary(entry));
    return Json{{"items", std::move(items)}};
  });
}

Result<Json> ProtocolService::GetProtocol(const Actor& actor, const std::string& protocol_id) {
  if (actor.user_id == 0 || actor.clinic_id == 0) return Unauthenticated("log in to a clinic first");
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    return Detail(txn, actor.clinic_id, protocol_id);
  });
}

Result<Json> ProtocolService::PublishVersion(const Actor& actor, const std::string& protocol_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kProtocolAdmin,
                                       CourseAudit("protocol.publish", "protocol", 0, std::nullopt, protocol_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  const Json* document = reader.OptionalObject("document");
  auto change_reason = reader.RequiredString("change_reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!document) return InvalidInput("document", "is required: the protocol document");
  auto loaded = LoadProtocolDocument(*document);
  if (!loaded.ok()) {
    Error error = loaded.error();
    error.field = error.field.empty() ? "document" : "document." + error.field;
    return error;
  }
  const Protocol& protocol = *loaded.value();
  if (protocol.id != protocol_id) {
    return InvalidInput("document.id", fmt::format("must be '{}', the protocol being edited", protocol_id));
  }
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(ClinicProtocol active, ActiveProtocol(txn, actor.clinic_id, protocol_id));
    if (protocol.version != active.protocol->version + 1) {
      return InvalidInput("document.version", fmt::format("must be {} (the active version is {})",
                                                          active.protocol->version + 1, active.protocol->version));
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO protocol_versions (clinic_id, protocol_id, version, document, "
                                   "digest, change_reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, protocol_id, protocol.version, protocol.document.dump(),
                                    protocol.digest, *change_reason, FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("protocol.publish", "protocol", 0, std::nullopt,
                                                    fmt::format("{} v{}", protocol_id, protocol.version)),
                                        now));
    // Open courses under the protocol are evaluated against the new version at once.
    KC_ASSIGN_OR_RETURN(int64_t reevaluated, ReevaluateOpenCourses(txn, actor, protocol_id, now));
    KC_ASSIGN_OR_RETURN(Json detail, Detail(txn, actor.clinic_id, protocol_id));
    detail["reevaluated_patients"] = reevaluated;
    return detail;
  });
}

}  // namespace ketachart
