#include "services/storage/engine_state_reader.h"

#include <utility>

namespace kahuna::services {

namespace {

class EngineCursor final : public StateCursor {
 public:
  explicit EngineCursor(std::unique_ptr<Iterator> it) : it_(std::move(it)) { it_->seek_to_first(); }
  bool valid() const override { return it_->valid(); }
  std::string_view key() const override { return it_->key(); }
  std::string_view value() const override { return it_->value(); }
  void next() override { it_->next(); }
  Status status() const override { return it_->status(); }

 private:
  std::unique_ptr<Iterator> it_;
};

}  // namespace

Status EngineStateReader::get(std::string_view key, std::string& value) const {
  return engine_.get(key, value, snapshot_);
}

std::unique_ptr<StateCursor> EngineStateReader::scan(std::string_view lower, std::string_view upper) const {
  IteratorOptions options;
  options.lower_bound = std::string(lower);
  if (!upper.empty()) options.upper_bound = std::string(upper);
  options.snapshot = snapshot_;
  return std::make_unique<EngineCursor>(engine_.iterator(options));
}

}  // namespace kahuna::services
