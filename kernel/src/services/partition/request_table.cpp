#include "services/partition/request_table.h"

#include <xxhash.h>

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"
#include "services/commands/command_codec.h"

namespace kahuna::services {
namespace {

constexpr std::uint8_t kEntryFormat = 1;

// Forgetting is spread over commands: one command never forgets more than
// this many old ids, however many have aged out. Above one, so a table over
// capacity (after the capacity was lowered) shrinks as it is used.
constexpr int kMaxForgetsPerCommand = 16;

// The range of order numbers in use: [first, next).
struct Bounds {
  std::uint64_t first = 0;
  std::uint64_t next = 0;
};

Status read_bounds(const StateReader& reader, const std::string& key, Bounds& out) {
  std::string bytes;
  Status status = reader.get(key, bytes);
  if (status.code() == StatusCode::kNotFound) {
    out = Bounds{};
    return Status::ok();
  }
  if (!status.is_ok()) return status;
  ByteReader r(bytes);
  if (!r.varint(out.first) || !r.varint(out.next) || !r.done() || out.first > out.next) {
    return Status::corruption("request table: bad bounds record");
  }
  return Status::ok();
}

std::string encode_bounds(const Bounds& bounds) {
  ByteWriter w;
  w.varint(bounds.first);
  w.varint(bounds.next);
  return w.take();
}

std::string encode_order(const RequestId& id, const HlcTimestamp& stamp) {
  ByteWriter w;
  w.varint(id.client);
  w.varint(id.sequence);
  w.varint(id.part);
  w.hlc(stamp);
  return w.take();
}

Status decode_order(std::string_view bytes, RequestId& id, HlcTimestamp& stamp) {
  ByteReader r(bytes);
  if (!r.varint(id.client) || !r.varint(id.sequence) || !r.int_in_range(id.part) || !r.hlc(stamp) ||
      !r.done()) {
    return Status::corruption("request table: bad order record");
  }
  return Status::ok();
}

}  // namespace

std::uint64_t command_fingerprint(const CommandBody& body) {
  const std::string bytes = encode_command(Command{HlcTimestamp{}, body, RequestId{}});
  return XXH3_64bits(bytes.data(), bytes.size());
}

Status RequestTable::find(const StateReader& reader, const RequestId& id,
                          std::optional<RememberedRequest>& out) const {
  out.reset();
  std::string bytes;
  Status status = reader.get(key_of(id), bytes);
  if (status.code() == StatusCode::kNotFound) return Status::ok();
  if (!status.is_ok()) return status;
  ByteReader r(bytes);
  std::uint8_t format = 0;
  RememberedRequest request;
  if (!r.u8(format) || format != kEntryFormat || !r.varint(request.fingerprint) || !r.bytes(request.reply) ||
      !r.done()) {
    return Status::corruption("request table: bad entry");
  }
  out = std::move(request);
  return Status::ok();
}

Status RequestTable::remember(ApplyContext& ctx, const RequestId& id, const HlcTimestamp& stamp,
                              const RememberedRequest& request) const {
  const std::string bounds_key = layout_.request_bounds_key();
  Bounds bounds;
  if (Status s = read_bounds(ctx, bounds_key, bounds); !s.is_ok()) return s;

  ByteWriter entry;
  entry.u8(kEntryFormat);
  entry.varint(request.fingerprint);
  entry.bytes(request.reply);
  ctx.put(key_of(id), entry.data());
  ctx.put(layout_.request_order_key(bounds.next), encode_order(id, stamp));
  ++bounds.next;

  for (int forgotten = 0; forgotten < kMaxForgetsPerCommand && bounds.first < bounds.next; ++forgotten) {
    const bool over_capacity = bounds.next - bounds.first > options_.capacity;
    const std::string order_key = layout_.request_order_key(bounds.first);
    std::string bytes;
    Status status = ctx.get(order_key, bytes);
    if (status.code() == StatusCode::kNotFound) {
      ++bounds.first;  // nothing there to forget
      continue;
    }
    if (!status.is_ok()) return status;
    RequestId oldest;
    HlcTimestamp applied_at;
    if (Status s = decode_order(bytes, oldest, applied_at); !s.is_ok()) return s;
    const bool aged_out = hlc_after(applied_at, options_.retention_ms) <= stamp;
    if (!over_capacity && !aged_out) break;
    // An id and its order record are forgotten together, and an id is
    // remembered only when it is not remembered: so no other order record
    // names this id, and its entry goes too.
    ctx.remove(order_key);
    ctx.remove(key_of(oldest));
    ++bounds.first;
  }
  ctx.put(bounds_key, encode_bounds(bounds));
  return Status::ok();
}

}  // namespace kahuna::services
