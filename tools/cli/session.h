// Session: the client a kahuna-cli run (or console) talks through, made on
// first use and made again when the endpoints or timeout change.
#pragma once

#include <memory>
#include <string>

#include <kahuna/client/client.h>

#include "arguments.h"

namespace kahuna::cli {

class Session {
 public:
  client::Client& client(const GlobalOptions& options);

 private:
  std::unique_ptr<client::Client> client_;
  std::string endpoints_;
  std::int64_t timeout_ms_ = 0;
};

// "a:1, b:2" -> {"a:1", "b:2"}; empty items are dropped.
std::vector<std::string> split_endpoints(const std::string& list);

}  // namespace kahuna::cli
