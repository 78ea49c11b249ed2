// Lock requests and replies on the wire (docs/protocol.md §4.1, §5.1).
#pragma once

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// bytes resource, bytes owner, i64 expires_ms, u8 durability.
void write(ByteWriter& w, const LockRequest& request);
void read(ByteReader& r, LockRequest& request);

// i32 code, i64 fencing_token, optional bytes owner, HLC expires.
void write(ByteWriter& w, const LockReply& reply);
void read(ByteReader& r, LockReply& reply);

}  // namespace kahuna::wire
