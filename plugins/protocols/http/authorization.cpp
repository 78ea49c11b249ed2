#include "authorization.h"

#include <cctype>
#include <string_view>

namespace kahuna::http {
namespace {

// Compares in time that depends only on the lengths, so that response times
// do not reveal how much of a guessed token was right.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

}  // namespace

bool is_authorized(const std::vector<std::string>& tokens, const HttpRequest& request) {
  if (tokens.empty()) return true;
  const std::string* header = request.header("authorization");
  if (header == nullptr) return false;
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return false;
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  bool match = false;
  for (const std::string& token : tokens) match |= same_secret(value, token);
  return match;
}

}  // namespace kahuna::http
