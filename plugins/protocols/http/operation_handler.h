// The HTTP handler of every operation in kahuna/operations.def.
#pragma once

#include <string_view>

#include <asio/awaitable.hpp>

#include "http_message.h"
#include "service_context.h"

namespace kahuna::http {

// Serves the operation whose binary-protocol body is `Call`
// (kahuna/wire/request.h): the JSON body is decoded into a Call, the call is
// made through wire::call — the same dispatch the binary protocol uses — and
// the reply is encoded in the shape of the operation (the JSON codecs take
// the opcode as their verb). A body the codec refuses is a 400; one that
// parses but breaks a rule answers the family's invalidInput outcome. A
// point verb whose body names a session (a non-zero transactionId) runs as
// its session form (session_forms.h), answering in the plain verb's shape.
// Instantiated for every row of the table that has an HTTP path, and for
// SequenceNext.
template <class Call>
asio::awaitable<HttpResponse> handle_operation(ServiceContext& context, HttpRequest request);

// handle_operation<Call> for a row with an HTTP path (`kServed`); a row
// without one is not served over HTTP, needs no JSON codec and answers 404
// should a route ever lead to it.
template <class Call, bool kServed>
asio::awaitable<HttpResponse> handle_if_served(ServiceContext& context, HttpRequest request);

// Whether a row's http_path names a route.
constexpr bool served_over_http(std::string_view http_path) { return !http_path.empty(); }

}  // namespace kahuna::http
