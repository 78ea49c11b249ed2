#include "sequence_json.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace kahuna::http {
namespace {

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// Reads `name` and `durability`, the fields every sequence request has.
// Returns the invalidInput reason, or "" when both are acceptable.
std::string read_name_and_durability(JsonFields& fields, std::string& name) {
  const FieldState name_state = fields.text("name", name);
  std::int64_t durability = 1;  // sequences are always persistent
  fields.durability("durability", durability);
  const bool blank =
      std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c) != 0; });
  if (name_state != FieldState::kPresent || blank) return "name is required";
  if (is_reserved_name(name)) return "sequence names under __kahuna: are reserved";
  if (durability != 1) return "sequences are always persistent: durability must be 1";
  return {};
}

void write_allocation(JsonOutput& json, const SequenceAllocation& allocation) {
  json.start_object();
  json.key("name");
  json.string(allocation.name);
  json.key("start");
  json.int64(allocation.start);
  json.key("end");
  json.int64(allocation.end);
  json.key("count");
  json.int64(allocation.count);
  json.key("revision");
  json.int64(allocation.revision);
  json.end_object();
}

void write_sequence(JsonOutput& json, const SequenceInfo& sequence) {
  json.start_object();
  json.key("name");
  json.string(sequence.name);
  json.key("currentValue");
  json.int64(sequence.current_value);
  json.key("initialValue");
  json.int64(sequence.initial_value);
  json.key("increment");
  json.int64(sequence.increment);
  json.key("maxValue");
  json.optional_int64(sequence.max_value);
  json.key("blockSize");
  json.optional_int64(sequence.block_size);
  json.key("incarnation");
  json.int64(sequence.incarnation);
  json.key("revision");
  json.int64(sequence.revision);
  json.key("durability");
  json.int64(1);
  json.key("createdAt");
  json.timestamp(sequence.created_at);
  json.key("updatedAt");
  json.timestamp(sequence.updated_at);
  json.end_object();
}

}  // namespace

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, SequenceCreateRequest& out) {
  JsonFields fields(body);
  const std::string problem = read_name_and_durability(fields, out.name);
  fields.integer("initialValue", kInt64Min, kInt64Max, out.initial_value);
  fields.integer("increment", kInt64Min, kInt64Max, out.increment);
  fields.optional_integer("maxValue", kInt64Min, kInt64Max, out.max_value);
  fields.optional_integer("blockSize", kInt64Min, kInt64Max, out.block_size);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (!problem.empty()) return DecodeResult::invalid_input(problem);
  if (out.increment <= 0) return DecodeResult::invalid_input("increment must be greater than 0");
  if (out.max_value && *out.max_value < out.initial_value) {
    return DecodeResult::invalid_input("maxValue must not be below initialValue");
  }
  if (out.block_size && *out.block_size < 1)
    return DecodeResult::invalid_input("blockSize must be at least 1");
  return DecodeResult::ok();
}

DecodeResult decode_sequence_name(const rapidjson::Value& body, std::string& name) {
  JsonFields fields(body);
  const std::string problem = read_name_and_durability(fields, name);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (!problem.empty()) return DecodeResult::invalid_input(problem);
  return DecodeResult::ok();
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, SequenceUpdateRequest& out) {
  JsonFields fields(body);
  const std::string problem = read_name_and_durability(fields, out.name);
  fields.optional_integer("currentValue", kInt64Min, kInt64Max, out.current_value);
  fields.optional_integer("increment", kInt64Min, kInt64Max, out.increment);
  fields.optional_integer("initialValue", kInt64Min, kInt64Max, out.initial_value);
  fields.optional_integer("maxValue", kInt64Min, kInt64Max, out.max_value);
  fields.optional_integer("blockSize", kInt64Min, kInt64Max, out.block_size);
  fields.boolean("removeMaxValue", out.remove_max_value);
  fields.boolean("removeBlockSize", out.remove_block_size);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (!problem.empty()) return DecodeResult::invalid_input(problem);
  const bool changes_something = out.current_value || out.increment || out.initial_value || out.max_value ||
                                 out.block_size || out.remove_max_value || out.remove_block_size;
  if (!changes_something) return DecodeResult::invalid_input("an update must change at least one setting");
  if (out.max_value && out.remove_max_value) {
    return DecodeResult::invalid_input("maxValue and removeMaxValue contradict each other");
  }
  if (out.block_size && out.remove_block_size) {
    return DecodeResult::invalid_input("blockSize and removeBlockSize contradict each other");
  }
  if (out.increment && *out.increment <= 0)
    return DecodeResult::invalid_input("increment must be greater than 0");
  if (out.block_size && *out.block_size < 1)
    return DecodeResult::invalid_input("blockSize must be at least 1");
  if (out.max_value && out.initial_value && *out.max_value < *out.initial_value) {
    return DecodeResult::invalid_input("maxValue must not be below initialValue");
  }
  return DecodeResult::ok();
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, SequenceReserveRequest& out) {
  JsonFields fields(body);
  const std::string problem = read_name_and_durability(fields, out.name);
  std::int64_t count = verb == wire::Opcode::kSequenceNext ? 1 : 0;
  if (verb == wire::Opcode::kSequenceReserve) {
    fields.integer("count", std::numeric_limits<std::int32_t>::min(),
                   std::numeric_limits<std::int32_t>::max(), count);
  }
  fields.optional_text("idempotencyKey", out.idempotency_key);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (!problem.empty()) return DecodeResult::invalid_input(problem);
  if (count <= 0) return DecodeResult::invalid_input("count must be greater than 0");
  if (out.idempotency_key && out.idempotency_key->size() > kMaxIdempotencyKeyBytes) {
    return DecodeResult::invalid_input("idempotencyKey must not exceed 1024 bytes");
  }
  out.count = count;
  return DecodeResult::ok();
}

std::string encode_sequence_reply(wire::Opcode verb, const SequenceReply& reply,
                                  const std::optional<RouteHint>& route) {
  const bool success = reply.code == SequenceCode::kSuccess;
  const bool allocates = verb == wire::Opcode::kSequenceReserve || verb == wire::Opcode::kSequenceNext;
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  json.key("revision");
  json.int64(verb == wire::Opcode::kSequenceGet && reply.code == SequenceCode::kNotFound ? -1
                                                                                         : reply.revision);
  json.key("sequence");
  if (verb == wire::Opcode::kSequenceGet && success && reply.sequence) {
    write_sequence(json, *reply.sequence);
  } else {
    json.null();
  }
  json.key("allocation");
  write_allocation(json, allocates && success ? reply.allocation : SequenceAllocation{});
  return json.end_routed_reply(route);
}

}  // namespace kahuna::http
