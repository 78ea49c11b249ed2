// libFuzzer target: arbitrary bytes as Kahuna Script text through the lexer
// and parser and, when they parse, through the interpreter against a small
// in-memory host with a step budget. An invalid or failing script is an
// answer, not a finding; what is checked (with __builtin_trap) is the form
// of the answer and what the library promises its host:
// - a parse error has a message and a line inside the text;
// - a failed run says "... at line N", a successful one has no reason;
// - at most one transaction is open at a time, COMMIT only commits an open
//   one, none is left open after the run, and a script that needs one never
//   touches a key outside it (a one-command script never opens one);
// - every key the run touches is among Script::keys(), which a pessimistic
//   transaction locks before the first statement.
//
// The host answers the key/value methods like a store and fails on purpose
// for a few key names, so the script can steer into every failure path:
// "aborted", "busy", "retry", "invalid" (those statuses), "thrown" (an
// exception), "unknown" (reply code 98); a COMMIT fails while the live key
// "fail_commit" exists. It holds at most kMaxHostBytes of values, and its
// clock saturates, so no input can make the host itself misbehave.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "script/interpreter.h"
#include "script/script.h"
#include "script/script_host.h"

namespace {

using namespace kahuna;
using namespace kahuna::script;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

// Statements and loop iterations per run: enough for every control path,
// few enough that a run of 16 MiB string copies stays well inside -timeout.
constexpr std::int64_t kMaxSteps = 1'000;
// Bytes of values the host keeps (its store and the transaction snapshot).
constexpr std::size_t kMaxHostBytes = std::size_t{64} << 20;

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? std::numeric_limits<std::int64_t>::max() : 0;
  return sum;
}

class FuzzHost : public ScriptHost {
 public:
  FuzzHost(const Script& script, const ScriptParameters& parameters)
      : mode_(script.transaction_mode()), keys_(script.keys(parameters)) {}

  Status set(const KvSetRequest& request, KvReply& reply) override {
    if (Status failure = access(request.key, request.durability, false); !failure.is_ok()) return failure;
    if (forced_code(request.key, reply)) return Status::ok();
    Record& record = store_[{request.durability, request.key}];
    const bool live = is_live(record);
    bool allowed = true;
    switch (request.flags) {
      case kSetIfExists: allowed = live; break;
      case kSetIfNotExists: allowed = !live; break;
      case kSetIfEqualToValue: allowed = live && record.value == request.compare_value; break;
      case kSetIfEqualToRevision: allowed = record.revision == request.compare_revision; break;
      default: check(request.flags == kSet); break;
    }
    reply.revision = record.revision;
    if (!allowed) {
      reply.code = KvCode::kNotSet;
      return Status::ok();
    }
    const std::size_t size = request.value ? request.value->size() : 0;
    if (bytes_ + size > kMaxHostBytes) return Status::storage_full("the fuzz host is full");
    bytes_ += size;
    record.live = true;
    record.value = request.value;
    record.revision += 1;
    record.modified = stamp();
    record.expires = request.expires_ms > 0
                         ? HlcTimestamp{1, saturating_add(clock_ms_, request.expires_ms), 0}
                         : HlcTimestamp{};
    reply.code = KvCode::kSet;
    reply.revision = record.revision;
    reply.last_modified = record.modified;
    return Status::ok();
  }

  Status get(const KvGetRequest& request, KvReply& reply) override {
    return point_read(request, reply, true);
  }

  Status exists(const KvGetRequest& request, KvReply& reply) override {
    return point_read(request, reply, false);
  }

  Status remove(const KvKeyRequest& request, KvReply& reply) override {
    if (Status failure = access(request.key, request.durability, false); !failure.is_ok()) return failure;
    if (forced_code(request.key, reply)) return Status::ok();
    auto it = store_.find({request.durability, request.key});
    if (it == store_.end() || !is_live(it->second)) {
      reply.code = KvCode::kDoesNotExist;
      return Status::ok();
    }
    it->second.live = false;
    it->second.value.reset();
    it->second.revision += 1;
    it->second.modified = stamp();
    reply.code = KvCode::kDeleted;
    reply.revision = it->second.revision;
    reply.last_modified = it->second.modified;
    return Status::ok();
  }

  Status extend(const KvExtendRequest& request, KvReply& reply) override {
    if (Status failure = access(request.key, request.durability, false); !failure.is_ok()) return failure;
    check(request.expires_ms > 0);
    if (forced_code(request.key, reply)) return Status::ok();
    auto it = store_.find({request.durability, request.key});
    if (it == store_.end() || !is_live(it->second)) {
      reply.code = KvCode::kDoesNotExist;
      return Status::ok();
    }
    it->second.expires = HlcTimestamp{1, saturating_add(clock_ms_, request.expires_ms), 0};
    reply.code = KvCode::kExtended;
    reply.revision = it->second.revision;
    reply.expires = it->second.expires;
    reply.last_modified = it->second.modified;
    return Status::ok();
  }

  Status get_by_bucket(const KvPrefixRequest& request, KvScanReply& reply) override {
    return scan(request, reply);
  }

  Status scan_by_prefix(const KvPrefixRequest& request, KvScanReply& reply) override {
    check(mode_ != TransactionMode::kExplicit);  // the parser refuses SCAN inside BEGIN … END
    return scan(request, reply);
  }

  Status begin(const TransactionOptions& options) override {
    check(mode_ != TransactionMode::kNone);
    check(!in_transaction_);
    check(!options.timeout_ms || *options.timeout_ms > 0);
    check(!options.priority || (*options.priority >= 0 && *options.priority <= 4));
    in_transaction_ = true;
    snapshot_ = store_;
    snapshot_bytes_ = bytes_;
    return Status::ok();
  }

  Status commit() override {
    check(in_transaction_);
    in_transaction_ = false;
    auto it = store_.find({Durability::kPersistent, "fail_commit"});
    if (it != store_.end() && is_live(it->second)) {
      restore();
      return Status::aborted("fail_commit is set");
    }
    snapshot_.clear();
    return Status::ok();
  }

  Status rollback() override {
    if (in_transaction_) restore();
    in_transaction_ = false;
    return Status::ok();
  }

  Status sleep(std::int64_t ms) override {
    check(ms >= 0);
    clock_ms_ = saturating_add(clock_ms_, ms);
    return Status::ok();
  }

  HlcTimestamp now() override { return stamp(); }

  bool in_transaction() const { return in_transaction_; }

 private:
  struct Record {
    bool live = false;
    std::optional<std::string> value;
    std::int64_t revision = -1;
    HlcTimestamp expires{};
    HlcTimestamp modified{};
  };
  using Store = std::map<std::pair<Durability, std::string>, Record>;

  // Every access: inside the transaction when the script has one, on a key
  // the script's analysis announced, and failing on request.
  Status access(const std::string& key, Durability durability, bool prefix) {
    check(mode_ == TransactionMode::kNone || in_transaction_);
    check(std::binary_search(keys_.begin(), keys_.end(), ScriptKey{key, durability, prefix}));
    if (key == "aborted") return Status::aborted("on purpose");
    if (key == "busy") return Status::busy("on purpose");
    if (key == "retry") return Status::must_retry("on purpose");
    if (key == "invalid") return Status::invalid_argument("on purpose");
    if (key == "thrown") throw std::runtime_error("thrown on purpose");
    return Status::ok();
  }

  bool forced_code(const std::string& key, KvReply& reply) {
    if (key != "unknown") return false;
    reply.code = KvCode::kOutcomeUnknown;
    return true;
  }

  Status point_read(const KvGetRequest& request, KvReply& reply, bool with_value) {
    const std::string& key = request.query.key;
    if (Status failure = access(key, request.durability, false); !failure.is_ok()) return failure;
    if (forced_code(key, reply)) return Status::ok();
    reply.code = KvCode::kDoesNotExist;
    auto it = store_.find({request.durability, key});
    if (it == store_.end() || !is_live(it->second)) return Status::ok();
    const Record& record = it->second;
    // No history here: AT finds the current revision only, AS OF the
    // current value when it is old enough.
    if (request.query.revision >= 0 && request.query.revision != record.revision) return Status::ok();
    if (!request.query.read_timestamp.is_zero() && request.query.read_timestamp < record.modified)
      return Status::ok();
    reply.code = with_value ? KvCode::kGet : KvCode::kExists;
    reply.revision = record.revision;
    reply.expires = record.expires;
    reply.last_modified = record.modified;
    if (with_value) reply.value = record.value;
    return Status::ok();
  }

  Status scan(const KvPrefixRequest& request, KvScanReply& reply) {
    if (Status failure = access(request.prefix, request.durability, true); !failure.is_ok()) return failure;
    reply.code = KvCode::kGet;
    for (const auto& [id, record] : store_) {
      if (id.first != request.durability || !id.second.starts_with(request.prefix) || !is_live(record))
        continue;
      reply.items.push_back(
          KvItem{id.second, record.value, record.revision, record.modified, record.expires});
    }
    return Status::ok();
  }

  void restore() {
    store_ = std::move(snapshot_);
    snapshot_.clear();
    bytes_ = snapshot_bytes_;
  }

  bool is_live(const Record& record) const {
    return record.live && (record.expires.is_zero() || clock_ms_ < record.expires.physical);
  }

  HlcTimestamp stamp() { return HlcTimestamp{1, clock_ms_, ++logical_}; }

  const TransactionMode mode_;
  const std::vector<ScriptKey> keys_;  // sorted
  Store store_;
  Store snapshot_;
  std::size_t bytes_ = 0;
  std::size_t snapshot_bytes_ = 0;
  bool in_transaction_ = false;
  std::int64_t clock_ms_ = 1'000'000;
  std::uint32_t logical_ = 0;
};

const ScriptParameters& parameters() {
  static const ScriptParameters kParameters{
      {"@value", "v"}, {"@key", "k"},          {"@item", "5"},   {"@n", "2"},
      {"@k", "x"},     {"@nil", std::nullopt}, {"prefix", "p/"}, {"@busy", "busy"},
  };
  return kParameters;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Script::ParseResult parsed = Script::parse(text);
  if (!parsed.script) {
    check(parsed.error.has_value() && !parsed.error->message.empty());
    const auto lines = 1 + std::count(text.begin(), text.end(), '\n');
    check(parsed.error->line >= 1 && parsed.error->line <= lines);
    return 0;
  }
  check(parsed.script->text() == text);

  FuzzHost host(*parsed.script, parameters());
  const ScriptResult result = run_script(*parsed.script, host, parameters(), InterpreterLimits{kMaxSteps});
  check(!host.in_transaction());
  const bool failed = static_cast<int>(result.code) >= 98 && result.code != ScriptCode::kDoesNotExist;
  if (failed) {
    check(result.reason.find(" at line ") != std::string::npos);
    check(result.values.empty());
  } else {
    check(result.reason.empty());
  }
  return 0;
}
