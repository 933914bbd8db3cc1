// Cryptographic primitives KetaChart needs, all from libsodium: argon2id
// password hashes, random tokens, SHA-256 for hash chains and token storage,
// constant-time comparison. Call InitCrypto() once before any thread uses them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ketachart {

// Aborts the process if libsodium cannot initialise (no safe way to continue).
void InitCrypto();

struct PasswordHashCost {
  unsigned long long ops_limit;
  size_t mem_limit_bytes;
  // libsodium's "interactive" argon2id limits (2 passes, 64 MiB).
  static PasswordHashCost Interactive();
  // For tests and the throwaway demo only: the library minimum.
  static PasswordHashCost Minimum();
};

// Encoded argon2id string ("$argon2id$v=19$m=...") with its own random salt.
std::string HashPassword(std::string_view password, PasswordHashCost cost);
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

// `bytes` random bytes encoded as unpadded base64url.
std::string RandomToken(size_t bytes = 32);
// Lowercase hex SHA-256 of the input.
std::string Sha256Hex(std::string_view data);
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// Decodes standard (padded) base64; nullopt when the text is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace ketachart
