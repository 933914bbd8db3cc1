// Live views: which change topics a page may follow and the stream of change
// notices it then receives (Server-Sent Events text). A topic names a live
// page's data — "monitor" (chair board, a session's vitals and alarms) and
// "sessions" (the Today board, a session's timeline) — and following it needs
// the permission that reading that data needs. A notice says only which topic
// changed and its counter; the page fetches again through the ordinary,
// permission-checked and audited GET, so no clinical data travels here.
// Opening a stream is audited. A stream ends when the user's session ends,
// they switch clinic or their roles change, or the server stops.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/auth_service.h"
#include "services/change_feed.h"
#include "services/service_context.h"

namespace ketachart {

struct LiveStreamTiming {
  std::chrono::seconds heartbeat{15};      // a comment line after this long without a notice
  std::chrono::seconds session_check{30};  // how often the session is checked again (and at once after a
                                           // log-out, clinic switch or change of rights anywhere)
  std::chrono::milliseconds retry{5000};   // the browser's reconnect delay (SSE "retry:")
};

// One page's stream. Not thread-safe: the server polls it from one place.
class LiveStream {
 public:
  LiveStream(ServiceContext& context, AuthService& auth, AuthenticatedRequest subscriber,
             std::vector<std::string> topics, LiveStreamTiming timing);

  // The opening text: the retry delay and a "ready" event with the counters.
  std::string Opening();
  // Notices due now ("" for none yet); std::nullopt once the stream is over.
  std::optional<std::string> Next();

 private:
  ServiceContext& context_;
  AuthService& auth_;
  AuthenticatedRequest subscriber_;
  std::vector<std::string> topics_;
  LiveStreamTiming timing_;
  ChangeFeed::Versions seen_;
  uint64_t sessions_changed_seen_ = 0;
  TimePoint last_sent_;
  TimePoint last_session_check_;
  bool ended_ = false;
};

class LiveViewService {
 public:
  LiveViewService(ServiceContext& context, AuthService& auth) : context_(context), auth_(auth) {}

  // `topics`: comma-separated topic names. kInvalidInput naming `topics` for
  // an unknown or missing topic, kForbidden without a topic's permission,
  // kUnavailable when the server runs without a change feed.
  Result<std::unique_ptr<LiveStream>> Open(const AuthenticatedRequest& subscriber, const std::string& topics,
                                           LiveStreamTiming timing = {});

 private:
  ServiceContext& context_;
  AuthService& auth_;
};

}  // namespace ketachart
