// Standard base64 with padding (RFC 4648 §4): how the HTTP API carries
// values and lock owners.
#pragma once

#include <string>
#include <string_view>

namespace kahuna::bench {

std::string base64_encode(std::string_view bytes);

}  // namespace kahuna::bench
