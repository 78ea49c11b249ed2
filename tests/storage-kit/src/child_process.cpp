#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kahuna::testkit {

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill();
    wait();
  }
  if (fd_ >= 0) close(fd_);
}

Status ChildProcess::start(const std::string& program, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::io_error(std::string("pipe2: ") + strerror(errno));
  // Everything the child needs is built before fork(): between fork() and
  // exec() a multithreaded process may only make async-signal-safe calls.
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Status::io_error(std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);  // the parent died before prctl()
    if (fds[1] == kRecordFd) {
      fcntl(kRecordFd, F_SETFD, 0);  // dup2 onto itself would keep O_CLOEXEC
    } else if (dup2(fds[1], kRecordFd) < 0) {
      _exit(126);
    }
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  fd_ = fds[0];
  pid_ = pid;
  return Status::ok();
}

ChildProcess::Read ChildProcess::read_record(std::uint64_t& record, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pending_.size() < sizeof record) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Read::kTimeout;
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return Read::kTimeout;
    char buffer[512];
    const ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Read::kEnd;
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
  record = 0;
  for (std::size_t i = 0; i < sizeof record; ++i) {
    record |= static_cast<std::uint64_t>(static_cast<unsigned char>(pending_[i])) << (8 * i);
  }
  pending_.erase(0, sizeof record);
  return Read::kRecord;
}

void ChildProcess::kill() {
  if (pid_ > 0) ::kill(pid_, SIGKILL);
}

int ChildProcess::wait() {
  int status = 0;
  if (pid_ <= 0) return status;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  return status;
}

bool send_record(std::uint64_t record) {
  char bytes[sizeof record];
  for (std::size_t i = 0; i < sizeof record; ++i) bytes[i] = static_cast<char>(record >> (8 * i));
  // Pipe writes of at most PIPE_BUF bytes are atomic: a record is never
  // split, even when the writer is killed.
  ssize_t n;
  do {
    n = write(kRecordFd, bytes, sizeof bytes);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(sizeof bytes);
}

}  // namespace kahuna::testkit
