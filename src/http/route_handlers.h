// Handler shapes the route tables share: a path id with a JSON body, a path
// id alone, a JSON body alone, a path id with a page of a list. Each parses and refuses bad input (naming the
// field) before calling the service, and turns its Result into the response.
#pragma once

#include "http/responses.h"
#include "http/router.h"

namespace ketachart {

// The handler takes the actor, the path's {id} and the JSON body.
template <typename Call>
RouteHandler WithIdAndBody(Call call, int status = 200) {
  return [call, status](RouteContext& ctx) {
    auto id = PathId(ctx.path_params, "id");
    if (!id.ok()) return ErrorResponse(id.error());
    auto body = JsonBody(ctx.request);
    if (!body.ok()) return ErrorResponse(body.error());
    return ResultResponse(call(ctx.actor(), id.value(), body.value()), status);
  };
}

// The handler takes the actor, the path's {id} and the route context.
template <typename Call>
RouteHandler WithId(Call call) {
  return [call](RouteContext& ctx) {
    auto id = PathId(ctx.path_params, "id");
    if (!id.ok()) return ErrorResponse(id.error());
    return ResultResponse(call(ctx.actor(), id.value(), ctx));
  };
}

// The handler takes the actor and the JSON body.
template <typename Call>
RouteHandler WithBody(Call call, int status = 200) {
  return [call, status](RouteContext& ctx) {
    auto body = JsonBody(ctx.request);
    if (!body.ok()) return ErrorResponse(body.error());
    return ResultResponse(call(ctx.actor(), body.value()), status);
  };
}

// The handler takes the actor, the path's {id} and the page asked for
// (QueryPage: `limit` 1..max_limit, default_limit when absent; `cursor`).
template <typename Call>
RouteHandler WithIdAndPage(Call call, int default_limit, int max_limit) {
  return [call, default_limit, max_limit](RouteContext& ctx) {
    auto id = PathId(ctx.path_params, "id");
    if (!id.ok()) return ErrorResponse(id.error());
    auto page = QueryPage(ctx.request, default_limit, max_limit);
    if (!page.ok()) return ErrorResponse(page.error());
    return ResultResponse(call(ctx.actor(), id.value(), page.value()));
  };
}

}  // namespace ketachart
