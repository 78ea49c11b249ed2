#include "kv_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const KvSetRequest& request) {
  w.bytes(request.key);
  w.optional_bytes(request.value);
  w.optional_bytes(request.compare_value);
  w.i64(request.compare_revision);
  w.i64(request.expires_ms);
  w.u32(request.flags);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, KvSetRequest& request) {
  r.bytes("key", request.key);
  r.optional_bytes("value", request.value);
  r.optional_bytes("compare_value", request.compare_value);
  request.compare_revision = r.i64("compare_revision");
  request.expires_ms = r.i64("expires_ms");
  request.flags = r.u32("flags");
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const KvGetRequest& request) {
  w.bytes(request.query.key);
  w.i64(request.query.revision);
  w.timestamp(request.query.read_timestamp);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, KvGetRequest& request) {
  r.bytes("key", request.query.key);
  request.query.revision = r.i64("revision");
  request.query.read_timestamp = r.timestamp("read_timestamp");
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const KvKeyRequest& request) {
  w.bytes(request.key);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, KvKeyRequest& request) {
  r.bytes("key", request.key);
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const KvExtendRequest& request) {
  w.bytes(request.key);
  w.i64(request.expires_ms);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, KvExtendRequest& request) {
  r.bytes("key", request.key);
  request.expires_ms = r.i64("expires_ms");
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const KvReply& reply) {
  w.i32(static_cast<std::int32_t>(reply.code));
  w.i64(reply.revision);
  w.timestamp(reply.last_modified);
  w.optional_bytes(reply.value);
  w.timestamp(reply.expires);
}

void read(ByteReader& r, KvReply& reply) {
  reply.code = static_cast<KvCode>(r.i32("code"));
  reply.revision = r.i64("revision");
  reply.last_modified = r.timestamp("last_modified");
  r.optional_bytes("value", reply.value);
  reply.expires = r.timestamp("expires");
}

}  // namespace kahuna::wire
