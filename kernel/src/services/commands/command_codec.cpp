#include "services/commands/command_codec.h"

#include <iterator>

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {

namespace {

// ---- Bodies: one write/read pair per command, fields in declaration order.

void write_body(ByteWriter& w, const LockTryLock& c) {
  w.bytes(c.resource);
  w.bytes(c.owner);
  w.svarint(c.expires_ms);
}
bool read_body(ByteReader& r, LockTryLock& c) {
  return r.bytes(c.resource) && r.bytes(c.owner) && r.svarint(c.expires_ms);
}

void write_body(ByteWriter& w, const LockTryExtend& c) {
  w.bytes(c.resource);
  w.bytes(c.owner);
  w.svarint(c.expires_ms);
}
bool read_body(ByteReader& r, LockTryExtend& c) {
  return r.bytes(c.resource) && r.bytes(c.owner) && r.svarint(c.expires_ms);
}

void write_body(ByteWriter& w, const LockUnlock& c) {
  w.bytes(c.resource);
  w.bytes(c.owner);
}
bool read_body(ByteReader& r, LockUnlock& c) { return r.bytes(c.resource) && r.bytes(c.owner); }

void write_body(ByteWriter& w, const KvSet& c) {
  w.bytes(c.key);
  w.optional_bytes(c.value);
  w.optional_bytes(c.compare_value);
  w.svarint(c.compare_revision);
  w.svarint(c.expires_ms);
  w.varint(c.flags);
}
bool read_body(ByteReader& r, KvSet& c) {
  return r.bytes(c.key) && r.optional_bytes(c.value) && r.optional_bytes(c.compare_value) &&
         r.svarint(c.compare_revision) && r.svarint(c.expires_ms) && r.int_in_range(c.flags);
}

void write_body(ByteWriter& w, const KvDelete& c) { w.bytes(c.key); }
bool read_body(ByteReader& r, KvDelete& c) { return r.bytes(c.key); }

void write_body(ByteWriter& w, const KvExtend& c) {
  w.bytes(c.key);
  w.svarint(c.expires_ms);
}
bool read_body(ByteReader& r, KvExtend& c) { return r.bytes(c.key) && r.svarint(c.expires_ms); }

void write_body(ByteWriter& w, const KvSetMany& c) {
  w.varint(c.items.size());
  for (const auto& item : c.items) write_body(w, item);
}
bool read_body(ByteReader& r, KvSetMany& c) {
  std::uint64_t count = 0;
  if (!r.varint(count)) return false;
  // No reserve(count): a forged count must not allocate. Every item takes at
  // least one byte, so the loop ends with the input.
  for (std::uint64_t i = 0; i < count; ++i) {
    KvSet item;
    if (!read_body(r, item)) return false;
    c.items.push_back(std::move(item));
  }
  return true;
}

void write_body(ByteWriter& w, const KvDeleteMany& c) {
  w.varint(c.keys.size());
  for (const auto& key : c.keys) w.bytes(key);
}
bool read_body(ByteReader& r, KvDeleteMany& c) {
  std::uint64_t count = 0;
  if (!r.varint(count)) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key;
    if (!r.bytes(key)) return false;
    c.keys.push_back(std::move(key));
  }
  return true;
}

void write_body(ByteWriter& w, const KvExpire& c) {
  w.bytes(c.key);
  w.svarint(c.revision);
}
bool read_body(ByteReader& r, KvExpire& c) { return r.bytes(c.key) && r.svarint(c.revision); }

void write_body(ByteWriter& w, const SequenceCreate& c) {
  w.bytes(c.name);
  w.svarint(c.initial_value);
  w.svarint(c.increment);
  w.optional_svarint(c.max_value);
  w.optional_svarint(c.block_size);
}
bool read_body(ByteReader& r, SequenceCreate& c) {
  return r.bytes(c.name) && r.svarint(c.initial_value) && r.svarint(c.increment) &&
         r.optional_svarint(c.max_value) && r.optional_svarint(c.block_size);
}

void write_body(ByteWriter& w, const SequenceUpdate& c) {
  w.bytes(c.name);
  w.optional_svarint(c.current_value);
  w.optional_svarint(c.increment);
  w.optional_svarint(c.initial_value);
  w.optional_svarint(c.max_value);
  w.optional_svarint(c.block_size);
  w.boolean(c.remove_max_value);
  w.boolean(c.remove_block_size);
}
bool read_body(ByteReader& r, SequenceUpdate& c) {
  return r.bytes(c.name) && r.optional_svarint(c.current_value) && r.optional_svarint(c.increment) &&
         r.optional_svarint(c.initial_value) && r.optional_svarint(c.max_value) &&
         r.optional_svarint(c.block_size) && r.boolean(c.remove_max_value) && r.boolean(c.remove_block_size);
}

void write_body(ByteWriter& w, const SequenceDelete& c) { w.bytes(c.name); }
bool read_body(ByteReader& r, SequenceDelete& c) { return r.bytes(c.name); }

void write_body(ByteWriter& w, const SequenceReserveBlock& c) {
  w.bytes(c.name);
  w.svarint(c.count);
  w.svarint(c.default_block_size);
}
bool read_body(ByteReader& r, SequenceReserveBlock& c) {
  return r.bytes(c.name) && r.svarint(c.count) && r.svarint(c.default_block_size);
}

void write_body(ByteWriter& w, const SequenceNext& c) {
  w.bytes(c.name);
  w.optional_bytes(c.idempotency_key);
}
bool read_body(ByteReader& r, SequenceNext& c) {
  return r.bytes(c.name) && r.optional_bytes(c.idempotency_key);
}

void write_body(ByteWriter& w, const SequenceReserveRange& c) {
  w.bytes(c.name);
  w.svarint(c.count);
  w.optional_bytes(c.idempotency_key);
}
bool read_body(ByteReader& r, SequenceReserveRange& c) {
  return r.bytes(c.name) && r.svarint(c.count) && r.optional_bytes(c.idempotency_key);
}

template <class Body>
bool read_into(ByteReader& r, CommandBody& out) {
  Body body;
  if (!read_body(r, body)) return false;
  out = std::move(body);
  return true;
}

bool read_typed_body(ByteReader& r, CommandType type, CommandBody& out) {
  switch (type) {
    case CommandType::kLockTryLock:
      return read_into<LockTryLock>(r, out);
    case CommandType::kLockTryExtend:
      return read_into<LockTryExtend>(r, out);
    case CommandType::kLockUnlock:
      return read_into<LockUnlock>(r, out);
    case CommandType::kKvSet:
      return read_into<KvSet>(r, out);
    case CommandType::kKvDelete:
      return read_into<KvDelete>(r, out);
    case CommandType::kKvExtend:
      return read_into<KvExtend>(r, out);
    case CommandType::kKvSetMany:
      return read_into<KvSetMany>(r, out);
    case CommandType::kKvDeleteMany:
      return read_into<KvDeleteMany>(r, out);
    case CommandType::kKvExpire:
      return read_into<KvExpire>(r, out);
    case CommandType::kSequenceCreate:
      return read_into<SequenceCreate>(r, out);
    case CommandType::kSequenceUpdate:
      return read_into<SequenceUpdate>(r, out);
    case CommandType::kSequenceDelete:
      return read_into<SequenceDelete>(r, out);
    case CommandType::kSequenceReserveBlock:
      return read_into<SequenceReserveBlock>(r, out);
    case CommandType::kSequenceNext:
      return read_into<SequenceNext>(r, out);
    case CommandType::kSequenceReserveRange:
      return read_into<SequenceReserveRange>(r, out);
  }
  return false;
}

}  // namespace

CommandType command_type(const CommandBody& body) noexcept {
  // Indexed by the alternative's position in CommandBody.
  static constexpr CommandType kTypes[] = {
      CommandType::kLockTryLock,
      CommandType::kLockTryExtend,
      CommandType::kLockUnlock,
      CommandType::kKvSet,
      CommandType::kKvDelete,
      CommandType::kKvExtend,
      CommandType::kKvSetMany,
      CommandType::kKvDeleteMany,
      CommandType::kKvExpire,
      CommandType::kSequenceCreate,
      CommandType::kSequenceUpdate,
      CommandType::kSequenceDelete,
      CommandType::kSequenceReserveBlock,
      CommandType::kSequenceNext,
      CommandType::kSequenceReserveRange,
  };
  static_assert(std::size(kTypes) == std::variant_size_v<CommandBody>);
  return kTypes[body.index()];
}

std::string encode_command(const Command& command) {
  ByteWriter w;
  const RequestId& id = command.request_id;
  w.u8(id.present() ? kCommandFormatWithRequestId : kCommandFormat);
  w.u8(static_cast<std::uint8_t>(command_type(command.body)));
  w.hlc(command.stamp);
  if (id.present()) {
    w.varint(id.client);
    w.varint(id.sequence);
    w.varint(id.part);
  }
  std::visit([&w](const auto& body) { write_body(w, body); }, command.body);
  return w.take();
}

Status decode_command(std::string_view data, Command& out) {
  ByteReader r(data);
  std::uint8_t format = 0;
  std::uint8_t type = 0;
  if (!r.u8(format) || (format != kCommandFormat && format != kCommandFormatWithRequestId)) {
    return Status::corruption("unknown command format");
  }
  if (!r.u8(type)) return Status::corruption("truncated command");
  if (!r.hlc(out.stamp)) return Status::corruption("truncated command stamp");
  out.request_id = RequestId{};
  if (format == kCommandFormatWithRequestId) {
    RequestId& id = out.request_id;
    if (!r.varint(id.client) || !r.varint(id.sequence) || !r.int_in_range(id.part)) {
      return Status::corruption("truncated command request id");
    }
    if (!id.present()) return Status::corruption("a format 2 command with an empty request id");
  }
  if (!read_typed_body(r, static_cast<CommandType>(type), out.body)) {
    return Status::corruption("truncated or unknown command body");
  }
  if (!r.done()) return Status::corruption("trailing bytes after command");
  return Status::ok();
}

}  // namespace kahuna::services
