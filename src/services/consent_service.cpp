// Consent documents and signed consents (see consent_service.h).
#include "services/consent_service.h"

#include <fmt/format.h>

#include "base/crypto.h"
#include "services/course_records.h"
#include "services/guard.h"
#include "services/protocol_store.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

constexpr std::string_view kDocumentColumns =
    "c.id, c.protocol_id, c.version, c.title, c.body, c.valid_for_days, c.requires_reconsent, c.change_reason, "
    "c.created_at, u.username";

constexpr std::string_view kConsentColumns =
    "s.id, s.patient_id, s.document_id, c.protocol_id, c.version, c.title, s.signed_name, s.signed_on, "
    "s.expires_on, s.witness_name, s.recorded_at, u.username, r.reason, r.revoked_at, ru.username, "
    "(SELECT MIN(n.version) FROM consent_documents n WHERE n.clinic_id = c.clinic_id AND n.protocol_id = "
    "c.protocol_id AND n.version > c.version AND n.requires_reconsent = 1)";

constexpr int kMaxValidForDays = 3660;  // ten years: a bound on input, not a clinical rule
constexpr std::string_view kPngPrefix = "data:image/png;base64,";

Json DocumentJson(const SqlRow& row) {
  return Json{{"id", row.Int(0)},
              {"protocol_id", row.Text(1)},
              {"version", row.Int(2)},
              {"title", row.Text(3)},
              {"body", row.Text(4)},
              {"valid_for_days", row.Int(5)},
              {"requires_reconsent", row.Int(6) == 1},
              {"change_reason", row.Text(7)},
              {"created_at", row.Text(8)},
              {"created_by", row.Text(9)}};
}

std::string ConsentSelect(const std::string& where) {
  return fmt::format(
      "SELECT {} FROM patient_consents s JOIN consent_documents c ON c.id = s.document_id "
      "JOIN users u ON u.id = s.recorded_by LEFT JOIN consent_revocations r ON r.consent_id = s.id "
      "LEFT JOIN users ru ON ru.id = r.revoked_by WHERE {}",
      kConsentColumns, where);
}

// The protocol's title for messages ("consent for IV racemic ketamine infusion v2 ...").
std::string ProtocolTitle(Transaction& txn, int64_t clinic_id, const std::string& protocol_id) {
  auto active = ActiveProtocol(txn, clinic_id, protocol_id);
  return active.ok() ? active.value().protocol->title : protocol_id;
}

Json ConsentJson(const SqlRow& row, const std::string& protocol_title, const std::string& today) {
  const std::string name = fmt::format("consent for {} v{}", protocol_title, row.Int(4));
  std::string status = "valid";
  std::string message;
  if (!row.IsNull(13)) {
    status = "revoked";
    message = fmt::format("{} was revoked on {}: {}", name, row.Text(13).substr(0, 10), row.Text(12));
  } else if (!row.IsNull(15)) {
    status = "superseded";
    message = fmt::format("{} is superseded: consent document v{} requires the patient to consent again", name,
                          row.Int(15));
  } else if (row.Text(8) <= today) {
    status = "expired";
    message = fmt::format("{} expired on {}", name, row.Text(8));
  } else {
    message = fmt::format("{} signed on {}, valid until {}", name, row.Text(7), row.Text(8));
  }
  Json consent = {{"id", row.Int(0)},           {"patient_id", row.Int(1)},   {"document_id", row.Int(2)},
                  {"protocol_id", row.Text(3)}, {"document_version", row.Int(4)}, {"title", row.Text(5)},
                  {"signed_name", row.Text(6)}, {"signed_on", row.Text(7)},   {"expires_on", row.Text(8)},
                  {"witness_name", row.Text(9)}, {"recorded_at", row.Text(10)}, {"recorded_by", row.Text(11)},
                  {"status", status},           {"status_message", message}};
  consent["revoked"] = row.IsNull(13) ? Json(nullptr)
                                      : Json{{"reason", row.Text(12)}, {"at", row.Text(13)}, {"by", row.Text(14)}};
  return consent;
}

// A PNG drawn in the browser, as a data URL; the field names the rule broken.
Status CheckSignature(const std::string& data_url) {
  if (data_url.compare(0, kPngPrefix.size(), kPngPrefix) != 0) {
    return InvalidInput("signature_png", "must be a PNG data URL (data:image/png;base64,...)");
  }
  const auto bytes = DecodeBase64(std::string_view(data_url).substr(kPngPrefix.size()));
  if (!bytes) return InvalidInput("signature_png", "is not valid base64");
  if (bytes->size() > ConsentService::kMaxSignatureBytes) {
    return InvalidInput("signature_png", fmt::format("must be at most {} KB", ConsentService::kMaxSignatureBytes / 1024));
  }
  static constexpr std::string_view kPngMagic("\x89PNG\r\n\x1a\n", 8);
  if (bytes->size() < 64 || bytes->compare(0, kPngMagic.size(), kPngMagic) != 0) {
    return InvalidInput("signature_png", "is not a PNG image");
  }
  return Status::Ok();
}

}  // namespace

Result<ConsentGate> ConsentGateFor(Transaction& txn, int64_t clinic_id, int64_t patient_id, const Protocol& protocol,
                                   const std::string& today) {
  KC_ASSIGN_OR_RETURN(SqlRows rows,
                      txn.Query(ConsentSelect("s.patient_id = ? AND s.clinic_id = ? AND c.protocol_id = ? "
                                              "ORDER BY s.id DESC LIMIT 20"),
                                {patient_id, clinic_id, protocol.id}));
  if (rows.empty()) return ConsentGate{false, fmt::format("no consent for {} has been recorded", protocol.title), 0};
  for (const SqlRow& row : rows) {
    const Json consent = ConsentJson(row, protocol.title, today);
    if (consent["status"] == "valid") return ConsentGate{true, "", row.Int(0)};
  }
  return ConsentGate{false, ConsentJson(rows[0], protocol.title, today)["status_message"].get<std::string>(),
                     rows[0].Int(0)};
}

Result<Json> ConsentService::ListDocuments(const Actor& actor, const std::string& protocol_id, bool all_versions) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("consent_document.list", "consent_document", 0, std::nullopt)));
  if (all_versions && protocol_id.empty()) return InvalidInput("all", "needs protocol: every version of one protocol");
  return context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    std::string where = "c.clinic_id = ?";
    SqlParams params = {actor.clinic_id};
    if (!protocol_id.empty()) {
      where += " AND c.protocol_id = ?";
      params.push_back(protocol_id);
    }
    if (!all_versions) {
      where += " AND c.version = (SELECT MAX(v.version) FROM consent_documents v WHERE v.clinic_id = c.clinic_id "
               "AND v.protocol_id = c.protocol_id)";
    }
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(fmt::format("SELECT {} FROM consent_documents c JOIN users u ON u.id = "
                                              "c.created_by WHERE {} ORDER BY c.protocol_id, c.version DESC",
                                              kDocumentColumns, where),
                                  params));
    Json items = Json::array();
    for (const SqlRow& row : rows) items.push_back(DocumentJson(row));
    return Json{{"items", std::move(items)}};
  });
}

Result<Json> ConsentService::PublishDocument(const Actor& actor, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kProtocolAdmin,
                                       CourseAudit("consent_document.publish", "consent_document", 0, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto protocol_id = reader.RequiredString("protocol_id", {1, 100});
  auto title = reader.RequiredString("title", {1, 200});
  auto text = reader.RequiredString("body", {1, 100'000});
  auto valid_for_days = reader.RequiredInteger("valid_for_days", 1, kMaxValidForDays);
  auto requires_reconsent = reader.OptionalBool("requires_reconsent");
  auto change_reason = reader.RequiredString("change_reason", {1, 500});
  KC_RETURN_IF_ERROR(reader.Finish());
  return context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    auto protocol = ActiveProtocol(txn, actor.clinic_id, *protocol_id);
    if (!protocol.ok()) return InvalidInput("protocol_id", protocol.error().message);
    KC_ASSIGN_OR_RETURN(SqlRows latest, txn.Query("SELECT MAX(version) FROM consent_documents WHERE clinic_id = ? "
                                                  "AND protocol_id = ?",
                                                  {actor.clinic_id, *protocol_id}));
    const int64_t version = latest.at(0).IsNull(0) ? 1 : latest.at(0).Int(0) + 1;
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO consent_documents (clinic_id, protocol_id, version, title, body, valid_for_days, "
                  "requires_reconsent, change_reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  {actor.clinic_id, *protocol_id, version, *title, *text, *valid_for_days,
                   int64_t{requires_reconsent.value_or(false) ? 1 : 0}, *change_reason, FormatTimestamp(now),
                   actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("consent_document.publish", "consent_document", id, std::nullopt,
                                                    fmt::format("{} v{}", *protocol_id, version)),
                                        now));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(fmt::format("SELECT {} FROM consent_documents c JOIN users u ON "
                                                            "u.id = c.created_by WHERE c.id = ?",
                                                            kDocumentColumns),
                                                {id}));
    return DocumentJson(rows.at(0));
  });
}

Result<Json> ConsentService::RecordConsent(const Actor& actor, int64_t patient_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kConsentRecord,
                                       CourseAudit("consent.record", "consent", 0, patient_id)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto document_id = reader.RequiredInteger("document_id", 1, INT64_MAX);
  auto signed_name = reader.RequiredString("signed_name", {1, 200});
  auto signature = reader.RequiredString("signature_png", {1, kMaxSignatureBytes * 2});
  auto signed_on = reader.RequiredDate("signed_on");
  auto witness_name = reader.RequiredString("witness_name", {1, 200});
  KC_RETURN_IF_ERROR(reader.Finish());
  for (const auto& [field, value] : {std::pair{"signed_name", &*signed_name}, {"witness_name", &*witness_name}}) {
    if (value->find_first_not_of(" \t\r\n") == std::string::npos) return InvalidInput(field, "must not be blank");
  }
  KC_RETURN_IF_ERROR(CheckSignature(*signature));
  const int64_t today = *DateToDays(FormatDate(now));
  const int64_t signed_day = *DateToDays(*signed_on);
  // UTC+14 is a calendar day ahead of UTC, so "today" there is allowed.
  if (signed_day > today + 1) return InvalidInput("signed_on", "must not be in the future");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows documents,
                        txn.Query(fmt::format("SELECT {}, (SELECT MAX(v.version) FROM consent_documents v WHERE "
                                              "v.clinic_id = c.clinic_id AND v.protocol_id = c.protocol_id) FROM "
                                              "consent_documents c JOIN users u ON u.id = c.created_by WHERE c.id = ? "
                                              "AND c.clinic_id = ?",
                                              kDocumentColumns),
                                  {*document_id, actor.clinic_id}));
    if (documents.empty()) return InvalidInput("document_id", "is not a consent document of this clinic");
    const SqlRow& document = documents[0];
    const std::string protocol_title = ProtocolTitle(txn, actor.clinic_id, document.Text(1));
    if (document.Int(2) != document.Int(10)) {
      return Conflict(fmt::format("consent for {} must be signed on the current document v{}, not v{}", protocol_title,
                                  document.Int(10), document.Int(2)),
                      "document_id");
    }
    const std::string expires_on = DateFromDays(signed_day + document.Int(5));
    if (*DateToDays(expires_on) <= today) {
      return Conflict(fmt::format("a consent signed on {} would have expired on {} (valid for {} days)", *signed_on,
                                  expires_on, document.Int(5)),
                      "signed_on");
    }
    KC_ASSIGN_OR_RETURN(
        SqlRows inserted,
        txn.Query("INSERT INTO patient_consents (clinic_id, patient_id, document_id, signed_name, signature_png, "
                  "signed_on, expires_on, witness_name, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?) RETURNING id",
                  {actor.clinic_id, patient_id, *document_id, *signed_name, *signature, *signed_on, expires_on,
                   *witness_name, FormatTimestamp(now), actor.user_id}));
    const int64_t id = inserted.at(0).Int(0);
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("consent.record", "consent", id, patient_id,
                                                    fmt::format("{} v{}", document.Text(1), document.Int(2))),
                                        now));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(ConsentSelect("s.id = ?"), {id}));
    return ConsentJson(rows.at(0), protocol_title, FormatDate(now));
  });
  return AuditNotFound(context_, actor, "consent.record", "patient", patient_id, now, std::move(result));
}

Result<Json> ConsentService::ListConsents(const Actor& actor, int64_t patient_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("consent.list", "patient", patient_id, patient_id)));
  const TimePoint now = context_.clock.Now();
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_RETURN_IF_ERROR(RequireCoursePatient(txn, actor.clinic_id, patient_id));
    KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query(ConsentSelect("s.patient_id = ? AND s.clinic_id = ? ORDER BY s.id "
                                                              "DESC LIMIT ?"),
                                                {patient_id, actor.clinic_id, int64_t{kMaxListed}}));
    Json items = Json::array();
    for (const SqlRow& row : rows) {
      items.push_back(ConsentJson(row, ProtocolTitle(txn, actor.clinic_id, row.Text(3)), FormatDate(now)));
    }
    return Json{{"items", std::move(items)}};
  });
  if (!result.ok()) return AuditNotFound(context_, actor, "consent.list", "patient", patient_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("consent.list", "patient", patient_id, patient_id), now));
  return result;
}

Result<Json> ConsentService::GetConsent(const Actor& actor, int64_t consent_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kCourseRead,
                                       CourseAudit("consent.read", "consent", consent_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(ConsentSelect("s.id = ? AND s.clinic_id = ?"), {consent_id, actor.clinic_id}));
    if (rows.empty()) return NotFound("no such consent in this clinic");
    patient_id = rows[0].Int(1);
    Json consent = ConsentJson(rows[0], ProtocolTitle(txn, actor.clinic_id, rows[0].Text(3)), FormatDate(now));
    KC_ASSIGN_OR_RETURN(SqlRows image, txn.Query("SELECT signature_png FROM patient_consents WHERE id = ?", {consent_id}));
    consent["signature_png"] = image.at(0).Text(0);
    return consent;
  });
  if (!result.ok()) return AuditNotFound(context_, actor, "consent.read", "consent", consent_id, now, std::move(result));
  KC_RETURN_IF_ERROR(
      RecordReadAudit(context_, actor, CourseAudit("consent.read", "consent", consent_id, patient_id), now));
  return result;
}

Result<Json> ConsentService::RevokeConsent(const Actor& actor, int64_t consent_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kConsentRecord,
                                       CourseAudit("consent.revoke", "consent", consent_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto reason = reader.RequiredString("reason", {1, 1000});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (reason->find_first_not_of(" \t\r\n") == std::string::npos) return InvalidInput("reason", "must not be blank");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(SqlRows rows,
                        txn.Query(ConsentSelect("s.id = ? AND s.clinic_id = ?"), {consent_id, actor.clinic_id}));
    if (rows.empty()) return NotFound("no such consent in this clinic");
    if (!rows[0].IsNull(13)) return Conflict("the consent is already revoked");
    const int64_t patient_id = rows[0].Int(1);
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO consent_revocations (consent_id, clinic_id, reason, revoked_at, "
                                   "revoked_by) VALUES (?, ?, ?, ?, ?)",
                                   {consent_id, actor.clinic_id, *reason, FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(
        AppendAuditEvent(txn, actor, CourseAudit("consent.revoke", "consent", consent_id, patient_id), now));
    KC_ASSIGN_OR_RETURN(SqlRows updated, txn.Query(ConsentSelect("s.id = ?"), {consent_id}));
    return ConsentJson(updated.at(0), ProtocolTitle(txn, actor.clinic_id, updated[0].Text(3)), FormatDate(now));
  });
  return AuditNotFound(context_, actor, "consent.revoke", "consent", consent_id, now, std::move(result));
}

}  // namespace ketachart
