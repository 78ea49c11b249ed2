// Untrusted bytes: every malformed body or header is refused with a clear
// message, never a crash, an out-of-bounds read or a huge allocation.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <kahuna/wire/codec.h>

#include "sample_messages.h"
#include "wire_test_util.h"

namespace kahuna::wire::testing {
namespace {

std::string request_body(const Request& request) {
  std::string body;
  EXPECT_TRUE(encode_request_body(request, body).is_ok());
  return body;
}

Status decode_body(Opcode opcode, std::string_view body) {
  Request out;
  return decode_request_body(opcode, body, out);
}

FrameHeader request_header(Opcode opcode, std::size_t body_size) {
  FrameHeader header;
  header.opcode = static_cast<std::uint16_t>(opcode);
  header.request_id = 77;
  header.body_size = static_cast<std::uint32_t>(body_size);
  return header;
}

TEST(MalformedInput, RequestTruncatedAtEveryOffsetIsRefused) {
  for (const Request& request : sample_requests()) {
    const Opcode opcode = opcode_of(request.body);
    const std::string body = request_body(request);
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
      const Status s = decode_body(opcode, std::string_view(body).substr(0, cut));
      ASSERT_FALSE(s.is_ok()) << to_string(opcode) << " cut at " << cut;
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(s.message().find("field '"), std::string::npos) << s.message();
    }
  }
}

TEST(MalformedInput, ResponseTruncatedAtEveryOffsetIsRefused) {
  for (const Response& response : sample_responses()) {
    std::string body;
    ASSERT_TRUE(encode_response_body(response, body).is_ok());
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
      Response out;
      ASSERT_FALSE(
          decode_response_body(opcode_of(response), std::string_view(body).substr(0, cut), out).is_ok())
          << to_string(opcode_of(response)) << " cut at " << cut;
    }
  }
}

TEST(MalformedInput, TrailingBytesAreRefused) {
  for (const Request& request : sample_requests()) {
    const Status s = decode_body(opcode_of(request.body), request_body(request) + '\0');
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("trailing"), std::string::npos) << s.message();
  }
  for (const Response& response : sample_responses()) {
    std::string body;
    ASSERT_TRUE(encode_response_body(response, body).is_ok());
    Response out;
    EXPECT_FALSE(decode_response_body(opcode_of(response), body + "xy", out).is_ok());
  }
}

// The settings take 6 bytes; a kv_get's key length follows at offset 6.
TEST(MalformedInput, ForgedStringLengthIsRefusedWithoutAllocating) {
  KvGetRequest get;
  get.query.key = "abc";
  std::string body = request_body(Request{KvGet{get}, {}});
  for (const std::uint32_t forged : {29u, 1000u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
    std::string bad = body;
    for (int i = 0; i < 4; ++i) bad[6 + i] = static_cast<char>((forged >> (8 * i)) & 0xFF);
    const Status s = decode_body(Opcode::kKvGet, bad);
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("field 'query.key' at offset 6"), std::string::npos) << s.message();
  }
}

TEST(MalformedInput, ForgedElementCountIsRefusedWithoutAllocating) {
  std::string body = request_body(Request{KvDeleteMany{{KvKeyRequest{"a", Durability::kEphemeral}}}, {}});
  for (const std::uint32_t forged : {2u, 1u << 20, 0xFFFFFFFFu}) {
    std::string bad = body;
    for (int i = 0; i < 4; ++i) bad[6 + i] = static_cast<char>((forged >> (8 * i)) & 0xFF);
    const Status s = decode_body(Opcode::kKvDeleteMany, bad);
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("items"), std::string::npos) << s.message();
  }
  // A reply's list count too.
  std::string reply;
  ASSERT_TRUE(encode_response_body(Response{std::vector<Routed<KvReply>>{}}, reply).is_ok());
  reply = std::string("\xff\xff\xff\xff", 4);
  Response out;
  EXPECT_FALSE(decode_response_body(Opcode::kKvBatchReply, reply, out).is_ok());
}

TEST(MalformedInput, BooleanAndEnumBytesOutOfRange) {
  // A lock request ends with its durability byte.
  std::string lock = request_body(Request{TryLock{LockRequest{"r", "o", 1, Durability::kEphemeral}}, {}});
  lock.back() = 2;
  Status s = decode_body(Opcode::kTryLock, lock);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("durability"), std::string::npos) << s.message();

  // Settings: consistency at offset 4, call flags at offset 5.
  std::string get = request_body(Request{GetClusterStatus{}, {}});
  get[4] = 2;
  s = decode_body(Opcode::kClusterStatus, get);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("consistency"), std::string::npos) << s.message();
  get[4] = 0;
  get[5] = 4;  // bits 0 (forwarded) and 1 (a request id follows) are known; 2 is reserved
  s = decode_body(Opcode::kClusterStatus, get);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("call_flags"), std::string::npos) << s.message();

  // An optional's presence byte.
  std::string next = request_body(Request{SequenceNext{"s", std::nullopt}, {}});
  next.back() = 7;
  s = decode_body(Opcode::kSequenceNext, next);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("idempotency_key"), std::string::npos) << s.message();
}

// The call flags are at offset 5; with bit 1 set, a 20-byte request id
// (u64 client, u64 sequence, u32 part) follows them.
std::string with_request_id_bytes(const std::string& body, std::string_view id_bytes) {
  std::string out = body.substr(0, 5);
  out += static_cast<char>(body[5] | 0x02);
  out += id_bytes;
  out += body.substr(6);
  return out;
}

TEST(MalformedInput, RequestIdBitWithAZeroIdIsRefused) {
  const std::string body = request_body(Request{KvDelete{KvKeyRequest{"k", Durability::kPersistent}}, {}});
  // Client and sequence 0: an id that is not there. A part alone does not
  // make one (the encoder sends no id then, so this has no other encoding).
  for (const std::string_view part : {std::string_view("\0\0\0\0", 4), std::string_view("\x05\0\0\0", 4)}) {
    const std::string bad = with_request_id_bytes(body, std::string(16, '\0') + std::string(part));
    const Status s = decode_body(Opcode::kKvDelete, bad);
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("request_id"), std::string::npos) << s.message();
  }
  // Either half non-zero is an id.
  std::string client_only(20, '\0');
  client_only[0] = 1;
  EXPECT_TRUE(decode_body(Opcode::kKvDelete, with_request_id_bytes(body, client_only)).is_ok());
  std::string sequence_only(20, '\0');
  sequence_only[8] = 1;
  EXPECT_TRUE(decode_body(Opcode::kKvDelete, with_request_id_bytes(body, sequence_only)).is_ok());
}

TEST(MalformedInput, RequestIdBitWithoutTheIdIsRefused) {
  std::string body = request_body(Request{GetClusterStatus{}, {}});
  body[5] = 0x02;  // says an id follows; the body ends instead
  const Status s = decode_body(Opcode::kClusterStatus, body);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("request_id.client"), std::string::npos) << s.message();
}

TEST(MalformedInput, ReservedCallFlagBitsAreRefusedWithOrWithoutARequestId) {
  const KvKeyRequest key{"k", Durability::kPersistent};
  const std::string plain = request_body(Request{KvDelete{key}, {}});
  const std::string with_id =
      request_body(Request{KvDelete{key}, {0, ReadConsistency::kLinearizable, true, RequestId{9, 9, 0}}});
  ASSERT_EQ(static_cast<unsigned char>(with_id[5]), 0x03u);
  for (const unsigned char bit : {0x04, 0x08, 0x40, 0x80}) {
    for (std::string bad : {plain, with_id}) {
      bad[5] = static_cast<char>(static_cast<unsigned char>(bad[5]) | bit);
      const Status s = decode_body(Opcode::kKvDelete, bad);
      ASSERT_FALSE(s.is_ok()) << "bit " << int(bit);
      EXPECT_NE(s.message().find("call_flags"), std::string::npos) << s.message();
    }
  }
}

// The encoded body of a cluster status with one node serving `endpoints`.
std::string cluster_status_body(std::map<std::string, std::string> endpoints) {
  ClusterStatus status;
  NodeInfo node;
  node.endpoints = std::move(endpoints);
  status.nodes = {node};
  std::string body;
  EXPECT_TRUE(encode_response_body(Response{status}, body).is_ok());
  return body;
}

Status decode_cluster_status(const std::string& body) {
  Response out;
  return decode_response_body(Opcode::kClusterStatusReply, body, out);
}

TEST(MalformedInput, RepeatedEndpointNameInClusterStatusIsRefused) {
  std::string body = cluster_status_body({{"a", "1"}, {"b", "2"}});
  const std::size_t b =
      body.find(std::string("\x01\x00\x00\x00"
                            "b",
                            5));
  ASSERT_NE(b, std::string::npos);
  body[b + 4] = 'a';
  const Status s = decode_cluster_status(body);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("repeated"), std::string::npos) << s.message();
}

TEST(MalformedInput, EndpointNamesOutOfOrderInClusterStatusAreRefused) {
  // Names out of order would decode into the same map and encode back in
  // order: two encodings of one value. Found by the fuzzer ("\x89inary").
  std::string body = cluster_status_body({{"binary", "1"}, {"http", "2"}});
  const std::size_t b = body.find("binary");
  ASSERT_NE(b, std::string::npos);
  body[b] = static_cast<char>(0x89);
  const Status s = decode_cluster_status(body);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("ascending"), std::string::npos) << s.message();
}

TEST(MalformedInput, UnsupportedVersionUnknownOpcodeAndFlags) {
  const std::string body = request_body(Request{GetClusterStatus{}, {}});
  Request out;

  // Version 1 routes and cluster statuses are shorter: a frame of it is
  // refused, never misread.
  FrameHeader header = request_header(Opcode::kClusterStatus, body.size());
  header.version = 1;
  Status s = decode_request(header, body, out);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("version 1"), std::string::npos) << s.message();
  EXPECT_EQ(request_error_code(header), ErrorCode::kUnsupportedVersion);
  header.version = 3;
  EXPECT_FALSE(decode_request(header, body, out).is_ok());
  EXPECT_EQ(request_error_code(header), ErrorCode::kUnsupportedVersion);

  header = request_header(static_cast<Opcode>(0x0099), body.size());
  s = decode_request(header, body, out);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("unknown request opcode 153"), std::string::npos) << s.message();
  EXPECT_EQ(request_error_code(header), ErrorCode::kUnknownOpcode);

  header = request_header(Opcode::kLockReply, body.size());  // a reply's opcode sent as a request
  EXPECT_FALSE(decode_request(header, body, out).is_ok());
  EXPECT_EQ(request_error_code(header), ErrorCode::kUnknownOpcode);

  header = request_header(Opcode::kClusterStatus, body.size());
  header.flags = 0x80;
  EXPECT_FALSE(decode_request(header, body, out).is_ok());
  EXPECT_EQ(request_error_code(header), ErrorCode::kMalformedFrame);

  header = request_header(Opcode::kClusterStatus, body.size());
  EXPECT_TRUE(decode_request(header, body, out).is_ok());
  EXPECT_FALSE(decode_request(header, body + "!", out).is_ok());
  EXPECT_EQ(request_error_code(header), ErrorCode::kMalformedBody);

  Response reply;
  EXPECT_FALSE(decode_response_body(Opcode::kTryLock, "", reply).is_ok());  // a request's opcode as a reply
  FrameHeader reply_header = request_header(Opcode::kErrorReply, 0);
  reply_header.version = 9;
  EXPECT_FALSE(decode_response(reply_header, "", reply).is_ok());
}

TEST(MalformedInput, EmptyBodyIsRefusedForEveryOpcode) {
  for (const Request& request : sample_requests()) {
    EXPECT_FALSE(decode_body(opcode_of(request.body), "").is_ok());
  }
}

// Flipping any single byte of a valid body must give either a clean refusal
// or a request that encodes again (a different but well-formed request).
TEST(MalformedInput, EverySingleByteCorruptionDecodesSafely) {
  for (const Request& request : sample_requests()) {
    const Opcode opcode = opcode_of(request.body);
    const std::string body = request_body(request);
    for (std::size_t at = 0; at < body.size(); ++at) {
      for (const unsigned char value : {0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF}) {
        std::string bad = body;
        bad[at] = static_cast<char>(value);
        Request out;
        if (decode_request_body(opcode, bad, out).is_ok()) {
          std::string again;
          ASSERT_TRUE(encode_request_body(out, again).is_ok());
          EXPECT_EQ(again, bad) << to_string(opcode) << " byte " << at;
        }
      }
    }
  }
}

TEST(MalformedInput, ErrorMessagesNameOpcodeFieldAndOffset) {
  const Status s = decode_body(Opcode::kKvSet, std::string("\0\0\0\0\0\0\x01\0\0\0k\x02", 12));
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), "kv_set body: field 'value' at offset 11: boolean byte must be 0 or 1, got 2");
}

}  // namespace
}  // namespace kahuna::wire::testing
