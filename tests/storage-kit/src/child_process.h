// ChildProcess: starts a program with a pipe on its file descriptor 3 on
// which it sends fixed-size records (little-endian 64-bit numbers) to the
// parent, and lets the parent read them with deadlines and SIGKILL it.
// The child is SIGKILLed too if the parent dies, so no writer outlives a
// crashed test run.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <kahuna/status.h>

namespace kahuna::testkit {

// The child's end of the pipe.
inline constexpr int kRecordFd = 3;

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();  // SIGKILLs and reaps a child that still runs

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts `program` with `args` (args[0] becomes argv[0]).
  Status start(const std::string& program, const std::vector<std::string>& args);

  enum class Read { kRecord, kEnd, kTimeout };
  // The next record, or kEnd once the child closed the pipe (it ended), or
  // kTimeout when nothing came within `timeout`.
  Read read_record(std::uint64_t& record, std::chrono::milliseconds timeout);

  void kill();
  // Waits for the child to end and returns its wait status.
  int wait();

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string pending_;  // bytes of a record not yet complete
};

// Child side: sends one record to the parent; false when the parent is gone.
bool send_record(std::uint64_t record);

}  // namespace kahuna::testkit
