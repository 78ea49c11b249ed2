#include "command_line.h"

#include <algorithm>
#include <charconv>

#include "exit_codes.h"

namespace kahuna::cli {

namespace {

// An integer option that must be above (or at least) zero, with a message
// that says so in words.
CLI::Validator integer_at_least(std::int64_t minimum, const std::string& what) {
  return CLI::Validator(
      [minimum, what](std::string& text) -> std::string {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size())
          return "'" + text + "' is not an integer";
        if (value < minimum) return "must be " + what + ", got " + text;
        return {};
      },
      what);
}

const CLI::Validator kPositive = integer_at_least(1, "a positive number");
const CLI::Validator kNonNegative = integer_at_least(0, "zero or more");

// An unsigned 32-bit number: replication factors and partition ids.
const CLI::Validator kUnsigned32 = CLI::Validator(
    [](std::string& text) -> std::string {
      std::uint32_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size())
        return "must be a number from 0 to 4294967295, got " + text;
      return {};
    },
    "0..4294967295");

// A node id: 1 or more (0 names no node).
const CLI::Validator kNodeId = CLI::Validator(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size() || value == 0)
        return "must be a node id (1 or more), got " + text;
      return {};
    },
    "node id");

// The command a parsed line names: the innermost subcommand (`cluster join`
// is `join`), or nullptr for none.
const CLI::App* innermost(const CLI::App* app) {
  while (app != nullptr && !app->get_subcommands().empty()) app = app->get_subcommands().front();
  return app;
}

}  // namespace

CommandLine::CommandLine(const GlobalOptions& defaults)
    : app_(
          "kahuna-cli: locks, keys, sequences, scripts and transactions of a Kahuna cluster, over its "
          "binary protocol.\n"
          "Without a command: an interactive console.",
          "kahuna-cli"),
      globals_(defaults) {
  app_.add_option("--endpoints", globals_.endpoints, "Nodes to start from, host:port[,host:port...]")
      ->envname("KAHUNA_ENDPOINTS")
      ->capture_default_str();
  app_.add_flag("--json", globals_.json, "Print one JSON object per command");
  app_.add_option("--timeout", globals_.timeout_ms, "Deadline of each call in ms, retries included")
      ->check(kPositive)
      ->capture_default_str();
  // Global options may also follow the command (`kahuna-cli get k --json`).
  app_.fallthrough();
  app_.require_subcommand(0, 1);
  add_kv_commands();
  add_scan_commands();
  add_lock_commands();
  add_sequence_commands();
  add_transaction_commands();
  command("status", "Nodes, partitions, leaders, terms and indexes (as `cluster status`)", run_status);
  add_cluster_commands();
}

CLI::App* CommandLine::command(const std::string& name, const std::string& description,
                               CommandHandler handler) {
  CLI::App* sub = app_.add_subcommand(name, description);
  handlers_[sub] = handler;
  return sub;
}

void CommandLine::add_kv_commands() {
  CommandArguments& a = args_;
  CLI::App* set = command("set", "Write a key", run_set);
  set->add_option("key", a.key, "The key")->required();
  set->add_option("value", a.value, "The value")->required();
  set->add_option("--ttl", a.ttl_ms, "Expire after this many ms (0: never)")->check(kNonNegative);
  auto* if_not_exists = set->add_flag("--if-not-exists", a.if_not_exists, "Only if the key is absent");
  auto* if_exists = set->add_flag("--if-exists", a.if_exists, "Only if the key holds a value");
  auto* if_value = set->add_option("--if-value", a.if_value, "Only if the key holds exactly this value");
  auto* if_revision = set->add_option("--if-revision", a.if_revision, "Only if the key is at this revision");
  if_not_exists->excludes(if_exists)->excludes(if_value)->excludes(if_revision);
  if_exists->excludes(if_value)->excludes(if_revision);
  if_value->excludes(if_revision);
  set->add_flag("--ephemeral", a.ephemeral, "In the leader's memory only (lost on failover)");

  CLI::App* get = command("get", "Read a key", run_get);
  get->add_option("key", a.key, "The key")->required();
  get->add_option("--revision", a.revision, "Read this past revision")->check(kNonNegative);
  get->add_flag("--ephemeral", a.ephemeral, "Read the ephemeral key");

  CLI::App* exists = command("exists", "Tell whether a key holds a value", run_exists);
  exists->add_option("key", a.key, "The key")->required();
  exists->add_flag("--ephemeral", a.ephemeral, "Ask about the ephemeral key");

  CLI::App* del = command("del", "Delete a key", run_delete);
  del->add_option("key", a.key, "The key")->required();
  del->add_flag("--ephemeral", a.ephemeral, "Delete the ephemeral key");

  CLI::App* extend = command("extend", "Set a key to expire this many ms from now", run_extend);
  extend->add_option("key", a.key, "The key")->required();
  extend->add_option("ms", a.extend_ms, "Time to live in ms")->required()->check(kPositive);
  extend->add_flag("--ephemeral", a.ephemeral, "Extend the ephemeral key");
}

void CommandLine::add_scan_commands() {
  CommandArguments& a = args_;
  CLI::App* scan = command("scan", "Every key starting with a prefix, over all partitions", run_scan);
  scan->add_option("prefix", a.prefix, "The prefix")->required();
  scan->add_flag("--ephemeral", a.ephemeral, "Scan ephemeral keys");

  CLI::App* bucket =
      command("bucket", "Every key of a key space (the text before a key's last '/')", run_bucket);
  bucket->add_option("name", a.prefix, "The key space")->required();
  bucket->add_flag("--ephemeral", a.ephemeral, "Read ephemeral keys");

  CLI::App* range = command("range", "Keys of a key space in order, a page at a time", run_range);
  range->add_option("keyspace", a.prefix, "The key space")->required();
  range->add_option("--from", a.from, "First key (inclusive)");
  range->add_option("--to", a.to, "Last key (exclusive)");
  range->add_option("--limit", a.limit, "Keys per page")->check(kPositive)->capture_default_str();
  range->add_option("--cursor", a.cursor, "Continue after a previous page");
  range->add_flag("--all", a.all_pages, "Follow every page");
  range->add_flag("--ephemeral", a.ephemeral, "Read ephemeral keys");
}

void CommandLine::add_lock_commands() {
  CommandArguments& a = args_;
  CLI::App* lock = command("lock", "Acquire a lock and print its fencing token", run_lock);
  lock->add_option("resource", a.resource, "The lock's name")->required();
  lock->add_option("--owner", a.owner, "Owner name (default: generated, printed)");
  lock->add_option("--lease", a.lease_ms, "Lease in ms")->check(kPositive)->capture_default_str();
  lock->add_option("--wait", a.wait_ms, "Wait up to this many ms for the lock")->check(kNonNegative);
  lock->add_flag("--ephemeral", a.ephemeral, "An ephemeral lock");

  CLI::App* unlock = command("unlock", "Release a lock", run_unlock);
  unlock->add_option("resource", a.resource, "The lock's name")->required();
  unlock->add_option("--owner", a.owner, "The owner that holds it")->required();
  unlock->add_flag("--ephemeral", a.ephemeral, "An ephemeral lock");

  CLI::App* extend = command("extend-lock", "Extend a held lock's lease", run_extend_lock);
  extend->add_option("resource", a.resource, "The lock's name")->required();
  extend->add_option("--owner", a.owner, "The owner that holds it")->required();
  extend->add_option("--lease", a.lease_ms, "New lease in ms")->check(kPositive)->capture_default_str();
  extend->add_flag("--ephemeral", a.ephemeral, "An ephemeral lock");

  CLI::App* info = command("get-lock", "Who holds a lock, until when, with which token", run_get_lock);
  info->add_option("resource", a.resource, "The lock's name")->required();
  info->add_flag("--ephemeral", a.ephemeral, "An ephemeral lock");
}

void CommandLine::add_sequence_commands() {
  CommandArguments& a = args_;
  CLI::App* create = command("seq-create", "Create a sequence", run_sequence_create);
  create->add_option("name", a.name, "The sequence")->required();
  create->add_option("--start", a.start, "Initial value (the first value is start + increment)")
      ->capture_default_str();
  create->add_option("--increment", a.increment, "Step between values")->capture_default_str();
  create->add_option("--max", a.max, "Largest value to hand out");
  create->add_option("--block", a.block, "Values the leader reserves ahead")->check(kPositive);

  CLI::App* next = command("seq-next", "Take the next value", run_sequence_next);
  next->add_option("name", a.name, "The sequence")->required();
  next->add_option("--key", a.idempotency_key, "Idempotency key (default: generated)");

  CLI::App* reserve = command("seq-reserve", "Take a run of values", run_sequence_reserve);
  reserve->add_option("name", a.name, "The sequence")->required();
  reserve->add_option("count", a.count, "How many values")->required();
  reserve->add_option("--key", a.idempotency_key, "Idempotency key (default: generated)");

  CLI::App* get = command("seq-get", "Show a sequence", run_sequence_get);
  get->add_option("name", a.name, "The sequence")->required();

  CLI::App* update = command("seq-update", "Change a sequence's settings", run_sequence_update);
  update->add_option("name", a.name, "The sequence")->required();
  update->add_option("--current", a.current, "New high-water mark (the next value is current + increment)");
  update->add_option("--increment", a.increment, "New step");
  update->add_option("--start", a.start, "New initial value");
  auto* max = update->add_option("--max", a.max, "New largest value");
  auto* block = update->add_option("--block", a.block, "New block size");
  update->add_flag("--remove-max", a.remove_max, "Remove the largest value")->excludes(max);
  update->add_flag("--remove-block", a.remove_block, "Back to the server's block size")->excludes(block);

  CLI::App* del = command("seq-delete", "Delete a sequence", run_sequence_delete);
  del->add_option("name", a.name, "The sequence")->required();
}

void CommandLine::add_transaction_commands() {
  CommandArguments& a = args_;
  CLI::App* script = command(
      "script", "Run a Kahuna Script: `script FILE`, or `script -- TEXT` (options before --)", run_script);
  script->add_option("source", a.script_words, "The script's file, or after -- its text");
  script->add_option("--param", a.params, "A parameter, name=value (@name in the script); name alone: null")
      ->allow_extra_args(false);
  script_ = script;

  CLI::App* tx = command("tx",
                         "A transaction console: reads set, get, exists, delete, extend, bucket, lock, "
                         "commit, rollback from the input, one per line",
                         run_tx);
  tx->add_option("--coordinator-key", a.coordinator_key, "The key whose partition's leader owns the session")
      ->required();
  tx->add_flag("--optimistic", a.optimistic, "Lock nothing; the commit validates every read");
  // After `tx`, --timeout is the session's; the global one (the call
  // deadline) is given before `tx`.
  tx->add_option("--timeout", a.session_timeout_ms, "Session timeout in ms: rolled back if not ended by then")
      ->check(kPositive)
      ->capture_default_str();
}

void CommandLine::add_cluster_commands() {
  CommandArguments& a = args_;
  CLI::App* cluster =
      app_.add_subcommand("cluster", "The cluster's members, replicas and replication factor");
  cluster->require_subcommand(1);
  cluster->fallthrough();  // global options after the verb (`cluster status --json`)
  const auto verb = [&](const std::string& name, const std::string& description, CommandHandler handler) {
    CLI::App* sub = cluster->add_subcommand(name, description);
    sub->fallthrough();
    handlers_[sub] = handler;
    return sub;
  };
  verb("status", "Members and their states, partitions and their replicas, the metadata version", run_status);

  CLI::App* join =
      verb("join", "Make the node of --endpoints (the first) join the cluster of SEED (alias: add)",
           run_cluster_join);
  join->alias("add");
  join->add_option("seed", a.seeds, "Peer address (host:port) of a member; several are tried in order")
      ->required();

  verb("leave", "Drain the node of --endpoints (the first) and remove it from the cluster",
       run_cluster_leave);

  CLI::App* remove = verb("remove", "Remove a member, also one that is down", run_cluster_remove);
  remove->add_option("node", a.node_id, "The member's node id")->required()->check(kNodeId);

  CLI::App* factor =
      verb("replication-factor", "Set how many voters each partition has", run_cluster_replication_factor);
  factor->add_option("factor", a.replication_factor, "Voters per partition")->required()->check(kUnsigned32);
  factor->add_option("--partition", a.partition, "Only this data partition (factor 0 clears its override)")
      ->check(kUnsigned32);
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& words, std::ostream& out,
                                      std::ostream& err) {
  // CLI11 takes the words last to first.
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  try {
    app_.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // The help of the command asked about, or of the whole program.
    const CLI::App* target = innermost(&app_);
    out << target->help();
    return kExitSuccess;
  } catch (const CLI::ParseError& error) {
    Printer(out, err, globals_.json).usage_error(error.what());
    return kExitUsage;
  }
  selected_ = innermost(&app_);
  if (selected_ == &app_) selected_ = nullptr;
  if (selected_ != nullptr && selected_ == script_) {
    if (const auto problem = settle_script_source(words)) {
      Printer(out, err, globals_.json).usage_error(*problem);
      return kExitUsage;
    }
  }
  return std::nullopt;
}

std::optional<std::string> CommandLine::settle_script_source(const std::vector<std::string>& words) {
  // CLI11 takes every word after `--` as a positional, so the source words
  // are the text exactly when they are what follows the first `--`.
  const auto dashes = std::find(words.begin(), words.end(), "--");
  if (dashes != words.end()) {
    const std::vector<std::string> after(dashes + 1, words.end());
    if (after.empty()) return "script: no text after --";
    if (args_.script_words != after) return "script: give either FILE or -- TEXT, not both";
    std::string text = after.front();
    for (std::size_t i = 1; i < after.size(); ++i) text += " " + after[i];
    args_.script_text = std::move(text);
    return std::nullopt;
  }
  if (args_.script_words.empty()) return "script: give a FILE, or -- TEXT";
  if (args_.script_words.size() > 1) return "script: one FILE only (text goes after --)";
  args_.script_file = args_.script_words.front();
  return std::nullopt;
}

int CommandLine::run(Session& session, std::istream& in, std::ostream& out, std::ostream& err) const {
  Printer printer(out, err, globals_.json);
  const CommandContext context{session.client(globals_), printer, args_, *selected_, in};
  return handlers_.at(selected_)(context);
}

}  // namespace kahuna::cli
