// What a kahuna-cli command line can say: the global options and the
// arguments of every command, filled in by CLI11.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kahuna::cli {

struct GlobalOptions {
  std::string endpoints = "127.0.0.1:7100";  // comma-separated host:port list
  bool json = false;
  std::int64_t timeout_ms = 10000;  // the deadline of each call, retries included
};

// Every command's arguments in one place; each command reads only its own.
// A "given" flag tells an option that was passed from its default.
struct CommandArguments {
  // Names and values.
  std::string key{};
  std::string value{};
  std::string prefix{};
  std::string resource{};
  std::string owner{};
  std::string name{};
  std::string idempotency_key{};

  // Key/value.
  std::int64_t ttl_ms = 0;
  std::int64_t extend_ms = 0;
  std::int64_t revision = -1;
  bool if_not_exists = false;
  bool if_exists = false;
  std::string if_value{};
  std::int64_t if_revision = 0;
  bool ephemeral = false;

  // Ranges.
  std::string from{};
  std::string to{};
  std::int64_t limit = 100;
  std::string cursor{};
  bool all_pages = false;

  // Locks.
  std::int64_t lease_ms = 30000;
  std::int64_t wait_ms = 0;

  // Sequences.
  std::int64_t count = 1;
  std::int64_t start = 0;
  std::int64_t increment = 1;
  std::int64_t max = 0;
  std::int64_t block = 0;
  std::int64_t current = 0;
  bool remove_max = false;
  bool remove_block = false;

  // Scripts: the words after `script` (one FILE, or the words after `--`),
  // and what parse() made of them: the file to read, or the text itself.
  std::vector<std::string> script_words{};
  std::string script_file{};
  std::optional<std::string> script_text{};
  std::vector<std::string> params{};  // name=value (or name alone: null)

  // Transactions (`tx`).
  std::string coordinator_key{};
  bool optimistic = false;
  std::int64_t session_timeout_ms = 5000;

  // Cluster administration.
  std::vector<std::string> seeds{};  // peer addresses of members, host:port
  std::uint64_t node_id = 0;
  std::int64_t replication_factor = 0;
  std::int64_t partition = 0;  // 0: the cluster's factor
};

}  // namespace kahuna::cli
