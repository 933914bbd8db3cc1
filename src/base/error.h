// The one error catalog of KetaChart. Every expected failure (bad input, not
// found, conflict, forbidden...) is an Error value with a code from this
// catalog; http/, interop/ and cli/ each translate codes to their wire format
// in exactly one place. Exceptions are reserved for bugs and faults.
#pragma once

#include <string>
#include <string_view>

namespace ketachart {

enum class ErrorCode {
  kInvalidInput,        // a field broke a rule; `field` names it
  kUnauthenticated,     // no valid session
  kForbidden,           // authenticated but the role lacks the permission
  kNotFound,            // no such resource in this clinic
  kConflict,            // duplicate, stale version, state does not allow it
  kPayloadTooLarge,     // request above the size cap
  kUnsupportedMedia,    // body is not JSON where JSON is required
  kMethodNotAllowed,    // route exists, method does not
  kLocked,              // account temporarily locked after failed log-ins
  kTooManyRequests,     // rate limit
  kUnavailable,         // database busy or down after retries
  kSerializationFailure,// transient: retried inside the store, never surfaces
  kInternal,            // a bug; details go to the log, not the client
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // empty when the error is not about one input field
};

// Stable machine-readable name, e.g. "invalid_input".
std::string_view ErrorCodeName(ErrorCode code);
// HTTP status for the code (the single HTTP translation point uses it).
int HttpStatusFor(ErrorCode code);

inline Error InvalidInput(std::string field, std::string message) {
  return Error{ErrorCode::kInvalidInput, std::move(message), std::move(field)};
}
inline Error NotFound(std::string message) { return Error{ErrorCode::kNotFound, std::move(message), {}}; }
inline Error Conflict(std::string message, std::string field = {}) {
  return Error{ErrorCode::kConflict, std::move(message), std::move(field)};
}
inline Error Forbidden(std::string message) { return Error{ErrorCode::kForbidden, std::move(message), {}}; }
inline Error Unauthenticated(std::string message) {
  return Error{ErrorCode::kUnauthenticated, std::move(message), {}};
}
inline Error Internal(std::string message) { return Error{ErrorCode::kInternal, std::move(message), {}}; }

}  // namespace ketachart
