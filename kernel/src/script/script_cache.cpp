// ScriptCache: an LRU list plus an index by digest (script_cache.h).
#include "script/script_cache.h"

#include <utility>

#include <xxhash.h>

namespace kahuna::script {

ScriptDigest xxh3_128_digest(std::string_view text) {
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  return ScriptDigest{hash.high64, hash.low64};
}

ScriptCache::ScriptCache(ScriptCacheLimits limits, ScriptDigestFunction digest)
    : limits_(limits), digest_(digest != nullptr ? digest : xxh3_128_digest) {}

Script::ParseResult ScriptCache::get_or_parse(std::string_view text) {
  const ScriptDigest digest = digest_(text);
  {
    std::lock_guard lock(mutex_);
    if (auto script = find_locked(digest, text)) return Script::ParseResult{std::move(script), std::nullopt};
  }
  Script::ParseResult parsed = Script::parse(text);
  if (parsed.script) {
    std::lock_guard lock(mutex_);
    insert_locked(digest, parsed.script);
  }
  return parsed;
}

std::shared_ptr<const Script> ScriptCache::find(std::string_view text) {
  const ScriptDigest digest = digest_(text);
  std::lock_guard lock(mutex_);
  return find_locked(digest, text);
}

std::size_t ScriptCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::uint64_t ScriptCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t ScriptCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

std::shared_ptr<const Script> ScriptCache::find_locked(const ScriptDigest& digest, std::string_view text) {
  auto it = index_.find(digest);
  // The digest only finds the candidate; the text decides.
  if (it == index_.end() || it->second->second->text() != text) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ScriptCache::insert_locked(const ScriptDigest& digest, std::shared_ptr<const Script> script) {
  const std::size_t bytes = script->text().size();
  if (limits_.max_entries == 0 || bytes > limits_.max_text_bytes) return;
  // Another thread may have cached the same text meanwhile, or a colliding
  // text holds the digest: the newest wins.
  if (auto it = index_.find(digest); it != index_.end()) erase_locked(it->second);
  lru_.emplace_front(digest, std::move(script));
  index_.emplace(digest, lru_.begin());
  text_bytes_ += bytes;
  while (lru_.size() > limits_.max_entries || text_bytes_ > limits_.max_text_bytes) {
    erase_locked(std::prev(lru_.end()));
  }
}

void ScriptCache::erase_locked(Lru::iterator it) {
  text_bytes_ -= it->second->text().size();
  index_.erase(it->first);
  lru_.erase(it);
}

}  // namespace kahuna::script
