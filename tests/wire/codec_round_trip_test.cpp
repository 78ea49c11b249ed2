// Every request and reply alternative survives encode -> decode unchanged.
// Equality is checked by re-encoding (the samples give every field a value
// that differs from its default, so a dropped or swapped field shows), and
// field by field for the values whose form matters most.
#include <limits>
#include <set>

#include <gtest/gtest.h>

#include <kahuna/wire/codec.h>

#include "sample_messages.h"
#include "wire_test_util.h"

namespace kahuna::wire::testing {
namespace {

Request round_trip(const Request& request) {
  const std::string frame = encoded(0x0102030405060708ull, request);
  std::string_view body;
  const FrameHeader header = header_of(frame, body);
  EXPECT_EQ(header.request_id, 0x0102030405060708ull);
  EXPECT_EQ(header.opcode, static_cast<std::uint16_t>(opcode_of(request.body)));
  Request decoded;
  const Status s = decode_request(header, body, decoded);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(encoded(0x0102030405060708ull, decoded), frame);
  return decoded;
}

Response round_trip(const Response& response) {
  const std::string frame = encoded(~0ull, response);
  std::string_view body;
  const FrameHeader header = header_of(frame, body);
  EXPECT_EQ(header.request_id, ~0ull);
  EXPECT_EQ(header.opcode, static_cast<std::uint16_t>(opcode_of(response)));
  Response decoded;
  const Status s = decode_response(header, body, decoded);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(decoded.index(), response.index());
  EXPECT_EQ(encoded(~0ull, decoded), frame);
  return decoded;
}

TEST(CodecRoundTrip, EveryRequestSample) {
  std::set<std::size_t> alternatives;
  for (const Request& request : sample_requests()) {
    SCOPED_TRACE(std::string(to_string(opcode_of(request.body))));
    const Request decoded = round_trip(request);
    EXPECT_EQ(decoded.body.index(), request.body.index());
    EXPECT_EQ(decoded.settings, request.settings);
    alternatives.insert(request.body.index());
  }
  EXPECT_EQ(alternatives.size(), std::variant_size_v<RequestBody>) << "a request alternative has no sample";
}

TEST(CodecRoundTrip, EveryResponseSample) {
  std::set<std::size_t> alternatives;
  for (const Response& response : sample_responses()) {
    SCOPED_TRACE(std::string(to_string(opcode_of(response))));
    round_trip(response);
    alternatives.insert(response.index());
  }
  EXPECT_EQ(alternatives.size(), std::variant_size_v<Response>) << "a reply alternative has no sample";
}

TEST(CodecRoundTrip, NullValueAndEmptyValueStayDistinct) {
  KvSetRequest null_set;
  null_set.key = "k";
  KvSetRequest empty_set = null_set;
  empty_set.value = std::string();
  const Request null_decoded = round_trip(Request{KvSet{null_set}, {}});
  const Request empty_decoded = round_trip(Request{KvSet{empty_set}, {}});
  EXPECT_FALSE(std::get<KvSet>(null_decoded.body).request.value.has_value());
  ASSERT_TRUE(std::get<KvSet>(empty_decoded.body).request.value.has_value());
  EXPECT_EQ(*std::get<KvSet>(empty_decoded.body).request.value, "");

  KvReply null_reply;
  KvReply empty_reply;
  empty_reply.value = std::string();
  EXPECT_EQ(std::get<Routed<KvReply>>(round_trip(Response{Routed<KvReply>{null_reply, {}}})).reply,
            null_reply);
  EXPECT_EQ(std::get<Routed<KvReply>>(round_trip(Response{Routed<KvReply>{empty_reply, {}}})).reply,
            empty_reply);
}

TEST(CodecRoundTrip, ExtremeIntegersAndBinaryBytes) {
  LockRequest lock;
  lock.resource = std::string("\0\xff\x80 x", 5);
  lock.owner = std::string(70000, '\xab');
  lock.expires_ms = std::numeric_limits<std::int64_t>::max();
  lock.durability = Durability::kPersistent;
  const Request decoded =
      round_trip(Request{Lock{lock, 0xFFFFFFFFu}, {0xFFFFFFFFu, ReadConsistency::kLocal, true}});
  const Lock& got = std::get<Lock>(decoded.body);
  EXPECT_EQ(got.request.resource, lock.resource);
  EXPECT_EQ(got.request.owner, lock.owner);
  EXPECT_EQ(got.request.expires_ms, lock.expires_ms);
  EXPECT_EQ(got.request.durability, Durability::kPersistent);
  EXPECT_EQ(got.wait_ms, 0xFFFFFFFFu);
  EXPECT_EQ(decoded.settings.timeout_ms, 0xFFFFFFFFu);
  EXPECT_TRUE(decoded.settings.forwarded);

  SequenceCreateRequest create;
  create.name = "n";
  create.initial_value = std::numeric_limits<std::int64_t>::min();
  const Request created = round_trip(Request{SequenceCreate{create}, {}});
  const auto& sequence = std::get<SequenceCreate>(created.body).request;
  EXPECT_EQ(sequence.initial_value, std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(sequence.max_value.has_value());
  EXPECT_FALSE(sequence.block_size.has_value());
}

TEST(CodecRoundTrip, OptionalIntegersAbsentAndPresent) {
  SequenceUpdateRequest update;
  update.name = "s";
  update.increment = 0;  // present and zero is not absent
  update.remove_block_size = true;
  const Request updated = round_trip(Request{SequenceUpdate{update}, {}});
  const auto& got = std::get<SequenceUpdate>(updated.body).request;
  EXPECT_FALSE(got.current_value.has_value());
  ASSERT_TRUE(got.increment.has_value());
  EXPECT_EQ(*got.increment, 0);
  EXPECT_FALSE(got.max_value.has_value());
  EXPECT_FALSE(got.remove_max_value);
  EXPECT_TRUE(got.remove_block_size);
}

TEST(CodecRoundTrip, RequestIdSurvivesFieldByField) {
  const KvKeyRequest key{"k", Durability::kPersistent};
  for (const RequestId& id : {RequestId{1, 0, 0}, RequestId{0, 1, 0}, RequestId{0x0123456789abcdefull, 42, 0},
                              RequestId{~0ull, ~0ull, 0xFFFFFFFFu}}) {
    const Request decoded =
        round_trip(Request{KvDelete{key}, {100, ReadConsistency::kLinearizable, true, id}});
    EXPECT_EQ(decoded.settings.request_id, id);
    EXPECT_TRUE(decoded.settings.request_id.present());
    EXPECT_TRUE(decoded.settings.forwarded);
    EXPECT_EQ(decoded.settings.timeout_ms, 100u);
    EXPECT_EQ(std::get<KvDelete>(decoded.body).request.key, "k");
  }
  // No id: nothing travels, and none comes back.
  const Request none = round_trip(Request{KvDelete{key}, {}});
  EXPECT_FALSE(none.settings.request_id.present());
}

TEST(CodecRoundTrip, ARequestIdIsTwentyBytesBetweenTheFlagsAndTheFields) {
  const KvKeyRequest key{"k", Durability::kPersistent};
  std::string without;
  ASSERT_TRUE(encode_request_body(Request{KvDelete{key}, {}}, without).is_ok());
  std::string with;
  const RequestId id{0x0807060504030201ull, 0x100f0e0d0c0b0a09ull, 0x14131211u};
  const Request carrying{KvDelete{key}, {0, ReadConsistency::kLinearizable, false, id}};
  ASSERT_TRUE(encode_request_body(carrying, with).is_ok());
  ASSERT_EQ(with.size(), without.size() + 20);
  EXPECT_EQ(hex(with.substr(0, 6)), "00 00 00 00 00 02");  // call_flags bit 1
  EXPECT_EQ(
      hex(with.substr(6, 20)),
      "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14");  // little-endian client, sequence, part
  EXPECT_EQ(with.substr(26), without.substr(6));
}

TEST(CodecRoundTrip, RepliesCompareEqualFieldByField) {
  for (const Response& response : sample_responses()) {
    const Response decoded = round_trip(response);
    if (const auto* lock = std::get_if<Routed<LockReply>>(&response)) {
      EXPECT_EQ(std::get<Routed<LockReply>>(decoded).reply, lock->reply);
    } else if (const auto* sequence = std::get_if<Routed<SequenceReply>>(&response)) {
      EXPECT_EQ(std::get<Routed<SequenceReply>>(decoded).reply, sequence->reply);
    } else if (const auto* scan = std::get_if<KvScanReply>(&response)) {
      EXPECT_EQ(std::get<KvScanReply>(decoded).items, scan->items);
    } else if (const auto* error = std::get_if<ErrorReply>(&response)) {
      EXPECT_EQ(std::get<ErrorReply>(decoded), *error);
    } else if (const auto* change = std::get_if<ClusterChangeReply>(&response)) {
      EXPECT_EQ(std::get<ClusterChangeReply>(decoded), *change);
    }
  }
}

TEST(CodecRoundTrip, RoutesCarryTheMetadataVersion) {
  const Route route{7, 3, RouteProvenance::kForwarded, 0x0102030405060708ull};
  const Response decoded = round_trip(Response{Routed<KvReply>{KvReply{}, route}});
  const Route& got = std::get<Routed<KvReply>>(decoded).route;
  EXPECT_EQ(got.partition, 7u);
  EXPECT_EQ(got.leader, 3u);
  EXPECT_EQ(got.provenance, RouteProvenance::kForwarded);
  EXPECT_EQ(got.metadata_version, 0x0102030405060708ull);
}

TEST(CodecRoundTrip, ClusterStatusKeepsMembersStatesAndReplicaSets) {
  ClusterStatus status;
  status.node_id = 4;
  status.data_partitions = 1;
  NodeInfo joining;
  joining.id = 4;
  joining.state = "joining";
  joining.joined_version = 6;
  status.nodes = {joining};
  PartitionInfo partition;
  partition.id = 1;
  partition.leader = 2;
  partition.voters = {1, 2, 3};
  partition.learners = {4};
  partition.generation = 5;
  partition.target = {2, 3, 4};
  partition.hosted = true;
  status.partitions = {partition};
  status.metadata_version = 6;
  status.replication_factor = 3;
  const ClusterStatus got = std::get<ClusterStatus>(round_trip(Response{status}));
  ASSERT_EQ(got.nodes.size(), 1u);
  EXPECT_EQ(got.nodes[0].state, "joining");
  EXPECT_EQ(got.nodes[0].joined_version, 6u);
  ASSERT_EQ(got.partitions.size(), 1u);
  EXPECT_EQ(got.partitions[0].voters, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(got.partitions[0].learners, (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(got.partitions[0].generation, 5u);
  EXPECT_EQ(got.partitions[0].target, (std::vector<std::uint64_t>{2, 3, 4}));
  EXPECT_TRUE(got.partitions[0].hosted);
  EXPECT_EQ(got.metadata_version, 6u);
  EXPECT_EQ(got.replication_factor, 3u);
}

TEST(CodecRoundTrip, ClusterAdministrationRequestsFieldByField) {
  const Request join = round_trip(Request{ClusterJoin{ClusterJoinRequest{{"a:1", "[::1]:2"}}}, {}});
  EXPECT_EQ(std::get<ClusterJoin>(join.body).request.seeds, (std::vector<std::string>{"a:1", "[::1]:2"}));
  const Request leave = round_trip(Request{ClusterLeave{ClusterMemberRequest{0}}, {}});
  EXPECT_EQ(std::get<ClusterLeave>(leave.body).request.node_id, 0u);
  const Request remove = round_trip(Request{ClusterRemove{ClusterMemberRequest{~0ull}}, {}});
  EXPECT_EQ(std::get<ClusterRemove>(remove.body).request.node_id, ~0ull);
  const Request factor = round_trip(Request{SetReplicationFactor{ReplicationFactorRequest{5, 9}}, {}});
  EXPECT_EQ(std::get<SetReplicationFactor>(factor.body).request.replication_factor, 5u);
  EXPECT_EQ(std::get<SetReplicationFactor>(factor.body).request.partition, 9u);
  for (const Opcode opcode :
       {Opcode::kClusterJoin, Opcode::kClusterLeave, Opcode::kClusterRemove, Opcode::kSetReplicationFactor}) {
    EXPECT_EQ(reply_opcode_for(opcode), Opcode::kClusterChangeReply) << to_string(opcode);
  }
  EXPECT_EQ(to_string(Opcode::kClusterChangeReply), "cluster_change_reply");
  EXPECT_EQ(to_string(Opcode::kSetReplicationFactor), "set_replication_factor");
}

TEST(CodecRoundTrip, BodyOnlyEncodingForCallersThatFrameThemselves) {
  for (const Request& request : sample_requests()) {
    std::string body;
    ASSERT_TRUE(encode_request_body(request, body).is_ok());
    Request decoded;
    ASSERT_TRUE(decode_request_body(opcode_of(request.body), body, decoded).is_ok());
    std::string again;
    ASSERT_TRUE(encode_request_body(decoded, again).is_ok());
    EXPECT_EQ(again, body);
  }
  for (const Response& response : sample_responses()) {
    std::string body;
    ASSERT_TRUE(encode_response_body(response, body).is_ok());
    Response decoded;
    ASSERT_TRUE(decode_response_body(opcode_of(response), body, decoded).is_ok());
    std::string again;
    ASSERT_TRUE(encode_response_body(decoded, again).is_ok());
    EXPECT_EQ(again, body);
  }
}

TEST(CodecRoundTrip, EncodingAppendsToWhatIsThere) {
  std::string out = "prefix";
  ASSERT_TRUE(encode_request(1, sample_requests().front(), out).is_ok());
  ASSERT_TRUE(encode_response(1, sample_responses().front(), out).is_ok());
  EXPECT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.size(),
            6 + encoded(1, sample_requests().front()).size() + encoded(1, sample_responses().front()).size());
}

TEST(CodecRoundTrip, EveryRequestOpcodeHasItsReplyOpcode) {
  for (const Request& request : sample_requests()) {
    EXPECT_NE(reply_opcode_for(opcode_of(request.body)), Opcode::kErrorReply);
  }
  EXPECT_EQ(reply_opcode_for(Opcode::kSequenceNext), Opcode::kSequenceReply);
  EXPECT_EQ(reply_opcode_for(Opcode::kKvGetByBucket), Opcode::kKvRoutedScanReply);
  EXPECT_EQ(reply_opcode_for(Opcode::kKvScanPrefix), Opcode::kKvScanReply);
  EXPECT_EQ(reply_opcode_for(Opcode::kLockReply), Opcode::kErrorReply);
}

TEST(CallSettings, ConvertToAndFromCallOptions) {
  const CallOptions defaulted = to_call_options(CallSettings{}, std::chrono::milliseconds(5000));
  EXPECT_EQ(defaulted.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(defaulted.consistency, ReadConsistency::kLinearizable);
  EXPECT_FALSE(defaulted.forwarded);
  const CallOptions given =
      to_call_options(CallSettings{250, ReadConsistency::kLocal, true}, std::chrono::seconds(5));
  EXPECT_EQ(given.timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(given.consistency, ReadConsistency::kLocal);
  EXPECT_TRUE(given.forwarded);

  CallOptions huge;
  huge.timeout = std::chrono::hours(24 * 365);
  EXPECT_EQ(to_call_settings(huge).timeout_ms, 0xFFFFFFFFu);
  CallOptions negative;
  negative.timeout = std::chrono::milliseconds(-5);
  EXPECT_EQ(to_call_settings(negative).timeout_ms, 1u);  // never 0, which means "default"
  EXPECT_EQ(to_call_settings(given), (CallSettings{250, ReadConsistency::kLocal, true}));
  EXPECT_FALSE(given.request_id.present());

  const RequestId id{7, 8, 9};
  const CallOptions with_id =
      to_call_options(CallSettings{250, ReadConsistency::kLinearizable, false, id}, std::chrono::seconds(5));
  EXPECT_EQ(with_id.request_id, id);
  EXPECT_EQ(to_call_settings(with_id).request_id, id);  // a forwarding node passes the id on
}

}  // namespace
}  // namespace kahuna::wire::testing
