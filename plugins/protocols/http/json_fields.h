// JsonFields: typed reads of a JSON request object's fields, as HTTP-API.md
// §1-2 want them read.
//
// Names match exactly first, then case-insensitively (the reference server's
// habit). An absent field leaves the output untouched, so callers preset the
// contract's defaults. A field of the wrong JSON type (or a number out of
// its field's range, or base64 that does not decode) is remembered as the
// first error: the request then gets 400, before any outcome code is chosen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include <kahuna/hlc_timestamp.h>

namespace kahuna::http {

enum class FieldState {
  kAbsent,   // not in the object (or read failed: see error())
  kNull,     // present as JSON null
  kPresent,  // present with a value of the right type
};

class JsonFields {
 public:
  // `object` must be a JSON object and outlive this reader.
  explicit JsonFields(const rapidjson::Value& object) : object_(object) {}

  const rapidjson::Value* find(std::string_view name) const;

  // A string; null is allowed and leaves `out` unchanged.
  FieldState text(std::string_view name, std::string& out);
  // A string or null, into an optional (null -> nullopt).
  FieldState optional_text(std::string_view name, std::optional<std::string>& out);
  // An integer in [min, max]; null is a type error unless `nullable`.
  FieldState integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t& out,
                     bool nullable = false);
  FieldState optional_integer(std::string_view name, std::int64_t min, std::int64_t max,
                              std::optional<std::int64_t>& out);
  FieldState unsigned64(std::string_view name, std::uint64_t& out);
  FieldState boolean(std::string_view name, bool& out);
  // Base64 bytes or null (-> nullopt).
  FieldState bytes(std::string_view name, std::optional<std::string>& out);
  // An HLC object {"n","l","c"} (missing members are 0) or null (-> zero).
  FieldState timestamp(std::string_view name, HlcTimestamp& out);
  // A durability code: an integer as sent, or "ephemeral"/"persistent" in
  // any case (-> 0/1). Range checks are the caller's: 2 is an outcome
  // (invalidInput), not a type error.
  FieldState durability(std::string_view name, std::int64_t& out);
  // An array or object member (null counts as absent).
  const rapidjson::Value* array(std::string_view name);
  const rapidjson::Value* object(std::string_view name);

  bool ok() const noexcept { return error_.empty(); }
  const std::string& error() const noexcept { return error_; }
  void fail(std::string reason);

 private:
  void fail_type(std::string_view name, std::string_view expected);

  const rapidjson::Value& object_;
  std::string error_;
};

// Parses `body` as a JSON object; on failure returns false with `reason`.
bool parse_json_object(std::string_view body, rapidjson::Document& document, std::string& reason);

}  // namespace kahuna::http
