#include "workload.h"

#include <unistd.h>

namespace kahuna::bench {

WorkloadPlan::WorkloadPlan(const BenchOptions& options)
    : options_(options), owner_prefix_("bench-" + std::to_string(::getpid()) + "-") {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::mt19937_64 rng(options.seed ^ 0x5eed5eed5eedULL);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAlphabet) - 2);
  value_.resize(options.value_size);
  for (char& c : value_) c = kAlphabet[pick(rng)];
}

Request WorkloadPlan::next(std::mt19937_64& rng) const {
  Request request;
  switch (options_.workload) {
    case Workload::kSet: request.operation = Operation::kSet; break;
    case Workload::kGet: request.operation = Operation::kGet; break;
    case Workload::kMixed: {
      std::bernoulli_distribution read(options_.read_ratio);
      request.operation = read(rng) ? Operation::kGet : Operation::kSet;
      break;
    }
    case Workload::kCas: request.operation = Operation::kCas; break;
    case Workload::kLock: request.operation = Operation::kLock; break;
    case Workload::kSequence: request.operation = Operation::kSequence; break;
    case Workload::kScript: request.operation = Operation::kScript; break;
    case Workload::kTransfer: request.operation = Operation::kTransfer; break;
  }
  const bool named = request.operation == Operation::kLock || request.operation == Operation::kSequence;
  const std::uint64_t count = named ? options_.resources : options_.keys;
  request.index = std::uniform_int_distribution<std::uint64_t>(0, count - 1)(rng);
  return request;
}

std::string WorkloadPlan::key(std::uint64_t index) const {
  std::string number = std::to_string(index);
  std::string key = options_.key_prefix;
  const std::size_t width = options_.key_size - key.size();
  if (number.size() < width) key.append(width - number.size(), '0');
  key += number;
  return key;
}

std::string WorkloadPlan::resource(std::uint64_t index) const {
  return options_.key_prefix + "lock-" + std::to_string(index);
}

std::string WorkloadPlan::sequence(std::uint64_t index) const {
  return options_.key_prefix + "seq-" + std::to_string(index);
}

std::string WorkloadPlan::owner(const ClientIdentity& client) const {
  return owner_prefix_ + std::to_string(client.id);
}

bool WorkloadPlan::needs_populated_keys() const {
  return options_.workload == Workload::kGet || options_.workload == Workload::kMixed ||
         options_.workload == Workload::kCas;
}

bool WorkloadPlan::needs_sequences() const { return options_.workload == Workload::kSequence; }

}  // namespace kahuna::bench
