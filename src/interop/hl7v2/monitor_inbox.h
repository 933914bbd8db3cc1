// What the MLLP listener does with each message from a monitor: parse it,
// read it as IHE PCD-01, store it (services/monitor_service.h) and answer with
// the acknowledgement: AA only after the observations are committed (and again
// for a resent MSH-10, which is not stored twice), AE/AR with an ERR segment
// when the message is rejected or cannot be stored now. Thread-safe: called
// concurrently by the listener's threads.
#pragma once

#include <atomic>
#include <string>

#include "interop/hl7v2/mllp_listener.h"
#include "interop/hl7v2/pcd01_report.h"
#include "services/monitor_service.h"
#include "services/service_context.h"

namespace ketachart::hl7v2 {

class MonitorInbox {
 public:
  MonitorInbox(ServiceContext& context, int64_t clinic_id, Pcd01Options options)
      : context_(context), store_(context, clinic_id), options_(options) {}

  // The ACK (unframed) for one received message.
  std::string Receive(std::string message, const std::string& peer);
  // The ACK for a frame over the size cap (AR 207, no MSA-2: it was not read).
  std::string ReceiveOversized(size_t size_bytes, const std::string& peer);
  // Handlers for MllpListener that call this inbox.
  MllpHandlers Handlers();

 private:
  std::string NextAckControlId();

  ServiceContext& context_;
  MonitorStoreGroup store_;  // concurrent connections' messages share a commit
  Pcd01Options options_;
  std::atomic<uint64_t> acks_{0};
};

}  // namespace ketachart::hl7v2
