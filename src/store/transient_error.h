// Which store errors are transient: worth running the same transaction again
// (PostgreSQL serialization failures and deadlocks; the dialects map SQLite
// busy and these to kSerializationFailure). Shared by Database::Run's retry
// and the write group's whole-group retry so the two never disagree.
#pragma once

#include "base/result.h"

namespace ketachart {

inline bool IsTransientStoreError(const Error& error) { return error.code == ErrorCode::kSerializationFailure; }

}  // namespace ketachart
