// Result<T> and Status: the value-or-Error return types used across layers
// for expected failures (C++20 has no std::expected). Cheap to move; not
// thread-safe to share mutably, like any value.
#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "base/error.h"

namespace ketachart {

class Status {
 public:
  Status() = default;  // OK
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  const Error& error() const {
    assert(error_);
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}    // NOLINT
  Result(Status status) : data_(status.error()) { assert(!status.ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(data_);
  }
  Status status() const { return ok() ? Status() : Status(error()); }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Error> data_;
};

}  // namespace ketachart

// Propagates a failed Status/Result out of the enclosing function.
#define KC_CONCAT_INNER(a, b) a##b
#define KC_CONCAT(a, b) KC_CONCAT_INNER(a, b)
#define KC_RETURN_IF_ERROR(expr)                         \
  do {                                                   \
    auto _kc_status = (expr);                            \
    if (!_kc_status.ok()) return _kc_status.error();     \
  } while (0)
#define KC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.error();             \
  lhs = std::move(tmp).value()
#define KC_ASSIGN_OR_RETURN(lhs, expr) \
  KC_ASSIGN_OR_RETURN_IMPL(KC_CONCAT(_kc_result_, __LINE__), lhs, expr)
