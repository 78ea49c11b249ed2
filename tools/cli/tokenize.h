// Splitting a console line into words, the way a shell would for simple
// cases: blanks separate words; '...' keeps everything literal; "..." keeps
// blanks and honours \" and \\; a backslash outside quotes escapes the next
// character.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kahuna::cli {

// nullopt when a quote is left open.
std::optional<std::vector<std::string>> tokenize(std::string_view line);

}  // namespace kahuna::cli
