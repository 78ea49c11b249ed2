// The binary-protocol driver: every request through the C++ SDK
// (AsyncClient), so the figures include what an application using the SDK
// pays — routing to the partition leader, retries of must-retry answers.
#include <kahuna/client/async_client.h>

#include <string>
#include <vector>

#include "batched_populate.h"
#include "driver.h"

namespace kahuna::bench {

namespace {

// Keys written per set_many call while populating; the SDK splits each
// batch by partition and sends the parts concurrently.
constexpr std::uint64_t kPopulateBatch = 256;
// Batches in flight per connection while populating.
constexpr std::size_t kPopulateStreams = 4;

Outcome failed(const client::Error& error) {
  return Outcome::failure(std::string(client::to_string(error.kind)), error.message);
}

template <class Code>
Outcome unexpected(std::string_view call, Code code) {
  const std::string name(to_string(code));
  return Outcome::failure("unexpected:" + name, std::string(call) + " answered " + name);
}

class BinaryDriver final : public Driver {
 public:
  BinaryDriver(asio::any_io_executor executor, const WorkloadPlan& plan, std::size_t connections)
      : executor_(executor), plan_(plan), options_(plan.options()) {
    client::ClientOptions client_options;
    client_options.endpoints = options_.endpoints;
    client_options.call_deadline = options_.timeout;
    client_options.attempt_timeout = std::min(client_options.attempt_timeout, options_.timeout);
    for (std::size_t i = 0; i < connections; ++i) {
      clients_.push_back(std::make_unique<client::AsyncClient>(executor, client_options));
    }
  }

  asio::awaitable<Outcome> probe() override {
    client::BasicOptions options;
    auto status = co_await clients_.front()->cluster_status(options);
    if (!status) co_return failed(status.error());
    co_return Outcome::success(label::kGet);
  }

  asio::awaitable<Outcome> populate(std::uint64_t first, std::uint64_t count) override {
    co_return co_await populate_in_batches(
        executor_, first, count, kPopulateBatch, clients_.size() * kPopulateStreams,
        [this](std::size_t stream, std::uint64_t begin, std::uint64_t end) -> asio::awaitable<Outcome> {
          std::vector<KvSetRequest> items;
          for (std::uint64_t index = begin; index < end; ++index) {
            KvSetRequest item;
            item.key = plan_.key(index);
            item.value = plan_.value();
            item.flags = KvSetFlag::kSet;
            item.durability = options_.durability;
            items.push_back(std::move(item));
          }
          client::BasicOptions options;
          auto reply = co_await clients_[stream % clients_.size()]->set_many(std::move(items), options);
          if (!reply) co_return failed(reply.error());
          for (const KvReply& row : *reply) {
            if (row.code != KvCode::kSet) co_return unexpected("set_many", row.code);
          }
          co_return Outcome::success(label::kSet);
        });
  }

  asio::awaitable<Outcome> create_sequence(std::uint64_t index) override {
    SequenceCreateRequest request;
    request.name = plan_.sequence(index);
    client::BasicOptions options;
    auto reply = co_await clients_.front()->create_sequence(std::move(request), options);
    if (!reply) co_return failed(reply.error());
    if (reply->code != SequenceCode::kSuccess && reply->code != SequenceCode::kAlreadyExists) {
      co_return unexpected("create_sequence", reply->code);
    }
    co_return Outcome::success(label::kAllocated);
  }

  asio::awaitable<Outcome> execute(Request request, ClientIdentity identity) override {
    client::AsyncClient& client = *clients_[identity.connection % clients_.size()];
    switch (request.operation) {
      case Operation::kSet: co_return co_await set(client, request.index);
      case Operation::kGet: co_return co_await get(client, request.index);
      case Operation::kCas: co_return co_await cas(client, request.index);
      case Operation::kLock: co_return co_await lock_cycle(client, request.index, identity);
      case Operation::kSequence: co_return co_await sequence(client, request.index);
      case Operation::kScript:
      case Operation::kTransfer: break;  // HTTP only (bench_options.cpp refuses them here)
    }
    co_return Outcome::failure("internal", "unknown operation");
  }

  void close() override {
    for (auto& client : clients_) client->shutdown();
  }

 private:
  asio::awaitable<Outcome> set(client::AsyncClient& client, std::uint64_t index) {
    std::string key = plan_.key(index);
    std::optional<std::string> value = plan_.value();
    client::SetOptions options;
    options.durability = options_.durability;
    auto reply = co_await client.set(std::move(key), std::move(value), std::move(options));
    if (!reply) co_return failed(reply.error());
    if (reply->code != KvCode::kSet) co_return unexpected("set", reply->code);
    co_return Outcome::success(label::kSet);
  }

  asio::awaitable<Outcome> get(client::AsyncClient& client, std::uint64_t index) {
    std::string key = plan_.key(index);
    client::ReadOptions options;
    options.durability = options_.durability;
    options.consistency = options_.consistency;
    auto reply = co_await client.get(std::move(key), options);
    if (!reply) co_return failed(reply.error());
    if (reply->code == KvCode::kGet) co_return Outcome::success(label::kGet);
    if (reply->code == KvCode::kDoesNotExist) co_return Outcome::success(label::kMiss);
    co_return unexpected("get", reply->code);
  }

  // A read, then a write that succeeds only if nobody wrote in between.
  asio::awaitable<Outcome> cas(client::AsyncClient& client, std::uint64_t index) {
    std::string key = plan_.key(index);
    client::ReadOptions read;
    read.durability = options_.durability;
    read.consistency = options_.consistency;
    std::string read_key = key;
    auto current = co_await client.get(std::move(read_key), read);
    if (!current) co_return failed(current.error());
    client::SetOptions write;
    if (current->code == KvCode::kGet) {
      write = client::SetOptions::if_revision(current->revision);
    } else if (current->code == KvCode::kDoesNotExist) {
      write = client::SetOptions::if_not_exists();
    } else {
      co_return unexpected("get", current->code);
    }
    write.durability = options_.durability;
    std::optional<std::string> value = plan_.value();
    auto reply = co_await client.set(std::move(key), std::move(value), std::move(write));
    if (!reply) co_return failed(reply.error());
    if (reply->code == KvCode::kSet) co_return Outcome::success(label::kCasSuccess);
    if (reply->code == KvCode::kNotSet) co_return Outcome::success(label::kCasConflict);
    co_return unexpected("set", reply->code);
  }

  // Acquire (try, or wait), then release what was acquired.
  asio::awaitable<Outcome> lock_cycle(client::AsyncClient& client, std::uint64_t index,
                                      ClientIdentity identity) {
    const std::string resource = plan_.resource(index);
    const std::string owner = plan_.owner(identity);
    client::LockOptions options;
    options.durability = options_.durability;
    std::string acquire_resource = resource;
    std::string acquire_owner = owner;
    client::Result<client::LockResult> acquired;
    if (options_.lock_mode == LockMode::kTry) {
      acquired = co_await client.try_lock(std::move(acquire_resource), std::move(acquire_owner),
                                          options_.lease, options);
    } else {
      acquired = co_await client.acquire_lock(std::move(acquire_resource), std::move(acquire_owner),
                                              options_.lease, options_.lock_wait, options);
    }
    if (!acquired) co_return failed(acquired.error());
    if (acquired->code == LockCode::kBusy) co_return Outcome::success(label::kBusy);
    if (acquired->code != LockCode::kLocked) co_return unexpected("lock", acquired->code);
    std::string release_resource = resource;
    std::string release_owner = owner;
    auto released = co_await client.unlock(std::move(release_resource), std::move(release_owner), options);
    if (!released) co_return failed(released.error());
    if (released->code != LockCode::kUnlocked) co_return unexpected("unlock", released->code);
    co_return Outcome::success(label::kAcquired);
  }

  asio::awaitable<Outcome> sequence(client::AsyncClient& client, std::uint64_t index) {
    std::string name = plan_.sequence(index);
    std::optional<std::string> no_key;
    client::SequenceOptions options;
    options.idempotent = options_.idempotent;
    client::Result<client::SequenceResult> reply;
    if (options_.reserve == 1) {
      reply = co_await client.next(std::move(name), std::move(no_key), options);
    } else {
      reply = co_await client.reserve(std::move(name), options_.reserve, std::move(no_key), options);
    }
    if (!reply) co_return failed(reply.error());
    if (reply->code != SequenceCode::kSuccess) co_return unexpected("sequence", reply->code);
    co_return Outcome::success(label::kAllocated, reply->allocation.count);
  }

  asio::any_io_executor executor_;
  const WorkloadPlan& plan_;
  const BenchOptions& options_;
  std::vector<std::unique_ptr<client::AsyncClient>> clients_;
};

}  // namespace

std::unique_ptr<Driver> make_binary_driver(asio::any_io_executor executor, const WorkloadPlan& plan,
                                           std::size_t connections) {
  return std::make_unique<BinaryDriver>(std::move(executor), plan, connections);
}

}  // namespace kahuna::bench
