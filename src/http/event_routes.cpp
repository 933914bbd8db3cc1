// /api/v1/events: the live-update stream (Server-Sent Events). A page opens
// it with the topics it shows and fetches again when told one changed (see
// services/live_view_service.h); the service checks permissions and audits.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {
namespace {

// Hands a LiveStream's notices to the HTTP server's polling.
class LiveResponseStream : public ResponseStream {
 public:
  explicit LiveResponseStream(std::unique_ptr<LiveStream> live) : live_(std::move(live)) {}
  std::optional<std::string> Poll() override { return live_->Next(); }

 private:
  std::unique_ptr<LiveStream> live_;
};

}  // namespace

void AddEventRoutes(Router& router, ApiServices& services) {
  LiveViewService& live = services.live_views;
  router.Add({"GET", "/api/v1/events", Access::kSession, "events",
              "Live updates as Server-Sent Events (text/event-stream): a \"ready\" event with the topics' counters, "
              "then an event named after a topic (data {\"version\"}) whenever its data changed; fetch again "
              "then. Notices carry no clinical data. Each topic needs its page's read permission (monitor: "
              "monitor.read, sessions: session.read); the stream ends with an \"ended\" event when the session does",
              "monitor.read or session.read", "",
              {{"topics", "comma-separated: monitor (chair board, session monitor), sessions (Today, timelines)"}},
              200, [&live](RouteContext& ctx) {
                auto opened = live.Open(*ctx.auth, ctx.request.Query("topics").value_or(""));
                if (!opened.ok()) return ErrorResponse(opened.error());
                HttpResponse response;
                response.content_type = "text/event-stream; charset=utf-8";
                response.headers.emplace_back("X-Accel-Buffering", "no");
                response.body = opened.value()->Opening();
                response.stream = std::make_shared<LiveResponseStream>(std::move(opened.value()));
                return response;
              }});
}

}  // namespace ketachart
