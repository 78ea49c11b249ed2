// The key/value requests the SDK's options make, shared by the plain calls
// (async_client_kv.cpp) and their forms inside a transaction
// (transaction_calls.cpp), so both send exactly the same request.
#pragma once

#include <optional>
#include <string>

#include <kahuna/client/call_options.h>
#include <kahuna/types/requests.h>

namespace kahuna::client::detail {

inline KvSetRequest set_request(std::string key, std::optional<std::string> value, SetOptions& options) {
  KvSetRequest request;
  request.key = std::move(key);
  request.value = std::move(value);
  request.compare_value = std::move(options.compare_value);
  request.compare_revision = options.compare_revision;
  request.expires_ms = options.ttl.count();
  request.flags = options.flags;
  request.durability = options.durability;
  return request;
}

inline KvGetRequest get_request(std::string key, const ReadOptions& options) {
  KvGetRequest request;
  request.query.key = std::move(key);
  request.query.revision = options.revision;
  request.query.read_timestamp = options.read_timestamp;
  request.durability = options.durability;
  return request;
}

}  // namespace kahuna::client::detail
