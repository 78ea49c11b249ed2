// Script: parsing plus the analysis that decides the transaction mode
// (script.h).
#include "script/script.h"

#include <algorithm>
#include <exception>
#include <new>
#include <variant>

#include "script/parser.h"
#include "script/script_analysis.h"

namespace kahuna::script {
namespace {

// One command runs as that command: a single top-level statement that is
// not a loop or a branch and accesses one key. Anything longer needs the
// atomicity of a transaction, since a later THROW or ROLLBACK must undo an
// earlier write.
TransactionMode decide_mode(const Block& program, const ScriptShape& shape) {
  if (shape.has_begin) return TransactionMode::kExplicit;
  if (shape.accesses == 0) return TransactionMode::kNone;
  const bool single_simple_statement = program.size() == 1 &&
                                       !std::holds_alternative<IfStmt>(program[0]->node) &&
                                       !std::holds_alternative<ForStmt>(program[0]->node);
  if (single_simple_statement && shape.accesses == 1) return TransactionMode::kNone;
  return TransactionMode::kAutoCommit;
}

}  // namespace

const std::optional<std::string>* find_parameter(const ScriptParameters& parameters, std::string_view name) {
  if (auto it = parameters.find(name); it != parameters.end()) return &it->second;
  if (name.starts_with('@')) {
    if (auto it = parameters.find(name.substr(1)); it != parameters.end()) return &it->second;
  }
  return nullptr;
}

Script::ParseResult Script::parse(std::string_view text) {
  ParseResult result;
  try {
    ParseOutput output = parse_program(text);
    if (output.error) {
      result.error = std::move(output.error);
      return result;
    }
    std::shared_ptr<Script> script(new Script());
    script->text_ = std::string(text);
    script->program_ = std::move(output.program);
    const ScriptShape shape = analyze(script->program_);
    script->mode_ = decide_mode(script->program_, shape);
    script->begin_options_ = shape.begin_options;
    script->access_count_ = shape.accesses;
    result.script = std::move(script);
  } catch (const std::bad_alloc&) {
    result.script.reset();
    result.error = ScriptError{"out of memory while parsing the script", 1};
  } catch (const std::exception& e) {
    result.script.reset();
    result.error = ScriptError{std::string("unexpected error while parsing the script: ") + e.what(), 1};
  }
  return result;
}

std::vector<ScriptKey> Script::keys(const ScriptParameters& parameters) const {
  std::vector<ScriptKey> keys;
  for (const KeyUse& use : analyze(program_).key_uses) {
    if (use.key->source == KeyRef::Source::kLiteral) {
      keys.push_back(ScriptKey{use.key->text, use.durability, use.prefix});
      continue;
    }
    const std::optional<std::string>* value = find_parameter(parameters, use.key->text);
    if (value != nullptr && value->has_value())
      keys.push_back(ScriptKey{**value, use.durability, use.prefix});
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace kahuna::script
