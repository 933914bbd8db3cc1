// MLLP framing (see mllp_framing.h).
#include "interop/hl7v2/mllp_framing.h"

namespace ketachart::hl7v2 {

std::string FrameMllp(std::string_view message) {
  std::string framed;
  framed.reserve(message.size() + 3);
  framed.push_back(kMllpStart);
  framed.append(message);
  framed.push_back(kMllpEnd);
  framed.push_back(kMllpCarriageReturn);
  return framed;
}

void MllpFrameReader::Append(std::string_view bytes) { pending_.append(bytes); }

std::optional<MllpFrame> MllpFrameReader::Next() {
  if (!in_frame_) {
    const size_t start = pending_.find(kMllpStart);
    if (start == std::string::npos) {
      pending_.clear();  // bytes between frames carry nothing
      return std::nullopt;
    }
    pending_.erase(0, start + 1);
    in_frame_ = true;
    discarding_ = false;
    discarded_ = 0;
    scanned_ = 0;
  }
  const size_t end = pending_.find(kMllpEnd, scanned_);
  if (end == std::string::npos) {
    if (discarding_ || pending_.size() > max_message_bytes_) {
      // Over the cap: keep counting, keep nothing.
      discarding_ = true;
      discarded_ += pending_.size();
      pending_.clear();
      scanned_ = 0;
    } else {
      scanned_ = pending_.size();
    }
    return std::nullopt;
  }
  MllpFrame frame;
  frame.size_bytes = discarded_ + end;
  frame.oversized = discarding_ || end > max_message_bytes_;
  if (!frame.oversized) frame.message.assign(pending_, 0, end);
  size_t consumed = end + 1;
  if (consumed < pending_.size() && pending_[consumed] == kMllpCarriageReturn) ++consumed;
  pending_.erase(0, consumed);
  in_frame_ = false;
  discarding_ = false;
  discarded_ = 0;
  scanned_ = 0;
  return frame;
}

}  // namespace ketachart::hl7v2
