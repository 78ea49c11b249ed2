// RequestParser: one request at a time out of a byte stream.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "request_parser.h"

namespace kahuna::http {
namespace {

TEST(RequestParserTest, ParsesARequestWithBodyAndHeaders) {
  RequestParser parser(1024);
  const std::string bytes =
      "POST /v1/kv/try-set?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}";
  EXPECT_EQ(parser.feed(bytes), bytes.size());
  ASSERT_EQ(parser.state(), RequestParser::State::kComplete);
  HttpRequest request = parser.take();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/kv/try-set");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.body, "{}");
  ASSERT_NE(request.header("authorization"), nullptr);
  EXPECT_EQ(*request.header("authorization"), "Bearer t");
  EXPECT_TRUE(request.keep_alive);
  EXPECT_FALSE(request.http_1_0);
}

TEST(RequestParserTest, StopsAfterEachPipelinedRequest) {
  RequestParser parser(1024);
  const std::string one = "GET /a HTTP/1.1\r\n\r\n";
  const std::string two = "GET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
  const std::string bytes = one + two;
  const std::size_t consumed = parser.feed(bytes);
  EXPECT_EQ(consumed, one.size());
  EXPECT_EQ(parser.take().path, "/a");
  EXPECT_EQ(parser.feed(std::string_view(bytes).substr(consumed)), two.size());
  ASSERT_EQ(parser.state(), RequestParser::State::kComplete);
  HttpRequest second = parser.take();
  EXPECT_EQ(second.path, "/b");
  EXPECT_FALSE(second.keep_alive);
}

TEST(RequestParserTest, AcceptsBytesOneAtATime) {
  RequestParser parser(1024);
  const std::string bytes = "POST /x HTTP/1.1\r\nX-Long-Header: abcdef\r\nContent-Length: 3\r\n\r\nabc";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_EQ(parser.state(), RequestParser::State::kIncomplete) << i;
    EXPECT_EQ(parser.feed(std::string_view(bytes).substr(i, 1)), 1u);
    if (i > 0 && i < bytes.size() - 3) {
      EXPECT_TRUE(parser.mid_request());
    }
  }
  ASSERT_EQ(parser.state(), RequestParser::State::kComplete);
  HttpRequest request = parser.take();
  EXPECT_EQ(request.body, "abc");
  EXPECT_EQ(*request.header("x-long-header"), "abcdef");
}

// Feeds `bytes` to a parser that takes bodies of up to `max_body` bytes,
// which must refuse them with the HTTP status `status`.
void expect_refused(const std::string& bytes, int status, std::uint64_t max_body = 10) {
  RequestParser parser(max_body);
  parser.feed(bytes);
  EXPECT_EQ(parser.state(), RequestParser::State::kFailed) << bytes.substr(0, 80);
  EXPECT_EQ(parser.error_status(), status) << bytes.substr(0, 80);
}

TEST(RequestParserTest, RefusesOversizedBodies) {
  expect_refused("POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 413);
  expect_refused(
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n", 413);
}

TEST(RequestParserTest, RefusesGarbageAndHugeHeaders) {
  expect_refused("\x01\x02 nonsense\r\n\r\n", 400);
  expect_refused("GET / HTTP/1.1\r\nX: " + std::string(100 * 1024, 'a') + "\r\n\r\n", 431);
}

TEST(RequestParserTest, NoticesExpectContinue) {
  RequestParser parser(100);
  parser.feed("POST /x HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_TRUE(parser.wants_continue());
  parser.continue_sent();
  EXPECT_FALSE(parser.wants_continue());
  parser.feed("{}");
  EXPECT_EQ(parser.state(), RequestParser::State::kComplete);
}

TEST(RequestParserTest, CollapsesLeadingSlashesAndKeepsHttp10Semantics) {
  RequestParser parser(100);
  parser.feed("GET //v1/cluster/health HTTP/1.0\r\n\r\n");
  ASSERT_EQ(parser.state(), RequestParser::State::kComplete);
  HttpRequest request = parser.take();
  EXPECT_EQ(request.path, "/v1/cluster/health");
  EXPECT_TRUE(request.http_1_0);
  EXPECT_FALSE(request.keep_alive);
}

// Found by the fuzzer: http_parser accepts "*v1/..." as a request target.
TEST(RequestParserTest, RefusesTargetsThatAreNotPaths) {
  expect_refused("POST *v1/sequences/reserve HTTP/1.0\r\n\r\n", 400, 100);
  expect_refused("OPTIONS * HTTP/1.1\r\n\r\n", 400, 100);
  RequestParser absolute(100);
  absolute.feed("GET http://example.com/v1/cluster/health HTTP/1.1\r\n\r\n");
  ASSERT_EQ(absolute.state(), RequestParser::State::kComplete);
  EXPECT_EQ(absolute.take().path, "/v1/cluster/health");
}

}  // namespace
}  // namespace kahuna::http
