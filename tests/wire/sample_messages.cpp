#include "sample_messages.h"

#include <limits>

namespace kahuna::wire::testing {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

const HlcTimestamp kSnapshot{0, 1'700'000'000'123, std::numeric_limits<std::uint32_t>::max()};
const HlcTimestamp kStamp{-3, 1'700'000'000'456, 7};

LockRequest lock_request(std::string resource, std::string owner, std::int64_t expires, Durability d) {
  LockRequest r;
  r.resource = std::move(resource);
  r.owner = std::move(owner);
  r.expires_ms = expires;
  r.durability = d;
  return r;
}

KvSetRequest set_request(std::string key, std::optional<std::string> value) {
  KvSetRequest r;
  r.key = std::move(key);
  r.value = std::move(value);
  r.compare_value = std::string("\0old\xff", 5);
  r.compare_revision = 41;
  r.expires_ms = 1500;
  r.flags = 16;
  r.durability = Durability::kPersistent;
  return r;
}

KvGetRequest get_request(std::string key, std::int64_t revision, HlcTimestamp at) {
  KvGetRequest r;
  r.query.key = std::move(key);
  r.query.revision = revision;
  r.query.read_timestamp = at;
  r.durability = Durability::kPersistent;
  return r;
}

Request with(RequestBody body, std::uint32_t timeout_ms = 250,
             ReadConsistency consistency = ReadConsistency::kLinearizable, bool forwarded = false,
             RequestId request_id = {}) {
  Request request;
  request.body = std::move(body);
  request.settings = {timeout_ms, consistency, forwarded, request_id};
  return request;
}

// A write's request id: the SDK's form (part 0), a forwarding node's (every
// field at its extreme), and the two halves alone (either makes it present).
const RequestId kSdkId{0x0123456789abcdefull, 42, 0};
const RequestId kExtremeId{~0ull, ~0ull, 0xFFFFFFFFu};
const RequestId kClientOnlyId{1, 0, 0};
const RequestId kSequenceOnlyId{0, 7, 0};

Route route(std::uint32_t partition, std::uint64_t leader, RouteProvenance provenance,
            std::uint64_t metadata_version = 3) {
  return Route{partition, leader, provenance, metadata_version};
}

KvItem item(std::string key, std::optional<std::string> value, std::int64_t revision) {
  KvItem i;
  i.key = std::move(key);
  i.value = std::move(value);
  i.revision = revision;
  i.last_modified = kStamp;
  i.expires = kSnapshot;
  return i;
}

}  // namespace

std::vector<Request> sample_requests() {
  std::vector<Request> out;
  out.push_back(with(TryLock{lock_request("orders/17", "owner-a", 30000, Durability::kEphemeral)}));
  out.push_back(with(TryLock{lock_request("", "", 0, Durability::kPersistent)}, 0));
  out.push_back(with(TryLock{lock_request("orders/18", "owner-b", 5000, Durability::kPersistent)}, 250,
                     ReadConsistency::kLinearizable, false, kSdkId));
  out.push_back(with(TryExtendLock{lock_request("orders/17", "owner-a", kMax, Durability::kPersistent)}));
  out.push_back(with(Unlock{lock_request("r", std::string("\0\x01", 2), -1, Durability::kEphemeral)}));
  out.push_back(
      with(GetLock{lock_request("orders/17", "", 0, Durability::kPersistent)}, 1, ReadConsistency::kLocal));
  out.push_back(with(Lock{lock_request("queue", "w1", 1000, Durability::kPersistent), 0xFFFFFFFFu},
                     0xFFFFFFFFu, ReadConsistency::kLinearizable, true));

  out.push_back(with(KvSet{set_request("config/a", std::nullopt)}));
  out.push_back(with(KvSet{set_request("config/b", std::string())}));  // empty, not null
  KvSetRequest plain;
  plain.key = "k";
  plain.value = std::string(300, 'v');
  out.push_back(with(KvSet{plain}));
  out.push_back(with(KvSet{set_request("config/c", std::string("v"))}, 0xFFFFFFFFu,
                     ReadConsistency::kLinearizable, true, kExtremeId));
  out.push_back(with(KvGet{get_request("config/a", -1, {})}));
  out.push_back(with(KvGet{get_request("config/a", kMax, kSnapshot)}, 9, ReadConsistency::kLocal));
  out.push_back(with(KvExists{get_request("config/b", 3, kStamp)}));
  out.push_back(with(KvDelete{KvKeyRequest{"config/a", Durability::kPersistent}}));
  out.push_back(with(KvExtend{KvExtendRequest{"config/b", kMin, Durability::kEphemeral}}));

  out.push_back(
      with(KvSetMany{{set_request("a", std::nullopt), set_request("b", std::string()), KvSetRequest{}}}));
  out.push_back(with(KvSetMany{}));  // an empty batch
  out.push_back(with(KvGetMany{{get_request("a", -1, {}), get_request("", 0, kSnapshot)}}));
  out.push_back(with(KvExistsMany{{get_request("x", 5, kStamp)}}));
  out.push_back(with(
      KvDeleteMany{{KvKeyRequest{"a", Durability::kEphemeral}, KvKeyRequest{"", Durability::kPersistent}}}));
  out.push_back(with(KvDeleteMany{{KvKeyRequest{"b", Durability::kPersistent}}}, 250,
                     ReadConsistency::kLinearizable, false, kSequenceOnlyId));

  out.push_back(with(KvGetByBucket{KvPrefixRequest{"config", kSnapshot, Durability::kPersistent}}));
  out.push_back(
      with(KvScanPrefix{KvPrefixRequest{"", {}, Durability::kEphemeral}}, 0, ReadConsistency::kLocal));
  KvRangeRequest open_range;
  open_range.query.key_space = "users";
  open_range.query.limit = 10;
  out.push_back(with(KvGetRange{open_range}));
  KvRangeRequest bounded = open_range;
  bounded.query.start_key = "users/a";
  bounded.query.start_inclusive = false;
  bounded.query.end_key = std::string();
  bounded.query.end_inclusive = true;
  bounded.query.limit = kMin;
  bounded.query.cursor = std::string("\xff\x00\x01", 3);
  bounded.query.read_timestamp = kSnapshot;
  bounded.durability = Durability::kPersistent;
  out.push_back(with(KvGetRange{bounded}));

  SequenceCreateRequest create;
  create.name = "invoices";
  create.initial_value = kMin;
  create.increment = kMax;
  create.max_value = kMax;
  out.push_back(with(SequenceCreate{create}));
  SequenceCreateRequest create_defaults;
  create_defaults.name = "s";
  create_defaults.block_size = 0;
  out.push_back(with(SequenceCreate{create_defaults}));
  out.push_back(with(SequenceGet{"invoices"}));
  SequenceUpdateRequest update;
  update.name = "invoices";
  update.current_value = 5000;
  update.increment = 10;
  update.remove_max_value = true;
  out.push_back(with(SequenceUpdate{update}));
  SequenceUpdateRequest update_all;
  update_all.name = "";
  update_all.current_value = kMin;
  update_all.increment = -1;
  update_all.initial_value = 0;
  update_all.max_value = kMax;
  update_all.block_size = 1;
  update_all.remove_block_size = true;
  out.push_back(with(SequenceUpdate{update_all}));
  out.push_back(with(SequenceReserve{SequenceReserveRequest{"invoices", 100, std::string("idem-1")}}));
  out.push_back(with(SequenceReserve{SequenceReserveRequest{"invoices", kMax, std::string()}}));
  out.push_back(with(SequenceNext{"invoices", std::nullopt}));
  out.push_back(with(SequenceNext{"invoices", std::string("k")}));
  out.push_back(with(SequenceNext{"invoices", std::nullopt}, 250, ReadConsistency::kLinearizable, false,
                     kClientOnlyId));
  out.push_back(with(SequenceDelete{"invoices"}));

  out.push_back(with(ClusterJoin{ClusterJoinRequest{{"10.0.0.1:7001", "[::1]:7001", ""}}}, 30000,
                     ReadConsistency::kLinearizable, false, kSdkId));
  out.push_back(with(ClusterJoin{}));  // no seeds: the kernel answers invalidInput
  out.push_back(with(ClusterLeave{ClusterMemberRequest{0}}));
  out.push_back(with(ClusterLeave{ClusterMemberRequest{7}}, 1));
  out.push_back(with(ClusterRemove{ClusterMemberRequest{~0ull}}, 250, ReadConsistency::kLinearizable, false,
                     kExtremeId));
  out.push_back(with(SetReplicationFactor{ReplicationFactorRequest{3, 0}}));
  out.push_back(with(SetReplicationFactor{ReplicationFactorRequest{0, 0xFFFFFFFFu}}, 0xFFFFFFFFu));
  out.push_back(with(TxStep{TxStepRequest{3, std::string("\x01\x28\0", 3)}}, 250,
                     ReadConsistency::kLinearizable, true, kSdkId));
  out.push_back(with(TxStep{TxStepRequest{0xFFFFFFFFu, ""}}));
  out.push_back(with(KvExecuteScript{
      ScriptRequest{"SET `k` @value",
                    std::string("abc"),
                    {ScriptParameter{"@value", std::string("v")}, ScriptParameter{"@none", std::nullopt}}}}));
  out.push_back(with(KvExecuteScript{ScriptRequest{}}));

  TxStartRequest start;
  start.coordinator_key = "accounts";
  start.timeout_ms = 300000;
  start.locking = TxLocking::kOptimistic;
  start.read_timestamp = kSnapshot;
  out.push_back(with(TxStart{start}, 250, ReadConsistency::kLinearizable, false, kSdkId));
  out.push_back(with(TxStart{TxStartRequest{"", kMin, TxLocking::kPessimistic, {}}}));
  const TxContext context{kStamp, "accounts", ~0ull, 1};
  const TxContext forwarded_context{kSnapshot, std::string("\0k\xff", 3), 0x0123456789abcdefull, ~0ull};
  out.push_back(with(TxCommit{TxEndRequest{context, std::nullopt}}, 250, ReadConsistency::kLinearizable,
                     false, kSdkId));
  out.push_back(with(TxCommit{TxEndRequest{forwarded_context, std::string("accounts/alice")}}, 0xFFFFFFFFu,
                     ReadConsistency::kLinearizable, true, kExtremeId));
  out.push_back(with(TxRollback{TxEndRequest{context, std::string()}}));  // empty, not absent
  out.push_back(with(TxLock{TxLockRequest{context, "accounts/bob", kMax, Durability::kEphemeral}}));
  out.push_back(with(TxKvSet{TxKvSetRequest{context, set_request("accounts/alice", std::string("90"))}}, 250,
                     ReadConsistency::kLinearizable, false, kSdkId));
  out.push_back(with(TxKvSet{TxKvSetRequest{forwarded_context, set_request("k", std::nullopt)}}));
  out.push_back(with(TxKvGet{TxKvGetRequest{context, get_request("accounts/alice", -1, {})}}));
  out.push_back(with(TxKvExists{TxKvGetRequest{context, get_request("accounts/bob", 4, kStamp)}}));
  out.push_back(
      with(TxKvDelete{TxKvKeyRequest{context, KvKeyRequest{"accounts/carol", Durability::kEphemeral}}}));
  out.push_back(with(TxKvExtend{
      TxKvExtendRequest{context, KvExtendRequest{"accounts/bob", 60000, Durability::kPersistent}}}));
  out.push_back(with(TxKvGetByBucket{
      TxKvPrefixRequest{context, KvPrefixRequest{"accounts", kSnapshot, Durability::kPersistent}}}));
  out.push_back(with(TxKvDeleteMany{TxKvDeleteManyRequest{
      context, {KvKeyRequest{"a", Durability::kEphemeral}, KvKeyRequest{"", Durability::kPersistent}}}}));
  out.push_back(with(TxKvDeleteMany{TxKvDeleteManyRequest{forwarded_context, {}}}));  // an empty batch
  out.push_back(with(GetClusterStatus{}, 0, ReadConsistency::kLocal));
  return out;
}

std::vector<Response> sample_responses() {
  std::vector<Response> out;
  LockReply got;
  got.code = LockCode::kGot;
  got.fencing_token = kMax;
  got.owner = std::string("\0owner", 6);
  got.expires = kStamp;
  out.push_back(Routed<LockReply>{got, route(3, 2, RouteProvenance::kForwarded)});
  LockReply busy;
  busy.code = LockCode::kBusy;
  out.push_back(Routed<LockReply>{busy, route(0, 0, RouteProvenance::kUnknown, 0)});
  LockReply empty_owner;
  empty_owner.code = static_cast<LockCode>(-7);  // a code this version does not know survives
  empty_owner.owner = std::string();
  out.push_back(Routed<LockReply>{empty_owner, route(0xFFFFFFFFu, ~0ull, RouteProvenance::kLocal, ~0ull)});

  KvReply value;
  value.code = KvCode::kGet;
  value.revision = 12;
  value.last_modified = kStamp;
  value.value = std::string("payload");
  value.expires = kSnapshot;
  out.push_back(Routed<KvReply>{value, route(5, 1, RouteProvenance::kLocal)});
  KvReply null_value = value;
  null_value.value.reset();
  out.push_back(Routed<KvReply>{null_value, route(5, 1, RouteProvenance::kLocal)});
  KvReply empty_value = value;
  empty_value.value = std::string();
  empty_value.revision = kMin;
  out.push_back(Routed<KvReply>{empty_value, route(5, 1, RouteProvenance::kLocal)});

  out.push_back(std::vector<Routed<KvReply>>{{value, route(1, 1, RouteProvenance::kLocal)},
                                             {null_value, route(2, 3, RouteProvenance::kForwarded)}});
  out.push_back(std::vector<Routed<KvReply>>{});

  KvScanReply scan;
  scan.code = KvCode::kGet;
  scan.items = {item("a/1", std::string("x"), 0), item("a/2", std::nullopt, kMax),
                item("", std::string(), -1)};
  out.push_back(scan);
  out.push_back(KvScanReply{KvCode::kInvalidInput, {}});
  out.push_back(Routed<KvScanReply>{scan, route(7, 2, RouteProvenance::kForwarded)});

  KvRangePage page;
  page.code = KvCode::kGet;
  page.items = {item("users/a", std::string("1"), 1)};
  page.has_more = true;
  page.next_cursor = std::string("cursor\0", 7);
  out.push_back(Routed<KvRangePage>{page, route(4, 1, RouteProvenance::kLocal)});
  out.push_back(Routed<KvRangePage>{KvRangePage{KvCode::kInvalidInput, {}, false, std::nullopt}, Route{}});

  SequenceReply reserved;
  reserved.code = SequenceCode::kSuccess;
  reserved.revision = 9;
  reserved.allocation = SequenceAllocation{"invoices", 1, 100, 100, 9};
  reserved.leftover = SequenceAllocation{"invoices", 101, 1000, 900, 9};
  reserved.increment = 1;
  out.push_back(Routed<SequenceReply>{reserved, route(9, 3, RouteProvenance::kLocal)});
  SequenceReply info;
  info.code = SequenceCode::kSuccess;
  info.revision = -1;
  SequenceInfo sequence;
  sequence.name = "invoices";
  sequence.current_value = kMax;
  sequence.initial_value = kMin;
  sequence.increment = 10;
  sequence.max_value = kMax;
  sequence.incarnation = 2;
  sequence.revision = 8;
  sequence.created_at = kStamp;
  sequence.updated_at = kSnapshot;
  info.sequence = sequence;
  out.push_back(Routed<SequenceReply>{info, route(9, 3, RouteProvenance::kForwarded)});
  out.push_back(Routed<SequenceReply>{SequenceReply{}, Route{}});

  ClusterStatus status;
  status.node_id = 2;
  status.data_partitions = 2;
  NodeInfo self;
  self.id = 2;
  self.peer_address = "127.0.0.1:7002";
  self.endpoints = {{"binary", "127.0.0.1:7100"}, {"http", "http://127.0.0.1:7200"}};
  self.connected = true;
  self.state = "voter";
  self.joined_version = 1;
  NodeInfo other;
  other.id = ~0ull;
  other.state = "joining";
  other.joined_version = ~0ull;
  status.nodes = {self, other};
  PartitionInfo metadata{0, 2, "leader", 3, 10, 10, 1, 10};
  metadata.voters = {2};
  metadata.generation = 1;
  metadata.target = {2};
  metadata.hosted = true;
  PartitionInfo moving{1, 0, "follower", 0, 0, 0, 0, 0};
  moving.voters = {1, 2};
  moving.learners = {~0ull};
  moving.generation = ~0ull;
  moving.target = {~0ull, 2};
  moving.hosted = true;
  PartitionInfo unreported{2, 1, "", ~0ull, 1, 1, 1, 1};
  status.partitions = {metadata, moving, unreported};
  status.metadata_version = 9;
  status.replication_factor = 3;
  out.push_back(status);
  out.push_back(ClusterStatus{});

  out.push_back(ClusterChangeReply{ClusterCode::kApplied, 10, ""});
  out.push_back(ClusterChangeReply{ClusterCode::kRefused, ~0ull, "partition 3 would lose its quorum"});
  out.push_back(ClusterChangeReply{static_cast<ClusterCode>(-7), 0, std::string("\0\xff", 2)});

  TxReply aborted{TxCode::kAborted, "accounts/7", kStamp, 0xFFFFFFFFu, {}, {}};
  TxReply committed{TxCode::kCommitted, "", {}, 0, kStamp, {0, 5, kMax}};
  out.push_back(Routed<TxReply>{aborted, route(3, 2, RouteProvenance::kForwarded)});
  out.push_back(Routed<TxReply>{committed, route(1, 1, RouteProvenance::kLocal)});
  out.push_back(Routed<TxReply>{TxReply{static_cast<TxCode>(-3)}, Route{}});

  out.push_back(ScriptReply{ScriptCode::kAborted, "conflict: 'k' changed since it was read", {}});
  out.push_back(ScriptReply{ScriptCode::kGet,
                            "",
                            {ScriptValueRow{"k", std::nullopt, kMax, kStamp, kStamp},
                             ScriptValueRow{"", std::string("\0", 1), -1, {}, {}}}});

  TxSessionReply started{KvCode::kSet, kStamp, "", {}, ""};
  TxSessionReply already_locked{KvCode::kAlreadyLocked, {}, "", kSnapshot, "accounts/bob is locked"};
  TxSessionReply unknown{
      KvCode::kOutcomeUnknown, kStamp, std::string("accounts/\0alice", 15), {}, "undecided"};
  out.push_back(Routed<TxSessionReply>{started, route(2, 1, RouteProvenance::kLocal)});
  out.push_back(
      Routed<TxSessionReply>{already_locked, route(0xFFFFFFFFu, ~0ull, RouteProvenance::kForwarded, ~0ull)});
  out.push_back(Routed<TxSessionReply>{unknown, Route{}});
  out.push_back(Routed<TxSessionReply>{TxSessionReply{static_cast<KvCode>(-4)}, Route{}});

  out.push_back(ErrorReply{ErrorCode::kUnknownOpcode, "unknown request opcode 153"});
  out.push_back(ErrorReply{static_cast<ErrorCode>(999), ""});
  return out;
}

}  // namespace kahuna::wire::testing
