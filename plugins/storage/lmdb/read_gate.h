// ReadGate: counts the read transactions alive in this process, so that the
// writer can grow the LMDB map, which mdb_env_set_mapsize() allows only when
// no transaction at all is active in the process (it remaps the file).
//
// Every read transaction is opened between enter() and leave(). The writer
// calls lock_exclusive(): from then on new read transactions wait, while
// the live ones (snapshots, iterators, gets in flight) drain; once none is
// left the writer holds the gate, resizes and calls unlock_exclusive(). If
// they do not drain within the timeout the writer gives up and the waiting
// readers go on. Waiting readers are what keep a steady stream of short
// gets from starving the writer forever; the timeout is what keeps a thread
// that holds a snapshot and asks for another read from deadlocking with it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace kahuna::lmdb_storage {

class ReadGate {
 public:
  ReadGate() = default;
  ReadGate(const ReadGate&) = delete;
  ReadGate& operator=(const ReadGate&) = delete;

  // Before a read transaction begins. Waits while the writer holds or waits
  // for the gate (at most the writer's timeout plus one resize).
  void enter();
  // After a read transaction ended (or failed to begin).
  void leave() noexcept;

  // True: no read transaction is alive and none can begin until
  // unlock_exclusive(). False: `timeout` passed first; `still_open` then
  // says how many read transactions were alive.
  bool lock_exclusive(std::chrono::milliseconds timeout, std::size_t& still_open);
  void unlock_exclusive() noexcept;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t readers_ = 0;
  bool writer_waiting_ = false;
  bool writer_holds_ = false;
};

}  // namespace kahuna::lmdb_storage
