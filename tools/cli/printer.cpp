#include "printer.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "json_writing.h"
#include "text_encoding.h"

namespace kahuna::cli {

namespace {

void write_allocation(JsonWriter& json, const SequenceAllocation& allocation) {
  json.StartObject();
  json.Key("start");
  json.Int64(allocation.start);
  json.Key("end");
  json.Int64(allocation.end);
  json.Key("count");
  json.Int64(allocation.count);
  json.EndObject();
}

void write_optional_int(JsonWriter& json, const char* name, const std::optional<std::int64_t>& value) {
  json.Key(name);
  if (value) {
    json.Int64(*value);
  } else {
    json.Null();
  }
}

}  // namespace

void Printer::kv(const client::KvResult& reply, bool show_value) {
  // Outcomes that carry no revision of the key (unknown: the write may or may
  // not have been applied, so there is none to tell).
  const bool found = reply.code != KvCode::kDoesNotExist && reply.code != KvCode::kInvalidInput &&
                     reply.code != KvCode::kOutcomeUnknown;
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, reply.code);
    json.Key("revision");
    json.Int64(reply.revision);
    if (show_value) write_value(json, "value", reply.value);
    write_instant(json, "expires", reply.expires);
    write_instant(json, "lastModified", reply.last_modified);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << to_string(reply.code);
  if (found) out_ << " revision=" << reply.revision;
  if (found && show_value) out_ << " value=" << text_value(reply.value);
  if (found && !reply.expires.is_zero()) out_ << " expires=" << iso_time(reply.expires.physical);
  out_ << '\n';
}

void Printer::lock(const client::LockResult& reply, const std::string& resource, const std::string& owner) {
  const bool held = reply.code == LockCode::kLocked || reply.code == LockCode::kExtended;
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, reply.code);
    json.Key("resource");
    write_string(json, resource);
    if (reply.code == LockCode::kGot) {
      write_value(json, "owner", reply.owner);
    } else if (!owner.empty()) {
      write_value(json, "owner", owner);
    }
    json.Key("fencingToken");
    json.Int64(reply.fencing_token);
    write_instant(json, "expires", reply.expires);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << to_string(reply.code) << " resource=" << resource;
  if (reply.code == LockCode::kGot) {
    out_ << " owner=" << text_value(reply.owner) << " token=" << reply.fencing_token;
    if (!reply.expires.is_zero()) out_ << " expires=" << iso_time(reply.expires.physical);
  } else if (held) {
    out_ << " owner=" << quote_bytes(owner) << " token=" << reply.fencing_token;
  }
  out_ << '\n';
}

void Printer::items(KvCode code, const std::vector<KvItem>& items, bool has_more,
                    const std::optional<std::string>& cursor) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, code);
    json.Key("items");
    json.StartArray();
    for (const KvItem& item : items) {
      json.StartObject();
      json.Key("key");
      write_string(json, item.key);
      write_value(json, "value", item.value);
      json.Key("revision");
      json.Int64(item.revision);
      write_instant(json, "expires", item.expires);
      json.EndObject();
    }
    json.EndArray();
    json.Key("hasMore");
    json.Bool(has_more);
    json.Key("nextCursor");
    if (cursor && has_more) {
      write_string(json, *cursor);
    } else {
      json.Null();
    }
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  if (code != KvCode::kGet) {
    out_ << to_string(code) << '\n';
    return;
  }
  for (const KvItem& item : items) {
    out_ << item.key << " = " << text_value(item.value) << " (revision " << item.revision << ")\n";
  }
  out_ << items.size() << (items.size() == 1 ? " key" : " keys") << '\n';
  if (has_more && cursor) out_ << "more: --cursor " << *cursor << '\n';
}

void Printer::sequence(const client::SequenceResult& reply) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, reply.code);
    json.Key("revision");
    json.Int64(reply.revision);
    if (reply.allocation.count > 0) {
      json.Key("allocation");
      write_allocation(json, reply.allocation);
    }
    if (reply.sequence) {
      const SequenceInfo& info = *reply.sequence;
      json.Key("sequence");
      json.StartObject();
      json.Key("name");
      write_string(json, info.name);
      json.Key("currentValue");
      json.Int64(info.current_value);
      json.Key("initialValue");
      json.Int64(info.initial_value);
      json.Key("increment");
      json.Int64(info.increment);
      write_optional_int(json, "maxValue", info.max_value);
      write_optional_int(json, "blockSize", info.block_size);
      json.Key("incarnation");
      json.Int64(info.incarnation);
      json.Key("revision");
      json.Int64(info.revision);
      json.EndObject();
    }
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << to_string(reply.code);
  if (reply.allocation.count == 1) {
    out_ << " value=" << reply.allocation.start;
  } else if (reply.allocation.count > 1) {
    out_ << " start=" << reply.allocation.start << " end=" << reply.allocation.end
         << " count=" << reply.allocation.count;
  }
  if (reply.sequence) {
    const SequenceInfo& info = *reply.sequence;
    out_ << " name=" << info.name << " current=" << info.current_value << " initial=" << info.initial_value
         << " increment=" << info.increment
         << " max=" << (info.max_value ? std::to_string(*info.max_value) : std::string("none"))
         << " block=" << (info.block_size ? std::to_string(*info.block_size) : std::string("default"))
         << " incarnation=" << info.incarnation;
  }
  out_ << '\n';
}

void Printer::error(const client::Error& error) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    json.Key("error");
    write_string(json, client::to_string(error.kind));
    json.Key("message");
    write_string(json, error.message);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  err_ << "kahuna-cli: " << error.to_string() << '\n';
}

void Printer::note(const std::string& text) { (json_ ? err_ : out_) << text; }

void Printer::usage_error(const std::string& message) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    json.Key("error");
    json.String("usage");
    json.Key("message");
    write_string(json, message);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  err_ << "kahuna-cli: " << message << '\n';
}

}  // namespace kahuna::cli
