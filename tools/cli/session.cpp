#include "session.h"

#include <sstream>

namespace kahuna::cli {

std::vector<std::string> split_endpoints(const std::string& list) {
  std::vector<std::string> endpoints;
  std::stringstream stream(list);
  std::string item;
  while (std::getline(stream, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) endpoints.push_back(item.substr(first, last - first + 1));
  }
  return endpoints;
}

client::Client& Session::client(const GlobalOptions& options) {
  if (!client_ || endpoints_ != options.endpoints || timeout_ms_ != options.timeout_ms) {
    client_.reset();
    client::ClientOptions client_options;
    client_options.endpoints = split_endpoints(options.endpoints);
    client_options.call_deadline = std::chrono::milliseconds(options.timeout_ms);
    client_options.attempt_timeout = std::min(client_options.attempt_timeout, client_options.call_deadline);
    client_ = std::make_unique<client::Client>(std::move(client_options));
    endpoints_ = options.endpoints;
    timeout_ms_ = options.timeout_ms;
  }
  return *client_;
}

}  // namespace kahuna::cli
