#include "server/server.h"

#include <csignal>
#include <cstring>
#include <future>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <asio/executor_work_guard.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/this_coro.hpp>

#include <kahuna/plugin_loader.h>
#include <kahuna/protocol_server.h>
#include <kahuna/storage_engine.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "api/kernel.h"
#include "api/kernel_entry.h"
#include "api/peer_forwarder.h"
#include "replication/replication_host.h"
#include "services/clock/hlc.h"
#include "services/partition/service_options.h"
#include "storage/data_directory.h"
#include "storage/log_writer.h"

namespace kahuna {
namespace {

Status open_storage(const Config& config, PluginObject<StorageEngine>& engine) {
  const std::string where = config.file.string() + ": storage.plugin: ";
  LoadedPlugin plugin;
  if (Status s = LoadedPlugin::open(config.storage.plugin_file, PluginKind::kStorage, plugin); !s) {
    return Status(s.code(), where + s.message());
  }
  const PluginDescriptor& descriptor = plugin.descriptor();
  const DataDirectoryIdentity identity{config.node.id, descriptor.name, 1, config.raft.log};
  if (Status s = claim_data_directory(config.node.data_dir, identity); !s) {
    return Status(s.code(), config.file.string() + ": node.data_dir: " + s.message());
  }

  const std::filesystem::path directory = storage_directory(config.node.data_dir);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Status::io_error("cannot create '" + directory.string() + "': " + error.message());
  }
  PluginContext context;
  context.options = &config.storage.options;
  context.data_dir = directory.string();
  if (Status s = plugin.create(context, engine); !s) {
    // The plugin names the key at fault (storage.<name>.<key>); add the file.
    return Status(s.code(), config.file.string() + ": " + s.message());
  }
  spdlog::info("storage: loaded plugin '{}' version {} from {}", descriptor.name, descriptor.version,
               plugin.file().string());
  return Status::ok();
}

Status open_protocol(const Config& config, const ProtocolConfig& protocol, Kernel& kernel, KernelApi& entry,
                     PluginObject<ProtocolServer>& out) {
  const std::string where = config.file.string() + ": protocol '" + protocol.plugin + "': ";
  LoadedPlugin plugin;
  if (Status s = LoadedPlugin::open(protocol.plugin_file, PluginKind::kProtocol, plugin); !s) {
    return Status(s.code(), where + s.message());
  }
  PluginContext context;
  context.options = &protocol.options;
  context.kernel = &entry;
  if (Status s = plugin.create(context, out); !s) return Status(s.code(), where + s.message());
  if (Status s = out->start(); !s) return Status(s.code(), where + s.message());
  kernel.set_local_endpoint(protocol.plugin, out->endpoint());
  spdlog::info("protocol '{}' (plugin version {}) serving on {}", protocol.plugin,
               plugin.descriptor().version, out->endpoint());
  return Status::ok();
}

// Leader counting, the metadata bootstrap, membership upkeep (replicas,
// leadership, peers, admission) and TTL expiry, until `stopping`.
asio::awaitable<void> housekeeping(Kernel& kernel, const std::atomic<bool>& stopping) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int round = 0; !stopping; ++round) {
    timer.expires_after(std::chrono::milliseconds(250));
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (stopping) break;
    if (round % 4 == 0) kernel.balance_leaders();
    co_await kernel.bootstrap_metadata();
    co_await kernel.manage_membership();
    co_await kernel.sweep_expired_keys();
  }
}

// Settles the intents of transactions past their deadline, once a second,
// until `stopping`. A loop of its own: asking an unreachable anchor for a
// decision takes seconds, which must not hold up membership upkeep.
// It ticks as often as housekeeping, so a shutdown waits no longer for it.
asio::awaitable<void> intent_sweeps(Kernel& kernel, const std::atomic<bool>& stopping) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int tick = 0; !stopping; ++tick) {
    timer.expires_after(std::chrono::milliseconds(250));
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (stopping) break;
    if (tick % 4 == 3) {
      co_await kernel.reap_sessions();
      co_await kernel.sweep_stale_intents();
    }
  }
}

}  // namespace

Status Server::run() {
  spdlog::info("kahuna {} starting: node {}, configuration {}", KAHUNA_VERSION, config_.node.id,
               config_.file.string());

  PluginObject<StorageEngine> engine;
  if (Status s = open_storage(config_, engine); !s) return s;

  // Declared after the engine so it is destroyed first; stop() below makes
  // the order explicit anyway.
  LogWriter log_writer(*engine);

  asio::io_context io(static_cast<int>(config_.io_threads));
  auto work = asio::make_work_guard(io);

  // The main thread waits for SIGINT or SIGTERM; io threads never block.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::promise<int> stop_signal;
  signals.async_wait([&stop_signal](const std::error_code& error, int number) {
    if (!error) stop_signal.set_value(number);
  });

  std::vector<std::thread> threads;
  threads.reserve(config_.io_threads);
  for (unsigned i = 0; i < config_.io_threads; ++i) {
    threads.emplace_back([&io] { io.run(); });
  }

  // Raft groups, then the kernel over them, then the protocols over it;
  // torn down in the reverse order.
  services::HybridClock clock(static_cast<std::int32_t>(config_.node.id));
  services::ServiceOptions service_options;
  service_options.kv.max_key_bytes = config_.services.max_key_bytes;
  service_options.kv.max_value_bytes = config_.services.max_value_bytes;
  service_options.kv.history_revisions = config_.services.history_revisions;
  service_options.kv.max_page_size = config_.services.max_page_size;
  service_options.sequences.idempotency_retention_ms = config_.services.idempotency_retention_ms;
  service_options.requests.capacity = static_cast<std::uint64_t>(config_.services.request_id_capacity);
  service_options.requests.retention_ms = config_.services.request_id_retention_ms;
  ReplicationHost host(io, config_, *engine, log_writer, clock, service_options);
  std::unique_ptr<Kernel> kernel;
  std::unique_ptr<PeerForwarder> forwarder;
  std::unique_ptr<KernelEntry> entry;
  std::vector<PluginObject<ProtocolServer>> protocols;
  std::atomic<bool> stopping{false};
  auto stop_all = [&] {
    stopping = true;
    for (auto& protocol : protocols) protocol->stop();
    if (kernel) kernel->shutdown();
    if (forwarder) forwarder->cancel_all();
    host.stop();
    work.reset();
    for (auto& thread : threads) thread.join();
    protocols.clear();
    log_writer.stop();
  };
  Status opened = host.open();
  if (opened) {
    kernel = std::make_unique<Kernel>(config_, host, *engine, log_writer, clock);
    forwarder = std::make_unique<PeerForwarder>(io, host, *kernel);
    entry = std::make_unique<KernelEntry>(*kernel, io);
    if (config_.cluster.networked()) kernel->set_forwarder(forwarder.get());
    host.set_request_handler([&kernel](std::uint64_t from, std::string request) {
      return kernel->admit(from, std::move(request));
    });
    opened = host.start([&](std::uint64_t from, std::uint32_t channel, std::string payload) {
      if (channel == ReplicaMover::kReportChannel) {
        asio::co_spawn(io, kernel->on_replica_report(std::move(payload)), asio::detached);
        return;
      }
      forwarder->on_frame(from, channel, std::move(payload));
    });
  }
  for (std::size_t i = 0; opened && i < config_.protocols.size(); ++i) {
    protocols.emplace_back();
    opened = open_protocol(config_, config_.protocols[i], *kernel, *entry, protocols.back());
    if (!opened) protocols.pop_back();
  }
  if (!opened) {
    stop_all();
    return opened;
  }
  asio::co_spawn(io, housekeeping(*kernel, stopping), asio::detached);
  asio::co_spawn(io, intent_sweeps(*kernel, stopping), asio::detached);

  const std::string peers =
      config_.cluster.joins()          ? "joining through " + config_.cluster.join.front().to_string()
      : !config_.cluster.peers.empty() ? std::to_string(config_.cluster.peers.size()) + " first members"
                                       : std::string("single node");
  if (protocols.empty()) spdlog::warn("protocols: none configured; clients cannot reach this node");
  spdlog::info("node {} ready: {} io threads, {} data partitions, {}, data in {}", config_.node.id,
               config_.io_threads, config_.cluster.partitions, peers, config_.node.data_dir.string());

  const int number = stop_signal.get_future().get();
  spdlog::info("received {}: shutting down", strsignal(number));
  // Back to the default disposition: if the orderly shutdown below hangs, a
  // second signal ends the process at once. Every acknowledged write is
  // already synced, so that loses nothing acknowledged.
  std::error_code ignored;
  signals.clear(ignored);

  // io.run() returns in every thread once the work guard is gone and the
  // handlers still queued (in-flight requests) have finished.
  stop_all();
  Status flushed = engine->flush();
  if (!flushed) spdlog::error("storage: flush at shutdown failed: {}", flushed.to_string());
  engine.reset();
  spdlog::info("node {} stopped cleanly", config_.node.id);
  return flushed;
}

}  // namespace kahuna
