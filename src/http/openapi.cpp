// OpenAPI 3.0 generation from the route table (see api_server.h): every
// route's method, path, parameters, body description, permission and
// responses, plus the shared error schema and the cookie security scheme.
#include <set>

#include "base/json_input.h"
#include "http/api_server.h"

namespace ketachart {
namespace {

Json ErrorResponseRef(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

std::string BuildOpenApiDocument(const Router& router) {
  Json paths = Json::object();
  for (const Route& route : router.routes()) {
    Json operation = {{"summary", route.summary}, {"tags", {route.tag}}};
    Json parameters = Json::array();
    for (size_t pos = route.pattern.find('{'); pos != std::string::npos; pos = route.pattern.find('{', pos + 1)) {
      const std::string name = route.pattern.substr(pos + 1, route.pattern.find('}', pos) - pos - 1);
      parameters.push_back({{"name", name}, {"in", "path"}, {"required", true},
                            {"schema", {{"type", "integer"}, {"minimum", 1}}}});
    }
    for (const QueryParameter& q : route.query) {
      parameters.push_back({{"name", q.name}, {"in", "query"}, {"required", false},
                            {"description", q.description}, {"schema", {{"type", "string"}}}});
    }
    if (route.access == Access::kSession && route.method != "GET") {
      parameters.push_back({{"name", "X-CSRF-Token"}, {"in", "header"}, {"required", true},
                            {"description", "csrf_token from the log-in response"},
                            {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) operation["parameters"] = parameters;
    if (!route.request_body.empty()) {
      operation["requestBody"] = {
          {"required", true},
          {"description", route.request_body},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    Json responses = Json::object();
    responses[std::to_string(route.success_status)] = {{"description", "success"}};
    if (route.success_status != 204) {
      responses[std::to_string(route.success_status)]["content"] = {
          {"application/json", {{"schema", {{"type", "object"}}}}}};
    }
    responses["400"] = ErrorResponseRef("invalid input: error.field names the field, error.message the rule");
    if (route.access == Access::kSession) {
      responses["401"] = ErrorResponseRef("no valid session");
      responses["403"] = ErrorResponseRef("the role lacks the permission, or the CSRF token is missing");
      operation["security"] = Json::array({{{"sessionCookie", Json::array()}}});
    }
    if (!route.permission.empty()) operation["x-ketachart-permission"] = route.permission;
    operation["responses"] = responses;
    std::string lower = route.method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    operation["operationId"] = lower + route.pattern;
    paths[route.pattern][lower] = operation;
  }
  Json document = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "KetaChart API"},
        {"version", KETACHART_VERSION},
        {"description", "Clinical records for ketamine and esketamine clinics. Generated from the route tables."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"sessionCookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message", "field"}},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"field", {{"type", "string"}, {"nullable", true}}}}}}}}}}}}}}}};
  return document.dump(2);
}

}  // namespace ketachart
