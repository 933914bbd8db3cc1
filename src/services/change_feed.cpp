// Change notices for live views (see change_feed.h).
#include "services/change_feed.h"

namespace ketachart {

void ChangeFeed::Publish(int64_t clinic_id, const std::string& topic) {
  {
    std::lock_guard lock(mutex_);
    ++versions_[{clinic_id, topic}];
  }
  changed_.notify_all();
}

ChangeFeed::Versions ChangeFeed::Current(int64_t clinic_id, const std::vector<std::string>& topics) const {
  std::lock_guard lock(mutex_);
  Versions now;
  for (const std::string& topic : topics) {
    auto it = versions_.find({clinic_id, topic});
    now[topic] = it == versions_.end() ? 0 : it->second;
  }
  return now;
}

ChangeFeed::Versions ChangeFeed::WaitForChange(int64_t clinic_id, const Versions& seen,
                                               std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  auto current = [&] {
    Versions now;
    for (const auto& [topic, _] : seen) {
      auto it = versions_.find({clinic_id, topic});
      now[topic] = it == versions_.end() ? 0 : it->second;
    }
    return now;
  };
  changed_.wait_for(lock, timeout, [&] { return closed_ || current() != seen; });
  return current();
}

void ChangeFeed::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

bool ChangeFeed::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace ketachart
