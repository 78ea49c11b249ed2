// Interpreter: the key/value accesses — building the host's requests,
// checking its answers, and keeping the outcomes that the guards and the
// script's reply read (interpreter_state.h).
#include <limits>
#include <utility>

#include "script/interpreter_state.h"

namespace kahuna::script {
namespace {

// "As of wall-clock ms T": every HLC stamp with physical time T (HTTP-API.md §2).
HlcTimestamp as_of_ms(std::int64_t ms) {
  return HlcTimestamp{0, ms, std::numeric_limits<std::uint32_t>::max()};
}

std::uint32_t flag_of(SetCondition condition) {
  switch (condition) {
    case SetCondition::kAlways: return kSet;
    case SetCondition::kIfNotExists: return kSetIfNotExists;
    case SetCondition::kIfExists: return kSetIfExists;
    case SetCondition::kIfValueEquals: return kSetIfEqualToValue;
    case SetCondition::kIfRevisionEquals: return kSetIfEqualToRevision;
  }
  return kSet;
}

ScriptCode code_of(const Status& status) {
  switch (status.code()) {
    case StatusCode::kAborted: return ScriptCode::kAborted;
    case StatusCode::kBusy: return ScriptCode::kAlreadyLocked;
    case StatusCode::kMustRetry: return ScriptCode::kMustRetry;
    case StatusCode::kInvalidArgument: return ScriptCode::kInvalidInput;
    default: return ScriptCode::kErrored;
  }
}

std::size_t stored_size(const std::optional<std::string>& bytes) { return bytes ? bytes->size() : 0; }

std::string what_of(std::string_view verb, std::string_view key) {
  std::string text(verb);
  if (!key.empty()) text += " '" + std::string(key.substr(0, 200)) + "'";
  return text;
}

}  // namespace

void Interpreter::set(const SetStmt& set, int line) {
  check_access_allowed(line);
  const std::string verb = set.durability == Durability::kEphemeral ? "ESET" : "SET";
  KvSetRequest request;
  request.key = resolve_key(set.key, line);
  request.durability = set.durability;
  request.value = to_stored_bytes(eval(*set.value));
  request.flags = flag_of(set.condition);
  if (set.condition == SetCondition::kIfValueEquals)
    request.compare_value = to_stored_bytes(eval(*set.compare));
  if (set.condition == SetCondition::kIfRevisionEquals)
    request.compare_revision = int_argument(*set.compare, "CMPREV", 0);
  if (set.expires_ms) request.expires_ms = int_argument(*set.expires_ms, "EX", 0);
  // Bytes made for the host, which holds them until the commit: a loop of
  // SETs of one 16 MiB string must not hand it gigabytes.
  charge_value(stored_size(request.value) + stored_size(request.compare_value));

  KvReply reply;
  check_host(host_.set(request, reply), verb, request.key, line);
  check_outcome(reply.code, {KvCode::kSet, KvCode::kNotSet}, verb, request.key, line);
  last_set_ = reply.code == KvCode::kSet;
  ScriptValueRow row{
      request.key, *last_set_ ? request.value : std::nullopt, reply.revision, {}, reply.last_modified};
  record(to_script_code(reply.code), {std::move(row)});
}

void Interpreter::remove(const DeleteStmt& del, int line) {
  check_access_allowed(line);
  const std::string verb = del.durability == Durability::kEphemeral ? "EDELETE" : "DELETE";
  KvKeyRequest request{resolve_key(del.key, line), del.durability};
  KvReply reply;
  check_host(host_.remove(request, reply), verb, request.key, line);
  check_outcome(reply.code, {KvCode::kDeleted, KvCode::kDoesNotExist}, verb, request.key, line);
  last_deleted_ = reply.code == KvCode::kDeleted;
  record(to_script_code(reply.code),
         {ScriptValueRow{request.key, std::nullopt, reply.revision, {}, reply.last_modified}});
}

void Interpreter::extend(const ExtendStmt& extend, int line) {
  check_access_allowed(line);
  const std::string verb = extend.durability == Durability::kEphemeral ? "EEXTEND" : "EXTEND";
  KvExtendRequest request;
  request.key = resolve_key(extend.key, line);
  request.durability = extend.durability;
  request.expires_ms = int_argument(*extend.expires_ms, verb, 1);
  KvReply reply;
  check_host(host_.extend(request, reply), verb, request.key, line);
  check_outcome(reply.code, {KvCode::kExtended, KvCode::kDoesNotExist}, verb, request.key, line);
  last_extended_ = reply.code == KvCode::kExtended;
  record(to_script_code(reply.code),
         {ScriptValueRow{request.key, std::nullopt, reply.revision, reply.expires, reply.last_modified}});
}

Value Interpreter::read(const ReadOp& op, int line) {
  check_access_allowed(line);
  const std::string key = resolve_key(op.key, line);
  if (op.kind == ReadKind::kGet || op.kind == ReadKind::kExists) return point_read(op, key, line);
  return prefix_read(op, key, line);
}

Value Interpreter::point_read(const ReadOp& op, const std::string& key, int line) {
  const bool get = op.kind == ReadKind::kGet;
  const bool ephemeral = op.durability == Durability::kEphemeral;
  const std::string verb = get ? (ephemeral ? "EGET" : "GET") : (ephemeral ? "EEXISTS" : "EXISTS");
  KvGetRequest request;
  request.query.key = key;
  request.durability = op.durability;
  if (op.at_revision) request.query.revision = int_argument(*op.at_revision, "AT", 0);
  if (op.as_of) request.query.read_timestamp = as_of_ms(int_argument(*op.as_of, "AS OF", 0));

  KvReply reply;
  check_host(get ? host_.get(request, reply) : host_.exists(request, reply), verb, key, line);
  const KvCode found_code = get ? KvCode::kGet : KvCode::kExists;
  check_outcome(reply.code, {found_code, KvCode::kDoesNotExist}, verb, key, line);
  const bool found = reply.code == found_code;
  last_found_ = found;

  std::optional<std::string> bytes = found && get ? reply.value : std::nullopt;
  record(to_script_code(reply.code),
         {ScriptValueRow{key, bytes, reply.revision, reply.expires, reply.last_modified}});
  Value value;
  if (!get) {
    value = Value::boolean(found);
  } else if (bytes) {
    value = Value::string(std::move(*bytes));
  }
  return value.with_read_info(ReadInfo{key, reply.revision, reply.expires, reply.last_modified});
}

Value Interpreter::prefix_read(const ReadOp& op, const std::string& key, int line) {
  const bool bucket = op.kind == ReadKind::kGetByBucket;
  const std::string verb = bucket ? "GET BY BUCKET" : "SCAN BY PREFIX";
  KvPrefixRequest request;
  request.prefix = key;
  request.durability = op.durability;
  if (op.as_of) request.read_timestamp = as_of_ms(int_argument(*op.as_of, "AS OF", 0));

  KvScanReply reply;
  check_host(bucket ? host_.get_by_bucket(request, reply) : host_.scan_by_prefix(request, reply), verb, key,
             line);
  // An empty scan is `get` with no items; some hosts say doesNotExist.
  check_outcome(reply.code, {KvCode::kGet, KvCode::kDoesNotExist}, verb, key, line);
  if (reply.items.size() > kMaxArrayElements) {
    throw ScriptFailure(verb + " returned more than " + std::to_string(kMaxArrayElements) + " keys", line);
  }
  Value::Array elements;
  std::vector<ScriptValueRow> rows;
  elements.reserve(reply.items.size());
  rows.reserve(reply.items.size());
  for (KvItem& item : reply.items) {
    rows.push_back(ScriptValueRow{item.key, item.value, item.revision, item.expires, item.last_modified});
    Value element = item.value ? Value::string(std::move(*item.value)) : Value::null();
    elements.push_back(element.with_read_info(
        ReadInfo{std::move(item.key), item.revision, item.expires, item.last_modified}));
  }
  record(ScriptCode::kGet, std::move(rows));
  return Value::array(std::move(elements));
}

std::string Interpreter::resolve_key(const KeyRef& key, int line) const {
  if (key.source == KeyRef::Source::kLiteral) {
    charge_work(key.text.size());  // the copy; a literal key may be 64 KiB
    return key.text;
  }
  const std::optional<std::string>* value = find_parameter(parameters_, key.text);
  if (value == nullptr) throw ScriptFailure("parameter " + key.text + " was not given", line);
  if (!value->has_value())
    throw ScriptFailure("parameter " + key.text + " is null and cannot name a key", line);
  charge_work((*value)->size());
  return **value;
}

void Interpreter::check_access_allowed(int line) const {
  if (script_.transaction_mode() == TransactionMode::kExplicit && !transaction_open_) {
    throw ScriptFailure("key/value statement after COMMIT: its transaction is already committed", line);
  }
}

void Interpreter::check_host(const Status& status, std::string_view verb, std::string_view key,
                             int line) const {
  if (status.is_ok()) return;
  std::string message = what_of(verb, key) + " failed: " + status.to_string();
  throw ScriptFailure(std::move(message), line, code_of(status));
}

void Interpreter::check_outcome(KvCode code, std::initializer_list<KvCode> outcomes, std::string_view verb,
                                std::string_view key, int line) const {
  for (KvCode outcome : outcomes) {
    if (code == outcome) return;
  }
  const ScriptCode script_code = to_script_code(code);
  const bool failure_code =
      static_cast<std::int32_t>(code) >= static_cast<std::int32_t>(KvCode::kOutcomeUnknown);
  throw ScriptFailure(what_of(verb, key) + " answered " + std::string(to_string(script_code)), line,
                      failure_code ? script_code : ScriptCode::kErrored);
}

void Interpreter::record(ScriptCode code, std::vector<ScriptValueRow> rows) {
  last_code_ = code;
  last_rows_ = std::move(rows);
}

std::int64_t Interpreter::int_argument(const Expr& expr, std::string_view what, std::int64_t minimum) {
  const Value value = eval(expr);
  if (value.type() != Value::Type::kInt) {
    throw ScriptFailure(std::string(what) + " expects an int, got " + std::string(type_name(value)),
                        expr.line);
  }
  if (value.as_int() < minimum) {
    throw ScriptFailure(std::string(what) + " expects an int >= " + std::to_string(minimum) + ", got " +
                            std::to_string(value.as_int()),
                        expr.line);
  }
  return value.as_int();
}

}  // namespace kahuna::script
