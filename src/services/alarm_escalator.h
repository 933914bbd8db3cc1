// The server's alarm escalation clock: a background thread that asks the
// monitor alarm service every few seconds to escalate the alarms nobody has
// acknowledged in time (services/monitor_alarm_service.h). A failure is
// logged (no patient data) and retried on the next tick. Stops on
// destruction or Stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/monitor_alarm_service.h"

namespace ketachart {

class AlarmEscalator {
 public:
  AlarmEscalator(ServiceContext& context, std::chrono::milliseconds period);
  ~AlarmEscalator();
  AlarmEscalator(const AlarmEscalator&) = delete;
  AlarmEscalator& operator=(const AlarmEscalator&) = delete;

  void Stop();

 private:
  void Loop();

  MonitorAlarmService alarms_;
  std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ketachart
