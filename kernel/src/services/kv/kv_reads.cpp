#include "services/kv/kv_reads.h"

#include <algorithm>

#include "services/codec/byte_reader.h"
#include "services/commands/name_rules.h"
#include "services/placement/placement.h"

namespace kahuna::services {

namespace {

constexpr std::string_view kCursorTag = "k1.";
constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

KvItem item_of(std::string_view key, const KvRecord& record) {
  return KvItem{std::string(key), record.value, record.revision, record.modified, record.expiry};
}

// The smallest key greater than `key`.
std::string successor(std::string_view key) {
  std::string out(key);
  out.push_back('\0');
  return out;
}

}  // namespace

std::string encode_range_cursor(std::string_view last_key) {
  std::string out(kCursorTag);
  for (unsigned char c : last_key) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xF]);
  }
  return out;
}

bool decode_range_cursor(std::string_view cursor, std::string& last_key) {
  if (cursor.substr(0, kCursorTag.size()) != kCursorTag) return false;
  const std::string_view hex = cursor.substr(kCursorTag.size());
  if (hex.size() % 2 != 0) return false;
  last_key.clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return false;
    last_key.push_back(static_cast<char>((high << 4) | low));
  }
  return true;
}

Status KvReads::resolve(const StateReader& reader, std::string_view key, std::int64_t revision,
                        const HlcTimestamp& read_timestamp, const HlcTimestamp& now,
                        std::optional<KvRecord>& out) const {
  if (revision >= 0) {
    // An exact revision is a fact of the key's past: it reads as written,
    // whether or not its TTL has passed since (`expires` tells the caller).
    if (Status s = store_.load_revision(reader, key, revision, out); !s.is_ok()) return s;
    if (out && out->state != KvRecord::State::kLive) out.reset();
    return Status::ok();
  }
  if (!read_timestamp.is_zero()) {
    if (Status s = store_.load_as_of(reader, key, read_timestamp, out); !s.is_ok()) return s;
    if (out && !out->is_live(read_timestamp)) out.reset();
    return Status::ok();
  }
  if (Status s = store_.load_current(reader, key, out); !s.is_ok()) return s;
  if (out && !out->is_live(now)) out.reset();
  return Status::ok();
}

Status KvReads::point_read(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
                           KvCode found_code, bool with_value, KvReply& reply) const {
  reply = KvReply{};
  if (query.key.empty() || is_reserved_name(query.key) || query.key.size() > store_.options().max_key_bytes) {
    reply.code = KvCode::kInvalidInput;
    return Status::ok();
  }
  std::optional<KvRecord> record;
  if (Status s = resolve(reader, query.key, query.revision, query.read_timestamp, now, record); !s.is_ok()) {
    return s;
  }
  if (!record) {
    reply.code = KvCode::kDoesNotExist;
    return Status::ok();
  }
  reply.code = found_code;
  reply.revision = record->revision;
  reply.last_modified = record->modified;
  reply.expires = record->expiry;
  if (with_value) reply.value = std::move(record->value);
  return Status::ok();
}

Status KvReads::get(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
                    KvReply& reply) const {
  return point_read(reader, query, now, KvCode::kGet, true, reply);
}

Status KvReads::exists(const StateReader& reader, const KvGetQuery& query, const HlcTimestamp& now,
                       KvReply& reply) const {
  return point_read(reader, query, now, KvCode::kExists, false, reply);
}

Status KvReads::scan_prefix(const StateReader& reader, std::string_view prefix,
                            const HlcTimestamp& read_timestamp, const HlcTimestamp& now,
                            KvScanReply& reply) const {
  reply = KvScanReply{};
  if (prefix.empty()) {
    reply.code = KvCode::kInvalidInput;
    return Status::ok();
  }
  const KeyLayout& layout = store_.layout();
  const std::string lower = layout.kv_key(prefix);
  auto cursor = reader.scan(lower, prefix_end(lower));
  for (; cursor->valid(); cursor->next()) {
    std::string_view key;
    if (!layout.strip(Family::kKvCurrent, cursor->key(), key)) continue;
    if (is_reserved_name(key)) continue;
    KvRecord record;
    if (Status s = decode_kv_record(cursor->value(), record); !s.is_ok()) return s;
    if (read_timestamp.is_zero()) {
      if (record.is_live(now)) reply.items.push_back(item_of(key, record));
      continue;
    }
    std::optional<KvRecord> as_of;
    if (Status s = resolve(reader, key, -1, read_timestamp, now, as_of); !s.is_ok()) return s;
    if (as_of) reply.items.push_back(item_of(key, *as_of));
  }
  return cursor->status();
}

Status KvReads::get_range(const StateReader& reader, const KvRangeQuery& query, const HlcTimestamp& now,
                          KvRangePage& page) const {
  page = KvRangePage{};
  std::string resume_after;
  if (query.key_space.empty() || query.limit < 1 ||
      (query.cursor && !decode_range_cursor(*query.cursor, resume_after))) {
    page.code = KvCode::kInvalidInput;
    return Status::ok();
  }
  const KeyLayout& layout = store_.layout();
  // Every key of the key space starts with the key space's own bytes.
  std::string lower = layout.kv_key(query.key_space);
  std::string upper = prefix_end(lower);
  if (query.start_key) {
    const std::string start = layout.kv_key(*query.start_key);
    lower = std::max(lower, query.start_inclusive ? start : successor(start));
  }
  if (query.cursor) lower = std::max(lower, successor(layout.kv_key(resume_after)));
  if (query.end_key) {
    const std::string end = layout.kv_key(*query.end_key);
    upper = std::min(upper, query.end_inclusive ? successor(end) : end);
  }
  if (upper <= lower) return Status::ok();

  const auto limit = static_cast<std::size_t>(
      std::min<std::int64_t>(query.limit, static_cast<std::int64_t>(store_.options().max_page_size)));
  auto cursor = reader.scan(lower, upper);
  for (; cursor->valid(); cursor->next()) {
    std::string_view key;
    if (!layout.strip(Family::kKvCurrent, cursor->key(), key)) continue;
    // Keys of deeper key spaces ("ks/a/b") share the byte prefix but live in
    // their own key space, possibly on another partition.
    if (key_space_of(key) != query.key_space) continue;
    std::optional<KvRecord> record;
    if (query.read_timestamp.is_zero()) {
      KvRecord current;
      if (Status s = decode_kv_record(cursor->value(), current); !s.is_ok()) return s;
      if (current.is_live(now)) record = std::move(current);
    } else if (Status s = resolve(reader, key, -1, query.read_timestamp, now, record); !s.is_ok()) {
      return s;
    }
    if (!record) continue;
    if (page.items.size() == limit) {
      page.has_more = true;
      page.next_cursor = encode_range_cursor(page.items.back().key);
      break;
    }
    page.items.push_back(item_of(key, *record));
  }
  return cursor->status();
}

Status KvReads::list_expired(const StateReader& reader, const HlcTimestamp& now, std::size_t limit,
                             std::vector<ExpiredKey>& out) const {
  out.clear();
  if (limit == 0) return Status::ok();
  const KeyLayout& layout = store_.layout();
  const std::string lower = layout.family_prefix(Family::kKvExpiry);
  std::string through_now = lower;
  append_hlc_ordered(through_now, now);
  auto cursor = reader.scan(lower, prefix_end(through_now));
  for (; cursor->valid() && out.size() < limit; cursor->next()) {
    std::string_view rest;
    HlcTimestamp expiry;
    if (!layout.strip(Family::kKvExpiry, cursor->key(), rest) || !read_hlc_ordered(rest, expiry)) {
      return Status::corruption("malformed TTL index key");
    }
    ByteReader value(cursor->value());
    ExpiredKey entry{std::string(rest.substr(kHlcOrderedSize)), 0};
    if (!value.svarint(entry.revision) || !value.done())
      return Status::corruption("malformed TTL index entry");
    out.push_back(std::move(entry));
  }
  return cursor->status();
}

}  // namespace kahuna::services
