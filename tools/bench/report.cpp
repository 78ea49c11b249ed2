#include "report.h"

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <vector>

namespace kahuna::bench {

bool Report::failed() const { return !setup_error.empty() || (errors > 0 && !options.allow_errors); }

Report make_report(const BenchOptions& options, RunResult result) {
  Report report;
  report.options = options;
  report.setup_error = std::move(result.setup_error);
  report.elapsed_seconds = result.elapsed_seconds;
  report.interrupted = result.interrupted;
  report.setup_seconds = result.setup_seconds;
  report.ok = result.stats.ok;
  report.errors = result.stats.errors;
  report.values = result.stats.values;
  if (report.elapsed_seconds > 0) {
    report.requests_per_second = static_cast<double>(report.ok) / report.elapsed_seconds;
    report.values_per_second = static_cast<double>(report.values) / report.elapsed_seconds;
  }
  report.outcomes = std::move(result.stats.outcomes);
  report.errors_by_kind = std::move(result.stats.errors_by_kind);
  report.first_error = std::move(result.stats.first_error);
  report.latency = result.stats.latencies.summarize();
  return report;
}

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ",") + part;
  return text;
}

// What the workload's parameters are, in one line.
std::string workload_line(const BenchOptions& o) {
  std::ostringstream line;
  switch (o.workload) {
    case Workload::kSet:
    case Workload::kGet:
    case Workload::kMixed:
    case Workload::kCas:
    case Workload::kScript:
    case Workload::kTransfer:
      line << o.keys << " keys of " << o.key_size << " B, values of " << o.value_size << " B, "
           << to_string(o.durability);
      if (o.workload == Workload::kGet || o.workload == Workload::kMixed || o.workload == Workload::kCas)
        line << ", " << to_string(o.consistency) << " reads";
      if (o.workload == Workload::kMixed) line << ", read ratio " << o.read_ratio;
      break;
    case Workload::kLock:
      line << o.resources << " resources, mode " << to_string(o.lock_mode) << ", lease " << o.lease.count()
           << " ms";
      if (o.lock_mode == LockMode::kWait) line << ", wait " << o.lock_wait.count() << " ms";
      line << ", " << to_string(o.durability);
      break;
    case Workload::kSequence:
      line << o.resources << " sequence(s), "
           << (o.reserve == 1 ? "next" : "reserve " + std::to_string(o.reserve)) << ", idempotency "
           << (o.idempotent ? "auto" : "none");
      break;
  }
  return line.str();
}

std::string load_line(const BenchOptions& o) {
  std::ostringstream line;
  if (o.open_loop()) {
    line << "open loop at " << o.rate << " req/s (at most " << o.max_outstanding << " in flight)";
  } else {
    line << "closed loop, " << o.clients << " client(s)";
  }
  line << " on " << o.connections << " connection(s), " << std::min(o.threads, o.connections)
       << " thread(s); ";
  line << "warmup " << o.warmup_seconds << " s, ";
  if (o.requests > 0) {
    line << o.requests << " requests";
  } else {
    line << o.duration_seconds << " s";
  }
  return line.str();
}

}  // namespace

void print_summary(const Report& r, std::ostream& out) {
  const BenchOptions& o = r.options;
  out << "kahuna-bench " << to_string(o.workload) << " over " << to_string(o.protocol) << " ("
      << join(o.endpoints) << ")\n";
  out << "  " << load_line(o) << "\n";
  out << "  " << workload_line(o) << "\n";
  if (!r.setup_error.empty()) {
    out << "setup failed: " << r.setup_error << "\n";
    return;
  }
  out << std::fixed << std::setprecision(2);
  if (r.interrupted) out << "interrupted: the figures cover the requests answered until then\n";
  out << "requests    " << r.ok << " ok, " << r.errors << " failed, in " << r.elapsed_seconds << " s\n";
  if (!r.outcomes.empty()) {
    out << "outcomes   ";
    for (const auto& [name, count] : r.outcomes) out << " " << name << " " << count;
    out << "\n";
  }
  for (const auto& [kind, count] : r.errors_by_kind) {
    const auto first = r.first_error.find(kind);
    out << "errors      " << kind << " " << count;
    if (first != r.first_error.end() && !first->second.empty()) out << " (first: " << first->second << ")";
    out << "\n";
  }
  out << "throughput  " << std::setprecision(1) << r.requests_per_second << " req/s\n";
  if (o.workload == Workload::kSequence) {
    out << "values      " << r.values << " (" << r.values_per_second << " values/s)\n";
  }
  out << std::setprecision(3);
  out << "latency ms  avg " << r.latency.average << "  p50 " << r.latency.p50 << "  p90 " << r.latency.p90
      << "  p99 " << r.latency.p99 << "  p99.9 " << r.latency.p999 << "  max " << r.latency.max << "\n";
  out << std::defaultfloat;
}

void write_json(const Report& r, std::ostream& out) {
  const BenchOptions& o = r.options;
  rapidjson::OStreamWrapper stream(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(stream);
  const auto string = [&w](const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  const auto number = [&w](const char* key, std::uint64_t value) {
    w.Key(key);
    w.Uint64(value);
  };
  const auto real = [&w](const char* key, double value) {
    w.Key(key);
    w.Double(value);
  };
  const auto counts = [&w](const char* key, const std::map<std::string, std::uint64_t, std::less<>>& map) {
    w.Key(key);
    w.StartObject();
    for (const auto& [name, count] : map) {
      w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      w.Uint64(count);
    }
    w.EndObject();
  };

  w.StartObject();
  string("workload", to_string(o.workload));
  string("protocol", to_string(o.protocol));
  w.Key("endpoints");
  w.StartArray();
  for (const std::string& endpoint : o.endpoints)
    w.String(endpoint.data(), static_cast<rapidjson::SizeType>(endpoint.size()));
  w.EndArray();
  string("loop", o.open_loop() ? "open" : "closed");
  number("clients", o.open_loop() ? 0 : o.clients);
  number("connections", o.connections);
  number("threads", std::min(o.threads, o.connections));
  real("rate", o.rate);
  number("max_outstanding", o.open_loop() ? o.max_outstanding : 0);
  w.Key("parameters");
  w.StartObject();
  switch (o.workload) {
    case Workload::kSet:
    case Workload::kGet:
    case Workload::kMixed:
    case Workload::kCas:
    case Workload::kScript:
    case Workload::kTransfer:
      number("keys", o.keys);
      number("key_size", o.key_size);
      number("value_size", o.value_size);
      string("durability", to_string(o.durability));
      if (o.workload == Workload::kGet || o.workload == Workload::kMixed || o.workload == Workload::kCas)
        string("consistency", to_string(o.consistency));
      if (o.workload == Workload::kMixed) real("read_ratio", o.read_ratio);
      break;
    case Workload::kLock:
      number("resources", o.resources);
      string("lock_mode", to_string(o.lock_mode));
      number("lease_ms", static_cast<std::uint64_t>(o.lease.count()));
      if (o.lock_mode == LockMode::kWait)
        number("lock_wait_ms", static_cast<std::uint64_t>(o.lock_wait.count()));
      string("durability", to_string(o.durability));
      break;
    case Workload::kSequence:
      number("resources", o.resources);
      number("reserve", static_cast<std::uint64_t>(o.reserve));
      string("idempotency", o.idempotent ? "auto" : "none");
      break;
  }
  string("key_prefix", o.key_prefix);
  number("seed", o.seed);
  number("timeout_ms", static_cast<std::uint64_t>(o.timeout.count()));
  w.EndObject();
  real("warmup_s", o.warmup_seconds);
  if (o.requests > 0) {
    number("requests_target", o.requests);
  } else {
    real("duration_s", o.duration_seconds);
  }
  if (!r.setup_error.empty()) {
    string("setup_error", r.setup_error);
  }
  real("setup_s", r.setup_seconds);
  real("elapsed_s", r.elapsed_seconds);
  w.Key("interrupted");
  w.Bool(r.interrupted);
  w.Key("requests");
  w.StartObject();
  number("total", r.ok + r.errors);
  number("ok", r.ok);
  number("errors", r.errors);
  w.EndObject();
  counts("outcomes", r.outcomes);
  counts("errors_by_kind", r.errors_by_kind);
  w.Key("first_errors");
  w.StartObject();
  for (const auto& [kind, message] : r.first_error) {
    w.Key(kind.data(), static_cast<rapidjson::SizeType>(kind.size()));
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  }
  w.EndObject();
  real("throughput_rps", r.requests_per_second);
  number("values", r.values);
  real("values_per_s", r.values_per_second);
  w.Key("latency_ms");
  w.StartObject();
  number("count", r.latency.count);
  real("avg", r.latency.average);
  real("min", r.latency.min);
  real("p50", r.latency.p50);
  real("p90", r.latency.p90);
  real("p99", r.latency.p99);
  real("p999", r.latency.p999);
  real("max", r.latency.max);
  w.EndObject();
  w.EndObject();
  out << "\n";
}

}  // namespace kahuna::bench
