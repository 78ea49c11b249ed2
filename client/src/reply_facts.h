// ReplyFacts: what the retry loop needs to know of any reply — is it a
// must-retry, where was it served, was it forwarded — whatever its kind.
#pragma once

#include <optional>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/response.h>

namespace kahuna::client::detail {

struct ReplyFacts {
  bool must_retry = false;               // the family's must-retry code
  std::optional<Route> route{};          // single-route replies
  bool forwarded = false;                // served through a forward (any row, for batches)
  const wire::ErrorReply* error = nullptr;  // set for an error reply
};

ReplyFacts facts_of(const wire::Response& response);

}  // namespace kahuna::client::detail
