#include "replication/snapshot_files.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include <xxhash.h>

#include "replication/raft_keys.h"
#include "storage/atomic_file.h"

namespace kahuna {
namespace {

constexpr std::string_view kMagic = "KSNAP001";
constexpr std::size_t kHeaderSize = kMagic.size() + 4 + 8 + 8 + 8;

std::string header(std::uint32_t group, raft::Index index, std::string_view image) {
  std::string out(kMagic);
  raft_keys::append_u32_be(out, group);
  raft_keys::append_u64_be(out, index);
  raft_keys::append_u64_be(out, image.size());
  raft_keys::append_u64_be(out, XXH64(image.data(), image.size(), 0));
  return out;
}

std::string file_prefix(std::uint32_t group) { return "g" + std::to_string(group) + "-"; }

}  // namespace

std::filesystem::path SnapshotFiles::path(std::uint32_t group, raft::Index index) const {
  return dir_ / (file_prefix(group) + std::to_string(index) + ".snap");
}

Status SnapshotFiles::prepare() const {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return Status::io_error("cannot create '" + dir_.string() + "': " + error.message());
  return Status::ok();
}

Status SnapshotFiles::write(std::uint32_t group, raft::Index index, std::string_view image) const {
  return write_file_atomically(path(group, index), {header(group, index, image), image});
}

Status SnapshotFiles::read(std::uint32_t group, raft::Index index, std::string& image) const {
  const std::filesystem::path file = path(group, index);
  const std::string where = "snapshot file '" + file.string() + "': ";
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::corruption(where + "missing or unreadable");
  std::string head(kHeaderSize, '\0');
  if (!in.read(head.data(), static_cast<std::streamsize>(head.size())))
    return Status::corruption(where + "truncated");
  if (std::string_view(head).substr(0, kMagic.size()) != kMagic)
    return Status::corruption(where + "not a snapshot file");
  const char* fields = head.data() + kMagic.size();
  std::uint32_t stored_group = 0;
  for (int i = 0; i < 4; ++i) stored_group = (stored_group << 8) | static_cast<unsigned char>(fields[i]);
  const raft::Index stored_index = raft_keys::read_u64_be(fields + 4);
  const std::uint64_t size = raft_keys::read_u64_be(fields + 12);
  const std::uint64_t checksum = raft_keys::read_u64_be(fields + 20);
  if (stored_group != group || stored_index != index) {
    return Status::corruption(where + "holds group " + std::to_string(stored_group) + " at index " +
                              std::to_string(stored_index));
  }
  std::error_code error;
  const std::uintmax_t file_size = std::filesystem::file_size(file, error);
  if (error || file_size != kHeaderSize + size)
    return Status::corruption(where + "size does not match its header");
  image.assign(size, '\0');
  if (!in.read(image.data(), static_cast<std::streamsize>(size)))
    return Status::corruption(where + "truncated");
  if (XXH64(image.data(), image.size(), 0) != checksum)
    return Status::corruption(where + "checksum mismatch");
  return Status::ok();
}

void SnapshotFiles::remove_all_but(std::uint32_t group, std::initializer_list<raft::Index> keep) const {
  const std::string prefix = file_prefix(group);
  std::error_code error;
  std::filesystem::directory_iterator it(dir_, error);
  if (error) return;
  for (const auto& file : it) {
    const std::string name = file.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const bool kept = std::any_of(keep.begin(), keep.end(), [&](raft::Index index) {
      return index != 0 && file.path() == path(group, index);
    });
    if (!kept) std::filesystem::remove(file.path(), error);
  }
}

}  // namespace kahuna
