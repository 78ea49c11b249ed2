#include "kahuna/raft/progress.h"

#include <algorithm>

namespace kahuna::raft {

const char* to_string(ProgressState state) {
  switch (state) {
    case ProgressState::kProbe: return "probe";
    case ProgressState::kReplicate: return "replicate";
    case ProgressState::kSnapshot: return "snapshot";
  }
  return "unknown";
}

void Progress::become_probe() {
  // After a snapshot the follower holds at least the snapshot's entries.
  if (state == ProgressState::kSnapshot) {
    next = std::max(match + 1, pending_snapshot + 1);
  } else {
    next = match + 1;
  }
  state = ProgressState::kProbe;
  probe_sent = false;
  pending_snapshot = 0;
  snapshot_ticks = 0;
  inflights.reset();
}

void Progress::become_replicate() {
  next = match + 1;
  state = ProgressState::kReplicate;
  probe_sent = false;
  pending_snapshot = 0;
  snapshot_ticks = 0;
  inflights.reset();
}

void Progress::become_snapshot(Index snapshot_index) {
  state = ProgressState::kSnapshot;
  probe_sent = false;
  pending_snapshot = snapshot_index;
  snapshot_ticks = 0;
  inflights.reset();
}

bool Progress::maybe_update(Index index) {
  bool updated = false;
  if (match < index) {
    match = index;
    updated = true;
    probe_sent = false;
  }
  next = std::max(next, index + 1);
  return updated;
}

bool Progress::maybe_decrease_to(Index rejected, Index match_hint) {
  switch (state) {
    case ProgressState::kReplicate:
      // Appends at or below match were answered before; this rejection is old news.
      if (rejected <= match) return false;
      next = match + 1;
      return true;
    case ProgressState::kProbe:
      // Only the rejection of the append we are waiting for counts.
      if (next == 0 || next - 1 != rejected) return false;
      next = std::max(std::min(rejected, match_hint + 1), match + 1);
      probe_sent = false;
      return true;
    case ProgressState::kSnapshot: return false;
  }
  return false;
}

void Progress::on_append_sent(Index last_index, std::size_t count) {
  switch (state) {
    case ProgressState::kReplicate:
      if (count > 0) {
        next = last_index + 1;
        inflights.add(last_index);
      }
      break;
    case ProgressState::kProbe: probe_sent = true; break;
    case ProgressState::kSnapshot: break;
  }
}

bool Progress::is_paused() const {
  switch (state) {
    case ProgressState::kProbe: return probe_sent;
    case ProgressState::kReplicate: return inflights.full();
    case ProgressState::kSnapshot: return true;
  }
  return true;
}

}  // namespace kahuna::raft
