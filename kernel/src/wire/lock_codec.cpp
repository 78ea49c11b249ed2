#include "lock_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const LockRequest& request) {
  w.bytes(request.resource);
  w.bytes(request.owner);
  w.i64(request.expires_ms);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, LockRequest& request) {
  r.bytes("resource", request.resource);
  r.bytes("owner", request.owner);
  request.expires_ms = r.i64("expires_ms");
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const LockReply& reply) {
  w.i32(static_cast<std::int32_t>(reply.code));
  w.i64(reply.fencing_token);
  w.optional_bytes(reply.owner);
  w.timestamp(reply.expires);
}

void read(ByteReader& r, LockReply& reply) {
  // Codes are kept as sent: clients treat a code they do not know as errored.
  reply.code = static_cast<LockCode>(r.i32("code"));
  reply.fencing_token = r.i64("fencing_token");
  r.optional_bytes("owner", reply.owner);
  reply.expires = r.timestamp("expires");
}

}  // namespace kahuna::wire
