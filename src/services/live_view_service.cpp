// Live views (see live_view_service.h).
#include "services/live_view_service.h"

#include <algorithm>

#include "base/json_input.h"
#include "services/guard.h"
#include "services/read_audit_log.h"

namespace ketachart {
namespace {

struct TopicRule {
  const char* name;
  Permission needs;
};

// The permission each topic needs is the one its page's GET needs.
constexpr TopicRule kTopics[] = {
    {"monitor", Permission::kMonitorRead},
    {"sessions", Permission::kSessionRead},
};

const TopicRule* FindTopic(const std::string& name) {
  for (const TopicRule& rule : kTopics) {
    if (name == rule.name) return &rule;
  }
  return nullptr;
}

std::string KnownTopics() {
  std::string out;
  for (const TopicRule& rule : kTopics) out += std::string(out.empty() ? "" : ", ") + rule.name;
  return out;
}

uint64_t SessionsChangedCounter(const ChangeFeed& feed) {
  return feed.Current(kSessionsChangedClinic, {kSessionsChangedTopic}).at(kSessionsChangedTopic);
}

AuditEntry SubscribeAudit(const std::string& topics) {
  return AuditEntry{"events.subscribe", "event_stream", "", std::nullopt, AuditOutcome::kSuccess, topics};
}

}  // namespace

LiveStream::LiveStream(ServiceContext& context, AuthService& auth, AuthenticatedRequest subscriber,
                       std::vector<std::string> topics, LiveStreamTiming timing)
    : context_(context),
      auth_(auth),
      subscriber_(std::move(subscriber)),
      topics_(std::move(topics)),
      timing_(timing),
      seen_(context.changes->Current(subscriber_.actor.clinic_id, topics_)),
      sessions_changed_seen_(SessionsChangedCounter(*context.changes)),
      last_sent_(context.clock.Now()),
      last_session_check_(last_sent_) {}

std::string LiveStream::Opening() {
  Json counters = Json::object();
  for (const auto& [topic, version] : seen_) counters[topic] = version;
  last_sent_ = context_.clock.Now();
  return "retry: " + std::to_string(timing_.retry.count()) + "\nevent: ready\ndata: " + counters.dump() + "\n\n";
}

std::optional<std::string> LiveStream::Next() {
  if (ended_ || context_.changes->closed()) return std::nullopt;
  const TimePoint now = context_.clock.Now();
  const uint64_t sessions_changed = SessionsChangedCounter(*context_.changes);
  if (sessions_changed != sessions_changed_seen_ || now - last_session_check_ >= timing_.session_check) {
    sessions_changed_seen_ = sessions_changed;
    last_session_check_ = now;
    if (!auth_.StillValid(subscriber_)) {
      // Said once, then the stream closes; the browser's reconnect meets 401.
      ended_ = true;
      return std::string("event: ended\ndata: {\"reason\":\"session\"}\n\n");
    }
  }
  std::string out;
  const ChangeFeed::Versions now_versions = context_.changes->Current(subscriber_.actor.clinic_id, topics_);
  for (const auto& [topic, version] : now_versions) {
    auto seen = seen_.find(topic);
    if (seen != seen_.end() && seen->second == version) continue;
    out += "event: " + topic + "\ndata: " + Json{{"version", version}}.dump() + "\n\n";
  }
  seen_ = now_versions;
  if (out.empty() && now - last_sent_ >= timing_.heartbeat) out = ": still here\n\n";
  if (!out.empty()) last_sent_ = now;
  return out;
}

Result<std::unique_ptr<LiveStream>> LiveViewService::Open(const AuthenticatedRequest& subscriber,
                                                          const std::string& topics_text, LiveStreamTiming timing) {
  const Actor& actor = subscriber.actor;
  std::vector<std::string> topics;
  size_t start = 0;
  while (start <= topics_text.size()) {
    size_t comma = topics_text.find(',', start);
    if (comma == std::string::npos) comma = topics_text.size();
    std::string name = topics_text.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    if (!FindTopic(name)) return InvalidInput("topics", "unknown topic; the topics are " + KnownTopics());
    if (std::find(topics.begin(), topics.end(), name) == topics.end()) topics.push_back(name);
  }
  if (topics.empty()) return InvalidInput("topics", "is required: one or more of " + KnownTopics());
  std::string joined;
  for (const std::string& topic : topics) joined += (joined.empty() ? "" : ",") + topic;
  for (const std::string& topic : topics) {
    KC_RETURN_IF_ERROR(RequirePermission(context_, actor, FindTopic(topic)->needs, SubscribeAudit(joined)));
  }
  if (context_.changes == nullptr) {
    return Error{ErrorCode::kUnavailable, "live updates are not available on this server", {}};
  }
  KC_RETURN_IF_ERROR(RecordReadAudit(context_, actor, SubscribeAudit(joined), context_.clock.Now()));
  return std::make_unique<LiveStream>(context_, auth_, subscriber, std::move(topics), timing);
}

}  // namespace ketachart
