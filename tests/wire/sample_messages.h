// Sample requests and replies covering every alternative of wire::Request
// and wire::Response, with edge values (empty strings, absent vs empty
// optionals, the int64 and uint32 extremes). Shared by the codec tests, the
// binary protocol tests and the fuzzer's seed corpus.
#pragma once

#include <vector>

#include <kahuna/wire/request.h>
#include <kahuna/wire/response.h>

namespace kahuna::wire::testing {

// At least one request per RequestBody alternative, in alternative order,
// each with distinct non-default field values; some writes carry a request
// id (call_flags bit 1), with extreme values among them.
std::vector<Request> sample_requests();

// At least one reply per Response alternative.
std::vector<Response> sample_responses();

}  // namespace kahuna::wire::testing
