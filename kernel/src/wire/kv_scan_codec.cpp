#include "kv_scan_codec.h"

#include "common_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const KvPrefixRequest& request) {
  w.bytes(request.prefix);
  w.timestamp(request.read_timestamp);
  w.u8(static_cast<std::uint8_t>(request.durability));
  w.u32(request.partition);
}

void read(ByteReader& r, KvPrefixRequest& request) {
  r.bytes("prefix", request.prefix);
  request.read_timestamp = r.timestamp("read_timestamp");
  request.durability = r.durability("durability");
  request.partition = r.u32("partition");
}

void write(ByteWriter& w, const KvRangeRequest& request) {
  const KvRangeQuery& q = request.query;
  w.bytes(q.key_space);
  w.optional_bytes(q.start_key);
  w.boolean(q.start_inclusive);
  w.optional_bytes(q.end_key);
  w.boolean(q.end_inclusive);
  w.i64(q.limit);
  w.optional_bytes(q.cursor);
  w.timestamp(q.read_timestamp);
  w.u8(static_cast<std::uint8_t>(request.durability));
}

void read(ByteReader& r, KvRangeRequest& request) {
  KvRangeQuery& q = request.query;
  r.bytes("key_space", q.key_space);
  r.optional_bytes("start_key", q.start_key);
  q.start_inclusive = r.boolean("start_inclusive");
  r.optional_bytes("end_key", q.end_key);
  q.end_inclusive = r.boolean("end_inclusive");
  q.limit = r.i64("limit");
  r.optional_bytes("cursor", q.cursor);
  q.read_timestamp = r.timestamp("read_timestamp");
  request.durability = r.durability("durability");
}

void write(ByteWriter& w, const KvItem& item) {
  w.bytes(item.key);
  w.optional_bytes(item.value);
  w.i64(item.revision);
  w.timestamp(item.last_modified);
  w.timestamp(item.expires);
}

void read(ByteReader& r, KvItem& item) {
  r.bytes("item.key", item.key);
  r.optional_bytes("item.value", item.value);
  item.revision = r.i64("item.revision");
  item.last_modified = r.timestamp("item.last_modified");
  item.expires = r.timestamp("item.expires");
}

void write(ByteWriter& w, const KvScanReply& reply) {
  w.i32(static_cast<std::int32_t>(reply.code));
  write_list(w, reply.items);
}

void read(ByteReader& r, KvScanReply& reply) {
  reply.code = static_cast<KvCode>(r.i32("code"));
  read_list(r, "items", reply.items);
}

void write(ByteWriter& w, const KvRangePage& page) {
  w.i32(static_cast<std::int32_t>(page.code));
  write_list(w, page.items);
  w.boolean(page.has_more);
  w.optional_bytes(page.next_cursor);
}

void read(ByteReader& r, KvRangePage& page) {
  page.code = static_cast<KvCode>(r.i32("code"));
  read_list(r, "items", page.items);
  page.has_more = r.boolean("has_more");
  r.optional_bytes("next_cursor", page.next_cursor);
}

}  // namespace kahuna::wire
