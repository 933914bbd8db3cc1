// Session notes: drafts, signature, addenda (see session_note_service.h).
#include "services/session_note_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "services/course_records.h"
#include "services/guard.h"
#include "services/read_audit_log.h"
#include "services/session_timeline.h"

namespace ketachart {
namespace {

constexpr std::array<const char*, 3> kRequiredFields = {"assessment", "response", "plan"};
constexpr std::array<const char*, 4> kAllFields = {"assessment", "response", "plan", "complications"};

// What the timeline says, for the note's first part.
Json AssembleSummary(const LoadedSession& s) {
  Json summary = {{"protocol", fmt::format("{} v{}", s.protocol->title, s.protocol_version)},
                  {"chair", s.chair},
                  {"checked_in_at", s.checked_in_at},
                  {"phase", SessionPhaseName(s.progress.phase)}};
  Json vitals_range = Json::object();
  Json scores = Json::array(), rescue = Json::array(), adverse = Json::array(), pauses = Json::array(),
       devices = Json::array();
  for (const SessionEventRow& e : s.events) {
    switch (e.kind) {
      case SessionEventKind::kDoseOrder:
        summary["dose_order"] = e.data;
        break;
      case SessionEventKind::kStart:
        summary["started_at"] = e.occurred_at;
        break;
      case SessionEventKind::kDevice:
        if (!summary.contains("started_at")) summary["started_at"] = e.occurred_at;
        devices.push_back({{"device_number", e.data.value("device_number", 0)}, {"at", e.occurred_at},
                           {"observed_by", e.data.value("observed_by", "")}});
        break;
      case SessionEventKind::kStop:
        summary["stopped_at"] = e.occurred_at;
        summary["completed"] = e.data.value("completed", true);
        break;
      case SessionEventKind::kPause:
        pauses.push_back({{"at", e.occurred_at}, {"reason", e.data.value("reason", "")}});
        break;
      case SessionEventKind::kVitals:
        for (const char* key : {"systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "spo2_percent",
                                "respiratory_rate_per_min"}) {
          if (!e.data.contains(key)) continue;
          const int v = e.data[key].get<int>();
          if (!vitals_range.contains(key)) {
            vitals_range[key] = {{"min", v}, {"max", v}, {"count", 0}};
          }
          Json& range = vitals_range[key];
          range["min"] = std::min(range["min"].get<int>(), v);
          range["max"] = std::max(range["max"].get<int>(), v);
          range["count"] = range["count"].get<int>() + 1;
        }
        break;
      case SessionEventKind::kScore:
        scores.push_back({{"at", e.occurred_at}, {"instrument", e.data.value("instrument", "")},
                          {"total", e.data.contains("total") ? e.data["total"] : Json(nullptr)}});
        break;
      case SessionEventKind::kRescueMedication:
        rescue.push_back({{"at", e.occurred_at}, {"medication", e.data.value("medication", "")},
                          {"dose", e.data.value("dose", 0.0)}, {"unit", e.data.value("unit", "")},
                          {"reason", e.data.value("reason", "")}});
        break;
      case SessionEventKind::kAdverseEvent:
        adverse.push_back({{"at", e.occurred_at}, {"description", e.data.value("description", "")},
                           {"severity", e.data.value("severity", "")}, {"action", e.data.value("action", "")},
                           {"outcome", e.data.value("outcome", "")}});
        break;
      case SessionEventKind::kDischarge:
        summary["discharged_at"] = e.occurred_at;
        summary["escort"] = e.data.value("escort_name", "");
        break;
      case SessionEventKind::kCancel:
        summary["cancelled"] = {{"at", e.occurred_at}, {"reason", e.data.value("reason", "")}};
        break;
      default:
        break;
    }
  }
  summary["vitals"] = std::move(vitals_range);
  summary["scores"] = std::move(scores);
  summary["rescue_medications"] = std::move(rescue);
  summary["adverse_events"] = std::move(adverse);
  summary["pauses"] = std::move(pauses);
  if (!devices.empty()) summary["devices"] = std::move(devices);
  return summary;
}

struct NoteState {
  int64_t version = 0;
  int64_t version_id = 0;
  Json fields = Json::object();
  std::string saved_at, saved_by;
  Json signature = nullptr;
};

Result<NoteState> LoadNote(Transaction& txn, int64_t session_id) {
  NoteState note;
  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT v.id, v.version, v.fields, v.saved_at, u.username FROM "
                                              "session_note_versions v JOIN users u ON u.id = v.saved_by WHERE "
                                              "v.session_id = ? ORDER BY v.version DESC LIMIT 1",
                                              {session_id}));
  if (!rows.empty()) {
    note.version_id = rows[0].Int(0);
    note.version = rows[0].Int(1);
    note.fields = Json::parse(rows[0].Text(2));
    note.saved_at = rows[0].Text(3);
    note.saved_by = rows[0].Text(4);
  }
  KC_ASSIGN_OR_RETURN(SqlRows signature,
                      txn.Query("SELECT g.signed_at, u.username, v.version FROM session_note_signatures g JOIN users "
                                "u ON u.id = g.signed_by JOIN session_note_versions v ON v.id = g.note_version_id "
                                "WHERE g.session_id = ?",
                                {session_id}));
  if (!signature.empty()) {
    note.signature = {{"at", signature[0].Text(0)}, {"by", signature[0].Text(1)}, {"version", signature[0].Int(2)}};
  }
  return note;
}

std::vector<std::string> OpenRequiredFields(const Json& fields) {
  std::vector<std::string> open;
  for (const char* name : kRequiredFields) {
    const std::string value = fields.value(name, "");
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) open.emplace_back(name);
  }
  return open;
}

Result<Json> NoteJson(Transaction& txn, const LoadedSession& session) {
  KC_ASSIGN_OR_RETURN(NoteState note, LoadNote(txn, session.id));
  KC_ASSIGN_OR_RETURN(SqlRows addenda, txn.Query("SELECT a.id, a.text, a.signed_at, u.username FROM "
                                                 "session_note_addenda a JOIN users u ON u.id = a.signed_by WHERE "
                                                 "a.session_id = ? ORDER BY a.id",
                                                 {session.id}));
  Json addenda_json = Json::array();
  for (const SqlRow& row : addenda) {
    addenda_json.push_back({{"id", row.Int(0)}, {"text", row.Text(1)}, {"signed_at", row.Text(2)},
                            {"signed_by", row.Text(3)}});
  }
  Json fields = Json::object();
  for (const char* name : kAllFields) fields[name] = note.fields.value(name, "");
  return Json{{"session_id", session.id},
              {"patient", session.patient},
              {"summary", AssembleSummary(session)},
              {"fields", std::move(fields)},
              {"required_fields", kRequiredFields},
              {"open_required_fields", OpenRequiredFields(note.fields)},
              {"version", note.version},
              {"saved_at", note.version ? Json(note.saved_at) : Json(nullptr)},
              {"saved_by", note.version ? Json(note.saved_by) : Json(nullptr)},
              {"signed", note.signature},
              {"addenda", std::move(addenda_json)}};
}

Status RequireUnsigned(const NoteState& note) {
  if (note.signature.is_null()) return Status::Ok();
  return Conflict(fmt::format("the note was signed on {} by {} and is locked; add an addendum",
                              note.signature["at"].get<std::string>().substr(0, 10),
                              note.signature["by"].get<std::string>()));
}

}  // namespace

Result<Json> SessionNoteService::GetNote(const Actor& actor, int64_t session_id) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kSessionRead,
                                       CourseAudit("session_note.read", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  int64_t patient_id = 0;
  auto result = context_.database.Run<Json>(TransactionMode::kReadOnly, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    patient_id = session.patient_id;
    return NoteJson(txn, session);
  });
  if (!result.ok()) {
    return AuditNotFound(context_, actor, "session_note.read", "dosing_session", session_id, now, std::move(result));
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(
      context_, actor, CourseAudit("session_note.read", "dosing_session", session_id, patient_id), now));
  return result;
}

Result<Json> SessionNoteService::SaveDraft(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kNoteSign,
                                       CourseAudit("session_note.save", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  const Json* fields_json = reader.OptionalObject("fields");
  auto version = reader.RequiredInteger("version", 0, INT64_MAX);
  KC_RETURN_IF_ERROR(reader.Finish());
  if (!fields_json) return InvalidInput("fields", "is required: the note's fields");
  JsonObjectReader fields_reader(*fields_json, "fields");
  Json fields = Json::object();
  for (const char* name : kAllFields) {
    if (auto v = fields_reader.OptionalString(name, {0, 20'000})) fields[name] = *v;
  }
  KC_RETURN_IF_ERROR(fields_reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    KC_ASSIGN_OR_RETURN(NoteState note, LoadNote(txn, session_id));
    KC_RETURN_IF_ERROR(RequireUnsigned(note));
    if (*version != note.version) {
      return Conflict(fmt::format("the note changed since version {} (now version {} by {}); reload it", *version,
                                  note.version, note.saved_by),
                      "version");
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO session_note_versions (clinic_id, session_id, version, fields, "
                                   "saved_at, saved_by) VALUES (?, ?, ?, ?, ?, ?)",
                                   {actor.clinic_id, session_id, note.version + 1, fields.dump(), FormatTimestamp(now),
                                    actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("session_note.save", "dosing_session", session_id,
                                                    session.patient_id, fmt::format("version {}", note.version + 1)),
                                        now));
    return NoteJson(txn, session);
  });
  return AuditNotFound(context_, actor, "session_note.save", "dosing_session", session_id, now, std::move(result));
}

Result<Json> SessionNoteService::Sign(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(context_, actor, Permission::kNoteSign,
                                       CourseAudit("session_note.sign", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto version = reader.RequiredInteger("version", 1, INT64_MAX);
  KC_RETURN_IF_ERROR(reader.Finish());
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    KC_ASSIGN_OR_RETURN(NoteState note, LoadNote(txn, session_id));
    KC_RETURN_IF_ERROR(RequireUnsigned(note));
    if (session.progress.phase != SessionPhase::kDischarged && session.progress.phase != SessionPhase::kCancelled) {
      return Conflict(fmt::format("the note is signed after the session ends; the session is {}",
                                  SessionPhaseName(session.progress.phase)));
    }
    if (note.version == 0 || *version != note.version) {
      return Conflict(fmt::format("sign the latest saved version ({})", note.version), "version");
    }
    const std::vector<std::string> open = OpenRequiredFields(note.fields);
    if (!open.empty()) {
      return Conflict(fmt::format("the note cannot be signed with required fields open: {}", fmt::join(open, ", ")),
                      "fields." + open.front());
    }
    KC_RETURN_IF_ERROR(txn.Execute("INSERT INTO session_note_signatures (session_id, clinic_id, note_version_id, "
                                   "signed_at, signed_by) VALUES (?, ?, ?, ?, ?)",
                                   {session_id, actor.clinic_id, note.version_id, FormatTimestamp(now), actor.user_id})
                           .status());
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("session_note.sign", "dosing_session", session_id,
                                                    session.patient_id, fmt::format("version {}", note.version)),
                                        now));
    return NoteJson(txn, session);
  });
  return AuditNotFound(context_, actor, "session_note.sign", "dosing_session", session_id, now, std::move(result));
}

Result<Json> SessionNoteService::AddAddendum(const Actor& actor, int64_t session_id, const Json& body) {
  KC_RETURN_IF_ERROR(RequirePermission(
      context_, actor, Permission::kSessionRecord,
      CourseAudit("session_note.addendum", "dosing_session", session_id, std::nullopt)));
  const TimePoint now = context_.clock.Now();
  KC_RETURN_IF_ERROR(RequireObjectBody(body));
  JsonObjectReader reader(body);
  auto text = reader.RequiredString("text", {1, 20'000});
  KC_RETURN_IF_ERROR(reader.Finish());
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) return InvalidInput("text", "must not be blank");
  auto result = context_.database.Run<Json>(TransactionMode::kReadWrite, [&](Transaction& txn) -> Result<Json> {
    KC_ASSIGN_OR_RETURN(LoadedSession session, LoadSession(txn, actor.clinic_id, session_id));
    KC_ASSIGN_OR_RETURN(NoteState note, LoadNote(txn, session_id));
    if (note.signature.is_null()) return Conflict("an addendum is added to a signed note; the note is not signed yet");
    KC_ASSIGN_OR_RETURN(SqlRows inserted,
                        txn.Query("INSERT INTO session_note_addenda (clinic_id, session_id, text, signed_at, "
                                  "signed_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                  {actor.clinic_id, session_id, *text, FormatTimestamp(now), actor.user_id}));
    KC_RETURN_IF_ERROR(AppendAuditEvent(txn, actor,
                                        CourseAudit("session_note.addendum", "dosing_session", session_id,
                                                    session.patient_id,
                                                    fmt::format("addendum #{}", inserted.at(0).Int(0))),
                                        now));
    return NoteJson(txn, session);
  });
  return AuditNotFound(context_, actor, "session_note.addendum", "dosing_session", session_id, now,
                       std::move(result));
}

}  // namespace ketachart
