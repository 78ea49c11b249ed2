// Printer: a script's answer, and the answers of a transaction's session.
#include "json_writing.h"
#include "printer.h"
#include "text_encoding.h"

namespace kahuna::cli {

namespace {

// An HLC stamp as node:physical:logical (the order of its {n,l,c} JSON form).
std::string stamp_text(const HlcTimestamp& stamp) {
  return std::to_string(stamp.node) + ":" + std::to_string(stamp.physical) + ":" +
         std::to_string(stamp.logical);
}

// An HLC stamp as {"n", "l", "c"} (HTTP-API.md §1), or null for none.
void write_stamp(JsonWriter& json, const char* name, const HlcTimestamp& stamp) {
  json.Key(name);
  if (stamp.is_zero()) {
    json.Null();
    return;
  }
  json.StartObject();
  json.Key("n");
  json.Int(stamp.node);
  json.Key("l");
  json.Int64(stamp.physical);
  json.Key("c");
  json.Uint(stamp.logical);
  json.EndObject();
}

// A session's start answers 0 for "started", which the key/value family
// calls "set".
std::string_view code_name(KvCode code, Printer::SessionStep step) {
  if (step == Printer::SessionStep::kStart && code == KvCode::kSet) return "started";
  return to_string(code);
}

}  // namespace

void Printer::script(const client::ScriptResult& reply) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, reply.code);
    json.Key("reason");
    write_string(json, reply.reason);
    json.Key("values");
    json.StartArray();
    for (const ScriptValueRow& row : reply.values) {
      json.StartObject();
      json.Key("key");
      write_string(json, row.key);
      write_value(json, "value", row.value);
      json.Key("revision");
      json.Int64(row.revision);
      write_instant(json, "expires", row.expires);
      write_instant(json, "lastModified", row.last_modified);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << to_string(reply.code);
  if (!reply.reason.empty()) out_ << " reason=" << quote_bytes(reply.reason);
  out_ << '\n';
  for (const ScriptValueRow& row : reply.values) {
    // A row without a key is a value the script returned.
    if (row.key.empty()) {
      out_ << "returned " << text_value(row.value) << '\n';
    } else {
      out_ << row.key << " = " << text_value(row.value) << " (revision " << row.revision << ")\n";
    }
  }
}

void Printer::session(const client::TxResult& reply, SessionStep step, const std::string& key) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    json.Key("type");
    json.Int(static_cast<int>(reply.code));
    json.Key("typeName");
    write_string(json, code_name(reply.code, step));
    if (step == SessionStep::kLock) {
      json.Key("key");
      write_string(json, key);
    }
    write_stamp(json, "transactionId", reply.transaction_id);
    json.Key("recordAnchorKey");
    if (reply.record_anchor_key.empty()) {
      json.Null();
    } else {
      write_string(json, reply.record_anchor_key);
    }
    write_stamp(json, "holder", reply.holder);
    json.Key("reason");
    write_string(json, reply.reason);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << code_name(reply.code, step);
  if (step == SessionStep::kStart && !reply.transaction_id.is_zero())
    out_ << " transaction=" << stamp_text(reply.transaction_id);
  if (step == SessionStep::kLock) out_ << " key=" << key;
  if (!reply.holder.is_zero()) out_ << " holder=" << stamp_text(reply.holder);
  // Where the decision is recorded matters to a commit that may be asked again.
  if (reply.code == KvCode::kOutcomeUnknown && !reply.record_anchor_key.empty())
    out_ << " record=" << quote_bytes(reply.record_anchor_key);
  if (!reply.reason.empty()) out_ << " reason=" << quote_bytes(reply.reason);
  out_ << '\n';
}

}  // namespace kahuna::cli
