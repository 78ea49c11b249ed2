// Key/value scan requests and replies on the wire (docs/protocol.md §4.4, §5.4).
#pragma once

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// bytes prefix, HLC read_timestamp, u8 durability.
void write(ByteWriter& w, const KvPrefixRequest& request);
void read(ByteReader& r, KvPrefixRequest& request);

// bytes key_space, optional bytes start_key, bool start_inclusive,
// optional bytes end_key, bool end_inclusive, i64 limit,
// optional bytes cursor, HLC read_timestamp, u8 durability.
void write(ByteWriter& w, const KvRangeRequest& request);
void read(ByteReader& r, KvRangeRequest& request);

// bytes key, optional bytes value, i64 revision, HLC last_modified, HLC expires.
void write(ByteWriter& w, const KvItem& item);
void read(ByteReader& r, KvItem& item);

// i32 code, list of KvItem.
void write(ByteWriter& w, const KvScanReply& reply);
void read(ByteReader& r, KvScanReply& reply);

// i32 code, list of KvItem, bool has_more, optional bytes next_cursor.
void write(ByteWriter& w, const KvRangePage& page);
void read(ByteReader& r, KvRangePage& page);

}  // namespace kahuna::wire
