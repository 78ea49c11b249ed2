#include "storage/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace kahuna {
namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::io_error("cannot write " + quoted(path) + ": " + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

}  // namespace

Status write_file_atomically(const std::filesystem::path& path,
                             std::initializer_list<std::string_view> parts) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::io_error("cannot create " + quoted(temporary) + ": " + std::strerror(errno));
  Status status = Status::ok();
  for (std::string_view part : parts) {
    status = write_all(fd, part, temporary);
    if (!status) break;
  }
  if (status && ::fsync(fd) != 0)
    status = Status::io_error("cannot sync " + quoted(temporary) + ": " + std::strerror(errno));
  if (::close(fd) != 0 && status) {
    status = Status::io_error("cannot close " + quoted(temporary) + ": " + std::strerror(errno));
  }
  if (!status) {
    ::unlink(temporary.c_str());
    return status;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Status::io_error("cannot rename " + quoted(temporary) + ": " + std::strerror(error));
  }
  // The rename is durable only once the directory is.
  const int dir_fd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    return Status::io_error("cannot open " + quoted(path.parent_path()) + ": " + std::strerror(errno));
  const int synced = ::fsync(dir_fd);
  const int error = errno;
  ::close(dir_fd);
  if (synced != 0)
    return Status::io_error("cannot sync " + quoted(path.parent_path()) + ": " + std::strerror(error));
  return Status::ok();
}

}  // namespace kahuna
