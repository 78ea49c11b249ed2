// ServiceOptions: every setting of a partition's state machines. All replicas
// of a partition must use the same values (see KvOptions).
#pragma once

#include "services/kv/kv_options.h"
#include "services/sequences/sequence_options.h"

namespace kahuna::services {

struct ServiceOptions {
  KvOptions kv;
  SequenceOptions sequences;
};

}  // namespace kahuna::services
