// ScriptCache: a bounded, thread-safe LRU cache of parsed scripts, so a
// script sent again and again is parsed once (TRANSACTIONS.md §4).
//
// Clients also send a `hash` of the text (the reference client: BLAKE3 hex).
// The cache never trusts it: a client could send any hash with any text, and
// running a cached script for a hash whose text differs would run code the
// client did not send. So the cache is keyed by the text itself — by a
// 128-bit XXH3 digest the server computes over it — and a hit counts only
// when the cached script's text equals the text sent, byte for byte. A digest
// collision therefore costs a re-parse, never a wrong script.
//
// Failed parses are not cached: garbage must not evict good scripts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "script/script.h"

namespace kahuna::script {

struct ScriptCacheLimits {
  std::size_t max_entries = 1024;
  std::size_t max_text_bytes = std::size_t{32} << 20;  // total script text held
};

// The cache's key for a text; replaceable so tests can force collisions.
struct ScriptDigest {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const ScriptDigest&, const ScriptDigest&) = default;
};
using ScriptDigestFunction = ScriptDigest (*)(std::string_view text);

ScriptDigest xxh3_128_digest(std::string_view text);

class ScriptCache {
 public:
  explicit ScriptCache(ScriptCacheLimits limits = {}, ScriptDigestFunction digest = xxh3_128_digest);

  ScriptCache(const ScriptCache&) = delete;
  ScriptCache& operator=(const ScriptCache&) = delete;

  // The parsed script whose text is exactly `text`: the cached one, or a
  // fresh parse (cached when it succeeds). Parsing happens outside the lock.
  Script::ParseResult get_or_parse(std::string_view text);
  // The cached script for exactly `text`, or null.
  std::shared_ptr<const Script> find(std::string_view text);

  std::size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct DigestHash {
    std::size_t operator()(const ScriptDigest& d) const noexcept {
      return static_cast<std::size_t>(d.low ^ d.high);
    }
  };
  using Lru = std::list<std::pair<ScriptDigest, std::shared_ptr<const Script>>>;  // most recent first

  std::shared_ptr<const Script> find_locked(const ScriptDigest& digest, std::string_view text);
  void insert_locked(const ScriptDigest& digest, std::shared_ptr<const Script> script);
  void erase_locked(Lru::iterator it);

  const ScriptCacheLimits limits_;
  const ScriptDigestFunction digest_;
  mutable std::mutex mutex_;
  Lru lru_;
  std::unordered_map<ScriptDigest, Lru::iterator, DigestHash> index_;
  std::size_t text_bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace kahuna::script
