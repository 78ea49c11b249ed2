// ServiceOptions: every setting of a partition's state machines. All replicas
// of a partition must use the same values (see KvOptions).
#pragma once

#include "services/kv/kv_options.h"
#include "services/sequences/sequence_options.h"

namespace kahuna::services {

// How long a partition remembers the requests it applied (request_table.h):
// a retry is recognised when it arrives within `retention_ms` of the first
// apply and before `capacity` newer requests of the same partition.
struct RequestTableOptions {
  std::uint64_t capacity = 100000;
  std::int64_t retention_ms = 10 * 60 * 1000;
};

struct ServiceOptions {
  KvOptions kv;
  SequenceOptions sequences;
  RequestTableOptions requests;
};

}  // namespace kahuna::services
