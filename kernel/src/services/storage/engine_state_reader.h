// EngineStateReader: a StateReader over a storage engine, reading either the
// engine's latest state or one of its consistent snapshots.
//
// Reads that must agree with each other (a range read's pages, a partition
// snapshot for Raft) go through a snapshot; the apply path reads the latest
// state, under the ApplyContext overlay of writes not yet committed.
#pragma once

#include <kahuna/storage_engine.h>

#include "services/storage/state_reader.h"

namespace kahuna::services {

class EngineStateReader final : public StateReader {
 public:
  // `engine`, and `snapshot` when not null, must outlive this reader and
  // every cursor it returns.
  explicit EngineStateReader(StorageEngine& engine, const Snapshot* snapshot = nullptr) noexcept
      : engine_(engine), snapshot_(snapshot) {}

  Status get(std::string_view key, std::string& value) const override;
  std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const override;

 private:
  StorageEngine& engine_;
  const Snapshot* snapshot_;
};

}  // namespace kahuna::services
