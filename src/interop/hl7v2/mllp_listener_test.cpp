// Tests of the MLLP listener over real loopback sockets: ordering, chunking,
// the size cap, the connection cap, the idle timeout, many concurrent
// senders, and Debian python3-hl7's mllp_send as a client we did not write.
#include "interop/hl7v2/mllp_listener.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "interop/hl7v2/mllp_framing.h"

namespace ketachart::hl7v2 {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

MllpHandlers EchoHandlers() {
  MllpHandlers handlers;
  handlers.on_message = [](std::string message, const std::string&) { return "ACK:" + message; };
  handlers.on_oversized = [](size_t bytes, const std::string&) { return "TOO BIG:" + std::to_string(bytes); };
  return handlers;
}

struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  MllpFrameReader reader{1 << 20};  // replies may arrive several per read

  explicit Client(unsigned short port) { socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)); }
  void Send(std::string_view bytes) { asio::write(socket, asio::buffer(bytes.data(), bytes.size())); }
  // Reads one framed reply; "" on end of stream.
  std::string Reply() {
    std::array<char, 4096> buffer;
    while (true) {
      if (auto frame = reader.Next()) return frame->message;
      boost::system::error_code ec;
      const size_t n = socket.read_some(asio::buffer(buffer), ec);
      if (ec) return "";
      reader.Append(std::string_view(buffer.data(), n));
    }
  }
};

MllpListenerOptions TestOptions() {
  MllpListenerOptions options;
  options.port = 0;
  options.threads = 2;
  options.idle_timeout_seconds = 10;  // bounds a test that waits for a reply that never comes
  return options;
}

TEST(MllpListener, RepliesInOrderToChunkedAndBatchedMessages) {
  MllpListener listener(TestOptions(), EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  Client client(listener.port());
  client.Send(FrameMllp("one") + FrameMllp("two"));
  const std::string three = FrameMllp("three");
  client.Send(three.substr(0, 3));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  client.Send(three.substr(3));
  EXPECT_EQ(client.Reply(), "ACK:one");
  EXPECT_EQ(client.Reply(), "ACK:two");
  EXPECT_EQ(client.Reply(), "ACK:three");
}

TEST(MllpListener, OversizedMessagesGetTheOversizeReplyAndTheConnectionGoesOn) {
  MllpListenerOptions options = TestOptions();
  options.max_message_bytes = 100;
  MllpListener listener(options, EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  Client client(listener.port());
  client.Send(FrameMllp(std::string(5000, 'x')) + FrameMllp("small"));
  EXPECT_EQ(client.Reply(), "TOO BIG:5000");
  EXPECT_EQ(client.Reply(), "ACK:small");
}

TEST(MllpListener, RefusesConnectionsAboveTheCap) {
  MllpListenerOptions options = TestOptions();
  options.max_connections = 2;
  MllpListener listener(options, EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  Client first(listener.port()), second(listener.port());
  first.Send(FrameMllp("a"));
  second.Send(FrameMllp("b"));
  EXPECT_EQ(first.Reply(), "ACK:a");
  EXPECT_EQ(second.Reply(), "ACK:b");
  Client third(listener.port());
  third.Send(FrameMllp("c"));
  EXPECT_EQ(third.Reply(), "");  // closed without a reply
  EXPECT_EQ(listener.open_connections(), 2u);
}

TEST(MllpListener, ClosesIdleConnections) {
  MllpListenerOptions options = TestOptions();
  options.idle_timeout_seconds = 1;
  MllpListener listener(options, EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  Client client(listener.port());
  client.Send(FrameMllp("hello"));
  EXPECT_EQ(client.Reply(), "ACK:hello");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.Reply(), "");  // the server closed it
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(MllpListener, ManySendersAtOnce) {
  MllpListener listener(TestOptions(), EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  constexpr int kSenders = 40, kMessages = 25;
  std::atomic<int> correct{0};
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      Client client(listener.port());
      for (int m = 0; m < kMessages; ++m) {
        const std::string body = "sender " + std::to_string(s) + " message " + std::to_string(m);
        client.Send(FrameMllp(body));
        if (client.Reply() == "ACK:" + body) ++correct;
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(correct.load(), kSenders * kMessages);
}

TEST(MllpListener, DebianMllpSendGetsTheReply) {
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/mllp_send")) << "python3-hl7 is installed by scripts/bootstrap";
  MllpListener listener(TestOptions(), EchoHandlers());
  ASSERT_TRUE(listener.Start().ok());
  const auto file = std::filesystem::temp_directory_path() / ("kc-mllp-" + std::to_string(getpid()) + ".hl7");
  std::ofstream(file) << "MSH|^~\\&|A|B|||20261122||ORU^R01|77|P|2.6\nPID|||1\n";
  const std::string command = "/usr/bin/mllp_send --loose -f " + file.string() + " -p " +
                              std::to_string(listener.port()) + " 127.0.0.1 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  EXPECT_EQ(pclose(pipe), 0) << output;
  std::filesystem::remove(file);
  // mllp_send turned LF into CR and prints the reply (framing removed).
  EXPECT_NE(output.find("ACK:MSH|^~\\&|A|B|||20261122||ORU^R01|77|P|2.6\rPID|||1"), std::string::npos) << output;
}

}  // namespace
}  // namespace ketachart::hl7v2
