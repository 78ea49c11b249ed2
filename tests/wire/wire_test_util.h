// Helpers for the codec tests: hex text and one-call encode/decode of frames.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <kahuna/wire/codec.h>

namespace kahuna::wire::testing {

// "0a ff 00" style: lower-case pairs separated by spaces.
inline std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += ' ';
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

// The bytes of hex text; spaces and newlines ignored.
inline std::string unhex(std::string_view text) {
  std::string out;
  int high = -1;
  for (char c : text) {
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      continue;
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  return out;
}

inline std::string encoded(std::uint64_t id, const Request& request) {
  std::string out;
  EXPECT_TRUE(encode_request(id, request, out).is_ok());
  return out;
}

inline std::string encoded(std::uint64_t id, const Response& response) {
  std::string out;
  EXPECT_TRUE(encode_response(id, response, out).is_ok());
  return out;
}

// Splits one whole frame into header and body; fails the test when `frame` is not one.
inline FrameHeader header_of(std::string_view frame, std::string_view& body) {
  FrameHeader header;
  EXPECT_TRUE(decode_frame_header(frame, header).is_ok());
  EXPECT_EQ(frame.size(), header.frame_size());
  body = frame.substr(kFrameHeaderSize);
  return header;
}

}  // namespace kahuna::wire::testing
