// KeyLayout: how raw keys (any bytes, empty to megabytes long, memcmp
// order) are stored as LMDB keys, which must be 1 to maxkeysize (511 in
// Debian's build) bytes long.
//
// Every stored key begins with the tag byte kTag, so that the empty raw key
// has a stored form too. With T = prefix_len():
//   - a raw key of at most T bytes is the *plain* record  tag + key;
//   - every longer raw key K lives inside the *bucket* record
//       tag + K[0, T) + 0x00
//     whose value lists (K[T, end), value) for every long key that shares
//     those T bytes, sorted by suffix (see bucket.h).
//
// Why the stored order is the raw order, with every bucket expanded in
// place. Drop the common tag and let P be a T-byte prefix. A string S with
// P < S < P+0x00 would have to begin with P and be longer than P, yet be
// smaller than P+0x00, which is the least such string: no S exists. So no
// plain key (at most T bytes) and no other bucket key (T+1 bytes, its own
// prefix differs from P in one of the first T bytes) falls between the
// plain key P and the bucket key P+0x00. The raw keys of P's bucket are
// exactly the raw keys that begin with P and are longer than it; every one
// of them is > P, and any stored key > P+0x00 differs from P at a byte
// i < T where it is greater, so it is also greater than every P+suffix.
// Hence ordering stored records and expanding each bucket's sorted list in
// place yields every raw key in memcmp order.
//
// T is fixed when a database is created (maxkeysize - 2) and recorded in it,
// since another LMDB build may have a different limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kahuna::lmdb_storage {

class KeyLayout {
 public:
  static constexpr char kTag = 'k';

  enum class Kind { kPlain, kBucket, kInvalid };

  explicit KeyLayout(std::size_t prefix_len = 0) noexcept : prefix_len_(prefix_len) {}

  std::size_t prefix_len() const noexcept { return prefix_len_; }
  // The longest stored key: a bucket's.
  std::size_t max_stored_key() const noexcept { return prefix_len_ + 2; }

  bool is_long(std::string_view raw) const noexcept { return raw.size() > prefix_len_; }

  // tag + raw. Requires !is_long(raw).
  void plain_key(std::string_view raw, std::string& out) const;
  // tag + raw[0, T) + 0x00: the bucket that holds (or would hold) `raw`.
  // Requires is_long(raw).
  void bucket_key(std::string_view raw, std::string& out) const;
  // The part of a long raw key that its bucket stores.
  std::string_view suffix(std::string_view raw) const noexcept { return raw.substr(prefix_len_); }

  Kind classify(std::string_view stored) const noexcept;
  // For a plain record, its raw key; for a bucket, the T-byte prefix its
  // raw keys share. Requires classify(stored) != kInvalid.
  std::string_view raw_part(std::string_view stored) const noexcept;

 private:
  std::size_t prefix_len_;
};

}  // namespace kahuna::lmdb_storage
