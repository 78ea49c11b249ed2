// Tests that work in a directory of their own under the system's temporary
// directory.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

namespace kahuna {

// Gives each test an empty directory, `name` with this process's id (so
// that test programs running side by side do not meet), and removes it
// with everything in it afterwards.
class ScratchDirectoryTest : public ::testing::Test {
 protected:
  explicit ScratchDirectoryTest(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
  }

  void TearDown() override {
    std::error_code ignored;
    // A test may have taken away the write permission removing needs.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ignored);
    std::filesystem::remove_all(dir_, ignored);
  }

  const std::filesystem::path dir_;
};

}  // namespace kahuna
