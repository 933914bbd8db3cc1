// The MLLP listener: accepts TCP connections from monitors and gateways,
// unframes HL7 v2 messages (mllp_framing.h) and hands each one to a handler,
// whose reply (the ACK) is framed and written back before the next message of
// that connection is read. So a sender's messages are handled in order, and
// an ACK leaves only after the handler returned (after its commit).
//
// Caps: message size (an oversized frame gets the handler's oversize reply
// and is discarded), number of connections (extra ones are closed at once),
// an idle timeout per connection, and a time limit for writing each reply.
// Loopback by default; TLS (1.2 or later) when a certificate and key are
// given, the handshake done before the first message is read. Runs its own
// Asio io_context on `threads` threads; the handler runs on them and may
// block (database work).
//
// Thread-safety: Start, port and Stop from the owning thread; the handler
// functions are called concurrently from several connections.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"

namespace ketachart::hl7v2 {

struct MllpListenerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 2575;            // 0: pick a free port (tests)
  int threads = 32;                      // handlers block (mostly waiting for a group commit)
  size_t max_message_bytes = 1 << 20;    // 1 MiB
  size_t max_connections = 512;
  int idle_timeout_seconds = 300;        // no bytes from the peer for this long: close
  int write_timeout_seconds = 30;
  std::string tls_certificate_file;      // PEM chain; TLS is on when both are set
  std::string tls_private_key_file;      // PEM
  int handshake_timeout_seconds = 10;
};

struct MllpHandlers {
  // One whole message (framing removed) -> the reply to send (unframed).
  std::function<std::string(std::string message, const std::string& peer)> on_message;
  // A frame over the size cap -> the reply to send (unframed).
  std::function<std::string(size_t size_bytes, const std::string& peer)> on_oversized;
};

class MllpListener {
 public:
  MllpListener(MllpListenerOptions options, MllpHandlers handlers);
  ~MllpListener();  // stops and joins

  // Binds, listens and starts the threads. kInvalidInput/kUnavailable naming
  // the bind address or port on failure.
  Status Start();
  unsigned short port() const;
  bool tls() const;
  size_t open_connections() const;
  // Closes the acceptor and every connection and joins the threads.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ketachart::hl7v2
