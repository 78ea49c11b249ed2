// ChildProcess: runs a program for a test, with its stderr and stdout read
// through a pipe, so the test can wait for a log line, send signals and
// check the exit status. Never waits unboundedly: every wait has a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kahuna::testing {

class ChildProcess {
 public:
  // Starts `program` with `arguments` in `working_dir`; stdout and stderr
  // both go to one pipe, or, with `output_file`, are appended to that file.
  // A pipe is only read while the test waits on the child, so a child that
  // prints a lot while the test does something else blocks on a full pipe;
  // a long-running server should log to a file.
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments,
               const std::filesystem::path& working_dir, const std::filesystem::path& output_file = {});
  ~ChildProcess();  // SIGKILLs the child if it still runs

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads output until it contains `text`; false if the deadline passes or
  // the child closes its output first.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

  void send_signal(int signal);

  // SIGSTOP, then waits until every thread of the child has stopped. A
  // stop signal reaches a multi-threaded process one thread at a time: until
  // the last one stops, a thread already running goes on working (it may
  // still answer a peer). False if that takes longer than `timeout`, or the
  // child is gone.
  bool stop(std::chrono::milliseconds timeout);

  // The exit code, or nullopt if it has not exited before the deadline (or
  // died of a signal: then `killed_by` holds it).
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  // Everything the child printed so far (read on demand from the file).
  const std::string& output() const;
  int killed_by() const { return killed_by_; }
  pid_t pid() const { return pid_; }

 private:
  // Appends whatever is available within `timeout`; false at end of output.
  bool read_some(std::chrono::milliseconds timeout) const;

  pid_t pid_ = -1;
  // The read end of the pipe, or the output file opened for reading.
  mutable int output_fd_ = -1;
  bool output_is_file_ = false;
  bool exited_ = false;
  int killed_by_ = 0;
  mutable std::string output_;
};

}  // namespace kahuna::testing
