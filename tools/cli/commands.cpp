#include "commands.h"

#include <random>

#include "exit_codes.h"

namespace kahuna::cli {

namespace {

using std::chrono::milliseconds;

Durability durability_of(const CommandContext& context) {
  return context.args.ephemeral ? Durability::kEphemeral : Durability::kPersistent;
}

std::string generated_owner() {
  std::random_device device;
  std::mt19937_64 engine(static_cast<std::uint64_t>(device()) << 32 | device());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string owner = "cli-";
  for (int i = 0; i < 16; ++i) owner += kDigits[engine() % 16];
  return owner;
}

std::optional<std::string> key_if_given(const CommandContext& context) {
  if (!context.given("--key")) return std::nullopt;
  return context.args.idempotency_key;
}

}  // namespace

int failed(const CommandContext& context, const client::Error& error) {
  context.printer.error(error);
  return exit_code_of(error);
}

// ---- Key/value ---------------------------------------------------------------

int run_set(const CommandContext& context) {
  const CommandArguments& a = context.args;
  client::SetOptions options;
  if (a.if_not_exists) options = client::SetOptions::if_not_exists();
  if (a.if_exists) options = client::SetOptions::if_exists();
  if (context.given("--if-value")) options = client::SetOptions::if_value(a.if_value);
  if (context.given("--if-revision")) options = client::SetOptions::if_revision(a.if_revision);
  options.ttl = milliseconds(a.ttl_ms);
  options.durability = durability_of(context);
  auto reply = context.client.set(a.key, a.value, options);
  if (!reply) return failed(context, reply.error());
  context.printer.kv(*reply, false);
  return exit_code_of(reply->code, KvCode::kSet);
}

int run_get(const CommandContext& context) {
  client::ReadOptions options;
  options.revision = context.args.revision;
  options.durability = durability_of(context);
  auto reply = context.client.get(context.args.key, options);
  if (!reply) return failed(context, reply.error());
  context.printer.kv(*reply, true);
  return exit_code_of(reply->code, KvCode::kGet);
}

int run_exists(const CommandContext& context) {
  client::ReadOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.exists(context.args.key, options);
  if (!reply) return failed(context, reply.error());
  context.printer.kv(*reply, false);
  return exit_code_of(reply->code, KvCode::kExists);
}

int run_delete(const CommandContext& context) {
  client::WriteOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.remove(context.args.key, options);
  if (!reply) return failed(context, reply.error());
  context.printer.kv(*reply, false);
  return exit_code_of(reply->code, KvCode::kDeleted);
}

int run_extend(const CommandContext& context) {
  client::WriteOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.extend(context.args.key, milliseconds(context.args.extend_ms), options);
  if (!reply) return failed(context, reply.error());
  context.printer.kv(*reply, false);
  return exit_code_of(reply->code, KvCode::kExtended);
}

// ---- Scans -------------------------------------------------------------------

int run_scan(const CommandContext& context) {
  client::ScanOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.scan_prefix(context.args.prefix, options);
  if (!reply) return failed(context, reply.error());
  context.printer.items(reply->code, reply->items, false, std::nullopt);
  return exit_code_of(reply->code, KvCode::kGet);
}

int run_bucket(const CommandContext& context) {
  client::ScanOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.get_by_bucket(context.args.prefix, options);
  if (!reply) return failed(context, reply.error());
  context.printer.items(reply->code, reply->items, false, std::nullopt);
  return exit_code_of(reply->code, KvCode::kGet);
}

int run_range(const CommandContext& context) {
  const CommandArguments& a = context.args;
  client::RangeOptions options;
  if (context.given("--from")) options.start_key = a.from;
  if (context.given("--to")) options.end_key = a.to;
  if (context.given("--cursor")) options.cursor = a.cursor;
  options.limit = a.limit;
  options.durability = durability_of(context);
  if (a.all_pages) {
    auto items = context.client.get_range_all(a.prefix, options);
    if (!items) return failed(context, items.error());
    context.printer.items(KvCode::kGet, *items, false, std::nullopt);
    return kExitSuccess;
  }
  auto page = context.client.get_range(a.prefix, options);
  if (!page) return failed(context, page.error());
  context.printer.items(page->code, page->items, page->has_more, page->next_cursor);
  return exit_code_of(page->code, KvCode::kGet);
}

// ---- Locks -------------------------------------------------------------------

int run_lock(const CommandContext& context) {
  const CommandArguments& a = context.args;
  const std::string owner = context.given("--owner") ? a.owner : generated_owner();
  client::LockOptions options;
  options.durability = durability_of(context);
  auto reply = a.wait_ms > 0 ? context.client.acquire_lock(a.resource, owner, milliseconds(a.lease_ms),
                                                           milliseconds(a.wait_ms), options)
                             : context.client.try_lock(a.resource, owner, milliseconds(a.lease_ms), options);
  if (!reply) return failed(context, reply.error());
  context.printer.lock(*reply, a.resource, owner);
  return exit_code_of(reply->code, LockCode::kLocked);
}

int run_unlock(const CommandContext& context) {
  client::LockOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.unlock(context.args.resource, context.args.owner, options);
  if (!reply) return failed(context, reply.error());
  context.printer.lock(*reply, context.args.resource, context.args.owner);
  return exit_code_of(reply->code, LockCode::kUnlocked);
}

int run_extend_lock(const CommandContext& context) {
  client::LockOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.extend_lock(context.args.resource, context.args.owner,
                                          milliseconds(context.args.lease_ms), options);
  if (!reply) return failed(context, reply.error());
  context.printer.lock(*reply, context.args.resource, context.args.owner);
  return exit_code_of(reply->code, LockCode::kExtended);
}

int run_get_lock(const CommandContext& context) {
  client::LockOptions options;
  options.durability = durability_of(context);
  auto reply = context.client.get_lock(context.args.resource, options);
  if (!reply) return failed(context, reply.error());
  context.printer.lock(*reply, context.args.resource, {});
  return exit_code_of(reply->code, LockCode::kGot);
}

// ---- Sequences ---------------------------------------------------------------

int run_sequence_create(const CommandContext& context) {
  const CommandArguments& a = context.args;
  SequenceCreateRequest request;
  request.name = a.name;
  request.initial_value = a.start;
  request.increment = a.increment;
  if (context.given("--max")) request.max_value = a.max;
  if (context.given("--block")) request.block_size = a.block;
  auto reply = context.client.create_sequence(request);
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

int run_sequence_next(const CommandContext& context) {
  auto reply = context.client.next(context.args.name, key_if_given(context));
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

int run_sequence_reserve(const CommandContext& context) {
  auto reply = context.client.reserve(context.args.name, context.args.count, key_if_given(context));
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

int run_sequence_get(const CommandContext& context) {
  auto reply = context.client.get_sequence(context.args.name);
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

int run_sequence_update(const CommandContext& context) {
  const CommandArguments& a = context.args;
  SequenceUpdateRequest request;
  request.name = a.name;
  if (context.given("--current")) request.current_value = a.current;
  if (context.given("--increment")) request.increment = a.increment;
  if (context.given("--start")) request.initial_value = a.start;
  if (context.given("--max")) request.max_value = a.max;
  if (context.given("--block")) request.block_size = a.block;
  request.remove_max_value = a.remove_max;
  request.remove_block_size = a.remove_block;
  auto reply = context.client.update_sequence(request);
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

int run_sequence_delete(const CommandContext& context) {
  auto reply = context.client.delete_sequence(context.args.name);
  if (!reply) return failed(context, reply.error());
  context.printer.sequence(*reply);
  return exit_code_of(reply->code, SequenceCode::kSuccess);
}

}  // namespace kahuna::cli
