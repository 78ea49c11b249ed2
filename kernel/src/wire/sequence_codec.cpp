#include "sequence_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const SequenceCreateRequest& request) {
  w.bytes(request.name);
  w.i64(request.initial_value);
  w.i64(request.increment);
  w.optional_i64(request.max_value);
  w.optional_i64(request.block_size);
}

void read(ByteReader& r, SequenceCreateRequest& request) {
  r.bytes("name", request.name);
  request.initial_value = r.i64("initial_value");
  request.increment = r.i64("increment");
  r.optional_i64("max_value", request.max_value);
  r.optional_i64("block_size", request.block_size);
}

void write(ByteWriter& w, const SequenceUpdateRequest& request) {
  w.bytes(request.name);
  w.optional_i64(request.current_value);
  w.optional_i64(request.increment);
  w.optional_i64(request.initial_value);
  w.optional_i64(request.max_value);
  w.optional_i64(request.block_size);
  w.boolean(request.remove_max_value);
  w.boolean(request.remove_block_size);
}

void read(ByteReader& r, SequenceUpdateRequest& request) {
  r.bytes("name", request.name);
  r.optional_i64("current_value", request.current_value);
  r.optional_i64("increment", request.increment);
  r.optional_i64("initial_value", request.initial_value);
  r.optional_i64("max_value", request.max_value);
  r.optional_i64("block_size", request.block_size);
  request.remove_max_value = r.boolean("remove_max_value");
  request.remove_block_size = r.boolean("remove_block_size");
}

void write(ByteWriter& w, const SequenceReserveRequest& request) {
  w.bytes(request.name);
  w.i64(request.count);
  w.optional_bytes(request.idempotency_key);
}

void read(ByteReader& r, SequenceReserveRequest& request) {
  r.bytes("name", request.name);
  request.count = r.i64("count");
  r.optional_bytes("idempotency_key", request.idempotency_key);
}

void write(ByteWriter& w, const SequenceAllocation& allocation) {
  w.bytes(allocation.name);
  w.i64(allocation.start);
  w.i64(allocation.end);
  w.i64(allocation.count);
  w.i64(allocation.revision);
}

void read(ByteReader& r, SequenceAllocation& allocation) {
  r.bytes("allocation.name", allocation.name);
  allocation.start = r.i64("allocation.start");
  allocation.end = r.i64("allocation.end");
  allocation.count = r.i64("allocation.count");
  allocation.revision = r.i64("allocation.revision");
}

void write(ByteWriter& w, const SequenceInfo& info) {
  w.bytes(info.name);
  w.i64(info.current_value);
  w.i64(info.initial_value);
  w.i64(info.increment);
  w.optional_i64(info.max_value);
  w.optional_i64(info.block_size);
  w.i64(info.incarnation);
  w.i64(info.revision);
  w.timestamp(info.created_at);
  w.timestamp(info.updated_at);
}

void read(ByteReader& r, SequenceInfo& info) {
  r.bytes("sequence.name", info.name);
  info.current_value = r.i64("sequence.current_value");
  info.initial_value = r.i64("sequence.initial_value");
  info.increment = r.i64("sequence.increment");
  r.optional_i64("sequence.max_value", info.max_value);
  r.optional_i64("sequence.block_size", info.block_size);
  info.incarnation = r.i64("sequence.incarnation");
  info.revision = r.i64("sequence.revision");
  info.created_at = r.timestamp("sequence.created_at");
  info.updated_at = r.timestamp("sequence.updated_at");
}

void write(ByteWriter& w, const SequenceReply& reply) {
  w.i32(static_cast<std::int32_t>(reply.code));
  w.i64(reply.revision);
  w.boolean(reply.sequence.has_value());
  if (reply.sequence) write(w, *reply.sequence);
  write(w, reply.allocation);
  write(w, reply.leftover);
  w.i64(reply.increment);
}

void read(ByteReader& r, SequenceReply& reply) {
  reply.code = static_cast<SequenceCode>(r.i32("code"));
  reply.revision = r.i64("revision");
  if (r.boolean("sequence")) {
    read(r, reply.sequence.emplace());
  } else {
    reply.sequence.reset();
  }
  read(r, reply.allocation);
  read(r, reply.leftover);
  reply.increment = r.i64("increment");
}

}  // namespace kahuna::wire
