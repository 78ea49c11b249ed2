#include "storage/data_directory.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "storage/atomic_file.h"

namespace kahuna {
namespace {

constexpr const char* kIdentityFile = "KAHUNA";

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace

Status check_data_directory(const std::filesystem::path& dir) {
  std::error_code error;
  const auto status = std::filesystem::status(dir, error);
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_directory(status))
      return Status::invalid_argument(quoted(dir) + " is not a directory");
  } else if (!std::filesystem::create_directories(dir, error) && error) {
    return Status::io_error("cannot create " + quoted(dir) + ": " + error.message());
  }
  // access(W_OK) is not enough: it ignores read-only mounts for some file
  // systems and says nothing about quotas. Create a file for real.
  const std::filesystem::path probe = dir / ".write-probe";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::io_error("cannot write in " + quoted(dir) + ": " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  return Status::ok();
}

std::filesystem::path storage_directory(const std::filesystem::path& data_dir) {
  return data_dir / "storage";
}

Status claim_data_directory(const std::filesystem::path& dir, const DataDirectoryIdentity& expected) {
  const std::filesystem::path file = dir / kIdentityFile;
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    // A storage directory without an identity file was not made by us (or
    // the identity file was removed): refuse rather than guess.
    if (std::filesystem::exists(storage_directory(dir), error) &&
        !std::filesystem::is_empty(storage_directory(dir), error)) {
      return Status::invalid_argument(quoted(dir) + " holds storage files but no " + kIdentityFile +
                                      " identity file; refusing to guess which node and engine "
                                      "wrote them");
    }
    std::ostringstream text;
    text << "# Written by kahuna when this directory was first used. Do not edit.\n"
         << "node_id = " << expected.node_id << "\n"
         << "engine = \"" << expected.engine << "\"\n"
         << "format = " << expected.format << "\n"
         << "raft_log = \"" << expected.raft_log << "\"\n";
    return write_file_atomically(file, {text.str()});
  }

  toml::table identity;
  try {
    identity = toml::parse_file(file.string());
  } catch (const toml::parse_error& parse_error) {
    return Status::corruption(quoted(file) + " is damaged: " + std::string(parse_error.description()));
  }
  const auto node_id = identity["node_id"].value<std::int64_t>();
  const auto engine = identity["engine"].value<std::string>();
  const auto format = identity["format"].value<std::int64_t>();
  const std::string raft_log = identity["raft_log"].value_or(std::string("engine"));
  if (!node_id || !engine || !format)
    return Status::corruption(quoted(file) + " is damaged: a field is missing");
  if (*format != expected.format) {
    return Status::invalid_argument(quoted(dir) + " has data directory format " + std::to_string(*format) +
                                    ", this server reads format " + std::to_string(expected.format));
  }
  if (static_cast<std::uint64_t>(*node_id) != expected.node_id) {
    return Status::invalid_argument(quoted(dir) + " belongs to node " + std::to_string(*node_id) +
                                    ", but this is node " + std::to_string(expected.node_id) +
                                    " (node.id); point node.data_dir at this node's own directory");
  }
  if (*engine != expected.engine) {
    return Status::invalid_argument(quoted(dir) + " was written by the '" + *engine +
                                    "' storage engine, but storage.plugin is '" + expected.engine +
                                    "'; engines cannot read each other's files");
  }
  if (raft_log != expected.raft_log) {
    return Status::invalid_argument(quoted(dir) + " keeps its Raft log in the '" + raft_log +
                                    "' form, but raft.log is '" + expected.raft_log + "'; set raft.log = \"" +
                                    raft_log +
                                    "\" for this directory (a node's log "
                                    "cannot change form in place: start a new node and let it catch up)");
  }
  return Status::ok();
}

}  // namespace kahuna
