// MLLP (Minimal Lower Layer Protocol, HL7 v2 transport over TCP) framing:
// each message travels as 0x0B <message> 0x1C 0x0D. MllpFrameReader turns the
// bytes of one connection, as they arrive in any chunking, into whole
// messages, with a cap on message size. Pure; one reader per connection, not
// thread-safe.
//
// Tolerance: bytes between frames (stray CR/LF, keep-alive noise) are skipped;
// a frame whose 0x1C is not followed by 0x0D still ends at the 0x1C (the next
// byte is then treated as lying between frames).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ketachart::hl7v2 {

inline constexpr char kMllpStart = 0x0B;
inline constexpr char kMllpEnd = 0x1C;
inline constexpr char kMllpCarriageReturn = 0x0D;

// `message` framed for sending.
std::string FrameMllp(std::string_view message);

struct MllpFrame {
  std::string message;      // empty when oversized
  bool oversized = false;   // the frame was longer than the cap (its bytes were discarded)
  size_t size_bytes = 0;    // bytes between 0x0B and 0x1C
};

class MllpFrameReader {
 public:
  explicit MllpFrameReader(size_t max_message_bytes) : max_message_bytes_(max_message_bytes) {}

  // Adds received bytes.
  void Append(std::string_view bytes);
  // The next complete frame, if one has arrived.
  std::optional<MllpFrame> Next();
  // True while part of a frame is buffered (the peer is mid-message).
  bool InFrame() const { return in_frame_; }

 private:
  size_t max_message_bytes_;
  std::string pending_;     // received bytes not yet consumed
  size_t scanned_ = 0;      // bytes of pending_ already searched for 0x1C
  bool in_frame_ = false;
  bool discarding_ = false; // the current frame exceeded the cap
  size_t discarded_ = 0;
};

}  // namespace ketachart::hl7v2
