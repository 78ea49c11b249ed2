#include "key_layout.h"

namespace kahuna::lmdb_storage {

void KeyLayout::plain_key(std::string_view raw, std::string& out) const {
  out.clear();
  out.reserve(raw.size() + 1);
  out.push_back(kTag);
  out.append(raw);
}

void KeyLayout::bucket_key(std::string_view raw, std::string& out) const {
  out.clear();
  out.reserve(prefix_len_ + 2);
  out.push_back(kTag);
  out.append(raw.substr(0, prefix_len_));
  out.push_back('\0');
}

KeyLayout::Kind KeyLayout::classify(std::string_view stored) const noexcept {
  if (stored.empty() || stored.front() != kTag) return Kind::kInvalid;
  if (stored.size() <= prefix_len_ + 1) return Kind::kPlain;
  if (stored.size() == prefix_len_ + 2 && stored.back() == '\0') return Kind::kBucket;
  return Kind::kInvalid;
}

std::string_view KeyLayout::raw_part(std::string_view stored) const noexcept {
  return stored.substr(1, prefix_len_);
}

}  // namespace kahuna::lmdb_storage
