// Showing stored bytes to people and to JSON: values are usually text, but
// nothing stops them from being arbitrary bytes.
#pragma once

#include <string>
#include <string_view>

namespace kahuna::cli {

// True when `bytes` is well-formed UTF-8.
bool is_utf8(std::string_view bytes) noexcept;

// Standard base64 with padding (RFC 4648 §4).
std::string base64(std::string_view bytes);

// A double-quoted, escaped rendering for text output: "a\"b\n", and
// \xNN for bytes that are not printable UTF-8 text.
std::string quote_bytes(std::string_view bytes);

// An instant in ms since the Unix epoch as ISO-8601 UTC with milliseconds:
// 2026-01-02T03:04:05.678Z.
std::string iso_time(long long epoch_ms);

}  // namespace kahuna::cli
