// The Kernel's transaction steps (TRANSACTIONS.md §3): each participant
// command runs on its partition's leader, and commit_transaction drives a
// plan through them (tx/tx_coordinator.h).
#include <map>
#include <type_traits>

#include <spdlog/spdlog.h>

#include "api/kernel_serve.h"
#include "services/commands/command_codec.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

const TxReply kTxMustRetry{TxCode::kMustRetry};
const TxReply kTxInvalid{TxCode::kInvalidInput};
// Stale intents settled per partition and sweep: bounds one round's work.
constexpr std::size_t kSweepLimit = 256;
constexpr auto kSweepStepTimeout = std::chrono::seconds(2);

bool is_tx_step(const services::CommandBody& body) {
  return std::visit(
      [](const auto& command) {
        using T = std::decay_t<decltype(command)>;
        return std::is_same_v<T, services::TxPrepare> || std::is_same_v<T, services::TxDecide> ||
               std::is_same_v<T, services::TxResolve> || std::is_same_v<T, services::TxCommitLocal> ||
               std::is_same_v<T, services::TxForget> || std::is_same_v<T, services::TxDecideResolve> ||
               std::is_same_v<T, services::TxQuery>;
      },
      body);
}

}  // namespace

asio::awaitable<Routed<TxReply>> Kernel::tx_step(TxStepRequest request, CallOptions options) {
  options = with_request_id(options);
  services::Command command;
  const bool decoded = services::decode_command(request.command, command).is_ok();
  if (!decoded || !is_tx_step(command.body) || request.partition == 0 ||
      request.partition > config_.cluster.partitions) {
    Routed<TxReply> out;
    out.route.partition = request.partition;
    out.reply = kTxInvalid;
    co_return out;
  }
  // A resolve writes versions stamped with the commit stamp: the leader's
  // clock must be past it before it stamps the resolve and what follows.
  if (const auto* resolve = std::get_if<services::TxResolve>(&command.body); resolve && resolve->commit) {
    clock_.update(resolve->commit_stamp);
  }
  auto forward = forward_as<Routed<TxReply>>(forwarder_, wire::TxStep{request}, options);
  co_return co_await serve(
      request.partition, options, kTxMustRetry, kTxInvalid,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, TxReply>> {
        services::Reply reply;
        const ServeFailure failure =
            co_await service.propose(command.body, options.request_id, deadline, reply);
        co_return std::pair{failure, reply_as(reply, kTxInvalid)};
      },
      std::move(forward));
}

asio::awaitable<Kernel::IntentCheck> Kernel::settle_pending_write(PartitionService& service, std::string key,
                                                                  Clock::time_point deadline) {
  std::optional<services::TxIntent> intent;
  {
    services::EngineStateReader reader(service.engine());
    const services::TxStateMachine& tx = service.machine().tx();
    std::uint64_t count = 0;
    if (!tx.intent_count(reader, count).is_ok() || count == 0) co_return IntentCheck::kClear;
    if (!tx.load_intent(reader, key, intent).is_ok()) co_return IntentCheck::kUnsure;
  }
  if (!intent || intent->kind == services::TxWriteKind::kLock) co_return IntentCheck::kClear;
  CallOptions options;
  options.timeout = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                             std::chrono::milliseconds(1));
  TxStepRequest query{intent->anchor,
                      services::encode_command(services::Command{{}, services::TxQuery{intent->tx}})};
  const Routed<TxReply> decision = co_await tx_step(std::move(query), options);
  if (decision.reply.code == TxCode::kUndecided || decision.reply.code == TxCode::kAborted) {
    co_return IntentCheck::kClear;  // not committed yet (or never): the committed version is the truth
  }
  if (decision.reply.code != TxCode::kCommitted) co_return IntentCheck::kUnsure;
  services::CommandBody body =
      services::TxResolve{intent->tx, true, decision.reply.commit_stamp, std::vector<std::string>{key}};
  TxStepRequest resolve{service.partition(),
                        services::encode_command(services::Command{{}, std::move(body)})};
  const Routed<TxReply> resolved = co_await tx_step(std::move(resolve), options);
  co_return resolved.reply.code == TxCode::kResolved ? IntentCheck::kResolved : IntentCheck::kUnsure;
}

bool Kernel::leads_key(std::string_view key) const {
  const std::uint32_t partition = partition_of_key(key);
  return partition < partitions_.size() && partitions_[partition]->leads() && hosts(partition);
}

asio::awaitable<TxOutcome> Kernel::commit_transaction(TxPlan plan, std::chrono::milliseconds timeout) {
  TxCoordinator coordinator(
      [this](std::uint32_t partition, services::CommandBody body, RequestId id,
             Clock::time_point deadline) -> asio::awaitable<TxReply> {
        CallOptions options;
        options.request_id = id;
        options.timeout =
            std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()),
                     std::chrono::milliseconds(1));
        TxStepRequest request{partition, services::encode_command(services::Command{{}, std::move(body)})};
        Routed<TxReply> routed = co_await tx_step(std::move(request), options);
        co_return routed.reply;
      },
      [this](std::string_view key) { return partition_of_key(key); },
      [this] {
        return RequestId{minted_client_, minted_sequence_.fetch_add(1) + 1, 0};
      });
  co_return co_await coordinator.commit(std::move(plan), Clock::now() + timeout);
}

asio::awaitable<void> Kernel::sweep_stale_intents() {
  for (auto& service : partitions_) {
    if (!service->leads() || stopping()) continue;
    const services::TxStateMachine& tx = service->machine().tx();
    std::vector<services::TxStateMachine::StaleIntent> stale;
    {
      services::EngineStateReader reader(engine_);
      std::uint64_t count = 0;
      if (!tx.intent_count(reader, count).is_ok() || count == 0) continue;
      if (Status s = tx.stale_intents(reader, clock_.now(), kSweepLimit, stale); !s.is_ok()) {
        spdlog::warn("partition {}: cannot read its transaction intents: {}", service->partition(),
                     s.to_string());
        continue;
      }
    }
    // Each transaction once: its record's decision, then its keys here.
    std::map<HlcTimestamp, std::pair<std::uint32_t, std::vector<std::string>>> by_tx;
    for (auto& intent : stale) {
      auto& [anchor, keys] = by_tx[intent.tx];
      anchor = intent.anchor;
      keys.push_back(std::move(intent.key));
    }
    for (auto& [id, anchor_and_keys] : by_tx) {
      auto& [anchor, keys] = anchor_and_keys;
      CallOptions options;
      options.timeout = kSweepStepTimeout;
      TxStepRequest decide{anchor,
                           services::encode_command(services::Command{{}, services::TxDecide{id, false}})};
      const Routed<TxReply> decision = co_await tx_step(std::move(decide), options);
      if (decision.reply.code != TxCode::kCommitted && decision.reply.code != TxCode::kAborted) continue;
      const bool commit = decision.reply.code == TxCode::kCommitted;
      services::CommandBody body =
          services::TxResolve{id, commit, decision.reply.commit_stamp, std::move(keys)};
      TxStepRequest resolve{service->partition(),
                            services::encode_command(services::Command{{}, std::move(body)})};
      const Routed<TxReply> resolved = co_await tx_step(std::move(resolve), options);
      spdlog::info("partition {}: settled a stale transaction's intents ({}, {})", service->partition(),
                   to_string(decision.reply.code), to_string(resolved.reply.code));
    }
  }
}

}  // namespace kahuna
