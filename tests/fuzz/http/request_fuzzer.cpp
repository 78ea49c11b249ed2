// libFuzzer target: raw bytes through the HTTP request parser, then each
// request body through JSON parsing and every family's decoder, and the
// decoded structs back through the reply encoders. Any crash, sanitizer
// report or broken invariant (checked with __builtin_trap) is a finding.
//
// The first input byte picks the size of the pieces the bytes are fed in,
// so that split points inside headers, chunk sizes and bodies get covered.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base64.h"
#include "cluster_admin_json.h"
#include "kv_batch_json.h"
#include "kv_json.h"
#include "lock_json.h"
#include "request_parser.h"
#include "scan_json.h"
#include "sequence_json.h"
#include "session_json.h"

namespace {

using namespace kahuna;
using namespace kahuna::http;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

void check_base64_round_trip(std::string_view text) {
  const std::optional<std::string> decoded = base64_decode(text);
  if (!decoded) return;
  const std::string encoded = base64_encode(*decoded);
  const std::optional<std::string> again = base64_decode(encoded);
  check(again.has_value() && *again == *decoded);
}

// The session verbs: a session call always names its session.
void decode_sessions(const rapidjson::Value& body, const std::optional<RouteHint>& route) {
  TxStartRequest start;
  if (decode_request(body, wire::Opcode::kTxStart, start).is_ok()) check(!start.coordinator_key.empty());
  TxEndRequest end;
  if (decode_request(body, wire::Opcode::kTxCommit, end).is_ok()) {
    check(!end.context.transaction_id.is_zero() && !end.context.coordinator_key.empty());
    encode_session_reply(
        wire::Opcode::kTxCommit,
        TxSessionReply{KvCode::kOutcomeUnknown, {}, end.record_anchor_key.value_or(""), {}, {}}, route);
  }
  TxLockRequest lock;
  if (decode_request(body, wire::Opcode::kTxLock, lock).is_ok()) check(!lock.key.empty());
  TxKvSetRequest set;
  if (decode_request(body, wire::Opcode::kTxKvSet, set).is_ok()) check(!set.request.key.empty());
  TxKvGetRequest get;
  (void)decode_request(body, wire::Opcode::kTxKvGet, get);
  TxKvKeyRequest key;
  (void)decode_request(body, wire::Opcode::kTxKvDelete, key);
  TxKvExtendRequest extend;
  if (decode_request(body, wire::Opcode::kTxKvExtend, extend).is_ok()) check(extend.request.expires_ms > 0);
  TxKvPrefixRequest prefix;
  (void)decode_request(body, wire::Opcode::kTxKvGetByBucket, prefix);
}

void decode_everything(const rapidjson::Value& body) {
  const std::optional<RouteHint> route = RouteHint{1, "http://x", 1};
  for (wire::Opcode verb : {wire::Opcode::kTryLock, wire::Opcode::kTryExtendLock, wire::Opcode::kUnlock,
                            wire::Opcode::kGetLock}) {
    LockRequest request;
    if (decode_request(body, verb, request).is_ok()) {
      check(!request.resource.empty() && (verb == wire::Opcode::kGetLock || !request.owner.empty()));
      encode_lock_reply(verb, LockReply{.code = LockCode::kGot, .owner = request.owner}, route);
    }
  }
  KvSetRequest set;
  if (decode_request(body, wire::Opcode::kKvSet, set).is_ok()) {
    check(!set.key.empty() && set.expires_ms >= 0 && (set.flags & kInternalSetFlags) == 0);
    encode_kv_reply(wire::Opcode::kKvGet, KvReply{.code = KvCode::kGet, .value = set.value}, route);
  }
  KvGetRequest get;
  if (decode_request(body, wire::Opcode::kKvGet, get).is_ok())
    encode_kv_reply(wire::Opcode::kKvExists, KvReply{.code = KvCode::kExists}, route);
  KvKeyRequest key;
  (void)decode_request(body, wire::Opcode::kKvDelete, key);
  KvExtendRequest extend;
  if (decode_request(body, wire::Opcode::kKvExtend, extend).is_ok()) check(extend.expires_ms > 0);

  BatchRequest<KvSetRequest> set_many;
  if (decode_set_many(body, set_many).is_ok()) {
    std::vector<BatchRow> rows;
    for (const auto& item : set_many.items)
      rows.push_back(BatchRow{item.key, KvReply{}, item.durability, route});
    encode_batch_reply(wire::Opcode::kKvSetMany, KvCode::kSet, rows, 0);
  }
  BatchRequest<KvKeyRequest> delete_many;
  (void)decode_delete_many(body, delete_many);
  BatchRequest<KvGetRequest> get_many;
  (void)decode_get_many(body, get_many);

  KvPrefixRequest prefix;
  (void)decode_request(body, wire::Opcode::kKvGetByBucket, prefix);
  (void)decode_request(body, wire::Opcode::kKvScanPrefix, prefix);
  KvRangeRequest range;
  if (decode_request(body, wire::Opcode::kKvGetRange, range).is_ok()) {
    check(range.query.limit >= 1);
    encode_range_page(
        KvRangePage{.code = KvCode::kGet, .items = {}, .has_more = true, .next_cursor = range.query.cursor});
  }

  SequenceCreateRequest create;
  if (decode_request(body, wire::Opcode::kSequenceCreate, create).is_ok()) check(create.increment > 0);
  std::string name;
  (void)decode_sequence_name(body, name);
  SequenceUpdateRequest update;
  (void)decode_request(body, wire::Opcode::kSequenceUpdate, update);
  for (wire::Opcode verb : {wire::Opcode::kSequenceReserve, wire::Opcode::kSequenceNext}) {
    SequenceReserveRequest reserve;
    if (decode_request(body, verb, reserve).is_ok()) {
      check(reserve.count > 0);
      SequenceReply reply{.code = SequenceCode::kSuccess};
      reply.sequence = SequenceInfo{.name = reserve.name};
      encode_sequence_reply(wire::Opcode::kSequenceGet, reply, route);
    }
  }

  ClusterJoinRequest join;
  if (decode_request(body, wire::Opcode::kClusterJoin, join).is_ok()) {
    check(!join.seeds.empty());
    encode_cluster_change_reply(ClusterChangeReply{ClusterCode::kRefused, 1, join.seeds.front()});
  }
  for (wire::Opcode verb : {wire::Opcode::kClusterLeave, wire::Opcode::kClusterRemove}) {
    ClusterMemberRequest member;
    if (decode_request(body, verb, member).is_ok())
      check(verb != wire::Opcode::kClusterRemove || member.node_id != 0);
  }
  ReplicationFactorRequest factor;
  if (decode_request(body, wire::Opcode::kSetReplicationFactor, factor).is_ok()) {
    check(factor.replication_factor > 0 || factor.partition > 0);
  }
  decode_sessions(body, route);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_base64_round_trip(input.substr(0, 256));

  RequestParser parser(64 * 1024);
  std::string pending;
  std::size_t offset = 0;
  int requests = 0;
  while (requests < 16) {
    if (parser.state() == RequestParser::State::kIncomplete) {
      if (pending.empty()) {
        if (offset >= input.size()) break;
        pending.assign(input.substr(offset, piece));
        offset += pending.size();
      }
      const std::size_t consumed = parser.feed(pending);
      check(consumed <= pending.size());
      pending.erase(0, consumed);
      if (consumed == 0 && parser.state() == RequestParser::State::kIncomplete && !pending.empty()) break;
      continue;
    }
    if (parser.state() == RequestParser::State::kFailed) {
      check(parser.error_status() >= 400 && parser.error_status() < 500);
      break;
    }
    HttpRequest request = parser.take();
    ++requests;
    check(request.body.size() <= 64 * 1024);
    check(!request.path.empty() && request.path[0] == '/');
    rapidjson::Document document;
    std::string reason;
    if (parse_json_object(request.body, document, reason)) decode_everything(document);
  }
  // The same bytes as a body on their own, so JSON gets fuzzed directly too.
  rapidjson::Document document;
  std::string reason;
  if (parse_json_object(input, document, reason)) decode_everything(document);
  return 0;
}
