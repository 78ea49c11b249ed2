// The HTTP/JSON driver: requests as the reference REST clients send them
// (HTTP-API.md), on keep-alive connections shared by the thread's clients.
// Like the SDK, it retries must-retry answers, overload statuses and broken
// connections until the request's timeout, so both protocols measure the
// same thing: the time until the cluster gave a final answer.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <random>
#include <string>
#include <vector>

#include <kahuna/base64.h>
#include "batched_populate.h"
#include "driver.h"
#include "http_pool.h"

namespace kahuna::bench {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::uint64_t kPopulateBatch = 256;
// Must-retry codes of HTTP-API.md §3.
constexpr int kKvMustRetry = 101;
constexpr int kSequenceMustRetry = 5;
// Delays between retries, and between polls of a waiting lock acquire
// (the HTTP API has no server-side wait): doubling within these bounds.
constexpr milliseconds kFirstRetryDelay{1};
constexpr milliseconds kLastRetryDelay{50};

// What a reply says, as far as the workloads care.
struct Reply {
  int type = -1;
  std::string type_name{};
  std::int64_t revision = 0;
  std::int64_t allocated = 0;    // sequences: allocation.count
  std::vector<int> row_types{};  // batches: each row's type
};

struct CallResult {
  bool ok = false;
  Outcome failure{};
  Reply reply{};
};

bool overloaded(int status) {
  return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
}

bool parse_reply(const std::string& body, Reply& reply) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) return false;
  const auto type = document.FindMember("type");
  if (type == document.MemberEnd() || !type->value.IsInt()) return false;
  reply.type = type->value.GetInt();
  if (const auto name = document.FindMember("typeName");
      name != document.MemberEnd() && name->value.IsString()) {
    reply.type_name = name->value.GetString();
  }
  if (const auto revision = document.FindMember("revision");
      revision != document.MemberEnd() && revision->value.IsInt64()) {
    reply.revision = revision->value.GetInt64();
  }
  if (const auto allocation = document.FindMember("allocation");
      allocation != document.MemberEnd() && allocation->value.IsObject()) {
    const auto count = allocation->value.FindMember("count");
    if (count != allocation->value.MemberEnd() && count->value.IsInt64())
      reply.allocated = count->value.GetInt64();
  }
  if (const auto items = document.FindMember("items");
      items != document.MemberEnd() && items->value.IsArray()) {
    for (const auto& row : items->value.GetArray()) {
      const auto row_type = row.IsObject() ? row.FindMember("type") : row.MemberEnd();
      reply.row_types.push_back(row.IsObject() && row_type != row.MemberEnd() && row_type->value.IsInt()
                                    ? row_type->value.GetInt()
                                    : -1);
    }
  }
  return true;
}

Outcome unexpected(std::string_view call, const Reply& reply) {
  const std::string name = reply.type_name.empty() ? "type" + std::to_string(reply.type) : reply.type_name;
  return Outcome::failure("unexpected:" + name, std::string(call) + " answered " + name);
}

// A JSON object under construction.
class Json {
 public:
  Json() : writer_(buffer_) { writer_.StartObject(); }
  Json& field(const char* name, std::string_view text) {
    writer_.Key(name);
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return *this;
  }
  Json& field(const char* name, std::int64_t number) {
    writer_.Key(name);
    writer_.Int64(number);
    return *this;
  }
  rapidjson::Writer<rapidjson::StringBuffer>& writer() { return writer_; }
  std::string text() {
    writer_.EndObject();
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

class HttpDriver final : public Driver {
 public:
  HttpDriver(asio::any_io_executor executor, const WorkloadPlan& plan, std::size_t connections,
             std::size_t first_id)
      : executor_(executor),
        plan_(plan),
        options_(plan.options()),
        pool_(executor, options_.endpoints, connections, first_id, options_.threads),
        value_base64_(base64_encode(plan.value())),
        durability_(options_.durability == Durability::kPersistent ? 1 : 0),
        keys_(options_.seed * 7919 + first_id) {}

  // Every connection of the pool asks its node whether it is ready.
  asio::awaitable<Outcome> probe() override {
    const auto deadline = Clock::now() + options_.timeout;
    for (const auto& connection : pool_.connections()) {
      milliseconds delay = kFirstRetryDelay;
      for (;;) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        std::string method = "GET";
        std::string path = "/v1/cluster/health";
        std::string body;
        HttpExchange exchange = co_await connection->round_trip(
            std::move(method), std::move(path), std::move(body), std::max(left, milliseconds(1)));
        if (exchange.ok() && exchange.status == 200) break;
        if (Clock::now() >= deadline) {
          if (!exchange.ok()) co_return Outcome::failure(exchange.error_kind, exchange.message);
          co_return Outcome::failure("http" + std::to_string(exchange.status),
                                     connection->endpoint() + " is not ready: " + exchange.body);
        }
        co_await sleep(delay);
        delay = std::min(delay * 2, milliseconds(100));
      }
    }
    co_return Outcome::success(label::kGet);
  }

  asio::awaitable<Outcome> populate(std::uint64_t first, std::uint64_t count) override {
    co_return co_await populate_in_batches(
        executor_, first, count, kPopulateBatch, pool_.connections().size(),
        [this](std::size_t, std::uint64_t begin, std::uint64_t end) { return set_many(begin, end); });
  }

  asio::awaitable<Outcome> create_sequence(std::uint64_t index) override {
    std::string body = Json()
                           .field("name", plan_.sequence(index))
                           .field("initialValue", 0)
                           .field("increment", 1)
                           .field("durability", 1)
                           .text();
    CallResult result = co_await call("/v1/sequences/create", std::move(body), kSequenceMustRetry);
    if (!result.ok) co_return result.failure;
    if (result.reply.type != 0 && result.reply.type != 2) co_return unexpected("create", result.reply);
    co_return Outcome::success(label::kAllocated);
  }

  asio::awaitable<Outcome> execute(Request request, ClientIdentity identity) override {
    switch (request.operation) {
      case Operation::kSet: co_return co_await set(request.index);
      case Operation::kGet: co_return co_await get(request.index);
      case Operation::kCas: co_return co_await cas(request.index);
      case Operation::kLock: co_return co_await lock_cycle(request.index, identity);
      case Operation::kSequence: co_return co_await sequence(request.index);
      case Operation::kScript: co_return co_await script(request.index);
      case Operation::kTransfer: co_return co_await transfer(request.index);
    }
    co_return Outcome::failure("internal", "unknown operation");
  }

  void close() override { pool_.close(); }

 private:
  asio::awaitable<void> sleep(milliseconds delay) {
    asio::steady_timer timer(executor_, delay);
    std::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }

  // POSTs `body` to `path` until a final answer or the timeout: broken
  // connections, overload statuses and must-retry codes are retried.
  // `target` is a string literal, which outlives every suspension.
  asio::awaitable<CallResult> call(const char* target, std::string body, int must_retry) {
    const std::string path = target;
    const auto deadline = Clock::now() + options_.timeout;
    milliseconds delay = kFirstRetryDelay;
    CallResult result;
    result.failure = Outcome::failure("timeout", "no attempt could be made within the timeout");
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (left <= milliseconds(0)) co_return result;
      HttpExchange exchange;
      {
        HttpLease lease(pool_, co_await pool_.acquire());
        std::string method = "POST";
        std::string attempt_path = path;
        std::string attempt_body = body;
        exchange = co_await lease->round_trip(std::move(method), std::move(attempt_path),
                                              std::move(attempt_body), std::max(left, milliseconds(1)));
      }
      if (!exchange.ok()) {
        result.failure = Outcome::failure(exchange.error_kind, exchange.message);
      } else if (overloaded(exchange.status)) {
        result.failure =
            Outcome::failure("http" + std::to_string(exchange.status), path + ": " + exchange.body);
      } else if (exchange.status != 200) {
        result.failure =
            Outcome::failure("http" + std::to_string(exchange.status), path + ": " + exchange.body);
        co_return result;
      } else if (!parse_reply(exchange.body, result.reply)) {
        result.failure =
            Outcome::failure("parse", path + ": not a reply object: " + exchange.body.substr(0, 200));
        co_return result;
      } else if (result.reply.type == must_retry) {
        result.failure = Outcome::failure("mustRetry", path + " answered mustRetry until the timeout");
      } else {
        result.ok = true;
        co_return result;
      }
      if (Clock::now() + delay >= deadline) co_return result;
      co_await sleep(delay);
      delay = std::min(delay * 2, kLastRetryDelay);
    }
  }

  asio::awaitable<Outcome> set_many(std::uint64_t begin, std::uint64_t end) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("items");
    writer.StartArray();
    for (std::uint64_t index = begin; index < end; ++index) {
      const std::string key = plan_.key(index);
      writer.StartObject();
      writer.Key("key");
      writer.String(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      writer.Key("value");
      writer.String(value_base64_.data(), static_cast<rapidjson::SizeType>(value_base64_.size()));
      writer.Key("flags");
      writer.Int(1);
      writer.Key("durability");
      writer.Int(durability_);
      writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
    const std::string body(buffer.GetString(), buffer.GetSize());
    // Rows are independent: a row that got must-retry is written again with
    // the whole batch (plain sets may run twice).
    const auto deadline = Clock::now() + options_.timeout;
    milliseconds delay = kFirstRetryDelay;
    for (;;) {
      std::string attempt = body;
      CallResult result = co_await call("/v1/kv/try-set-many", std::move(attempt), kKvMustRetry);
      if (!result.ok) co_return result.failure;
      if (result.reply.type != 0) co_return unexpected("try-set-many", result.reply);
      bool retry = false;
      for (int row : result.reply.row_types) {
        if (row == kKvMustRetry) {
          retry = true;
        } else if (row != 0) {
          Reply bad;
          bad.type = row;
          co_return unexpected("try-set-many row", bad);
        }
      }
      if (!retry) co_return Outcome::success(label::kSet);
      if (Clock::now() + delay >= deadline)
        co_return Outcome::failure("mustRetry", "try-set-many rows kept mustRetry");
      co_await sleep(delay);
      delay = std::min(delay * 2, kLastRetryDelay);
    }
  }

  asio::awaitable<Outcome> set(std::uint64_t index) {
    std::string body = Json()
                           .field("key", plan_.key(index))
                           .field("value", value_base64_)
                           .field("flags", 1)
                           .field("durability", durability_)
                           .text();
    CallResult result = co_await call("/v1/kv/try-set", std::move(body), kKvMustRetry);
    if (!result.ok) co_return result.failure;
    if (result.reply.type != 0) co_return unexpected("try-set", result.reply);
    co_return Outcome::success(label::kSet);
  }

  // A Kahuna Script on `keys`: read each, then write each with the run's
  // value, committed as one transaction. A conflict (102) is an expected
  // outcome under contention, counted apart.
  asio::awaitable<Outcome> run_script(const std::string& encoded_script,
                                      const std::vector<std::string>& keys) {
    Json body;
    body.field("script", encoded_script);
    auto& w = body.writer();
    w.Key("parameters");
    w.StartArray();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::string name = "@k" + std::to_string(i);
      w.StartObject();
      w.Key("key");
      w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      w.Key("value");
      w.String(keys[i].data(), static_cast<rapidjson::SizeType>(keys[i].size()));
      w.EndObject();
    }
    w.StartObject();
    w.Key("key");
    w.String("@v");
    w.Key("value");
    w.String(plan_.value().data(), static_cast<rapidjson::SizeType>(plan_.value().size()));
    w.EndObject();
    w.EndArray();
    std::string text = body.text();
    CallResult result = co_await call("/v1/kv/try-execute-tx-script", std::move(text), kKvMustRetry);
    if (!result.ok) co_return result.failure;
    if (result.reply.type == 0) co_return Outcome::success(label::kCommitted);
    if (result.reply.type == 102) co_return Outcome::success(label::kAborted);
    co_return unexpected("try-execute-tx-script", result.reply);
  }

  asio::awaitable<Outcome> script(std::uint64_t index) {
    static const std::string kScript = base64_encode("LET a = GET @k0\nSET @k0 @v");
    const std::vector<std::string> keys{plan_.key(index)};
    co_return co_await run_script(kScript, keys);
  }

  asio::awaitable<Outcome> transfer(std::uint64_t index) {
    static const std::string kScript =
        base64_encode("LET a = GET @k0\nLET b = GET @k1\nSET @k0 @v\nSET @k1 @v");
    const std::uint64_t other = (index + 1) % std::max<std::uint64_t>(options_.keys, 2);
    const std::vector<std::string> keys{plan_.key(index), plan_.key(other)};
    co_return co_await run_script(kScript, keys);
  }

  asio::awaitable<Outcome> get(std::uint64_t index) {
    std::string body =
        Json().field("key", plan_.key(index)).field("revision", -1).field("durability", durability_).text();
    CallResult result = co_await call("/v1/kv/try-get", std::move(body), kKvMustRetry);
    if (!result.ok) co_return result.failure;
    if (result.reply.type == 3) co_return Outcome::success(label::kGet);
    if (result.reply.type == 103) co_return Outcome::success(label::kMiss);
    co_return unexpected("try-get", result.reply);
  }

  asio::awaitable<Outcome> cas(std::uint64_t index) {
    const std::string key = plan_.key(index);
    std::string read_body =
        Json().field("key", key).field("revision", -1).field("durability", durability_).text();
    CallResult current = co_await call("/v1/kv/try-get", std::move(read_body), kKvMustRetry);
    if (!current.ok) co_return current.failure;
    Json write;
    write.field("key", key).field("value", value_base64_).field("durability", durability_);
    if (current.reply.type == 3) {
      write.field("flags", 32).field("compareRevision", current.reply.revision);  // setIfEqualToRevision
    } else if (current.reply.type == 103) {
      write.field("flags", 8);  // setIfNotExists
    } else {
      co_return unexpected("try-get", current.reply);
    }
    std::string write_body = write.text();
    CallResult written = co_await call("/v1/kv/try-set", std::move(write_body), kKvMustRetry);
    if (!written.ok) co_return written.failure;
    if (written.reply.type == 0) co_return Outcome::success(label::kCasSuccess);
    if (written.reply.type == 1) co_return Outcome::success(label::kCasConflict);
    co_return unexpected("try-set", written.reply);
  }

  // try-lock (polled until --lock-wait-ms in wait mode), then try-unlock.
  asio::awaitable<Outcome> lock_cycle(std::uint64_t index, ClientIdentity identity) {
    const std::string resource = plan_.resource(index);
    const std::string owner = base64_encode(plan_.owner(identity));
    const auto wait_until = Clock::now() + options_.lock_wait;
    milliseconds delay = kFirstRetryDelay;
    for (;;) {
      std::string body = Json()
                             .field("resource", resource)
                             .field("owner", owner)
                             .field("expiresMs", options_.lease.count())
                             .field("durability", durability_)
                             .text();
      CallResult acquired = co_await call("/v1/locks/try-lock", std::move(body), kKvMustRetry);
      if (!acquired.ok) co_return acquired.failure;
      if (acquired.reply.type == 0) break;
      if (acquired.reply.type != 1) co_return unexpected("try-lock", acquired.reply);
      if (options_.lock_mode == LockMode::kTry || Clock::now() + delay >= wait_until) {
        co_return Outcome::success(label::kBusy);
      }
      co_await sleep(delay);
      delay = std::min(delay * 2, kLastRetryDelay);
    }
    std::string body =
        Json().field("resource", resource).field("owner", owner).field("durability", durability_).text();
    CallResult released = co_await call("/v1/locks/try-unlock", std::move(body), kKvMustRetry);
    if (!released.ok) co_return released.failure;
    if (released.reply.type != 3) co_return unexpected("try-unlock", released.reply);
    co_return Outcome::success(label::kAcquired);
  }

  asio::awaitable<Outcome> sequence(std::uint64_t index) {
    Json json;
    json.field("name", plan_.sequence(index)).field("durability", 1);
    if (options_.reserve > 1) json.field("count", options_.reserve);
    if (options_.idempotent) json.field("idempotencyKey", idempotency_key());
    std::string body = json.text();
    const char* path = options_.reserve > 1 ? "/v1/sequences/reserve" : "/v1/sequences/next";
    CallResult result = co_await call(path, std::move(body), kSequenceMustRetry);
    if (!result.ok) co_return result.failure;
    if (result.reply.type != 0) co_return unexpected("sequence", result.reply);
    co_return Outcome::success(label::kAllocated, result.reply.allocated);
  }

  // 32 hex characters, as the SDK generates them.
  std::string idempotency_key() {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key = "bench-";
    for (int i = 0; i < 2; ++i) {
      std::uint64_t bits = keys_();
      for (int j = 0; j < 16; ++j, bits >>= 4) key += kHex[bits & 15];
    }
    return key;
  }

  asio::any_io_executor executor_;
  const WorkloadPlan& plan_;
  const BenchOptions& options_;
  HttpPool pool_;
  std::string value_base64_;
  int durability_;
  std::mt19937_64 keys_;
};

}  // namespace

std::unique_ptr<Driver> make_http_driver(asio::any_io_executor executor, const WorkloadPlan& plan,
                                         std::size_t connections, std::size_t first_id) {
  return std::make_unique<HttpDriver>(std::move(executor), plan, connections, first_id);
}

}  // namespace kahuna::bench
