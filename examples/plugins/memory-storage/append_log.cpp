#include "append_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace memory_storage {
namespace {

// Record layout: u32 payload length | u64 FNV-1a of the payload | payload.
// Payload: per operation u8 type | u32 key length | key | u32 value length | value.
constexpr std::size_t kHeaderSize = 12;

std::uint64_t fnv1a(const char* data, std::size_t size) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= static_cast<unsigned char>(data[i]);
    hash *= 1099511628211ull;
  }
  return hash;
}

void put_u32(std::string& out, std::uint32_t value) { out.append(reinterpret_cast<const char*>(&value), 4); }

std::string encode(const kahuna::WriteBatch& batch) {
  std::string payload;
  payload.reserve(batch.byte_size() + batch.count() * 9);
  for (const auto& op : batch.ops()) {
    payload.push_back(static_cast<char>(op.type));
    put_u32(payload, static_cast<std::uint32_t>(op.key.size()));
    payload += op.key;
    put_u32(payload, static_cast<std::uint32_t>(op.value.size()));
    payload += op.value;
  }
  std::string record;
  put_u32(record, static_cast<std::uint32_t>(payload.size()));
  const std::uint64_t hash = fnv1a(payload.data(), payload.size());
  record.append(reinterpret_cast<const char*>(&hash), 8);
  record += payload;
  return record;
}

bool decode(const char* data, std::size_t size, kahuna::WriteBatch& batch) {
  std::size_t at = 0;
  auto read_u32 = [&](std::uint32_t& value) {
    if (size - at < 4) return false;
    std::memcpy(&value, data + at, 4);
    at += 4;
    return true;
  };
  while (at < size) {
    const auto type = static_cast<kahuna::WriteBatch::OpType>(data[at++]);
    std::uint32_t key_size = 0;
    std::uint32_t value_size = 0;
    if (!read_u32(key_size) || size - at < key_size) return false;
    const std::string_view key(data + at, key_size);
    at += key_size;
    if (!read_u32(value_size) || size - at < value_size) return false;
    const std::string_view value(data + at, value_size);
    at += value_size;
    switch (type) {
      case kahuna::WriteBatch::OpType::kPut: batch.put(key, value); break;
      case kahuna::WriteBatch::OpType::kDelete: batch.remove(key); break;
      case kahuna::WriteBatch::OpType::kDeleteRange: batch.remove_range(key, value); break;
      default: return false;
    }
  }
  return true;
}

kahuna::Status errno_status(const std::string& what, const std::string& path) {
  const int error = errno;
  if (error == ENOSPC || error == EDQUOT) {
    return kahuna::Status::storage_full(what + " '" + path + "': " + std::strerror(error));
  }
  return kahuna::Status::io_error(what + " '" + path + "': " + std::strerror(error));
}

kahuna::Status write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot write", path);
    written += static_cast<std::size_t>(n);
  }
  return kahuna::Status::ok();
}

}  // namespace

AppendLog::~AppendLog() {
  if (fd_ >= 0) ::close(fd_);
}

kahuna::Status AppendLog::open(const std::string& path,
                               const std::function<void(const kahuna::WriteBatch&)>& apply) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return errno_status("cannot open", path);

  std::string contents;
  char buffer[1 << 16];
  for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot read", path);
    contents.append(buffer, static_cast<std::size_t>(n));
  }

  std::size_t at = 0;
  while (contents.size() - at >= kHeaderSize) {
    std::uint32_t length = 0;
    std::uint64_t hash = 0;
    std::memcpy(&length, contents.data() + at, 4);
    std::memcpy(&hash, contents.data() + at + 4, 8);
    if (contents.size() - at - kHeaderSize < length) break;
    const char* payload = contents.data() + at + kHeaderSize;
    if (fnv1a(payload, length) != hash) break;
    kahuna::WriteBatch batch;
    if (!decode(payload, length, batch)) break;
    apply(batch);
    at += kHeaderSize + length;
  }
  // Drop the torn tail so new records follow the last intact one.
  if (at != contents.size() && ::ftruncate(fd_, static_cast<off_t>(at)) != 0) {
    return errno_status("cannot truncate", path);
  }
  if (::lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0) return errno_status("cannot seek", path);
  size_ = at;
  return kahuna::Status::ok();
}

kahuna::Status AppendLog::append(const kahuna::WriteBatch& batch, bool sync) {
  const std::string record = encode(batch);
  if (kahuna::Status s = write_all(fd_, record, path_); !s) {
    // Cut off whatever part of the record reached the file.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) == 0) ::lseek(fd_, static_cast<off_t>(size_), SEEK_SET);
    return s;
  }
  size_ += record.size();
  return sync ? this->sync() : kahuna::Status::ok();
}

kahuna::Status AppendLog::sync() {
  if (::fdatasync(fd_) != 0) return errno_status("cannot sync", path_);
  return kahuna::Status::ok();
}

kahuna::Status AppendLog::rewrite(const kahuna::WriteBatch& batch) {
  const std::string temporary = path_ + ".compact";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status("cannot create", temporary);
  const std::string record = batch.empty() ? std::string() : encode(batch);
  kahuna::Status status = write_all(fd, record, temporary);
  if (status && ::fsync(fd) != 0) status = errno_status("cannot sync", temporary);
  ::close(fd);
  if (!status) return status;
  if (::rename(temporary.c_str(), path_.c_str()) != 0) return errno_status("cannot rename", temporary);
  // The rename itself must survive a crash before the old records are gone.
  const std::string directory = path_.substr(0, path_.find_last_of('/') + 1);
  const int dir_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  ::close(fd_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return errno_status("cannot reopen", path_);
  size_ = record.size();
  return kahuna::Status::ok();
}

}  // namespace memory_storage
