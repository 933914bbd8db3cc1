// In-process cache of validated sessions (see session_cache.h).
#include "services/session_cache.h"

namespace ketachart {

std::optional<CachedSession> SessionCache::Find(const std::string& token_hash, TimePoint now) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || now - it->second.cached_at >= ttl_ || now < it->second.cached_at) {
    return std::nullopt;
  }
  return it->second.session;
}

SessionCache::Generation SessionCache::CurrentGeneration() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void SessionCache::Remember(const std::string& token_hash, const CachedSession& session, Generation seen,
                            TimePoint now) {
  if (ttl_.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (seen != generation_) return;  // something changed while the caller read the database
  if (entries_.size() >= capacity_ && !entries_.contains(token_hash)) {
    // Rare (thousands of concurrently active sessions): start again rather
    // than track recency; a miss only costs one database read.
    entries_.clear();
  }
  entries_[token_hash] = Entry{session, now};
}

void SessionCache::Forget(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(token_hash);
}

void SessionCache::ForgetAll() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

}  // namespace ketachart
