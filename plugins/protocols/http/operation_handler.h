// The HTTP handler of every operation in kahuna/operations.def.
#pragma once

#include <asio/awaitable.hpp>

#include "http_message.h"
#include "service_context.h"

namespace kahuna::http {

// Serves the operation whose binary-protocol body is `Call`
// (kahuna/wire/request.h): the JSON body is decoded into a Call, the call is
// made through wire::call — the same dispatch the binary protocol uses — and
// the reply is encoded in the shape of the operation (the JSON codecs take
// the opcode as their verb). A body the codec refuses is a 400; one that
// parses but breaks a rule answers the family's invalidInput outcome.
// Instantiated for every row of the table and for SequenceNext.
template <class Call>
asio::awaitable<HttpResponse> handle_operation(ServiceContext& context, HttpRequest request);

}  // namespace kahuna::http
