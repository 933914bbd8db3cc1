// /healthz and /api/v1/openapi.json: unauthenticated, no patient data.
#include "http/api_server.h"
#include "http/responses.h"

namespace ketachart {

void AddSystemRoutes(Router& router, ApiServices& services, const std::string* openapi_document) {
  router.Add({"GET", "/healthz", Access::kPublic, "system",
              "Liveness and database reachability (no authentication, no patient data)", "", "", {}, 200,
              [&services](RouteContext&) {
                Database& database = services.context.database;
                auto version = database.Run<int>(TransactionMode::kReadOnly, [](Transaction& txn) -> Result<int> {
                  KC_ASSIGN_OR_RETURN(SqlRows rows, txn.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
                  return static_cast<int>(rows.at(0).Int(0));
                });
                if (!version.ok()) {
                  return ErrorResponse({ErrorCode::kUnavailable, "the database is not reachable", {}});
                }
                return JsonResponse(200, {{"status", "ok"},
                                          {"database", database.dialect() == Dialect::kSqlite ? "sqlite" : "postgresql"},
                                          {"schema_version", version.value()},
                                          {"version", KETACHART_VERSION}});
              }});
  router.Add({"GET", "/api/v1/openapi.json", Access::kPublic, "system",
              "This API's OpenAPI 3 description, generated from the route tables", "", "", {}, 200,
              [openapi_document](RouteContext&) {
                HttpResponse response;
                response.body = *openapi_document;
                return response;
              }});
}

}  // namespace ketachart
