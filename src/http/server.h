// The HTTP(S) listener: Boost.Beast over Asio, keep-alive, per-request size
// caps and timeouts, optional TLS, and long-lived streamed responses
// (Server-Sent Events, sent chunked and polled on a timer). It turns wire
// requests into HttpRequest values for an ApiServer and writes back its
// HttpResponse. Two kinds of threads: a few event-loop threads (one per core)
// do all socket work and offer each request first to the handler that must
// not block (a chart read that answers once its audit event is committed,
// from the committer's thread); what that declines runs on a pool of worker
// threads, which may block on the database. The only translation unit that
// includes Beast. Start/Run/Stop are meant for one owning thread; Stop() may
// be called from a signal handler set up by the owner via StopOnSignals().
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "http/http_types.h"

namespace ketachart {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  unsigned short port = 8080;          // 0: pick a free port (tests)
  // Workers for the requests that block (database writes and their commits,
  // password hashing, reports): one blocked worker does not stall the rest.
  int threads = 16;
  // Event-loop threads for the sockets; 0: one per core (at most 8).
  int event_loop_threads = 0;
  size_t max_body_bytes = 1 << 20;      // 1 MiB
  size_t max_header_bytes = 16 << 10;   // 16 KiB
  int request_timeout_seconds = 30;     // to read one whole request
  int idle_timeout_seconds = 60;        // keep-alive between requests
  size_t max_connections = 1024;
  size_t max_event_streams = 256;       // open Server-Sent Events streams; more get 503
  int event_stream_poll_ms = 250;       // how often a stream is asked for its next piece
  std::string tls_certificate_file;     // PEM; TLS is on when both are set
  std::string tls_private_key_file;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;
// Tried first on an event-loop thread; returns false to hand the request to
// the RequestHandler on a worker. Must not block.
using RequestHandlerWithoutWaiting = std::function<bool(const HttpRequest&, const Respond&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler handler, RequestHandlerWithoutWaiting first = {});
  ~HttpServer();

  // Binds and listens; kInvalidInput/kUnavailable with a one-line reason on failure.
  Status Start();
  unsigned short port() const;
  bool tls() const;
  // Serves until Stop() or SIGINT/SIGTERM (when `stop_on_signals`).
  void Run(bool stop_on_signals);
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ketachart
