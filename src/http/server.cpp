// Boost.Beast HTTP(S) server (see server.h).
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <thread>
#include <vector>

#include "base/json_input.h"

namespace ketachart {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

http::response<http::string_body> ToBeast(HttpResponse response, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  out.set(http::field::server, "KetaChart");
  if (!response.content_type.empty()) out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(response.body.size());
  } else {
    out.body() = std::move(response.body);
    out.prepare_payload();
  }
  return out;
}

HttpResponse PlainError(int status, const char* code, const char* message) {
  HttpResponse response;
  response.status = status;
  response.body = Json{{"error", {{"code", code}, {"message", message}, {"field", nullptr}}}}.dump();
  AddSecurityHeaders(response, /*api=*/true);
  return response;
}

// A handler threw: logged here, the client told no more than that.
HttpResponse HandlerFailed(const std::exception& e) {
  spdlog::error("request handler threw: {}", e.what());
  return PlainError(500, "internal", "an internal error occurred; it has been logged");
}

int EventLoopThreads(const HttpServerOptions& options) {
  if (options.event_loop_threads > 0) return options.event_loop_threads;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  RequestHandler handler;
  RequestHandlerWithoutWaiting first;
  const int event_loop_threads = EventLoopThreads(options);
  asio::io_context io{event_loop_threads};
  asio::thread_pool workers{static_cast<size_t>(std::max(1, options.threads))};  // after io: joined before it goes
  tcp::acceptor acceptor{io};
  std::unique_ptr<asio::ssl::context> tls;
  std::atomic<size_t> connections{0};
  std::atomic<size_t> event_streams{0};

  Impl(HttpServerOptions o, RequestHandler h, RequestHandlerWithoutWaiting f)
      : options(std::move(o)), handler(std::move(h)), first(std::move(f)) {}

  template <typename Stream>
  class Session : public std::enable_shared_from_this<Session<Stream>> {
   public:
    Session(Impl& server, Stream stream, std::string client)
        : server_(server), stream_(std::move(stream)), client_(std::move(client)), timer_(stream_.get_executor()) {
      ++server_.connections;
    }
    ~Session() {
      --server_.connections;
      if (source_) --server_.event_streams;
    }

    void Start() {
      if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
        stream_.async_handshake(asio::ssl::stream_base::server,
                                [self = this->shared_from_this()](beast::error_code ec) {
                                  if (!ec) self->Read(true);
                                });
      } else {
        Read(true);
      }
    }

   private:
    void Read(bool first) {
      parser_.emplace();
      parser_->body_limit(server_.options.max_body_bytes);
      parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
      beast::get_lowest_layer(stream_).expires_after(
          std::chrono::seconds(first ? server_.options.request_timeout_seconds : server_.options.idle_timeout_seconds));
      http::async_read(stream_, buffer_, *parser_,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    }

    void OnRead(beast::error_code ec) {
      if (ec == http::error::body_limit) {
        return Write(PlainError(413, "payload_too_large", "the request body is larger than the server accepts"),
                     11, false, false);
      }
      if (ec == http::error::header_limit) {
        return Write(PlainError(431, "invalid_input", "the request headers are too large"), 11, false, false);
      }
      if (ec) return Close();
      auto& message = parser_->get();
      HttpRequest request;
      request.method = std::string(message.method_string());
      if (!SplitTarget(message.target(), request.path, request.query)) {
        return Write(PlainError(400, "invalid_input", "the request URL is malformed"), message.version(), false,
                     false);
      }
      for (const auto& field : message) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[name] = std::string(field.value());
      }
      request.body = std::move(message.body());
      request.client_address = client_;
      request.over_tls = std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>;
      const bool keep_alive = message.keep_alive();
      const bool head = message.method() == http::verb::head;
      const unsigned version = message.version();
      // The answer comes back to this connection's strand from wherever it
      // was made (a worker, the audit committer); the first one only.
      auto self = this->shared_from_this();
      auto answered = std::make_shared<std::atomic<bool>>(false);
      Respond respond = [self, answered, version, keep_alive, head](HttpResponse response) {
        if (answered->exchange(true)) {
          spdlog::error("a request was answered twice; the second answer is dropped");
          return;
        }
        asio::post(self->stream_.get_executor(), [self, response = std::move(response), version, keep_alive,
                                                  head]() mutable {
          self->Write(std::move(response), version, keep_alive, head);
        });
      };
      if (server_.first) {
        bool taken = false;
        try {
          taken = server_.first(request, respond);
        } catch (const std::exception& e) {
          return respond(HandlerFailed(e));
        }
        if (taken) return;
      }
      asio::post(server_.workers, [self, request = std::move(request), respond]() {
        HttpResponse response;
        try {
          response = self->server_.handler(request);
        } catch (const std::exception& e) {
          response = HandlerFailed(e);
        }
        respond(std::move(response));
      });
    }

    void Write(HttpResponse response, unsigned version, bool keep_alive, bool head) {
      if (response.stream && !head) return WriteStream(std::move(response), version);
      auto out = std::make_shared<http::response<http::string_body>>(
          ToBeast(std::move(response), version, keep_alive, head));
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      if (head) {
        auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*out);
        http::async_write_header(stream_, *serializer,
                                 [self = this->shared_from_this(), out, serializer, keep_alive](beast::error_code ec,
                                                                                                std::size_t) {
                                   if (ec) return self->Close();
                                   if (!keep_alive) return self->CloseAfterAnswer();
                                   self->Read(false);
                                 });
        return;
      }
      http::async_write(stream_, *out,
                        [self = this->shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
                          if (ec) return self->Close();
                          if (!keep_alive) return self->CloseAfterAnswer();
                          self->Read(false);
                        });
    }

    // A streamed response: the header, then each piece as one chunk, polled
    // on this connection's timer; the connection closes when it ends.
    void WriteStream(HttpResponse response, unsigned version) {
      if (server_.event_streams.fetch_add(1) >= server_.options.max_event_streams) {
        --server_.event_streams;
        return Write(PlainError(503, "unavailable", "too many live-update streams are open; try again later"),
                     version, false, false);
      }
      source_ = std::move(response.stream);
      auto header = std::make_shared<http::response<http::empty_body>>(static_cast<http::status>(response.status),
                                                                        version);
      header->set(http::field::server, "KetaChart");
      if (!response.content_type.empty()) header->set(http::field::content_type, response.content_type);
      for (const auto& [name, value] : response.headers) header->insert(name, value);
      header->keep_alive(false);
      header->chunked(true);
      auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*header);
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      http::async_write_header(stream_, *serializer,
                               [self = this->shared_from_this(), header, serializer,
                                first = std::move(response.body)](beast::error_code ec, std::size_t) mutable {
                                 if (ec) return self->Close();
                                 self->SendPiece(std::move(first));
                               });
    }

    void SendPiece(std::string text) {
      if (text.empty()) return WaitForPiece();
      auto data = std::make_shared<std::string>(std::move(text));
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      asio::async_write(stream_, http::make_chunk(asio::buffer(*data)),
                        [self = this->shared_from_this(), data](beast::error_code ec, std::size_t) {
                          if (ec) return self->Close();
                          self->WaitForPiece();
                        });
    }

    void WaitForPiece() {
      beast::get_lowest_layer(stream_).expires_never();
      timer_.expires_after(std::chrono::milliseconds(server_.options.event_stream_poll_ms));
      timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->Close();
        std::optional<std::string> piece;
        try {
          piece = self->source_->Poll();
        } catch (const std::exception& e) {
          spdlog::error("event stream failed: {}", e.what());
        }
        if (!piece) return self->EndStream();
        self->SendPiece(std::move(*piece));
      });
    }

    void EndStream() {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      asio::async_write(stream_, http::make_chunk_last(),
                        [self = this->shared_from_this()](beast::error_code, std::size_t) { self->Close(); });
    }

    // After an answer that ends the connection (a refused body among them):
    // shut our side, then read and drop what the client still sends until it
    // closes, for at most kLingerSeconds and kLingerBytes. Closing at once
    // with its data unread would make the kernel answer that data with a
    // reset, which can destroy our answer before the client has read it
    // (lingering close, RFC 9112 section 9.6).
    static constexpr int kLingerSeconds = 5;
    static constexpr size_t kLingerBytes = 8 << 20;
    void CloseAfterAnswer() {
      if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
        return Close();
      } else {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (ec) return;
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(kLingerSeconds));
        DropUntilClosed(std::make_shared<std::vector<char>>(16 << 10), 0);
      }
    }
    void DropUntilClosed(std::shared_ptr<std::vector<char>> scratch, size_t dropped) {
      if (dropped > kLingerBytes) return;
      stream_.async_read_some(asio::buffer(*scratch), [self = this->shared_from_this(), scratch, dropped](
                                                          beast::error_code ec, std::size_t n) {
        if (!ec) self->DropUntilClosed(scratch, dropped + n);
      });
    }

    void Close() {
      beast::error_code ec;
      if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
        stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
      } else {
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      }
    }

    Impl& server_;
    Stream stream_;
    std::string client_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    asio::steady_timer timer_;
    std::shared_ptr<ResponseStream> source_;  // set while a streamed response runs
  };

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) Accept();
        return;
      }
      if (connections.load() >= options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
        return Accept();
      }
      beast::error_code endpoint_ec;
      const auto remote = socket.remote_endpoint(endpoint_ec);
      std::string client = endpoint_ec ? "unknown" : remote.address().to_string();
      if (tls) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls), std::move(client))
            ->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), std::move(client))
            ->Start();
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler handler, RequestHandlerWithoutWaiting first)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(first))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  auto& o = impl_->options;
  if (!o.tls_certificate_file.empty() || !o.tls_private_key_file.empty()) {
    impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    impl_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    impl_->tls->use_certificate_chain_file(o.tls_certificate_file, ec);
    if (ec) return InvalidInput("tls_certificate_file", "cannot load the certificate: " + ec.message());
    impl_->tls->use_private_key_file(o.tls_private_key_file, asio::ssl::context::pem, ec);
    if (ec) return InvalidInput("tls_private_key_file", "cannot load the private key: " + ec.message());
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(o.bind_address, ec);
  if (ec) return InvalidInput("bind", "'" + o.bind_address + "' is not an IP address");
  tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kUnavailable,
                 "cannot listen on " + o.bind_address + ":" + std::to_string(o.port) + ": " + ec.message(), "port"};
  }
  impl_->Accept();
  return Status::Ok();
}

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }
bool HttpServer::tls() const { return impl_->tls != nullptr; }

void HttpServer::Run(bool stop_on_signals) {
  asio::signal_set signals(impl_->io);
  if (stop_on_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->event_loop_threads; ++i) threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
  // Requests still on a worker finish; their answers go nowhere.
  impl_->workers.join();
}

void HttpServer::Stop() {
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->io.stop();
  });
}

}  // namespace ketachart
