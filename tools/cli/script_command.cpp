// `script`: runs a Kahuna Script read from a file or given after `--`.
#include <fstream>
#include <sstream>

#include "commands.h"
#include "exit_codes.h"

namespace kahuna::cli {

namespace {

// "name=value" -> {"@name", "value"}; "name" alone -> {"@name", null}. The
// script names a parameter @name; the @ may be left out here.
std::optional<ScriptParameter> parse_parameter(const std::string& text) {
  const auto equals = text.find('=');
  std::string name = text.substr(0, equals);
  if (name.empty() || name == "@") return std::nullopt;
  if (name.front() != '@') name.insert(name.begin(), '@');
  if (equals == std::string::npos) return ScriptParameter{std::move(name), std::nullopt};
  return ScriptParameter{std::move(name), text.substr(equals + 1)};
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return text.str();
}

// The exit code of a script's answer: 0 when its last statement did what it
// says (set, got, deleted...), 4 when the script may or may not have run.
int exit_code_of_script(ScriptCode code) {
  switch (code) {
    case ScriptCode::kSet:
    case ScriptCode::kExtended:
    case ScriptCode::kGet:
    case ScriptCode::kDeleted:
    case ScriptCode::kLocked:
    case ScriptCode::kCommitted:
    case ScriptCode::kExists: return kExitSuccess;
    case ScriptCode::kOutcomeUnknown: return kExitOutcomeUnknown;
    default: return kExitOutcome;
  }
}

}  // namespace

int run_script(const CommandContext& context) {
  const CommandArguments& a = context.args;
  std::vector<ScriptParameter> parameters;
  for (const std::string& text : a.params) {
    std::optional<ScriptParameter> parameter = parse_parameter(text);
    if (!parameter) {
      context.printer.usage_error("--param " + text + ": expected name=value (or a name alone for null)");
      return kExitUsage;
    }
    parameters.push_back(std::move(*parameter));
  }
  std::string script;
  if (a.script_text) {
    script = *a.script_text;
  } else if (std::optional<std::string> text = read_file(a.script_file)) {
    script = std::move(*text);
  } else {
    context.printer.usage_error("cannot read the script file '" + a.script_file + "'");
    return kExitUsage;
  }
  auto reply = context.client.execute_script(std::move(script), std::move(parameters));
  if (!reply) return failed(context, reply.error());
  context.printer.script(*reply);
  return exit_code_of_script(reply->code);
}

}  // namespace kahuna::cli
