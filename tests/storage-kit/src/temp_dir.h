// TempDir: a fresh directory under the system's temporary directory,
// removed with everything in it on destruction. Shared by the conformance
// kit and the engine-specific storage tests.
#pragma once

#include <filesystem>

namespace kahuna::testkit {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kahuna::testkit
