// Change notices for live views: after a committed change that a live page
// shows (the chair board, a session's vitals and alarms), a service publishes
// the clinic and a topic ("monitor"); the server's event stream (Server-Sent
// Events) waits on the feed and tells each connected page of its own clinic
// to fetch again. A notice carries no patient data, only a topic and a
// counter, so nothing clinical leaves through the stream without the normal
// permission-checked, audited GET. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ketachart {

class ChangeFeed {
 public:
  // Counter per (clinic, topic); starts at 0 and grows by one per Publish.
  using Versions = std::map<std::string, uint64_t>;

  void Publish(int64_t clinic_id, const std::string& topic);

  // The current counters of `topics` for `clinic_id`.
  Versions Current(int64_t clinic_id, const std::vector<std::string>& topics) const;

  // Blocks until one of `topics` of `clinic_id` has a counter other than in
  // `seen`, or `timeout` passes, or Close() is called. Returns the counters
  // now (equal to `seen` after a timeout).
  Versions WaitForChange(int64_t clinic_id, const Versions& seen, std::chrono::milliseconds timeout) const;

  // Wakes every waiter for good (server shutdown).
  void Close();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::pair<int64_t, std::string>, uint64_t> versions_;
  bool closed_ = false;
};

// Not a clinic's topic: published when sessions may have ended or changed
// rights (log-out, clinic switch, disabled user, new roles), so that streams
// check their own session again.
inline constexpr int64_t kSessionsChangedClinic = 0;
inline constexpr const char* kSessionsChangedTopic = "sessions-changed";

// Publishes on `feed` when there is one (CLI commands run without).
inline void NotifyChange(ChangeFeed* feed, int64_t clinic_id, const std::string& topic) {
  if (feed != nullptr) feed->Publish(clinic_id, topic);
}

}  // namespace ketachart
