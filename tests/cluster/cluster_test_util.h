// Shared helpers of the cluster tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cluster_client.h"
#include "local_cluster.h"

namespace kahuna::testing {

// A directory of its own for each test.
inline std::filesystem::path test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "-" + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return std::filesystem::temp_directory_path() /
         ("kahuna-cluster-" + std::to_string(::getpid()) + "-" + name);
}

template <class T>
const T& as(const wire::Response& response) {
  static const T empty{};
  if (const T* typed = std::get_if<T>(&response)) return *typed;
  ADD_FAILURE() << "unexpected reply kind " << response.index();
  return empty;
}

// Polls `condition` until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace kahuna::testing
