// FakeScriptHost (fake_script_host.h).
#include "fake_script_host.h"

namespace kahuna::script::testing {

Status FakeScriptHost::take_failure(const std::string& call) {
  auto it = failures_.find(call);
  if (it == failures_.end()) return Status::ok();
  Status status = std::move(it->second);
  failures_.erase(it);
  return status;
}

HlcTimestamp FakeScriptHost::stamp() { return HlcTimestamp{1, clock_ms, ++logical_}; }

HlcTimestamp FakeScriptHost::now() { return stamp(); }

bool FakeScriptHost::is_live(const Record& record) const {
  return record.live && (record.expires.is_zero() || clock_ms < record.expires.physical);
}

Status FakeScriptHost::set(const KvSetRequest& request, KvReply& reply) {
  log.push_back("set " + request.key);
  if (Status failure = take_failure("set"); !failure.is_ok()) return failure;
  Record& record = store_[{request.durability, request.key}];
  const bool live = is_live(record);
  bool allowed = true;
  switch (request.flags) {
    case kSetIfExists: allowed = live; break;
    case kSetIfNotExists: allowed = !live; break;
    case kSetIfEqualToValue: allowed = live && record.value == request.compare_value; break;
    case kSetIfEqualToRevision: allowed = record.revision == request.compare_revision; break;
    default: break;
  }
  if (!allowed) {
    reply.code = KvCode::kNotSet;
    reply.revision = record.revision;
  } else {
    record.live = true;
    record.value = request.value;
    record.revision += 1;
    record.modified = stamp();
    record.expires =
        request.expires_ms > 0 ? HlcTimestamp{1, clock_ms + request.expires_ms, 0} : HlcTimestamp{};
    record.history.push_back(Version{record.value, record.revision, record.modified});
    reply.code = KvCode::kSet;
    reply.revision = record.revision;
    reply.last_modified = record.modified;
  }
  if (auto forced = forced_codes_.find("set"); forced != forced_codes_.end()) reply.code = forced->second;
  return Status::ok();
}

Status FakeScriptHost::point_read(const KvGetRequest& request, KvReply& reply, bool with_value) {
  const KvCode found = with_value ? KvCode::kGet : KvCode::kExists;
  reply = KvReply{};
  reply.code = KvCode::kDoesNotExist;
  auto it = store_.find({request.durability, request.query.key});
  if (it != store_.end()) {
    const Record& record = it->second;
    if (request.query.revision >= 0) {
      for (const Version& version : record.history) {
        if (version.revision != request.query.revision) continue;
        reply.code = found;
        reply.revision = version.revision;
        reply.last_modified = version.modified;
        if (with_value) reply.value = version.value;
      }
    } else if (!request.query.read_timestamp.is_zero()) {
      for (const Version& version : record.history) {
        if (version.modified.physical > request.query.read_timestamp.physical) break;
        reply.code = found;
        reply.revision = version.revision;
        reply.last_modified = version.modified;
        reply.value = with_value ? version.value : std::nullopt;
      }
    } else if (is_live(record)) {
      reply.code = found;
      reply.revision = record.revision;
      reply.expires = record.expires;
      reply.last_modified = record.modified;
      if (with_value) reply.value = record.value;
    }
  }
  if (auto forced = forced_codes_.find(with_value ? "get" : "exists"); forced != forced_codes_.end()) {
    reply.code = forced->second;
  }
  return Status::ok();
}

Status FakeScriptHost::get(const KvGetRequest& request, KvReply& reply) {
  log.push_back("get " + request.query.key);
  if (Status failure = take_failure("get"); !failure.is_ok()) return failure;
  return point_read(request, reply, true);
}

Status FakeScriptHost::exists(const KvGetRequest& request, KvReply& reply) {
  log.push_back("exists " + request.query.key);
  if (Status failure = take_failure("exists"); !failure.is_ok()) return failure;
  return point_read(request, reply, false);
}

Status FakeScriptHost::remove(const KvKeyRequest& request, KvReply& reply) {
  log.push_back("delete " + request.key);
  if (Status failure = take_failure("delete"); !failure.is_ok()) return failure;
  auto it = store_.find({request.durability, request.key});
  if (it == store_.end() || !is_live(it->second)) {
    reply.code = KvCode::kDoesNotExist;
    return Status::ok();
  }
  Record& record = it->second;
  record.live = false;
  record.value.reset();
  record.revision += 1;
  record.modified = stamp();
  reply.code = KvCode::kDeleted;
  reply.revision = record.revision;
  reply.last_modified = record.modified;
  return Status::ok();
}

Status FakeScriptHost::extend(const KvExtendRequest& request, KvReply& reply) {
  log.push_back("extend " + request.key);
  if (Status failure = take_failure("extend"); !failure.is_ok()) return failure;
  auto it = store_.find({request.durability, request.key});
  if (it == store_.end() || !is_live(it->second)) {
    reply.code = KvCode::kDoesNotExist;
    return Status::ok();
  }
  Record& record = it->second;
  record.expires = HlcTimestamp{1, clock_ms + request.expires_ms, 0};
  reply.code = KvCode::kExtended;
  reply.revision = record.revision;
  reply.expires = record.expires;
  reply.last_modified = record.modified;
  return Status::ok();
}

Status FakeScriptHost::scan(const KvPrefixRequest& request, KvScanReply& reply) {
  reply.code = KvCode::kGet;
  for (const auto& [id, record] : store_) {
    if (id.first != request.durability || !id.second.starts_with(request.prefix) || !is_live(record))
      continue;
    reply.items.push_back(KvItem{id.second, record.value, record.revision, record.modified, record.expires});
  }
  return Status::ok();
}

Status FakeScriptHost::get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) {
  log.push_back("get_by_bucket " + request.prefix);
  if (Status failure = take_failure("get_by_bucket"); !failure.is_ok()) return failure;
  return scan(request, reply);
}

Status FakeScriptHost::scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) {
  log.push_back("scan_by_prefix " + request.prefix);
  if (Status failure = take_failure("scan_by_prefix"); !failure.is_ok()) return failure;
  return scan(request, reply);
}

Status FakeScriptHost::begin(const TransactionOptions& options) {
  log.push_back("begin");
  if (Status failure = take_failure("begin"); !failure.is_ok()) return failure;
  if (in_transaction) return Status::internal("begin inside a transaction");
  begun.push_back(options);
  snapshot_ = store_;
  in_transaction = true;
  return Status::ok();
}

Status FakeScriptHost::commit() {
  log.push_back("commit");
  if (!in_transaction) return Status::internal("commit without a transaction");
  in_transaction = false;
  if (Status failure = take_failure("commit"); !failure.is_ok()) {
    store_ = std::move(*snapshot_);  // a failed commit is an abort here
    snapshot_.reset();
    return failure;
  }
  snapshot_.reset();
  return Status::ok();
}

Status FakeScriptHost::rollback() {
  log.push_back("rollback");
  if (!in_transaction) return Status::ok();
  in_transaction = false;
  store_ = std::move(*snapshot_);
  snapshot_.reset();
  return Status::ok();
}

Status FakeScriptHost::sleep(std::int64_t ms) {
  log.push_back("sleep " + std::to_string(ms));
  if (Status failure = take_failure("sleep"); !failure.is_ok()) return failure;
  slept_ms += ms;
  clock_ms += ms;
  return Status::ok();
}

void FakeScriptHost::put(const std::string& key, std::optional<std::string> value, Durability durability) {
  KvSetRequest request;
  request.key = key;
  request.value = std::move(value);
  request.durability = durability;
  request.flags = kSet;
  KvReply reply;
  (void)set(request, reply);
  log.clear();
}

std::optional<std::string> FakeScriptHost::value_of(const std::string& key, Durability durability) const {
  auto it = store_.find({durability, key});
  if (it == store_.end() || !is_live(it->second)) return std::nullopt;
  return it->second.value.value_or("<null>");
}

std::int64_t FakeScriptHost::revision_of(const std::string& key, Durability durability) const {
  auto it = store_.find({durability, key});
  return it == store_.end() ? -1 : it->second.revision;
}

}  // namespace kahuna::script::testing
