// Bearer-token checks (HTTP-API.md §1): with no tokens configured every
// request passes and its Authorization header is ignored; otherwise the
// header must be "Bearer <one of the tokens>".
#pragma once

#include <string>
#include <vector>

#include "http_message.h"

namespace kahuna::http {

bool is_authorized(const std::vector<std::string>& tokens, const HttpRequest& request);

}  // namespace kahuna::http
