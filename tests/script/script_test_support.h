// Helpers shared by the Kahuna Script tests: parse expecting success or
// failure, and run a text against a FakeScriptHost.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "fake_script_host.h"
#include "script/interpreter.h"
#include "script/script.h"

namespace kahuna::script::testing {

// The parsed script, or null after reporting the parse error as a failure.
inline std::shared_ptr<const Script> parse_ok(std::string_view text) {
  Script::ParseResult result = Script::parse(text);
  if (!result.script) ADD_FAILURE() << "parse failed: " << result.error->reason() << "\nscript: " << text;
  return result.script;
}

// The parse error's reason ("... at line N"), or "" after reporting success as a failure.
inline std::string parse_error(std::string_view text) {
  Script::ParseResult result = Script::parse(text);
  if (result.script) {
    ADD_FAILURE() << "parse unexpectedly succeeded: " << text;
    return "";
  }
  return result.error->reason();
}

// Parses and runs; a parse error answers 99 with its reason, as the service would.
inline ScriptResult run_text(std::string_view text, FakeScriptHost& host,
                             const ScriptParameters& parameters = {}, const InterpreterLimits& limits = {}) {
  Script::ParseResult parsed = Script::parse(text);
  if (!parsed.script) return ScriptResult{ScriptCode::kErrored, parsed.error->reason(), {}};
  return run_script(*parsed.script, host, parameters, limits);
}

// The text of a single-row RETURN, or "<no single row>".
inline std::string returned_text(const ScriptResult& result) {
  if (result.values.size() != 1) return "<no single row>";
  return result.values[0].value.value_or("<null>");
}

// Runs `RETURN <expression>` against an empty host.
inline ScriptResult evaluate(std::string_view expression) {
  FakeScriptHost host;
  return run_text("RETURN " + std::string(expression), host);
}

}  // namespace kahuna::script::testing
