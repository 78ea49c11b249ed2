// POSIX implementation of FileSystem.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "raftlog/file_system.h"

namespace kahuna::raftlog {
namespace {

Status from_errno(int error, const std::string& what, const std::string& path) {
  std::string message = what + " '" + path + "': " + std::strerror(error);
  if (error == ENOSPC || error == EDQUOT) return Status::storage_full(std::move(message));
  return Status::io_error(std::move(message));
}

// Closes a descriptor when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override { ::close(fd_); }

  Status write_at(std::uint64_t offset, std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(offset));
      if (n < 0) {
        if (errno == EINTR) continue;
        return from_errno(errno, "cannot write", path_);
      }
      data.remove_prefix(static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
    return Status::ok();
  }

  Status sync() override {
    if (::fdatasync(fd_) != 0) return from_errno(errno, "cannot sync", path_);
    return Status::ok();
  }

 private:
  int fd_;
  std::string path_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Status create_directory(const std::string& dir) override {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return Status::io_error("cannot create '" + dir + "': " + error.message());
    return Status::ok();
  }

  Status list(const std::string& dir, std::vector<std::string>& names) override {
    names.clear();
    std::error_code error;
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
      names.push_back(it->path().filename().string());
    }
    if (error) return Status::io_error("cannot list '" + dir + "': " + error.message());
    return Status::ok();
  }

  Status sync_directory(const std::string& dir) override {
    Descriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return from_errno(errno, "cannot open directory", dir);
    if (::fsync(fd.get()) != 0) return from_errno(errno, "cannot sync directory", dir);
    return Status::ok();
  }

  Status create(const std::string& path, std::uint64_t size, std::unique_ptr<WritableFile>& out) override {
    Descriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) return from_errno(errno, "cannot create", path);
    // Reserved space: a write inside it never fails for lack of space, and
    // its fdatasync need not also write a grown file size.
    if (const int error = ::posix_fallocate(fd.get(), 0, static_cast<off_t>(size)); error != 0) {
      ::unlink(path.c_str());
      return from_errno(error, "cannot reserve space for", path);
    }
    if (::fsync(fd.get()) != 0) return from_errno(errno, "cannot sync", path);
    out = std::make_unique<PosixWritableFile>(fd.release(), path);
    return Status::ok();
  }

  Status open_writable(const std::string& path, std::unique_ptr<WritableFile>& out) override {
    Descriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) return from_errno(errno, "cannot open", path);
    out = std::make_unique<PosixWritableFile>(fd.release(), path);
    return Status::ok();
  }

  Status read_file(const std::string& path, std::string& out) override {
    Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return from_errno(errno, "cannot open", path);
    const off_t size = ::lseek(fd.get(), 0, SEEK_END);
    if (size < 0) return from_errno(errno, "cannot size", path);
    return read_range(fd.get(), path, 0, static_cast<std::size_t>(size), out);
  }

  Status read_at(const std::string& path, std::uint64_t offset, std::size_t size, std::string& out) override {
    Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return from_errno(errno, "cannot open", path);
    return read_range(fd.get(), path, offset, size, out);
  }

  Status truncate(const std::string& path, std::uint64_t size) override {
    Descriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) return from_errno(errno, "cannot open", path);
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
      return from_errno(errno, "cannot truncate", path);
    if (::fsync(fd.get()) != 0) return from_errno(errno, "cannot sync", path);
    return Status::ok();
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return from_errno(errno, "cannot remove", path);
    return Status::ok();
  }

 private:
  static Status read_range(int fd, const std::string& path, std::uint64_t offset, std::size_t size,
                           std::string& out) {
    out.resize(size);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pread(fd, out.data() + done, size - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return from_errno(errno, "cannot read", path);
      }
      if (n == 0) return Status::corruption("'" + path + "' is shorter than expected");
      done += static_cast<std::size_t>(n);
    }
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<FileSystem> make_posix_file_system() { return std::make_unique<PosixFileSystem>(); }

}  // namespace kahuna::raftlog
