// Key/value point and batch requests and replies on the wire
// (docs/protocol.md §4.2, §4.3, §5.2, §5.3).
#pragma once

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// bytes key, optional bytes value, optional bytes compare_value,
// i64 compare_revision, i64 expires_ms, u32 flags, u8 durability.
void write(ByteWriter& w, const KvSetRequest& request);
void read(ByteReader& r, KvSetRequest& request);

// bytes key, i64 revision, HLC read_timestamp, u8 durability.
void write(ByteWriter& w, const KvGetRequest& request);
void read(ByteReader& r, KvGetRequest& request);

// bytes key, u8 durability.
void write(ByteWriter& w, const KvKeyRequest& request);
void read(ByteReader& r, KvKeyRequest& request);

// bytes key, i64 expires_ms, u8 durability.
void write(ByteWriter& w, const KvExtendRequest& request);
void read(ByteReader& r, KvExtendRequest& request);

// i32 code, i64 revision, HLC last_modified, optional bytes value, HLC expires.
void write(ByteWriter& w, const KvReply& reply);
void read(ByteReader& r, KvReply& reply);

}  // namespace kahuna::wire
