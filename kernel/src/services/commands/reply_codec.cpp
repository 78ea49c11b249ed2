#include "services/commands/reply_codec.h"

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"

namespace kahuna::services {
namespace {

void write(ByteWriter& w, const LockReply& r) {
  w.svarint(static_cast<std::int32_t>(r.code));
  w.svarint(r.fencing_token);
  w.optional_bytes(r.owner);
  w.hlc(r.expires);
}

void write(ByteWriter& w, const KvReply& r) {
  w.svarint(static_cast<std::int32_t>(r.code));
  w.svarint(r.revision);
  w.hlc(r.last_modified);
  w.optional_bytes(r.value);
  w.hlc(r.expires);
}

void write(ByteWriter& w, const KvBatchReply& r) {
  w.varint(r.items.size());
  for (const KvReply& item : r.items) write(w, item);
}

void write(ByteWriter& w, const SequenceAllocation& a) {
  w.bytes(a.name);
  w.svarint(a.start);
  w.svarint(a.end);
  w.svarint(a.count);
  w.svarint(a.revision);
}

void write(ByteWriter& w, const SequenceInfo& s) {
  w.bytes(s.name);
  w.svarint(s.current_value);
  w.svarint(s.initial_value);
  w.svarint(s.increment);
  w.optional_svarint(s.max_value);
  w.optional_svarint(s.block_size);
  w.svarint(s.incarnation);
  w.svarint(s.revision);
  w.hlc(s.created_at);
  w.hlc(s.updated_at);
}

void write(ByteWriter& w, const SequenceReply& r) {
  w.svarint(static_cast<std::int32_t>(r.code));
  w.svarint(r.revision);
  w.boolean(r.sequence.has_value());
  if (r.sequence) write(w, *r.sequence);
  write(w, r.allocation);
  write(w, r.leftover);
  w.svarint(r.increment);
}

void write(ByteWriter& w, const RejectedCommand& r) { w.bytes(r.reason); }

template <class Code>
bool read_code(ByteReader& r, Code& out) {
  std::int32_t value = 0;
  if (!r.int_in_range(value)) return false;
  out = static_cast<Code>(value);
  return true;
}

bool read(ByteReader& r, LockReply& out) {
  return read_code(r, out.code) && r.svarint(out.fencing_token) && r.optional_bytes(out.owner) &&
         r.hlc(out.expires);
}

bool read(ByteReader& r, KvReply& out) {
  return read_code(r, out.code) && r.svarint(out.revision) && r.hlc(out.last_modified) &&
         r.optional_bytes(out.value) && r.hlc(out.expires);
}

bool read(ByteReader& r, KvBatchReply& out) {
  std::uint64_t count = 0;
  // Each item takes at least one byte: a forged count cannot make us allocate.
  if (!r.varint(count) || count > r.remaining()) return false;
  out.items.resize(count);
  for (KvReply& item : out.items) {
    if (!read(r, item)) return false;
  }
  return true;
}

bool read(ByteReader& r, SequenceAllocation& a) {
  return r.bytes(a.name) && r.svarint(a.start) && r.svarint(a.end) && r.svarint(a.count) &&
         r.svarint(a.revision);
}

bool read(ByteReader& r, SequenceInfo& s) {
  return r.bytes(s.name) && r.svarint(s.current_value) && r.svarint(s.initial_value) &&
         r.svarint(s.increment) && r.optional_svarint(s.max_value) && r.optional_svarint(s.block_size) &&
         r.svarint(s.incarnation) && r.svarint(s.revision) && r.hlc(s.created_at) && r.hlc(s.updated_at);
}

bool read(ByteReader& r, SequenceReply& out) {
  bool has_sequence = false;
  if (!read_code(r, out.code) || !r.svarint(out.revision) || !r.boolean(has_sequence)) return false;
  if (has_sequence && !read(r, out.sequence.emplace())) return false;
  return read(r, out.allocation) && read(r, out.leftover) && r.svarint(out.increment);
}

bool read(ByteReader& r, RejectedCommand& out) { return r.bytes(out.reason); }

template <std::size_t I = 0>
bool read_alternative(ByteReader& r, std::size_t index, Reply& out) {
  if constexpr (I < std::variant_size_v<Reply>) {
    if (index == I) return read(r, out.emplace<I>());
    return read_alternative<I + 1>(r, index, out);
  } else {
    return false;
  }
}

}  // namespace

std::string encode_reply(const Reply& reply) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(reply.index()));
  std::visit([&w](const auto& alternative) { write(w, alternative); }, reply);
  return w.take();
}

Status decode_reply(std::string_view data, Reply& out) {
  ByteReader r(data);
  std::uint8_t index = 0;
  if (!r.u8(index) || !read_alternative(r, index, out) || !r.done()) {
    return Status::corruption("undecodable reply");
  }
  return Status::ok();
}

}  // namespace kahuna::services
