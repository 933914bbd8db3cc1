// The server's alarm escalation clock (see alarm_escalator.h).
#include "services/alarm_escalator.h"

#include <spdlog/spdlog.h>

namespace ketachart {

AlarmEscalator::AlarmEscalator(ServiceContext& context, std::chrono::milliseconds period)
    : alarms_(context), period_(period), thread_([this] { Loop(); }) {}

AlarmEscalator::~AlarmEscalator() { Stop(); }

void AlarmEscalator::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlarmEscalator::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, period_, [this] { return stopping_; })) break;
    lock.unlock();
    try {
      auto escalated = alarms_.EscalateDueAlarms();
      if (!escalated.ok()) {
        spdlog::warn("alarm escalation failed ({}); retrying", escalated.error().message);
      } else if (escalated.value() > 0) {
        spdlog::info("escalated {} unacknowledged monitor alarm(s)", escalated.value());
      }
    } catch (const std::exception& e) {
      spdlog::error("alarm escalation threw: {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace ketachart
