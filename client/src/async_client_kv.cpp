// AsyncClient: key/value point operations and scans.
#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"
#include "kv_requests.h"

namespace kahuna::client {

namespace {

detail::CoreCall kv_call(detail::ClientCore& core, wire::RequestBody body, detail::CallTarget target,
                         const Deadline& deadline,
                         ReadConsistency consistency = ReadConsistency::kLinearizable) {
  detail::CoreCall call;
  call.body = std::move(body);
  call.target = std::move(target);
  call.deadline = core.deadline_of(deadline);
  call.consistency = consistency;
  return call;
}

using detail::get_request;

KvRangeRequest range_request(std::string key_space, const RangeOptions& options) {
  KvRangeRequest request;
  request.query.key_space = std::move(key_space);
  request.query.start_key = options.start_key;
  request.query.start_inclusive = options.start_inclusive;
  request.query.end_key = options.end_key;
  request.query.end_inclusive = options.end_inclusive;
  request.query.limit = options.limit;
  request.query.cursor = options.cursor;
  request.query.read_timestamp = options.read_timestamp;
  request.durability = options.durability;
  return request;
}

}  // namespace

asio::awaitable<Result<KvResult>> AsyncClient::set(std::string key, std::optional<std::string> value,
                                                   SetOptions options) {
  auto target = detail::CallTarget::key(key);
  KvSetRequest request = detail::set_request(std::move(key), std::move(value), options);
  return detail::run_routed<KvReply>(
      core_, kv_call(*core_, wire::KvSet{std::move(request)}, std::move(target), options.deadline));
}

asio::awaitable<Result<KvResult>> AsyncClient::get(std::string key, ReadOptions options) {
  auto target = detail::CallTarget::key(key);
  wire::KvGet body{get_request(std::move(key), options)};
  return detail::run_routed<KvReply>(
      core_, kv_call(*core_, std::move(body), std::move(target), options.deadline, options.consistency));
}

asio::awaitable<Result<KvResult>> AsyncClient::exists(std::string key, ReadOptions options) {
  auto target = detail::CallTarget::key(key);
  wire::KvExists body{get_request(std::move(key), options)};
  return detail::run_routed<KvReply>(
      core_, kv_call(*core_, std::move(body), std::move(target), options.deadline, options.consistency));
}

asio::awaitable<Result<KvResult>> AsyncClient::remove(std::string key, WriteOptions options) {
  auto target = detail::CallTarget::key(key);
  wire::KvDelete body{KvKeyRequest{std::move(key), options.durability}};
  return detail::run_routed<KvReply>(core_,
                                     kv_call(*core_, std::move(body), std::move(target), options.deadline));
}

asio::awaitable<Result<KvResult>> AsyncClient::extend(std::string key, std::chrono::milliseconds ttl,
                                                      WriteOptions options) {
  auto target = detail::CallTarget::key(key);
  wire::KvExtend body{KvExtendRequest{std::move(key), ttl.count(), options.durability}};
  return detail::run_routed<KvReply>(core_,
                                     kv_call(*core_, std::move(body), std::move(target), options.deadline));
}

asio::awaitable<Result<ScanResult>> AsyncClient::get_by_bucket(std::string bucket, ScanOptions options) {
  auto target = detail::CallTarget::key_space(bucket);
  wire::KvGetByBucket body{KvPrefixRequest{std::move(bucket), options.read_timestamp, options.durability}};
  return detail::run_routed<KvScanReply>(
      core_, kv_call(*core_, std::move(body), std::move(target), options.deadline, options.consistency));
}

asio::awaitable<Result<ScanResult>> AsyncClient::scan_prefix(std::string prefix, ScanOptions options) {
  wire::KvScanPrefix body{KvPrefixRequest{std::move(prefix), options.read_timestamp, options.durability}};
  return detail::run_plain<KvScanReply>(
      core_, kv_call(*core_, std::move(body), detail::CallTarget::any_node(), options.deadline,
                     options.consistency));
}

asio::awaitable<Result<RangePage>> AsyncClient::get_range(std::string key_space, RangeOptions options) {
  auto target = detail::CallTarget::key_space(key_space);
  wire::KvGetRange body{range_request(std::move(key_space), options)};
  return detail::run_routed<KvRangePage>(
      core_, kv_call(*core_, std::move(body), std::move(target), options.deadline));
}

asio::awaitable<Result<std::vector<KvItem>>> AsyncClient::get_range_all(std::string key_space,
                                                                        RangeOptions options) {
  using Clock = std::chrono::steady_clock;
  const std::shared_ptr<detail::ClientCore> core = core_;
  const auto deadline = Clock::now() + core->deadline_of(options.deadline);
  std::vector<KvItem> items;
  for (;;) {
    // Every page shares the one deadline of the whole walk.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) co_return Error{ErrorKind::kDeadline, "the range walk ran out of time"};
    options.deadline = left;
    detail::CoreCall call = kv_call(*core, wire::KvGetRange{range_request(key_space, options)},
                                    detail::CallTarget::key_space(key_space), options.deadline);
    Result<RangePage> page = co_await detail::run_routed<KvRangePage>(core, std::move(call));
    if (!page) co_return page.error();
    if (page->code == KvCode::kDoesNotExist) co_return items;  // some servers' "empty"
    if (page->code != KvCode::kGet) {
      co_return Error{ErrorKind::kInvalidArgument,
                      "get-by-range answered " + std::string(to_string(page->code))};
    }
    for (KvItem& item : page->items) items.push_back(std::move(item));
    if (!page->has_more || !page->next_cursor) co_return items;
    options.cursor = std::move(page->next_cursor);
  }
}

}  // namespace kahuna::client
