// The frame header and the frame splitter, including the worked examples of
// docs/protocol.md byte for byte.
#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>

#include <kahuna/wire/codec.h>
#include <kahuna/wire/frame_splitter.h>

#include "sample_messages.h"
#include "wire_test_util.h"

namespace kahuna::wire::testing {
namespace {

// docs/protocol.md example 2: a try-lock request (call_flags 0, no request id).
constexpr const char* kTryLockExample =
    "2c 00 00 00 4b 57 02 00 07 00 00 00 00 00 00 00 01 00 00 00 "
    "e8 03 00 00 00 00 "
    "03 00 00 00 6a 6f 62 "
    "02 00 00 00 77 31 "
    "30 75 00 00 00 00 00 00 "
    "01";

std::string all_sample_frames() {
  std::string stream;
  std::uint64_t id = 1;
  for (const Request& request : sample_requests()) stream += encoded(id++, request);
  return stream;
}

TEST(FrameHeader, EncodesTheDocumentedLayout) {
  FrameHeader header;
  header.body_size = 6;
  header.request_id = 0x0102030405060708ull;
  header.opcode = 0x0050;
  std::string bytes;
  append_frame_header(bytes, header);
  EXPECT_EQ(hex(bytes), "16 00 00 00 4b 57 02 00 08 07 06 05 04 03 02 01 50 00 00 00");
  FrameHeader decoded;
  ASSERT_TRUE(decode_frame_header(bytes, decoded).is_ok());
  EXPECT_EQ(decoded, header);
}

TEST(FrameHeader, RefusesBadMagicShortLengthReservedAndShortInput) {
  const std::string good = unhex("10 00 00 00 4b 57 02 00 01 00 00 00 00 00 00 00 50 00 00 00");
  FrameHeader header;
  ASSERT_TRUE(decode_frame_header(good, header).is_ok());
  EXPECT_EQ(header.body_size, 0u);

  std::string bad = good;
  bad[4] = 'X';
  EXPECT_NE(decode_frame_header(bad, header).message().find("magic"), std::string::npos);
  bad = good;
  bad[0] = 0x0F;
  EXPECT_NE(decode_frame_header(bad, header).message().find("below the minimum"), std::string::npos);
  bad = good;
  bad[19] = 1;
  EXPECT_NE(decode_frame_header(bad, header).message().find("reserved"), std::string::npos);
  EXPECT_FALSE(decode_frame_header(good.substr(0, 19), header).is_ok());
}

// docs/protocol.md §8, example 1.
TEST(DocumentedExamples, ClusterStatusRequest) {
  const std::string frame = encoded(1, Request{GetClusterStatus{}, {}});
  EXPECT_EQ(hex(frame), "16 00 00 00 4b 57 02 00 01 00 00 00 00 00 00 00 50 00 00 00 00 00 00 00 00 00");
}

// docs/protocol.md §8, example 2.
TEST(DocumentedExamples, TryLockRequestAndReply) {
  LockRequest lock;
  lock.resource = "job";
  lock.owner = "w1";
  lock.expires_ms = 30000;
  lock.durability = Durability::kPersistent;
  const std::string request =
      encoded(7, Request{TryLock{lock}, {1000, ReadConsistency::kLinearizable, false}});
  EXPECT_EQ(hex(request), kTryLockExample);

  LockReply reply;
  reply.code = LockCode::kLocked;
  reply.fencing_token = 5;
  const std::string response =
      encoded(7, Response{Routed<LockReply>{reply, Route{3, 2, RouteProvenance::kLocal, 4}}});
  EXPECT_EQ(hex(response),
            "42 00 00 00 4b 57 02 00 07 00 00 00 00 00 00 00 01 80 00 00 "
            "00 00 00 00 "
            "05 00 00 00 00 00 00 00 "
            "00 "
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
            "03 00 00 00 02 00 00 00 00 00 00 00 01 "
            "04 00 00 00 00 00 00 00");
}

// docs/protocol.md §8, example 3.
TEST(DocumentedExamples, KvSetWithNullAndEmptyValue) {
  KvSetRequest set;
  set.key = "a";
  set.flags = 1;
  const std::string null_value = encoded(2, Request{KvSet{set}, {}});
  EXPECT_EQ(hex(null_value.substr(kFrameHeaderSize)),
            "00 00 00 00 00 00 01 00 00 00 61 00 00 "
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00");
  set.value = std::string();
  const std::string empty_value = encoded(2, Request{KvSet{set}, {}});
  EXPECT_EQ(hex(empty_value.substr(kFrameHeaderSize)),
            "00 00 00 00 00 00 01 00 00 00 61 01 00 00 00 00 00 "
            "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00");
}

// docs/protocol.md §8, example 4.
TEST(DocumentedExamples, ErrorReply) {
  const std::string frame = encoded(9, Response{ErrorReply{ErrorCode::kUnknownOpcode, "no"}});
  EXPECT_EQ(hex(frame),
            "18 00 00 00 4b 57 02 00 09 00 00 00 00 00 00 00 ff ff 00 00 02 00 02 00 00 00 6e 6f");
}

// docs/protocol.md §8, example 5.
TEST(DocumentedExamples, KvDeleteWithARequestId) {
  const RequestId id{0x0123456789abcdefull, 42, 0};
  const Request request{KvDelete{KvKeyRequest{"k", Durability::kPersistent}},
                        {1000, ReadConsistency::kLinearizable, false, id}};
  const std::string frame = encoded(3, request);
  EXPECT_EQ(hex(frame),
            "30 00 00 00 4b 57 02 00 03 00 00 00 00 00 00 00 13 00 00 00 "
            "e8 03 00 00 00 02 "
            "ef cd ab 89 67 45 23 01 "
            "2a 00 00 00 00 00 00 00 "
            "00 00 00 00 "
            "01 00 00 00 6b "
            "01");
}

// docs/protocol.md §8, example 6.
TEST(DocumentedExamples, ClusterRemoveRequestAndReply) {
  const std::string request = encoded(11, Request{ClusterRemove{ClusterMemberRequest{3}}, {}});
  EXPECT_EQ(hex(request),
            "1e 00 00 00 4b 57 02 00 0b 00 00 00 00 00 00 00 62 00 00 00 "
            "00 00 00 00 00 00 "
            "03 00 00 00 00 00 00 00");
  const std::string applied = encoded(11, Response{ClusterChangeReply{ClusterCode::kApplied, 12, ""}});
  EXPECT_EQ(hex(applied),
            "20 00 00 00 4b 57 02 00 0b 00 00 00 00 00 00 00 09 80 00 00 "
            "00 00 00 00 "
            "0c 00 00 00 00 00 00 00 "
            "00 00 00 00");
  const std::string not_found = encoded(11, Response{ClusterChangeReply{ClusterCode::kNotFound, 12, "no"}});
  EXPECT_EQ(hex(not_found.substr(kFrameHeaderSize)), "03 00 00 00 0c 00 00 00 00 00 00 00 02 00 00 00 6e 6f");
}

// docs/protocol.md §8, example 7.
TEST(DocumentedExamples, ClusterStatusReplyOfOneNode) {
  ClusterStatus status;
  status.node_id = 1;
  status.data_partitions = 1;
  NodeInfo node;
  node.id = 1;
  node.peer_address = "n1:7001";
  node.endpoints = {{"binary", "n1:7100"}};
  node.connected = true;
  node.state = "voter";
  node.joined_version = 1;
  status.nodes = {node};
  PartitionInfo partition{1, 1, "leader", 2, 5, 5, 1, 5};
  partition.voters = {1};
  partition.generation = 1;
  partition.target = {1};
  partition.hosted = true;
  status.partitions = {partition};
  status.metadata_version = 2;
  status.replication_factor = 1;
  const std::string frame = encoded(1, Response{status});
  EXPECT_EQ(hex(frame.substr(0, kFrameHeaderSize)),
            "d1 00 00 00 4b 57 02 00 01 00 00 00 00 00 00 00 08 80 00 00");
  EXPECT_EQ(hex(frame.substr(kFrameHeaderSize)),
            "01 00 00 00 00 00 00 00 "                          // node_id 1
            "01 00 00 00 "                                      // data_partitions 1
            "01 00 00 00 "                                      // one node
            "01 00 00 00 00 00 00 00 "                          //   id 1
            "07 00 00 00 6e 31 3a 37 30 30 31 "                 //   peer_address "n1:7001"
            "01 00 00 00 06 00 00 00 62 69 6e 61 72 79 "        //   endpoints: one, "binary"
            "07 00 00 00 6e 31 3a 37 31 30 30 "                 //     "n1:7100"
            "01 "                                               //   connected
            "05 00 00 00 76 6f 74 65 72 "                       //   state "voter"
            "01 00 00 00 00 00 00 00 "                          //   joined_version 1
            "01 00 00 00 "                                      // one partition
            "01 00 00 00 "                                      //   id 1
            "01 00 00 00 00 00 00 00 "                          //   leader 1
            "06 00 00 00 6c 65 61 64 65 72 "                    //   role "leader"
            "02 00 00 00 00 00 00 00 "                          //   term 2
            "05 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 "  //   commit_index 5, applied_index 5
            "01 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 "  //   first_index 1, last_index 5
            "01 00 00 00 01 00 00 00 00 00 00 00 "              //   voters [1]
            "00 00 00 00 "                                      //   learners []
            "01 00 00 00 00 00 00 00 "                          //   generation 1
            "01 00 00 00 01 00 00 00 00 00 00 00 "              //   target [1]
            "01 "                                               //   hosted
            "02 00 00 00 00 00 00 00 "                          // metadata_version 2
            "01 00 00 00");                                     // replication_factor 1
}

// A frame from before request ids (example 2's bytes, call_flags 0) decodes
// as it always did: no id.
TEST(DocumentedExamples, AFrameWithoutARequestIdStillDecodes) {
  const std::string frame = unhex(kTryLockExample);
  std::string_view body;
  const FrameHeader header = header_of(frame, body);
  Request decoded;
  const Status s = decode_request(header, body, decoded);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_FALSE(decoded.settings.request_id.present());
  EXPECT_EQ(decoded.settings.request_id, RequestId{});
  EXPECT_EQ(decoded.settings.timeout_ms, 1000u);
  EXPECT_FALSE(decoded.settings.forwarded);
  EXPECT_EQ(std::get<TryLock>(decoded.body).request.resource, "job");
  EXPECT_EQ(encoded(7, decoded), frame) << "and encodes back to the same bytes";
}

TEST(FrameSplitter, WholeStreamAtOnceAndOneByteAtATimeGiveTheSameFrames) {
  const std::string stream = all_sample_frames();
  std::vector<std::string> at_once;
  {
    FrameSplitter splitter;
    splitter.append(stream);
    FrameView frame;
    while (splitter.next(frame) == SplitState::kFrame) {
      std::string whole;
      append_frame_header(whole, frame.header);
      at_once.push_back(whole + std::string(frame.body));
    }
    EXPECT_EQ(splitter.buffered(), 0u);
  }
  EXPECT_EQ(at_once.size(), sample_requests().size());

  std::vector<std::string> bytewise;
  FrameSplitter splitter;
  FrameView frame;
  for (char c : stream) {
    splitter.append(std::string_view(&c, 1));
    SplitState state;
    while ((state = splitter.next(frame)) == SplitState::kFrame) {
      std::string whole;
      append_frame_header(whole, frame.header);
      bytewise.push_back(whole + std::string(frame.body));
    }
    ASSERT_EQ(state, SplitState::kNeedMore);
  }
  EXPECT_EQ(bytewise, at_once);
  EXPECT_EQ(std::accumulate(at_once.begin(), at_once.end(), std::string()), stream);
}

TEST(FrameSplitter, PrepareAndCommitReceiveInPlace) {
  const std::string stream = all_sample_frames();
  FrameSplitter splitter;
  std::size_t frames = 0;
  std::size_t at = 0;
  while (at < stream.size()) {
    const std::size_t chunk = std::min<std::size_t>(37, stream.size() - at);
    std::span<char> space = splitter.prepare(64);
    std::copy_n(stream.data() + at, chunk, space.data());
    splitter.commit(chunk);
    at += chunk;
    FrameView frame;
    while (splitter.next(frame) == SplitState::kFrame) {
      Request request;
      ASSERT_TRUE(decode_request(frame.header, frame.body, request).is_ok());
      EXPECT_EQ(frame.header.request_id, ++frames);
    }
  }
  EXPECT_EQ(frames, sample_requests().size());
  // A prepare without commit adds nothing.
  splitter.prepare(100);
  FrameView frame;
  EXPECT_EQ(splitter.next(frame), SplitState::kNeedMore);
  EXPECT_EQ(splitter.buffered(), 0u);
}

TEST(FrameSplitter, OversizedFrameBreaksTheStreamAndKeepsItsHeader) {
  FrameSplitter splitter(64);
  FrameHeader header;
  header.request_id = 42;
  header.opcode = 0x0011;
  header.body_size = 45;  // 65 bytes with the header
  std::string bytes;
  append_frame_header(bytes, header);
  splitter.append(bytes);
  FrameView frame;
  EXPECT_EQ(splitter.next(frame), SplitState::kBroken);
  ASSERT_TRUE(splitter.oversized_header().has_value());
  EXPECT_EQ(splitter.oversized_header()->request_id, 42u);
  EXPECT_NE(splitter.error().message().find("exceeds the limit of 64"), std::string::npos);
  splitter.append("more");
  EXPECT_EQ(splitter.next(frame), SplitState::kBroken);  // for good

  FrameSplitter exact(64);
  header.body_size = 44;
  bytes.clear();
  append_frame_header(bytes, header);
  exact.append(bytes + std::string(44, '\0'));
  EXPECT_EQ(exact.next(frame), SplitState::kFrame);
}

TEST(FrameSplitter, GarbageBreaksTheStreamAsSoonAsTheMagicIsWrong) {
  FrameSplitter splitter;
  splitter.append("GET /");  // an HTTP client on the binary port
  FrameView frame;
  EXPECT_EQ(splitter.next(frame), SplitState::kBroken);
  EXPECT_FALSE(splitter.oversized_header().has_value());
  EXPECT_NE(splitter.error().message().find("magic"), std::string::npos);

  FrameSplitter short_garbage;
  short_garbage.append("abcd");
  EXPECT_EQ(short_garbage.next(frame), SplitState::kNeedMore);
}

TEST(FrameSplitter, ForgedHugeLengthNeverAllocates) {
  FrameSplitter splitter(0xFFFFFFFFull + 100);  // no limit worth the name
  std::string bytes = unhex("ff ff ff ff 4b 57 02 00 01 00 00 00 00 00 00 00 11 00 00 00");
  splitter.append(bytes);
  FrameView frame;
  EXPECT_EQ(splitter.next(frame), SplitState::kNeedMore);  // waits for bytes; reserves nothing
  EXPECT_EQ(splitter.buffered(), bytes.size());
}

TEST(FrameSplitter, FrameOfEveryTruncationWaitsForMore) {
  const std::string frame_bytes = encoded(5, sample_requests().front());
  for (std::size_t cut = 0; cut < frame_bytes.size(); ++cut) {
    FrameSplitter splitter;
    splitter.append(std::string_view(frame_bytes).substr(0, cut));
    FrameView frame;
    EXPECT_EQ(splitter.next(frame), SplitState::kNeedMore) << cut;
  }
}

}  // namespace
}  // namespace kahuna::wire::testing
