// Base64 for the byte payloads of HTTP-API.md §2: the kernel's public
// implementation (kahuna/base64.h), named in this plugin's namespace.
#pragma once

#include <kahuna/base64.h>

namespace kahuna::http {

using kahuna::base64_decode;
using kahuna::base64_encode;

}  // namespace kahuna::http
