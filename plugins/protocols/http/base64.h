// Base64 for the byte payloads of HTTP-API.md §2 (lock owners, key/value
// values and compare values).
//
// Replies always use the standard alphabet with '=' padding (RFC 4648 §4).
// Requests may also use the URL-safe alphabet (RFC 4648 §5) and may omit the
// padding, because hand-written and non-.NET clients often produce those.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kahuna::http {

// Standard alphabet, padded.
std::string base64_encode(std::string_view bytes);

// Accepts the standard or URL-safe alphabet (not mixed within one symbol
// set's meaning: '+'/'-' both mean 62, '/'/'_' both mean 63), padded or not.
// nullopt for anything else: a stray character, padding in the middle, too
// much padding, a length no encoder can produce, or non-zero leftover bits.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace kahuna::http
