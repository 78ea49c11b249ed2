// The base64 codec: RFC 4648 vectors, the relaxed inputs HTTP-API.md §2
// allows, and the inputs it must refuse.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "base64.h"

namespace kahuna::http {
namespace {

// Bytes and their padded, standard-alphabet encoding.
const std::vector<std::pair<std::string, std::string>> kEncodings = {{"", ""},
                                                                     {"f", "Zg=="},
                                                                     {"fo", "Zm8="},
                                                                     {"foo", "Zm9v"},
                                                                     {"foob", "Zm9vYg=="},
                                                                     {"fooba", "Zm9vYmE="},
                                                                     {"foobar", "Zm9vYmFy"},
                                                                     {"owner-a", "b3duZXItYQ=="},
                                                                     {"some-value", "c29tZS12YWx1ZQ=="},
                                                                     {std::string("\xfb\xff", 2), "+/8="}};

TEST(Base64Test, EncodesTheRfc4648Vectors) {
  for (const auto& [bytes, encoded] : kEncodings) EXPECT_EQ(base64_encode(bytes), encoded) << bytes;
}

TEST(Base64Test, DecodesPaddedUnpaddedAndUrlSafe) {
  for (const auto& [bytes, encoded] : kEncodings) EXPECT_EQ(base64_decode(encoded), bytes) << encoded;
  // Decoding also takes the padding away and the URL-safe alphabet.
  for (const auto& [encoded, bytes] :
       std::vector<std::pair<std::string, std::string>>{{"Zg", "f"},
                                                        {"Zm8", "fo"},
                                                        {"-_8=", std::string("\xfb\xff", 2)},
                                                        {"-_8", std::string("\xfb\xff", 2)}}) {
    EXPECT_EQ(base64_decode(encoded), bytes) << encoded;
  }
}

TEST(Base64Test, RefusesMalformedInput) {
  for (const char* bad : {"Z", "Zg=", "Zg===", "=", "==", "Zm9v=", "Z=g=", "Zm 9v", "Zm9v\n",
                          "Zh==", "Zm9=", "Zm*v", "Zg==Zg=="}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

TEST(Base64Test, RoundTripsEveryByteAndLength) {
  std::string bytes;
  for (int i = 0; i < 600; ++i) {
    bytes.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
    const auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded);
    ASSERT_EQ(*decoded, bytes);
  }
}

}  // namespace
}  // namespace kahuna::http
