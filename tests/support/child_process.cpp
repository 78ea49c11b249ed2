#include "support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace kahuna::testing {

ChildProcess::ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments,
                           const std::filesystem::path& working_dir,
                           const std::filesystem::path& output_file) {
  int fds[2];
  if (output_file.empty()) {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  } else {
    output_is_file_ = true;
    fds[1] = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    fds[0] = ::open(output_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fds[0] < 0 || fds[1] < 0) throw std::runtime_error("cannot open " + output_file.string());
    // Only what this child prints from now on.
    ::lseek(fds[0], 0, SEEK_END);
  }
  std::vector<std::string> argv_storage{program.string()};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    // The test's own sockets and files must not live on in the child: an
    // inherited copy of a connection keeps it open after the test closes it.
    ::close_range(3, ~0U, 0);
    if (::chdir(working_dir.c_str()) != 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  output_fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (output_fd_ >= 0) ::close(output_fd_);
}

const std::string& ChildProcess::output() const {
  if (output_is_file_) {
    while (read_some(std::chrono::milliseconds(0))) {
    }
  }
  return output_;
}

bool ChildProcess::read_some(std::chrono::milliseconds timeout) const {
  if (output_is_file_) {
    // A file is always readable: its end is "nothing yet", not the end of
    // the output, until the child has exited.
    char buffer[65536];
    const ssize_t n = ::read(output_fd_, buffer, sizeof buffer);
    if (n > 0) {
      output_.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    if (exited_) return false;
    if (timeout.count() > 0) std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(10)));
    return timeout.count() > 0;
  }
  pollfd poll_fd{output_fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, static_cast<int>(timeout.count())) <= 0) return true;
  char buffer[4096];
  const ssize_t n = ::read(output_fd_, buffer, sizeof buffer);
  if (n <= 0) return false;
  output_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

bool ChildProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (output_.find(text) == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (!read_some(std::min(left, std::chrono::milliseconds(50))))
      return output_.find(text) != std::string::npos;
  }
  return true;
}

void ChildProcess::send_signal(int signal) {
  if (!exited_) ::kill(pid_, signal);
}

namespace {

// The scheduler state of one thread, from /proc/<pid>/task/<tid>/stat: the
// field after the parenthesised name ('T' stopped, 't' traced).
char thread_state(const std::filesystem::path& stat_file) {
  std::ifstream in(stat_file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() ? '?' : text[close + 2];
}

}  // namespace

bool ChildProcess::stop(std::chrono::milliseconds timeout) {
  if (exited_) return false;
  ::kill(pid_, SIGSTOP);
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid_) + "/task";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::error_code error;
    bool all_stopped = true;
    bool any = false;
    for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
      any = true;
      const char state = thread_state(task.path() / "stat");
      if (state != 'T' && state != 't') all_stopped = false;
    }
    if (error || !any) return false;  // gone
    if (all_stopped) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      while (read_some(std::chrono::milliseconds(0)) && output_fd_ >= 0) {
        if (output_is_file_) continue;
        pollfd poll_fd{output_fd_, POLLIN, 0};
        if (::poll(&poll_fd, 1, 0) <= 0) break;
      }
      if (WIFSIGNALED(status)) {
        killed_by_ = WTERMSIG(status);
        return std::nullopt;
      }
      return WEXITSTATUS(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // A file is not drained while waiting: the test reads it on demand.
    if (output_is_file_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } else {
      read_some(std::chrono::milliseconds(10));
    }
  }
}

}  // namespace kahuna::testing
