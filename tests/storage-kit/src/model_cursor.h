// ModelCursor: what an Iterator with the given bounds must do, computed on
// the std::map model. Tests drive an engine iterator and a ModelCursor with
// the same calls and compare them after each.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kv_testing.h"

namespace kahuna::testkit {

class ModelCursor {
 public:
  ModelCursor(const Model& model, std::optional<std::string> lower, std::optional<std::string> upper)
      : model_(model), lower_(std::move(lower)), upper_(std::move(upper)) {}

  void seek_to_first() {
    it_ = lower_ ? model_.lower_bound(*lower_) : model_.begin();
    check_upper();
  }
  void seek_to_last() {
    it_ = upper_ ? model_.lower_bound(*upper_) : model_.end();
    step_back();
  }
  void seek(std::string_view target) {
    std::string t(target);
    if (lower_ && t < *lower_) t = *lower_;
    it_ = model_.lower_bound(t);
    check_upper();
  }
  void seek_for_prev(std::string_view target) {
    if (upper_ && target >= *upper_) {
      seek_to_last();
      return;
    }
    it_ = model_.upper_bound(std::string(target));
    step_back();
  }
  void next() {
    ++it_;
    check_upper();
  }
  void prev() { step_back(); }

  bool valid() const { return valid_; }
  const std::string& key() const { return it_->first; }
  const std::string& value() const { return it_->second; }

 private:
  void check_upper() { valid_ = it_ != model_.end() && !(upper_ && it_->first >= *upper_); }
  // Moves to the entry before it_, if any, and checks the lower bound.
  void step_back() {
    if (it_ == model_.begin()) {
      valid_ = false;
      return;
    }
    --it_;
    valid_ = !(lower_ && it_->first < *lower_);
  }

  const Model& model_;
  std::optional<std::string> lower_;
  std::optional<std::string> upper_;
  Model::const_iterator it_;
  bool valid_ = false;
};

// The moves a test makes on an engine iterator and a ModelCursor alike.
enum class CursorMove { kSeekToFirst, kSeekToLast, kSeek, kSeekForPrev, kNext, kPrev };

// Makes `move` on an engine Iterator or a ModelCursor; seeks go to `target`.
template <class Cursor>
void make_move(Cursor& cursor, CursorMove move, std::string_view target) {
  switch (move) {
    case CursorMove::kSeekToFirst: cursor.seek_to_first(); break;
    case CursorMove::kSeekToLast: cursor.seek_to_last(); break;
    case CursorMove::kSeek: cursor.seek(target); break;
    case CursorMove::kSeekForPrev: cursor.seek_for_prev(target); break;
    case CursorMove::kNext: cursor.next(); break;
    case CursorMove::kPrev: cursor.prev(); break;
  }
}

// Makes `move` on both `it` and `want` and says what was done, for failure
// messages.
inline std::string move_both(Iterator& it, ModelCursor& want, CursorMove move, const std::string& target) {
  make_move(it, move, target);
  make_move(want, move, target);
  switch (move) {
    case CursorMove::kSeekToFirst: return "seek_to_first";
    case CursorMove::kSeekToLast: return "seek_to_last";
    case CursorMove::kSeek: return "seek " + printable(target);
    case CursorMove::kSeekForPrev: return "seek_for_prev " + printable(target);
    case CursorMove::kNext: return "next";
    case CursorMove::kPrev: return "prev";
  }
  return "";
}

}  // namespace kahuna::testkit
