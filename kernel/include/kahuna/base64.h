// Base64 (RFC 4648) for the byte payloads the HTTP API carries as text: lock
// owners, values, compare values. One implementation for the HTTP plugin,
// kahuna-cli and kahuna-bench.
//
// Encoding uses the standard alphabet with '=' padding (RFC 4648 §4).
// Decoding also accepts the URL-safe alphabet (RFC 4648 §5) and omitted
// padding, because hand-written and non-.NET clients often produce those.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kahuna {

namespace base64_detail {

inline constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  table[static_cast<unsigned char>('-')] = 62;  // URL-safe alphabet
  table[static_cast<unsigned char>('_')] = 63;
  return table;
}

inline constexpr std::array<std::uint8_t, 256> kDecodeTable = make_decode_table();

}  // namespace base64_detail

// Standard alphabet, padded.
inline std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out.push_back(base64_detail::kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[(group >> 6) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[group & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    out.push_back(base64_detail::kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[(group >> 12) & 0x3F]);
    out.append("==");
  } else if (rest == 2) {
    const std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                                static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(base64_detail::kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(base64_detail::kAlphabet[(group >> 6) & 0x3F]);
    out.push_back('=');
  }
  return out;
}

// Standard or URL-safe alphabet ('+'/'-' both mean 62, '/'/'_' both 63),
// padded or not. nullopt for anything else: a stray character, padding in
// the middle, too much padding, a length no encoder can produce, or
// non-zero leftover bits.
inline std::optional<std::string> base64_decode(std::string_view text) {
  // Strip the padding first: at most two '=', and only when they complete
  // a 4-character group.
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
    ++padding;
  }
  if (padding > 2) return std::nullopt;
  if (padding > 0 && (text.size() + padding) % 4 != 0) return std::nullopt;
  if (text.size() % 4 == 1) return std::nullopt;  // 6 bits cannot make a byte

  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    const std::uint8_t value = base64_detail::kDecodeTable[static_cast<unsigned char>(c)];
    if (value == base64_detail::kInvalid) return std::nullopt;
    accumulator = (accumulator << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  // The leftover bits of a final partial group must be zero, so that every
  // byte string has exactly one accepted encoding per alphabet.
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace kahuna
