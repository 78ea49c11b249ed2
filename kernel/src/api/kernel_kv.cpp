// The Kernel's key/value operations (HTTP-API.md §6).
#include <map>

#include "api/gather.h"
#include "api/kernel_serve.h"
#include "services/placement/placement.h"
#include "services/storage/engine_state_reader.h"

namespace kahuna {
namespace {

const KvReply kKvMustRetry{KvCode::kMustRetry};
const KvReply kKvErrored{KvCode::kErrored};

services::KvSet to_command(const KvSetRequest& r) {
  return services::KvSet{r.key, r.value, r.compare_value, r.compare_revision, r.expires_ms, r.flags};
}

}  // namespace

std::uint32_t Kernel::partition_of_key_space(std::string_view key_space) const {
  return 1 + services::bucket_of_string(services::placement_group_of(key_space), config_.cluster.partitions);
}

asio::awaitable<Routed<KvReply>> Kernel::kv_command(std::uint32_t partition, services::CommandBody body,
                                                    Durability durability, const CallOptions& options,
                                                    ForwardFn<KvReply> forward) {
  co_return co_await serve(
      partition, options, kKvMustRetry, kKvErrored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, KvReply>> {
        services::Reply reply;
        ServeFailure failure = durability == Durability::kPersistent
                                   ? co_await service.propose(body, options.request_id, deadline, reply)
                                   : service.apply_ephemeral(body, reply);
        co_return std::pair{failure, reply_as(reply, kKvErrored)};
      },
      std::move(forward));
}

asio::awaitable<Routed<KvReply>> Kernel::kv_set(KvSetRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<KvReply>>(forwarder_, wire::KvSet{request}, options);
  services::CommandBody body = to_command(request);
  co_return co_await kv_command(partition_of_key(request.key), std::move(body), request.durability, options,
                                std::move(forward));
}

asio::awaitable<Routed<KvReply>> Kernel::kv_delete(KvKeyRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<KvReply>>(forwarder_, wire::KvDelete{request}, options);
  services::CommandBody body = services::KvDelete{request.key};
  co_return co_await kv_command(partition_of_key(request.key), std::move(body), request.durability, options,
                                std::move(forward));
}

asio::awaitable<Routed<KvReply>> Kernel::kv_extend(KvExtendRequest request, CallOptions options) {
  options = with_request_id(options);
  auto forward = forward_as<Routed<KvReply>>(forwarder_, wire::KvExtend{request}, options);
  services::CommandBody body = services::KvExtend{request.key, request.expires_ms};
  co_return co_await kv_command(partition_of_key(request.key), std::move(body), request.durability, options,
                                std::move(forward));
}

asio::awaitable<Routed<KvReply>> Kernel::kv_point_read(KvGetRequest request, CallOptions options,
                                                       bool with_value) {
  options.request_id = {};  // a read: nothing to apply once, always safe to resend
  const std::uint32_t partition = partition_of_key(request.query.key);
  auto read = [&](PartitionService& service, const services::StateReader& reader, HlcTimestamp now) {
    KvReply reply = kKvErrored;
    const auto& reads = service.machine().kv_reads();
    const Status status = with_value ? reads.get(reader, request.query, now, reply)
                                     : reads.exists(reader, request.query, now, reply);
    return status ? reply : kKvErrored;
  };
  if (options.consistency == ReadConsistency::kLocal && request.durability == Durability::kPersistent) {
    services::EngineStateReader reader(engine_);
    co_return read_here<KvReply>(
        partition, [&](PartitionService& service) { return read(service, reader, clock_.now()); });
  }
  ForwardedCall call =
      with_value ? ForwardedCall(wire::KvGet{request}) : ForwardedCall(wire::KvExists{request});
  ForwardFn<KvReply> forward = forward_as<Routed<KvReply>>(forwarder_, std::move(call), options);
  co_return co_await serve(
      partition, options, kKvMustRetry, kKvErrored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, KvReply>> {
        KvReply reply = kKvErrored;
        if (request.durability == Durability::kEphemeral) {
          ServeFailure failure =
              service.read_ephemeral([&](const services::StateReader& state, HlcTimestamp now) {
                reply = read(service, state, now);
              });
          co_return std::pair{failure, reply};
        }
        if (ServeFailure failure = co_await service.read_barrier(deadline); failure != ServeFailure::kNone) {
          co_return std::pair{failure, reply};
        }
        const bool latest = request.query.revision < 0 && request.query.read_timestamp.is_zero();
        if (latest) {
          std::string key = request.query.key;
          const IntentCheck check = co_await settle_pending_write(service, std::move(key), deadline);
          if (check == IntentCheck::kUnsure) co_return std::pair{ServeFailure::kNone, kKvMustRetry};
        }
        services::EngineStateReader reader(service.engine());
        co_return std::pair{ServeFailure::kNone, read(service, reader, service.clock().now())};
      },
      std::move(forward));
}

asio::awaitable<Routed<KvReply>> Kernel::kv_get(KvGetRequest request, CallOptions options) {
  co_return co_await kv_point_read(std::move(request), options, /*with_value=*/true);
}

asio::awaitable<Routed<KvReply>> Kernel::kv_exists(KvGetRequest request, CallOptions options) {
  co_return co_await kv_point_read(std::move(request), options, /*with_value=*/false);
}

// Batches (HTTP-API.md §6.2) are not atomic: each row is its own operation,
// with its own condition, outcome and route; rows run concurrently, so a
// batch over several partitions costs one round trip, not one per row.
// A batch's rows share its request id, told apart by their position (part
// 1 is the first row), so a resent batch repeats each row's own id.
template <class Item>
std::vector<std::pair<CallOptions, Item>> rows_with_ids(std::vector<Item> items, const CallOptions& batch) {
  std::vector<std::pair<CallOptions, Item>> rows;
  rows.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CallOptions row = batch;
    row.request_id.part = static_cast<std::uint32_t>(i + 1);
    rows.emplace_back(row, std::move(items[i]));
  }
  return rows;
}

asio::awaitable<std::vector<Routed<KvReply>>> Kernel::kv_set_many(std::vector<KvSetRequest> items,
                                                                  CallOptions options) {
  auto rows = rows_with_ids(std::move(items), with_request_id(options));
  co_return co_await gather<Routed<KvReply>>(
      std::move(rows),
      [this](std::pair<CallOptions, KvSetRequest> row) { return kv_set(std::move(row.second), row.first); });
}

asio::awaitable<std::vector<Routed<KvReply>>> Kernel::kv_delete_many(std::vector<KvKeyRequest> items,
                                                                     CallOptions options) {
  auto rows = rows_with_ids(std::move(items), with_request_id(options));
  co_return co_await gather<Routed<KvReply>>(std::move(rows),
                                             [this](std::pair<CallOptions, KvKeyRequest> row) {
                                               return kv_delete(std::move(row.second), row.first);
                                             });
}

asio::awaitable<std::vector<Routed<KvReply>>> Kernel::kv_get_many(std::vector<KvGetRequest> items,
                                                                  CallOptions options) {
  co_return co_await gather<Routed<KvReply>>(
      std::move(items), [this, options](KvGetRequest item) { return kv_get(std::move(item), options); });
}

asio::awaitable<std::vector<Routed<KvReply>>> Kernel::kv_exists_many(std::vector<KvGetRequest> items,
                                                                     CallOptions options) {
  co_return co_await gather<Routed<KvReply>>(
      std::move(items), [this, options](KvGetRequest item) { return kv_exists(std::move(item), options); });
}

asio::awaitable<Routed<KvScanReply>> Kernel::scan_partition(std::uint32_t partition, KvPrefixRequest request,
                                                            CallOptions options) {
  options.request_id = {};  // a read: nothing to apply once, always safe to resend
  const KvScanReply must_retry{KvCode::kMustRetry, {}};
  const KvScanReply errored{KvCode::kErrored, {}};
  auto scan = [&](PartitionService& service, const services::StateReader& reader, HlcTimestamp now) {
    KvScanReply reply;
    const Status status =
        service.machine().kv_reads().scan_prefix(reader, request.prefix, request.read_timestamp, now, reply);
    return status ? reply : errored;
  };
  if (options.consistency == ReadConsistency::kLocal && request.durability == Durability::kPersistent) {
    std::unique_ptr<Snapshot> view;
    if (!engine_.snapshot(view)) co_return Routed<KvScanReply>{errored, {}};
    services::EngineStateReader reader(engine_, view.get());
    co_return read_here<KvScanReply>(
        partition, [&](PartitionService& service) { return scan(service, reader, clock_.now()); });
  }
  ForwardFn<KvScanReply> forward =
      forward_as<Routed<KvScanReply>>(forwarder_, scan_of_partition(partition, request), options);
  co_return co_await serve(
      partition, options, must_retry, errored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, KvScanReply>> {
        KvScanReply reply = errored;
        if (request.durability == Durability::kEphemeral) {
          ServeFailure failure =
              service.read_ephemeral([&](const services::StateReader& state, HlcTimestamp now) {
                reply = scan(service, state, now);
              });
          co_return std::pair{failure, reply};
        }
        if (ServeFailure failure = co_await service.read_barrier(deadline); failure != ServeFailure::kNone) {
          co_return std::pair{failure, reply};
        }
        std::unique_ptr<Snapshot> view;
        if (!service.engine().snapshot(view)) co_return std::pair{ServeFailure::kFailed, errored};
        services::EngineStateReader reader(service.engine(), view.get());
        co_return std::pair{ServeFailure::kNone, scan(service, reader, service.clock().now())};
      },
      std::move(forward));
}

asio::awaitable<Routed<KvScanReply>> Kernel::kv_get_by_bucket(KvPrefixRequest request, CallOptions options) {
  // The whole key space lives on one partition, so one consistent read.
  const std::uint32_t partition = partition_of_key_space(request.prefix);
  co_return co_await scan_partition(partition, std::move(request), options);
}

asio::awaitable<KvScanReply> Kernel::kv_scan_prefix(KvPrefixRequest request, CallOptions options) {
  KvScanReply merged;
  if (request.prefix.empty()) {
    merged.code = KvCode::kInvalidInput;
    co_return merged;
  }
  if (request.partition != 0) {
    if (request.partition > config_.cluster.partitions) {
      merged.code = KvCode::kInvalidInput;
      co_return merged;
    }
    const std::uint32_t partition = request.partition;
    Routed<KvScanReply> part = co_await scan_partition(partition, std::move(request), options);
    co_return std::move(part.reply);
  }
  // Every data partition answers for its own keys, all at once; the answers
  // are merged in key order (one read per partition, not one snapshot
  // across them).
  std::vector<std::uint32_t> partitions;
  for (std::uint32_t partition = 1; partition <= config_.cluster.partitions; ++partition) {
    partitions.push_back(partition);
  }
  std::vector<Routed<KvScanReply>> parts = co_await gather<Routed<KvScanReply>>(
      std::move(partitions), [this, &request, options](std::uint32_t partition) {
        return scan_partition(partition, request, options);
      });
  std::map<std::string, KvItem> items;
  for (Routed<KvScanReply>& part : parts) {
    if (part.reply.code != KvCode::kGet) {
      merged.code = part.reply.code;
      co_return merged;
    }
    for (KvItem& item : part.reply.items) items.emplace(item.key, std::move(item));
  }
  for (auto& [key, item] : items) merged.items.push_back(std::move(item));
  co_return merged;
}

asio::awaitable<Routed<KvRangePage>> Kernel::kv_get_range(KvRangeRequest request, CallOptions options) {
  options.request_id = {};  // a read: nothing to apply once, always safe to resend
  const KvRangePage must_retry{KvCode::kMustRetry, {}, false, std::nullopt};
  const KvRangePage errored{KvCode::kErrored, {}, false, std::nullopt};
  const std::uint32_t partition = partition_of_key_space(request.query.key_space);
  auto range = [&](PartitionService& service, const services::StateReader& reader, HlcTimestamp now) {
    KvRangePage page;
    const Status status = service.machine().kv_reads().get_range(reader, request.query, now, page);
    return status ? page : errored;
  };
  if (options.consistency == ReadConsistency::kLocal && request.durability == Durability::kPersistent) {
    std::unique_ptr<Snapshot> view;
    if (!engine_.snapshot(view)) co_return Routed<KvRangePage>{errored, {}};
    services::EngineStateReader reader(engine_, view.get());
    co_return read_here<KvRangePage>(
        partition, [&](PartitionService& service) { return range(service, reader, clock_.now()); });
  }
  ForwardFn<KvRangePage> forward =
      forward_as<Routed<KvRangePage>>(forwarder_, wire::KvGetRange{request}, options);
  co_return co_await serve(
      partition, options, must_retry, errored,
      [&](PartitionService& service,
          Clock::time_point deadline) -> asio::awaitable<std::pair<ServeFailure, KvRangePage>> {
        KvRangePage page = errored;
        if (request.durability == Durability::kEphemeral) {
          ServeFailure failure =
              service.read_ephemeral([&](const services::StateReader& state, HlcTimestamp now) {
                page = range(service, state, now);
              });
          co_return std::pair{failure, page};
        }
        // A cursor from an earlier page reads that page's snapshot again.
        RangeSnapshots& pinned = service.range_snapshots();
        std::uint64_t pin_id = 0;
        std::string inner_cursor;
        std::shared_ptr<const Snapshot> view;
        if (request.query.cursor && RangeSnapshots::unwrap(*request.query.cursor, pin_id, inner_cursor)) {
          request.query.cursor = inner_cursor;
          view = pinned.find(pin_id);
        }
        if (view == nullptr) {
          pin_id = 0;
          if (ServeFailure failure = co_await service.read_barrier(deadline);
              failure != ServeFailure::kNone) {
            co_return std::pair{failure, page};
          }
          std::unique_ptr<Snapshot> fresh;
          if (!service.engine().snapshot(fresh)) co_return std::pair{ServeFailure::kFailed, errored};
          view = std::move(fresh);
        }
        services::EngineStateReader reader(service.engine(), view.get());
        page = range(service, reader, service.clock().now());
        if (page.has_more && page.next_cursor) {
          if (pin_id == 0) pin_id = pinned.pin(view);
          page.next_cursor = RangeSnapshots::wrap(pin_id, *page.next_cursor);
        }
        co_return std::pair{ServeFailure::kNone, page};
      },
      std::move(forward));
}

}  // namespace kahuna
