// ApplyContext: the writes of one apply batch, staged over the state they
// will change.
//
// The Raft driver applies several committed entries, then commits their
// writes together with the applied index in one WriteBatch through the log
// writer. Until that commit the engine does not hold those writes, so every
// read of a later entry must see the earlier entries' writes: an ApplyContext
// answers reads from its staged writes first and from `base` for the rest,
// and records the same writes, in order, into the WriteBatch the driver
// commits. A context may also sit over another context: a command runs in a
// child context that is merged into its parent only if the command completes,
// so a storage error half-way through leaves the parent untouched.
//
// Not thread safe. `base` must outlive the context and must not change while
// it is in use (the driver commits the batch only after the last read).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <kahuna/write_batch.h>

#include "services/storage/key_layout.h"
#include "services/storage/state_reader.h"

namespace kahuna::services {

class ApplyContext final : public StateReader {
 public:
  // Over another context, name the base as a StateReader (the copy
  // constructor is deleted): ApplyContext child(static_cast<const StateReader&>(parent)).
  explicit ApplyContext(const StateReader& base) noexcept : base_(base) {}

  ApplyContext(const ApplyContext&) = delete;
  ApplyContext& operator=(const ApplyContext&) = delete;

  // Reads see every write staged so far.
  Status get(std::string_view key, std::string& value) const override;
  // The cursor merges staged writes with `base`; staging a write while it is
  // open invalidates it.
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override;

  void put(std::string_view key, std::string_view value);
  void remove(std::string_view key);
  // Removes every key in [begin, end), in `base` too.
  void remove_range(std::string_view begin, std::string_view end);

  // Stages every write of `child` (a context over this one) after ours.
  void merge(const ApplyContext& child);

  // The staged writes, in the order they were made.
  const WriteBatch& batch() const noexcept { return batch_; }
  // Hands the staged writes over and empties the context; the caller must
  // commit them before reading `base` again through a new context.
  WriteBatch take_batch();
  bool empty() const noexcept { return batch_.empty(); }

 private:
  friend class OverlayCursor;
  bool erased_by_range(std::string_view key) const;

  const StateReader& base_;
  // nullopt: deleted by this context.
  std::map<std::string, std::optional<std::string>, std::less<>> staged_;
  std::vector<KeyRange> erased_ranges_;
  WriteBatch batch_;
};

}  // namespace kahuna::services
