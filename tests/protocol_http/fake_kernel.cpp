#include "fake_kernel.h"

#include <chrono>

namespace kahuna::testing {
namespace {

std::string_view key_space_of(std::string_view key) {
  const std::size_t slash = key.rfind('/');
  return slash == std::string_view::npos ? key : key.substr(0, slash);
}

}  // namespace

FakeKernel::FakeKernel() {
  for (std::uint32_t p = 0; p <= kDataPartitions; ++p) leaders_[p] = kSelf;
}

void FakeKernel::set_leader(std::uint32_t partition, std::uint64_t node) {
  std::lock_guard lock(mutex_);
  leaders_[partition] = node;
}

std::uint32_t FakeKernel::partition_of_name(std::string_view name) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : key_space_of(name)) hash = (hash ^ c) * 16777619u;
  return 1 + hash % kDataPartitions;
}

int FakeKernel::cluster_status_calls() const {
  std::lock_guard lock(mutex_);
  return cluster_status_calls_;
}

std::uint64_t FakeKernel::leader_of(std::uint32_t partition) const {
  std::lock_guard lock(mutex_);
  const auto it = leaders_.find(partition);
  return it == leaders_.end() ? 0 : it->second;
}

Route FakeKernel::route_for(std::uint32_t partition) const {
  const auto it = leaders_.find(partition);
  const std::uint64_t leader = it == leaders_.end() ? 0 : it->second;
  Route route{partition, leader, RouteProvenance::kUnknown};
  if (leader == kSelf) route.provenance = RouteProvenance::kLocal;
  if (leader != 0 && leader != kSelf) route.provenance = RouteProvenance::kForwarded;
  return route;
}

std::int64_t FakeKernel::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HlcTimestamp FakeKernel::tick() {
  return HlcTimestamp{static_cast<std::int32_t>(kSelf), now_ms(), ++logical_};
}

bool FakeKernel::live(const Version& version) {
  return !version.deleted && (version.expires_at_ms == 0 || version.expires_at_ms > now_ms());
}

// ---- Locks ----------------------------------------------------------------------

asio::awaitable<Routed<LockReply>> FakeKernel::try_lock(LockRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_lock(request.resource));
  if (route.leader == 0) co_return Routed<LockReply>{{.code = LockCode::kMustRetry}, route};
  Lock& lock = locks_[{request.resource, request.durability}];
  const bool held = lock.expires_at_ms > now_ms();
  if (held && lock.owner != request.owner) co_return Routed<LockReply>{{.code = LockCode::kBusy}, route};
  if (!held) {
    lock.owner = request.owner;
    lock.token += 1;  // -1 (never) -> 0 on the first grant
    lock.expires_at_ms = now_ms() + request.expires_ms;
  }
  co_return Routed<LockReply>{{.code = LockCode::kLocked, .fencing_token = lock.token}, route};
}

asio::awaitable<Routed<LockReply>> FakeKernel::try_extend(LockRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_lock(request.resource));
  Lock& lock = locks_[{request.resource, request.durability}];
  if (lock.expires_at_ms <= now_ms())
    co_return Routed<LockReply>{{.code = LockCode::kLockDoesNotExist}, route};
  if (lock.owner != request.owner) co_return Routed<LockReply>{{.code = LockCode::kInvalidOwner}, route};
  lock.expires_at_ms = now_ms() + request.expires_ms;
  co_return Routed<LockReply>{{.code = LockCode::kExtended, .fencing_token = lock.token}, route};
}

asio::awaitable<Routed<LockReply>> FakeKernel::unlock(LockRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_lock(request.resource));
  Lock& lock = locks_[{request.resource, request.durability}];
  if (lock.expires_at_ms <= now_ms())
    co_return Routed<LockReply>{{.code = LockCode::kLockDoesNotExist}, route};
  if (lock.owner != request.owner) co_return Routed<LockReply>{{.code = LockCode::kInvalidOwner}, route};
  lock.expires_at_ms = 0;
  co_return Routed<LockReply>{{.code = LockCode::kUnlocked, .fencing_token = lock.token}, route};
}

asio::awaitable<Routed<LockReply>> FakeKernel::get_lock(LockRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_lock(request.resource));
  Lock& lock = locks_[{request.resource, request.durability}];
  if (lock.expires_at_ms <= now_ms())
    co_return Routed<LockReply>{{.code = LockCode::kLockDoesNotExist}, route};
  LockReply reply{.code = LockCode::kGot, .fencing_token = lock.token, .owner = lock.owner};
  reply.expires = HlcTimestamp{static_cast<std::int32_t>(kSelf), lock.expires_at_ms, 0};
  co_return Routed<LockReply>{reply, route};
}

asio::awaitable<Routed<LockReply>> FakeKernel::lock(LockRequest request, std::chrono::milliseconds,
                                                    CallOptions options) {
  co_return co_await try_lock(std::move(request), options);
}

// ---- Key/value ------------------------------------------------------------------

KvReply FakeKernel::set_locked(const KvSetRequest& request) {
  Entry& entry = entries_[{request.key, request.durability}];
  const Version* current = entry.versions.empty() ? nullptr : &entry.versions.back();
  const bool is_live = current != nullptr && live(*current);
  const std::int64_t revision = current == nullptr ? -1 : current->revision;
  const std::uint32_t flags = request.flags == 0 ? 1 : request.flags;
  bool allowed = true;
  if ((flags & 4) != 0) allowed = allowed && is_live;
  if ((flags & 8) != 0) allowed = allowed && !is_live;
  if ((flags & 16) != 0) allowed = allowed && is_live && current->value == request.compare_value;
  if ((flags & 32) != 0) allowed = allowed && revision == request.compare_revision;
  if (!allowed) {
    return KvReply{.code = KvCode::kNotSet,
                   .revision = revision,
                   .last_modified = current ? current->last_modified : HlcTimestamp{}};
  }
  Version version;
  version.revision = revision + 1;
  version.value = request.value;
  version.no_history = (flags & 2) != 0;
  version.last_modified = tick();
  version.expires_at_ms = request.expires_ms == 0 ? 0 : now_ms() + request.expires_ms;
  entry.versions.push_back(version);
  return KvReply{.code = KvCode::kSet, .revision = version.revision, .last_modified = version.last_modified};
}

KvReply FakeKernel::get_locked(const KvGetRequest& request, bool exists) {
  const KvCode found_code = exists ? KvCode::kExists : KvCode::kGet;
  const auto it = entries_.find({request.query.key, request.durability});
  if (it == entries_.end()) return KvReply{.code = KvCode::kDoesNotExist};
  const std::vector<Version>& versions = it->second.versions;
  const Version* chosen = nullptr;
  if (request.query.revision >= 0) {
    for (const Version& v : versions) {
      if (v.revision == request.query.revision && !v.deleted && !v.no_history) chosen = &v;
    }
  } else if (!request.query.read_timestamp.is_zero()) {
    for (const Version& v : versions) {
      if (v.last_modified <= request.query.read_timestamp) chosen = &v;
    }
    if (chosen != nullptr && chosen->deleted) chosen = nullptr;
  } else if (live(versions.back())) {
    chosen = &versions.back();
  }
  if (chosen == nullptr) return KvReply{.code = KvCode::kDoesNotExist};
  KvReply reply{.code = found_code, .revision = chosen->revision, .last_modified = chosen->last_modified};
  reply.value = chosen->value;
  if (chosen->expires_at_ms != 0) reply.expires = HlcTimestamp{1, chosen->expires_at_ms, 0};
  return reply;
}

KvReply FakeKernel::delete_locked(const KvKeyRequest& request) {
  const auto it = entries_.find({request.key, request.durability});
  if (it == entries_.end() || !live(it->second.versions.back()))
    return KvReply{.code = KvCode::kDoesNotExist};
  Version tombstone;
  tombstone.revision = it->second.versions.back().revision + 1;
  tombstone.deleted = true;
  tombstone.last_modified = tick();
  it->second.versions.push_back(tombstone);
  return KvReply{
      .code = KvCode::kDeleted, .revision = tombstone.revision, .last_modified = tombstone.last_modified};
}

asio::awaitable<Routed<KvReply>> FakeKernel::kv_set(KvSetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_key(request.key));
  if (route.leader == 0) co_return Routed<KvReply>{{.code = KvCode::kMustRetry}, route};
  co_return Routed<KvReply>{set_locked(request), route};
}

asio::awaitable<Routed<KvReply>> FakeKernel::kv_get(KvGetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  co_return Routed<KvReply>{get_locked(request, false), route_for(partition_of_key(request.query.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::kv_exists(KvGetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  co_return Routed<KvReply>{get_locked(request, true), route_for(partition_of_key(request.query.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::kv_delete(KvKeyRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  co_return Routed<KvReply>{delete_locked(request), route_for(partition_of_key(request.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::kv_extend(KvExtendRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_key(request.key));
  const auto it = entries_.find({request.key, request.durability});
  if (it == entries_.end() || !live(it->second.versions.back())) {
    co_return Routed<KvReply>{{.code = KvCode::kDoesNotExist}, route};
  }
  Version& current = it->second.versions.back();
  current.expires_at_ms = now_ms() + request.expires_ms;
  co_return Routed<KvReply>{
      {.code = KvCode::kExtended, .revision = current.revision, .last_modified = current.last_modified},
      route};
}

// A batch: each item through `apply` (one of the point operations' locked
// halves), routed to its key's partition, under one hold of the lock.
template <class Item, class Apply>
std::vector<Routed<KvReply>> FakeKernel::rows_of(const std::vector<Item>& items, Apply apply) {
  std::lock_guard guard(mutex_);
  std::vector<Routed<KvReply>> rows;
  for (const Item& item : items) rows.push_back({apply(item), route_for(partition_of_key(key_of(item)))});
  return rows;
}

asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_set_many(std::vector<KvSetRequest> items,
                                                                      CallOptions) {
  co_return rows_of(items, [this](const KvSetRequest& item) { return set_locked(item); });
}

asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_get_many(std::vector<KvGetRequest> items,
                                                                      CallOptions) {
  co_return rows_of(items, [this](const KvGetRequest& item) { return get_locked(item, false); });
}

asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_exists_many(std::vector<KvGetRequest> items,
                                                                         CallOptions) {
  co_return rows_of(items, [this](const KvGetRequest& item) { return get_locked(item, true); });
}

asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::kv_delete_many(std::vector<KvKeyRequest> items,
                                                                         CallOptions) {
  co_return rows_of(items, [this](const KvKeyRequest& item) { return delete_locked(item); });
}

asio::awaitable<Routed<KvScanReply>> FakeKernel::kv_get_by_bucket(KvPrefixRequest request,
                                                                  CallOptions options) {
  KvScanReply reply = co_await kv_scan_prefix(request, options);
  std::lock_guard guard(mutex_);
  co_return Routed<KvScanReply>{std::move(reply), route_for(partition_of_key(request.prefix + "/x"))};
}

asio::awaitable<KvScanReply> FakeKernel::kv_scan_prefix(KvPrefixRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  KvScanReply reply;
  for (const auto& [id, entry] : entries_) {
    if (id.second != request.durability || id.first.rfind(request.prefix, 0) != 0) continue;
    const Version& v = entry.versions.back();
    if (!live(v)) continue;
    reply.items.push_back(KvItem{id.first, v.value, v.revision, v.last_modified, {}});
  }
  co_return reply;
}

asio::awaitable<Routed<KvRangePage>> FakeKernel::kv_get_range(KvRangeRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  const KvRangeQuery& q = request.query;
  const Route route = route_for(partition_of_key(q.key_space + "/x"));
  // The fake's cursor: a zero byte (so it is not text) and the last key.
  std::optional<std::string> after;
  if (q.cursor) {
    if (q.cursor->empty() || (*q.cursor)[0] != '\0')
      co_return Routed<KvRangePage>{{.code = KvCode::kInvalidInput}, route};
    after = q.cursor->substr(1);
  }
  KvRangePage page;
  for (const auto& [id, entry] : entries_) {
    const std::string& key = id.first;
    if (id.second != request.durability || key_space_of(key) != q.key_space || key == q.key_space) continue;
    if (!live(entry.versions.back())) continue;
    if (q.start_key && (q.start_inclusive ? key < *q.start_key : key <= *q.start_key)) continue;
    if (q.end_key && (q.end_inclusive ? key > *q.end_key : key >= *q.end_key)) continue;
    if (after && key <= *after) continue;
    if (static_cast<std::int64_t>(page.items.size()) == q.limit) {
      page.has_more = true;
      page.next_cursor = std::string(1, '\0') + page.items.back().key;
      break;
    }
    const Version& v = entry.versions.back();
    page.items.push_back(KvItem{key, v.value, v.revision, v.last_modified, {}});
  }
  co_return Routed<KvRangePage>{std::move(page), route};
}

// ---- Sequences ------------------------------------------------------------------

asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_create(SequenceCreateRequest request,
                                                                   CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_sequence(request.name));
  if (sequences_.count(request.name) != 0)
    co_return Routed<SequenceReply>{{.code = SequenceCode::kAlreadyExists}, route};
  Sequence& sequence = sequences_[request.name];
  SequenceInfo& info = sequence.info;
  info.name = request.name;
  info.current_value = request.initial_value;
  info.initial_value = request.initial_value;
  info.increment = request.increment;
  info.max_value = request.max_value;
  info.block_size = request.block_size;
  info.created_at = info.updated_at = tick();
  co_return Routed<SequenceReply>{{.code = SequenceCode::kSuccess, .revision = 0}, route};
}

asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_get(std::string name, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_sequence(name));
  const auto it = sequences_.find(name);
  if (it == sequences_.end())
    co_return Routed<SequenceReply>{{.code = SequenceCode::kNotFound, .revision = -1}, route};
  SequenceReply reply{.code = SequenceCode::kSuccess, .revision = it->second.info.revision};
  reply.sequence = it->second.info;
  co_return Routed<SequenceReply>{reply, route};
}

asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_update(SequenceUpdateRequest request,
                                                                   CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_sequence(request.name));
  const auto it = sequences_.find(request.name);
  if (it == sequences_.end()) co_return Routed<SequenceReply>{{.code = SequenceCode::kNotFound}, route};
  SequenceInfo& info = it->second.info;
  if (request.current_value) info.current_value = *request.current_value;
  if (request.increment) info.increment = *request.increment;
  if (request.initial_value) info.initial_value = *request.initial_value;
  if (request.max_value) info.max_value = request.max_value;
  if (request.block_size) info.block_size = request.block_size;
  if (request.remove_max_value) info.max_value.reset();
  if (request.remove_block_size) info.block_size.reset();
  ++info.incarnation;
  ++info.revision;
  info.updated_at = tick();
  co_return Routed<SequenceReply>{{.code = SequenceCode::kSuccess, .revision = info.revision}, route};
}

asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_reserve(SequenceReserveRequest request,
                                                                    CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_sequence(request.name));
  const auto it = sequences_.find(request.name);
  if (it == sequences_.end()) co_return Routed<SequenceReply>{{.code = SequenceCode::kNotFound}, route};
  Sequence& sequence = it->second;
  SequenceInfo& info = sequence.info;
  if (request.idempotency_key) {
    const auto seen = sequence.by_idempotency_key.find(*request.idempotency_key);
    if (seen != sequence.by_idempotency_key.end()) {
      if (seen->second.count != request.count)
        co_return Routed<SequenceReply>{{.code = SequenceCode::kInvalidInput}, route};
      co_return Routed<SequenceReply>{
          {.code = SequenceCode::kSuccess, .revision = seen->second.revision, .allocation = seen->second},
          route};
    }
  }
  const std::int64_t start = info.current_value + info.increment;
  const std::int64_t end = start + (request.count - 1) * info.increment;
  if (info.max_value && end > *info.max_value) {
    co_return Routed<SequenceReply>{{.code = SequenceCode::kMaxValueExceeded, .revision = info.revision},
                                    route};
  }
  info.current_value = end;
  ++info.revision;
  info.updated_at = tick();
  SequenceAllocation allocation{info.name, start, end, request.count, info.revision};
  if (request.idempotency_key) sequence.by_idempotency_key[*request.idempotency_key] = allocation;
  co_return Routed<SequenceReply>{
      {.code = SequenceCode::kSuccess, .revision = info.revision, .allocation = allocation}, route};
}

asio::awaitable<Routed<SequenceReply>> FakeKernel::sequence_delete(std::string name, CallOptions) {
  std::lock_guard guard(mutex_);
  const Route route = route_for(partition_of_sequence(name));
  if (sequences_.erase(name) == 0) co_return Routed<SequenceReply>{{.code = SequenceCode::kNotFound}, route};
  co_return Routed<SequenceReply>{{.code = SequenceCode::kSuccess}, route};
}

// ---- Cluster administration -------------------------------------------------------

std::vector<FakeKernel::AdminCall> FakeKernel::admin_calls() const {
  std::lock_guard guard(mutex_);
  return admin_calls_;
}

void FakeKernel::set_change_reply(ClusterChangeReply reply) {
  std::lock_guard guard(mutex_);
  change_reply_ = std::move(reply);
}

void FakeKernel::edit_status(std::function<void(ClusterStatus&)> edit) {
  std::lock_guard guard(mutex_);
  edit_status_ = std::move(edit);
}

asio::awaitable<ClusterChangeReply> FakeKernel::cluster_join(ClusterJoinRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  admin_calls_.push_back(AdminCall{.method = "cluster_join", .seeds = std::move(request.seeds)});
  co_return change_reply_;
}

asio::awaitable<ClusterChangeReply> FakeKernel::cluster_leave(ClusterMemberRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  admin_calls_.push_back(AdminCall{.method = "cluster_leave", .node_id = request.node_id});
  co_return change_reply_;
}

asio::awaitable<ClusterChangeReply> FakeKernel::cluster_remove(ClusterMemberRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  admin_calls_.push_back(AdminCall{.method = "cluster_remove", .node_id = request.node_id});
  co_return change_reply_;
}

asio::awaitable<ClusterChangeReply> FakeKernel::set_replication_factor(ReplicationFactorRequest request,
                                                                       CallOptions) {
  std::lock_guard guard(mutex_);
  admin_calls_.push_back(AdminCall{.method = "set_replication_factor",
                                   .replication_factor = request.replication_factor,
                                   .partition = request.partition});
  co_return change_reply_;
}

// ---- Transactions ---------------------------------------------------------------

// Not served over HTTP: a call here means a route reached it by mistake.
asio::awaitable<Routed<TxReply>> FakeKernel::tx_step(TxStepRequest request, CallOptions) {
  Routed<TxReply> out;
  out.route.partition = request.partition;
  out.reply = TxReply{TxCode::kInvalidInput};
  co_return out;
}

// Echoes the script and its parameters, so a test can see what the JSON
// decoded: the text as the reason, each parameter as a row.
asio::awaitable<ScriptReply> FakeKernel::kv_execute_script(ScriptRequest request, CallOptions) {
  ScriptReply reply{ScriptCode::kGet, request.script, {}};
  for (ScriptParameter& parameter : request.parameters) {
    reply.values.push_back(ScriptValueRow{std::move(parameter.name), std::move(parameter.value), 1, {}, {}});
  }
  co_return reply;
}

// ---- Sessions -------------------------------------------------------------------

std::vector<FakeKernel::SessionCall> FakeKernel::session_calls() const {
  std::lock_guard guard(mutex_);
  return session_calls_;
}

void FakeKernel::set_session_reply(std::optional<TxSessionReply> reply) {
  std::lock_guard guard(mutex_);
  session_reply_ = std::move(reply);
}

void FakeKernel::set_session_point_code(std::optional<KvCode> code) {
  std::lock_guard guard(mutex_);
  session_point_code_ = code;
}

template <class Request>
void FakeKernel::record(std::string method, const Request& request) {
  session_calls_.push_back(SessionCall{std::move(method), request});
}

template <class Run>
KvReply FakeKernel::in_session(Run run) {
  if (session_point_code_) return KvReply{.code = *session_point_code_};
  return run();
}

asio::awaitable<Routed<TxSessionReply>> FakeKernel::tx_start(TxStartRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_start", request);
  const Route route = route_for(partition_of_key(request.coordinator_key));
  if (session_reply_) co_return Routed<TxSessionReply>{*session_reply_, route};
  co_return Routed<TxSessionReply>{{.code = KvCode::kSet, .transaction_id = tick()}, route};
}

asio::awaitable<Routed<TxSessionReply>> FakeKernel::tx_commit(TxEndRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_commit", request);
  const Route route = route_for(partition_of_key(request.context.coordinator_key));
  if (session_reply_) co_return Routed<TxSessionReply>{*session_reply_, route};
  TxSessionReply reply{.code = KvCode::kCommitted, .transaction_id = request.context.transaction_id};
  reply.record_anchor_key = request.record_anchor_key.value_or(request.context.coordinator_key);
  co_return Routed<TxSessionReply>{reply, route};
}

asio::awaitable<Routed<TxSessionReply>> FakeKernel::tx_rollback(TxEndRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_rollback", request);
  const Route route = route_for(partition_of_key(request.context.coordinator_key));
  if (session_reply_) co_return Routed<TxSessionReply>{*session_reply_, route};
  co_return Routed<TxSessionReply>{
      {.code = KvCode::kRolledBack, .transaction_id = request.context.transaction_id}, route};
}

asio::awaitable<Routed<TxSessionReply>> FakeKernel::tx_lock(TxLockRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_lock", request);
  const Route route = route_for(partition_of_key(request.context.coordinator_key));
  if (session_reply_) co_return Routed<TxSessionReply>{*session_reply_, route};
  co_return Routed<TxSessionReply>{
      {.code = KvCode::kLocked, .transaction_id = request.context.transaction_id}, route};
}

asio::awaitable<Routed<KvReply>> FakeKernel::tx_kv_set(TxKvSetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_kv_set", request);
  const KvReply reply = in_session([&] { return set_locked(request.request); });
  co_return Routed<KvReply>{reply, route_for(partition_of_key(request.request.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::tx_kv_get(TxKvGetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_kv_get", request);
  const KvReply reply = in_session([&] { return get_locked(request.request, false); });
  co_return Routed<KvReply>{reply, route_for(partition_of_key(request.request.query.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::tx_kv_exists(TxKvGetRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_kv_exists", request);
  const KvReply reply = in_session([&] { return get_locked(request.request, true); });
  co_return Routed<KvReply>{reply, route_for(partition_of_key(request.request.query.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::tx_kv_delete(TxKvKeyRequest request, CallOptions) {
  std::lock_guard guard(mutex_);
  record("tx_kv_delete", request);
  const KvReply reply = in_session([&] { return delete_locked(request.request); });
  co_return Routed<KvReply>{reply, route_for(partition_of_key(request.request.key))};
}

asio::awaitable<Routed<KvReply>> FakeKernel::tx_kv_extend(TxKvExtendRequest request, CallOptions options) {
  {
    std::lock_guard guard(mutex_);
    record("tx_kv_extend", request);
    if (session_point_code_) {
      co_return Routed<KvReply>{{.code = *session_point_code_},
                                route_for(partition_of_key(request.request.key))};
    }
  }
  co_return co_await kv_extend(std::move(request.request), options);
}

asio::awaitable<Routed<KvScanReply>> FakeKernel::tx_kv_get_by_bucket(TxKvPrefixRequest request,
                                                                     CallOptions options) {
  {
    std::lock_guard guard(mutex_);
    record("tx_kv_get_by_bucket", request);
  }
  co_return co_await kv_get_by_bucket(std::move(request.request), options);
}

asio::awaitable<std::vector<Routed<KvReply>>> FakeKernel::tx_kv_delete_many(TxKvDeleteManyRequest request,
                                                                            CallOptions) {
  std::vector<Routed<KvReply>> rows;
  std::lock_guard guard(mutex_);
  record("tx_kv_delete_many", request);
  for (const KvKeyRequest& item : request.items) {
    const KvReply reply = in_session([&] { return delete_locked(item); });
    rows.push_back({reply, route_for(partition_of_key(item.key))});
  }
  co_return rows;
}

// ---- Cluster --------------------------------------------------------------------

ClusterStatus FakeKernel::cluster_status() const {
  std::lock_guard guard(mutex_);
  ++cluster_status_calls_;
  // Two voters, admitted by the first metadata version, each holding a
  // replica of every partition.
  ClusterStatus status;
  status.node_id = kSelf;
  status.data_partitions = kDataPartitions;
  status.metadata_version = 1;
  status.replication_factor = 2;
  status.nodes.push_back(
      NodeInfo{kSelf, "127.0.0.1:7001", {{"http", "http://self.invalid:1"}}, true, "voter", 1});
  status.nodes.push_back(NodeInfo{
      kOther, "127.0.0.1:7002", {{"binary", "10.0.0.2:7100"}, {"http", kOtherEndpoint}}, true, "voter", 1});
  for (const auto& [partition, leader] : leaders_) {
    PartitionInfo info{partition, leader, leader == kSelf ? "leader" : "follower", 3, 10, 10, 1, 10};
    info.voters = {kSelf, kOther};
    info.generation = 1;
    info.target = {kSelf, kOther};
    info.hosted = true;
    status.partitions.push_back(info);
  }
  if (edit_status_) edit_status_(status);
  return status;
}

}  // namespace kahuna::testing
