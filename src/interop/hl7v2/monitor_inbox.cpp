// Monitor messages from MLLP to the store and back as ACKs (see monitor_inbox.h).
#include "interop/hl7v2/monitor_inbox.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "interop/hl7v2/acknowledgement.h"
#include "interop/hl7v2/hl7_message.h"
#include "services/monitor_service.h"

namespace ketachart::hl7v2 {

std::string MonitorInbox::NextAckControlId() {
  return fmt::format("KC{}-{}", context_.clock.Now().time_since_epoch().count(), ++acks_);
}

std::string MonitorInbox::Receive(std::string text, const std::string& peer) {
  AckContext ack;
  ack.ack_control_id = NextAckControlId();
  auto message = Message::Parse(std::move(text));
  if (!message.ok()) {
    ack.now = context_.clock.Now();
    spdlog::warn("mllp: rejected an unreadable message from {}: {}: {}", peer, message.error().field,
                 message.error().message);
    return BuildAcknowledgement(MessageHeader{}, ack, &message.error());
  }
  auto report = ReadPcd01Report(*message, options_);
  if (!report.ok()) {
    ack.now = context_.clock.Now();
    auto header = ReadMessageHeader(*message);
    spdlog::warn("mllp: rejected a message from {}: {}: {}", peer, report.error().field, report.error().message);
    return BuildAcknowledgement(header.ok() ? *header : MessageHeader{}, ack, &report.error());
  }
  auto stored = store_.Store(*report, peer);
  ack.now = context_.clock.Now();
  if (!stored.ok()) {
    spdlog::error("mllp: could not store message {} from {}: {}", report->header.control_id, peer,
                  stored.error().message);
    // The sender keeps the message and resends it (AR 207).
    const Error unavailable{ErrorCode::kUnavailable, "the message could not be stored now; resend it", {}};
    return BuildAcknowledgement(report->header, ack, &unavailable);
  }
  return BuildAcknowledgement(report->header, ack);
}

std::string MonitorInbox::ReceiveOversized(size_t size_bytes, const std::string& peer) {
  AckContext ack;
  ack.ack_control_id = NextAckControlId();
  ack.now = context_.clock.Now();
  spdlog::warn("mllp: discarded a {}-byte message from {}: over the size cap", size_bytes, peer);
  const Error too_large{ErrorCode::kPayloadTooLarge,
                        fmt::format("the message ({} bytes) is larger than this server accepts", size_bytes), {}};
  return BuildAcknowledgement(MessageHeader{}, ack, &too_large);
}

MllpHandlers MonitorInbox::Handlers() {
  MllpHandlers handlers;
  handlers.on_message = [this](std::string message, const std::string& peer) {
    return Receive(std::move(message), peer);
  };
  handlers.on_oversized = [this](size_t size_bytes, const std::string& peer) {
    return ReceiveOversized(size_bytes, peer);
  };
  return handlers;
}

}  // namespace ketachart::hl7v2
