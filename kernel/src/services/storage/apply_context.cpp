#include "services/storage/apply_context.h"

#include <utility>

namespace kahuna::services {

namespace {

bool in_range(std::string_view key, const KeyRange& range) {
  return key >= range.begin && (range.end.empty() || key < range.end);
}

}  // namespace

// Merges the staged map with the base cursor: on equal keys the staged write
// wins, staged deletions hide base keys, and base keys inside a staged
// range deletion are skipped.
class OverlayCursor final : public StateCursor {
 public:
  using Staged = std::map<std::string, std::optional<std::string>, std::less<>>;

  OverlayCursor(const ApplyContext& context, std::unique_ptr<StateCursor> base, Staged::const_iterator staged,
                Staged::const_iterator staged_end)
      : context_(context), base_(std::move(base)), staged_(staged), staged_end_(staged_end) {
    settle();
  }

  bool valid() const override { return on_staged_ || on_base_; }
  std::string_view key() const override {
    return on_staged_ ? std::string_view(staged_->first) : base_->key();
  }
  std::string_view value() const override {
    return on_staged_ ? std::string_view(*staged_->second) : base_->value();
  }
  void next() override {
    if (on_staged_) {
      ++staged_;
    } else {
      base_->next();
    }
    settle();
  }
  Status status() const override { return base_->status(); }

 private:
  void settle() {
    on_staged_ = on_base_ = false;
    for (;;) {
      while (base_->valid() && context_.erased_by_range(base_->key())) base_->next();
      const bool has_base = base_->valid();
      const bool has_staged = staged_ != staged_end_;
      if (!has_base && !has_staged) return;
      if (has_staged && (!has_base || std::string_view(staged_->first) <= base_->key())) {
        // The staged entry shadows a base entry with the same key.
        if (has_base && std::string_view(staged_->first) == base_->key()) base_->next();
        if (!staged_->second) {
          ++staged_;
          continue;
        }
        on_staged_ = true;
        return;
      }
      on_base_ = true;
      return;
    }
  }

  const ApplyContext& context_;
  std::unique_ptr<StateCursor> base_;
  Staged::const_iterator staged_;
  Staged::const_iterator staged_end_;
  bool on_staged_ = false;
  bool on_base_ = false;
};

bool ApplyContext::erased_by_range(std::string_view key) const {
  for (const auto& range : erased_ranges_) {
    if (in_range(key, range)) return true;
  }
  return false;
}

Status ApplyContext::get(std::string_view key, std::string& value) const {
  if (auto it = staged_.find(key); it != staged_.end()) {
    if (!it->second) return Status::not_found();
    value = *it->second;
    return Status::ok();
  }
  if (erased_by_range(key)) return Status::not_found();
  return base_.get(key, value);
}

std::unique_ptr<StateCursor> ApplyContext::scan(std::string_view lower, std::string_view upper) const {
  auto begin = staged_.lower_bound(lower);
  auto end = upper.empty() ? staged_.end() : staged_.lower_bound(upper);
  if (!upper.empty() && upper <= lower) end = begin;
  return std::make_unique<OverlayCursor>(*this, base_.scan(lower, upper), begin, end);
}

void ApplyContext::put(std::string_view key, std::string_view value) {
  staged_.insert_or_assign(std::string(key), std::optional<std::string>(std::in_place, value));
  batch_.put(key, value);
}

void ApplyContext::remove(std::string_view key) {
  staged_.insert_or_assign(std::string(key), std::optional<std::string>());
  batch_.remove(key);
}

void ApplyContext::remove_range(std::string_view begin, std::string_view end) {
  KeyRange range{std::string(begin), std::string(end)};
  auto first = staged_.lower_bound(range.begin);
  auto last = range.end.empty() ? staged_.end() : staged_.lower_bound(range.end);
  if (range.end.empty() || range.begin < range.end) staged_.erase(first, last);
  erased_ranges_.push_back(std::move(range));
  batch_.remove_range(begin, end);
}

void ApplyContext::merge(const ApplyContext& child) {
  for (const auto& op : child.batch().ops()) {
    switch (op.type) {
      case WriteBatch::OpType::kPut: put(op.key, op.value); break;
      case WriteBatch::OpType::kDelete: remove(op.key); break;
      case WriteBatch::OpType::kDeleteRange: remove_range(op.key, op.value); break;
    }
  }
}

WriteBatch ApplyContext::take_batch() {
  WriteBatch out = std::move(batch_);
  batch_.clear();
  staged_.clear();
  erased_ranges_.clear();
  return out;
}

}  // namespace kahuna::services
