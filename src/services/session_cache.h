// A short-lived in-process cache of validated sessions, so that a burst of
// requests on one session (the chart, its lists, the UI's polling) does not
// read the sessions table for every request.
//
// Safety rules:
// - An entry lives at most `ttl` (security.session_cache_seconds, default 2 s)
//   and never past the session's idle or absolute expiry, which are checked
//   on every hit as on a database read.
// - Every change in this process that can end a session or change what it
//   may do (log-out, clinic switch, roles, disabling, password reset) calls
//   ForgetAll() after its commit. A read that started before such a change
//   cannot re-insert what it saw (generation check).
// - Changes made by another process (the `ketachart user` commands, another
//   server on the same PostgreSQL database) take effect within `ttl`.
// Keys are SHA-256 hashes of session tokens; tokens are never stored here.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "services/actor.h"

namespace ketachart {

struct CachedSession {
  Actor actor;  // client_address is the caller's to set per request
  int64_t session_id = 0;
  TimePoint last_seen;
  TimePoint expires_at;
};

class SessionCache {
 public:
  // A generation is taken before reading the database and given back with
  // what was read; the entry is kept only when nothing changed in between.
  using Generation = uint64_t;

  explicit SessionCache(std::chrono::milliseconds ttl, size_t capacity = 4096)
      : ttl_(ttl), capacity_(capacity) {}

  std::optional<CachedSession> Find(const std::string& token_hash, TimePoint now) const;
  Generation CurrentGeneration() const;
  void Remember(const std::string& token_hash, const CachedSession& session, Generation seen, TimePoint now);
  void Forget(const std::string& token_hash);
  void ForgetAll();

 private:
  struct Entry {
    CachedSession session;
    TimePoint cached_at;
  };
  const std::chrono::milliseconds ttl_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  Generation generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace ketachart
