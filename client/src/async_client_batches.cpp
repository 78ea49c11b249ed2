// AsyncClient: key/value batches. Each batch is cut into one sub-batch per
// partition, sent straight to that partition's leader; the sub-batches run
// concurrently and their rows are put back in the caller's order. Rows
// answered must-retry or outcome-unknown are sent again until the deadline
// (run_group says how, so that no row is applied twice).
#include <map>

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <kahuna/client/async_client.h>

#include "backoff.h"
#include "client_core.h"
#include "gather.h"
#include "reply_cast.h"
#include "request_ids.h"

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

bool retried(KvCode code) { return code == KvCode::kMustRetry || code == KvCode::kOutcomeUnknown; }

// One partition's items, sent in rounds until no row is must-retry or
// outcome-unknown, or the deadline passes.
//
// A round sends some of the items as one request under one request id (when
// they are writes), and the server tells that request's rows apart by their
// position. So a row answered outcome-unknown may be resent only in its
// place, in the same round under the same id: then the server answers it with
// its first apply's reply if it had one. Hence:
//   - while every pending row was only ever answered must-retry (certainly
//     not applied), a new round sends those rows alone, under a new id;
//   - once a pending row was answered outcome-unknown, the round is resent
//     whole: its rows already answered are answered again from the server's
//     memory of the id, not applied again, and keep their first reply here.
// Rows pending at the deadline keep their last code, except that one ever
// answered outcome-unknown stays outcome-unknown (a must-retry of a later
// attempt does not say an earlier one will not apply).
template <class Body, class Item>
asio::awaitable<Result<BatchResult>> run_group(std::shared_ptr<detail::ClientCore> core,
                                               std::vector<Item> items, Clock::time_point deadline) {
  const bool writes = detail::carries_request_id(Body{});
  BatchResult rows(items.size());
  std::vector<bool> pending(items.size(), true);
  std::vector<bool> maybe_applied(items.size(), false);
  std::vector<std::size_t> round(items.size());  // the items of the current round, by index, in order
  for (std::size_t i = 0; i < round.size(); ++i) round[i] = i;
  RequestId round_id = writes ? core->next_request_id() : RequestId{};
  bool any_rows = false;
  detail::Backoff backoff(core->options().initial_backoff, core->options().max_backoff);
  detail::MetricsCounters& metrics = core->counters();

  // What the rows say once no more rounds can be sent.
  const auto final_rows = [&]() {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (pending[i] && maybe_applied[i]) rows[i].code = KvCode::kOutcomeUnknown;
    }
    return rows;
  };

  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) co_return final_rows();
    std::vector<Item> sending;
    for (std::size_t index : round) sending.push_back(items[index]);
    detail::CoreCall call;
    call.target = detail::CallTarget::key(key_of(sending.front()));
    call.body = batch_body<Body>(std::move(sending));
    call.deadline = left;
    call.request_id = round_id;
    Result<wire::Response> raw = co_await core->call(std::move(call));
    Result<Rows> reply = detail::reply_as<Rows>(std::move(raw));
    if (!reply) {
      // Past the first round the rows already answered stand; the round that
      // ran out of time leaves its pending rows as they were, or unknown.
      const ErrorKind kind = reply.error().kind;
      const bool ran_out = kind == ErrorKind::kDeadline || kind == ErrorKind::kUnreachable ||
                           kind == ErrorKind::kOutcomeUnknown;
      if (!any_rows || !ran_out) co_return reply.error();
      if (kind == ErrorKind::kOutcomeUnknown) {
        for (std::size_t index : round) {
          if (pending[index]) maybe_applied[index] = true;
        }
      }
      co_return final_rows();
    }
    if (reply->size() != round.size()) {
      co_return Error{ErrorKind::kProtocol, "a batch of " + std::to_string(round.size()) + " items got " +
                                                std::to_string(reply->size()) + " rows"};
    }
    any_rows = true;
    std::vector<std::size_t> still_pending;
    bool resend_whole_round = false;
    for (std::size_t position = 0; position < round.size(); ++position) {
      const std::size_t index = round[position];
      if (!pending[index]) continue;  // answered in an earlier attempt of this round: that reply stands
      rows[index] = std::move((*reply)[position].reply);
      if (rows[index].code == KvCode::kMustRetry) ++metrics.must_retry_replies;
      if (rows[index].code == KvCode::kOutcomeUnknown) {
        ++metrics.outcome_unknown_replies;
        maybe_applied[index] = true;
      }
      if (!retried(rows[index].code)) {
        pending[index] = false;
        continue;
      }
      still_pending.push_back(index);
      if (maybe_applied[index]) resend_whole_round = true;
    }
    if (still_pending.empty()) co_return rows;
    if (!resend_whole_round) {
      round = std::move(still_pending);
      if (writes) round_id = core->next_request_id();
    }
    ++metrics.retries;
    asio::steady_timer timer(core->executor(), backoff.next());
    std::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

template <class Body, class Item>
asio::awaitable<Result<BatchResult>> run_batch(std::shared_ptr<detail::ClientCore> core,
                                               std::vector<Item> items, std::chrono::milliseconds timeout) {
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

asio::awaitable<Result<BatchResult>> AsyncClient::set_many(std::vector<KvSetRequest> items,
                                                           BasicOptions options) {
  return run_batch<wire::KvSetMany>(core_, std::move(items), core_->deadline_of(options.deadline));
}

asio::awaitable<Result<BatchResult>> AsyncClient::get_many(std::vector<KvGetRequest> items,
                                                           BasicOptions options) {
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
