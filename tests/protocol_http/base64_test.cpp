// The base64 codec: RFC 4648 vectors, the relaxed inputs HTTP-API.md §2
// allows, and the inputs it must refuse.
#include <gtest/gtest.h>

#include "base64.h"

namespace kahuna::http {
namespace {

TEST(Base64Test, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("owner-a"), "b3duZXItYQ==");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Base64Test, DecodesPaddedUnpaddedAndUrlSafe) {
  EXPECT_EQ(base64_decode(""), std::string());
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("c29tZS12YWx1ZQ=="), "some-value");
  EXPECT_EQ(base64_decode("+/8="), std::string("\xfb\xff", 2));
  EXPECT_EQ(base64_decode("-_8="), std::string("\xfb\xff", 2));
  EXPECT_EQ(base64_decode("-_8"), std::string("\xfb\xff", 2));
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
