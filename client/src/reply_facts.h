// ReplyFacts: what the retry loop needs to know of any reply — is it a
// must-retry or an outcome-unknown, where was it served, was it forwarded,
// how new is the cluster metadata behind it — whatever its kind.
#pragma once

#include <optional>

#include <kahuna/types.h>
#include <kahuna/wire/response.h>

namespace kahuna::client::detail {

struct ReplyFacts {
  bool must_retry = false;       // the family's must-retry code: not applied, never will be
  bool outcome_unknown = false;  // the family's outcome-unknown code (98): may have been applied
  std::optional<Route> route{};  // single-route replies
  bool forwarded = false;        // served through a forward (any row, for batches)
  // The newest cluster metadata version the reply shows (its route's, the
  // newest of a batch's rows, a cluster change's); 0: none.
  std::uint64_t metadata_version = 0;
  const wire::ErrorReply* error = nullptr;  // set for an error reply
};

ReplyFacts facts_of(const wire::Response& response);

}  // namespace kahuna::client::detail
