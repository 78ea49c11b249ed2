// AsyncClient: key/value batches. Each batch is cut into one sub-batch per
// partition, sent straight to that partition's leader; the sub-batches run
// concurrently and their rows are put back in the caller's order. Rows
// answered must-retry are sent again (alone) until the deadline.
#include <map>

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <kahuna/client/async_client.h>

#include "backoff.h"
#include "client_core.h"
#include "gather.h"
#include "reply_cast.h"

namespace kahuna::client {

namespace {

using Clock = std::chrono::steady_clock;
using Rows = std::vector<Routed<KvReply>>;

const std::string& key_of(const KvSetRequest& item) { return item.key; }
const std::string& key_of(const KvGetRequest& item) { return item.query.key; }
const std::string& key_of(const KvKeyRequest& item) { return item.key; }

// The request body carrying `items`.
template <class Body, class Item>
wire::RequestBody batch_body(std::vector<Item> items) {
  Body body;
  body.items = std::move(items);
  return body;
}

// One partition's items, retried row by row until none is must-retry.
template <class Body, class Item>
asio::awaitable<Result<BatchResult>> run_group(std::shared_ptr<detail::ClientCore> core, std::vector<Item> items,
                                               Clock::time_point deadline) {
  BatchResult rows(items.size());
  std::vector<std::size_t> pending(items.size());
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  detail::Backoff backoff(core->options().initial_backoff, core->options().max_backoff);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) co_return rows;  // the rows still pending keep mustRetry
    std::vector<Item> sending;
    for (std::size_t index : pending) sending.push_back(items[index]);
    detail::CoreCall call;
    call.target = detail::CallTarget::key(key_of(sending.front()));
    call.body = batch_body<Body>(std::move(sending));
    call.deadline = left;
    Result<wire::Response> raw = co_await core->call(std::move(call));
    Result<Rows> reply = detail::reply_as<Rows>(std::move(raw));
    if (!reply) co_return reply.error();
    if (reply->size() != pending.size()) {
      co_return Error{ErrorKind::kProtocol, "a batch of " + std::to_string(pending.size()) + " items got " +
                                                std::to_string(reply->size()) + " rows"};
    }
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      rows[pending[i]] = std::move((*reply)[i].reply);
      if (rows[pending[i]].code == KvCode::kMustRetry) again.push_back(pending[i]);
    }
    if (again.empty()) co_return rows;
    pending = std::move(again);
    asio::steady_timer timer(core->executor(), backoff.next());
    std::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

template <class Body, class Item>
asio::awaitable<Result<BatchResult>> run_batch(std::shared_ptr<detail::ClientCore> core, std::vector<Item> items,
                                               std::chrono::milliseconds timeout) {
  if (items.empty()) co_return BatchResult{};
  const auto deadline = Clock::now() + timeout;
  co_await core->ensure_map();

  // Partition -> the indexes of its items (one group when the map is unknown).
  std::map<std::uint32_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto target = detail::CallTarget::key(key_of(items[i]));
    groups[core->partition_of(target).value_or(0)].push_back(i);
  }
  std::vector<asio::awaitable<Result<BatchResult>>> tasks;
  for (const auto& [partition, indexes] : groups) {
    std::vector<Item> group_items;
    for (std::size_t index : indexes) group_items.push_back(items[index]);
    tasks.push_back(run_group<Body>(core, std::move(group_items), deadline));
  }
  std::vector<Result<BatchResult>> results = co_await detail::gather(core->executor(), std::move(tasks));

  BatchResult rows(items.size());
  std::size_t group = 0;
  for (const auto& [partition, indexes] : groups) {
    Result<BatchResult>& result = results[group++];
    if (!result) co_return result.error();
    for (std::size_t i = 0; i < indexes.size(); ++i) rows[indexes[i]] = std::move((*result)[i]);
  }
  co_return rows;
}

}  // namespace

asio::awaitable<Result<BatchResult>> AsyncClient::set_many(std::vector<KvSetRequest> items, BasicOptions options) {
  return run_batch<wire::KvSetMany>(core_, std::move(items), core_->deadline_of(options.deadline));
}

asio::awaitable<Result<BatchResult>> AsyncClient::get_many(std::vector<KvGetRequest> items, BasicOptions options) {
  return run_batch<wire::KvGetMany>(core_, std::move(items), core_->deadline_of(options.deadline));
}

asio::awaitable<Result<BatchResult>> AsyncClient::exists_many(std::vector<KvGetRequest> items,
                                                              BasicOptions options) {
  return run_batch<wire::KvExistsMany>(core_, std::move(items), core_->deadline_of(options.deadline));
}

asio::awaitable<Result<BatchResult>> AsyncClient::remove_many(std::vector<KvKeyRequest> items,
                                                              BasicOptions options) {
  return run_batch<wire::KvDeleteMany>(core_, std::move(items), core_->deadline_of(options.deadline));
}

}  // namespace kahuna::client
