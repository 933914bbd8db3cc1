// The MLLP listener over Boost.Asio (see mllp_listener.h).
#include "interop/hl7v2/mllp_listener.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <type_traits>
#include <thread>
#include <vector>

#include "interop/hl7v2/mllp_framing.h"

namespace ketachart::hl7v2 {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

using TlsStream = asio::ssl::stream<tcp::socket>;

struct MllpListener::Impl {
  MllpListenerOptions options;
  MllpHandlers handlers;
  std::atomic<size_t> connections{0};  // before io: connections die with io
  std::unique_ptr<asio::ssl::context> tls;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  bool stopped = false;

  Impl(MllpListenerOptions o, MllpHandlers h) : options(std::move(o)), handlers(std::move(h)) {}

  // One connection over a plain socket or a TLS stream.
  template <typename Stream>
  class Connection : public std::enable_shared_from_this<Connection<Stream>> {
   public:
    Connection(Impl& listener, Stream socket, std::string peer)
        : listener_(listener),
          socket_(std::move(socket)),
          timer_(socket_.get_executor()),
          peer_(std::move(peer)),
          frames_(listener.options.max_message_bytes) {
      ++listener_.connections;
    }
    ~Connection() { --listener_.connections; }

    void Start() {
      if constexpr (std::is_same_v<Stream, TlsStream>) {
        Arm(listener_.options.handshake_timeout_seconds);
        socket_.async_handshake(asio::ssl::stream_base::server,
                                [self = this->shared_from_this()](const boost::system::error_code& ec) {
                                  self->timer_.cancel();
                                  if (ec) {
                                    spdlog::warn("mllp: TLS handshake with {} failed: {}", self->peer_, ec.message());
                                    return self->CloseSocket();
                                  }
                                  self->Read();
                                });
      } else {
        Read();
      }
    }

   private:
    void CloseSocket() {
      boost::system::error_code ignored;
      socket_.lowest_layer().close(ignored);
    }

    void Arm(int seconds) {
      timer_.expires_after(std::chrono::seconds(seconds));
      timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code& ec) {
        if (ec) return;  // re-armed or cancelled
        spdlog::info("mllp: closing idle connection from {}", self->peer_);
        self->CloseSocket();
      });
    }

    void Read() {
      // Whole frames already buffered are answered before reading more.
      if (auto frame = frames_.Next()) return Handle(std::move(*frame));
      Arm(listener_.options.idle_timeout_seconds);
      socket_.async_read_some(asio::buffer(buffer_),
                              [self = this->shared_from_this()](const boost::system::error_code& ec, size_t n) {
                                if (ec) {
                                  self->timer_.cancel();
                                  return;  // closed by the peer, the idle timer or Stop()
                                }
                                self->frames_.Append(std::string_view(self->buffer_.data(), n));
                                self->Read();
                              });
    }

    void Handle(MllpFrame frame) {
      timer_.cancel();
      std::string reply;
      try {
        reply = frame.oversized ? listener_.handlers.on_oversized(frame.size_bytes, peer_)
                                : listener_.handlers.on_message(std::move(frame.message), peer_);
      } catch (const std::exception& e) {
        spdlog::error("mllp: handler threw for a message from {}: {}", peer_, e.what());
        CloseSocket();
        return;
      }
      auto framed = std::make_shared<std::string>(FrameMllp(reply));
      Arm(listener_.options.write_timeout_seconds);
      asio::async_write(socket_, asio::buffer(*framed),
                        [self = this->shared_from_this(), framed](const boost::system::error_code& ec, size_t) {
                          self->timer_.cancel();
                          if (!ec) self->Read();
                        });
    }

    Impl& listener_;
    Stream socket_;
    asio::steady_timer timer_;
    std::string peer_;
    MllpFrameReader frames_;
    std::array<char, 16 * 1024> buffer_{};
  };

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted && acceptor.is_open()) Accept();
        return;
      }
      boost::system::error_code endpoint_ec;
      const auto remote = socket.remote_endpoint(endpoint_ec);
      std::string peer = endpoint_ec ? "unknown" : remote.address().to_string() + ":" + std::to_string(remote.port());
      if (connections.load() >= options.max_connections) {
        spdlog::warn("mllp: refusing {}: already {} connections (the cap)", peer, options.max_connections);
        boost::system::error_code ignored;
        socket.close(ignored);
        return Accept();
      }
      if (tls) {
        std::make_shared<Connection<TlsStream>>(*this, TlsStream(std::move(socket), *tls), std::move(peer))->Start();
      } else {
        std::make_shared<Connection<tcp::socket>>(*this, std::move(socket), std::move(peer))->Start();
      }
      Accept();
    });
  }
};

MllpListener::MllpListener(MllpListenerOptions options, MllpHandlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {}

MllpListener::~MllpListener() { Stop(); }

Status MllpListener::Start() {
  auto& o = impl_->options;
  boost::system::error_code ec;
  if (!o.tls_certificate_file.empty() || !o.tls_private_key_file.empty()) {
    if (o.tls_certificate_file.empty()) return InvalidInput("mllp_tls_certificate", "is required with a TLS key");
    if (o.tls_private_key_file.empty()) return InvalidInput("mllp_tls_key", "is required with a TLS certificate");
    impl_->tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    impl_->tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
    impl_->tls->use_certificate_chain_file(o.tls_certificate_file, ec);
    if (ec) return InvalidInput("mllp_tls_certificate", "cannot load the certificate: " + ec.message());
    impl_->tls->use_private_key_file(o.tls_private_key_file, asio::ssl::context::pem, ec);
    if (ec) return InvalidInput("mllp_tls_key", "cannot load the private key: " + ec.message());
  }
  const auto address = asio::ip::make_address(o.bind_address, ec);
  if (ec) return InvalidInput("mllp_bind", "'" + o.bind_address + "' is not an IP address");
  const tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{ErrorCode::kUnavailable,
                 "cannot listen for MLLP on " + o.bind_address + ":" + std::to_string(o.port) + ": " + ec.message(),
                 "mllp_port"};
  }
  impl_->Accept();
  for (int i = 0; i < std::max(1, o.threads); ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  return Status::Ok();
}

unsigned short MllpListener::port() const { return impl_->acceptor.local_endpoint().port(); }

bool MllpListener::tls() const { return impl_->tls != nullptr; }

size_t MllpListener::open_connections() const { return impl_->connections.load(); }

void MllpListener::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  // Stopping the io_context abandons every pending read, write and timer; the
  // connections are destroyed (sockets closed) with the io_context.
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->io.stop();
  });
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace ketachart::hl7v2
