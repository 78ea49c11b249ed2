#include "fault_injection_file_system.h"

#include <algorithm>

namespace kahuna::raftlog {

class FaultInjectionFileSystem::Handle final : public WritableFile {
 public:
  Handle(FaultInjectionFileSystem& fs, std::string path, std::uint64_t epoch)
      : fs_(fs), path_(std::move(path)), epoch_(epoch) {}
  Status write_at(std::uint64_t offset, std::string_view data) override {
    return fs_.write(epoch_, path_, offset, data);
  }
  Status sync() override { return fs_.sync(epoch_, path_); }

 private:
  FaultInjectionFileSystem& fs_;
  std::string path_;
  std::uint64_t epoch_;
};

std::string FaultInjectionFileSystem::parent(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

Status FaultInjectionFileSystem::create_directory(const std::string&) { return Status::ok(); }

Status FaultInjectionFileSystem::list(const std::string& dir, std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  names.clear();
  for (const auto& [path, file] : files_) {
    if (parent(path) == dir) names.push_back(path.substr(dir.size() + 1));
  }
  return Status::ok();
}

Status FaultInjectionFileSystem::sync_directory(const std::string& dir) {
  std::lock_guard lock(mutex_);
  ++syncs_;
  if (ignore_syncs_) return Status::ok();
  for (auto& [path, file] : files_) {
    if (parent(path) == dir) file.name_durable = true;
  }
  std::erase_if(removed_, [&](const auto& item) { return parent(item.first) == dir; });
  return Status::ok();
}

Status FaultInjectionFileSystem::create(const std::string& path, std::uint64_t size,
                                        std::unique_ptr<WritableFile>& out) {
  std::lock_guard lock(mutex_);
  if (files_.contains(path)) return Status::io_error("'" + path + "' exists");
  File file;
  file.durable.assign(size, '\0');
  file.current.assign(size, '\0');
  files_[path] = std::move(file);
  out = std::make_unique<Handle>(*this, path, epoch_);
  return Status::ok();
}

Status FaultInjectionFileSystem::open_writable(const std::string& path, std::unique_ptr<WritableFile>& out) {
  std::lock_guard lock(mutex_);
  if (!files_.contains(path)) return Status::io_error("no file '" + path + "'");
  out = std::make_unique<Handle>(*this, path, epoch_);
  return Status::ok();
}

Status FaultInjectionFileSystem::read_file(const std::string& path, std::string& out) {
  std::lock_guard lock(mutex_);
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("no file '" + path + "'");
  out = it->second.current;
  return Status::ok();
}

Status FaultInjectionFileSystem::read_at(const std::string& path, std::uint64_t offset, std::size_t size,
                                         std::string& out) {
  std::lock_guard lock(mutex_);
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("no file '" + path + "'");
  if (offset + size > it->second.current.size()) return Status::corruption("'" + path + "' is too short");
  out = it->second.current.substr(offset, size);
  return Status::ok();
}

Status FaultInjectionFileSystem::truncate(const std::string& path, std::uint64_t size) {
  std::lock_guard lock(mutex_);
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("no file '" + path + "'");
  it->second.current.resize(size);
  if (!ignore_syncs_) it->second.durable = it->second.current;  // truncate() is synced
  return Status::ok();
}

Status FaultInjectionFileSystem::remove(const std::string& path) {
  std::lock_guard lock(mutex_);
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::ok();
  if (it->second.name_durable) removed_[path] = it->second;
  files_.erase(it);
  return Status::ok();
}

Status FaultInjectionFileSystem::write(std::uint64_t epoch, const std::string& path, std::uint64_t offset,
                                       std::string_view data) {
  std::lock_guard lock(mutex_);
  if (epoch != epoch_) return Status::io_error("the power went off");
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("no file '" + path + "'");
  std::string& current = it->second.current;
  if (current.size() < offset + data.size()) current.resize(offset + data.size(), '\0');
  std::copy(data.begin(), data.end(), current.begin() + static_cast<std::ptrdiff_t>(offset));
  return Status::ok();
}

Status FaultInjectionFileSystem::sync(std::uint64_t epoch, const std::string& path) {
  std::lock_guard lock(mutex_);
  if (epoch != epoch_) return Status::io_error("the power went off");
  ++syncs_;
  if (syncs_until_cut_ > 0 && --syncs_until_cut_ == 0) {
    cut_locked(cut_random_, cut_tears_);
    return Status::io_error("the power went off");
  }
  if (ignore_syncs_) return Status::ok();
  const auto it = files_.find(path);
  if (it == files_.end()) return Status::io_error("no file '" + path + "'");
  it->second.durable = it->second.current;
  return Status::ok();
}

void FaultInjectionFileSystem::power_cut(std::mt19937_64& random, bool tear) {
  std::lock_guard lock(mutex_);
  cut_locked(random, tear);
}

void FaultInjectionFileSystem::cut_at_sync(std::uint64_t count, std::uint64_t seed, bool tear) {
  std::lock_guard lock(mutex_);
  syncs_until_cut_ = count;
  cut_random_.seed(seed);
  cut_tears_ = tear;
}

void FaultInjectionFileSystem::cut_locked(std::mt19937_64& random, bool tear) {
  ++epoch_;
  syncs_until_cut_ = 0;
  for (auto& [path, file] : removed_) files_[path] = std::move(file);
  removed_.clear();
  std::erase_if(files_, [](const auto& item) { return !item.second.name_durable; });
  constexpr std::size_t kSector = 512;
  for (auto& [path, file] : files_) {
    if (tear) {
      // Each sector written since the last sync reached the disk, or not.
      const std::size_t size = std::max(file.durable.size(), file.current.size());
      std::string kept = file.durable;
      kept.resize(size, '\0');
      for (std::size_t start = 0; start < file.current.size(); start += kSector) {
        const std::size_t length = std::min(kSector, file.current.size() - start);
        if (file.current.compare(start, length, kept, start, length) != 0 && random() % 2 == 0) {
          std::copy_n(file.current.begin() + static_cast<std::ptrdiff_t>(start), length,
                      kept.begin() + static_cast<std::ptrdiff_t>(start));
        }
      }
      file.durable = std::move(kept);
    }
    file.current = file.durable;
  }
}

void FaultInjectionFileSystem::set_ignore_syncs(bool ignore) {
  std::lock_guard lock(mutex_);
  ignore_syncs_ = ignore;
}

std::uint64_t FaultInjectionFileSystem::syncs() const {
  std::lock_guard lock(mutex_);
  return syncs_;
}

}  // namespace kahuna::raftlog
