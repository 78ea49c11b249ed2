// Placement: kahuna/placement.h, shared with plugins and clients.
#pragma once

#include <kahuna/placement.h>

namespace kahuna::services {

using ::kahuna::bucket_of_string;
using ::kahuna::jump_consistent_hash;
using ::kahuna::key_space_of;
using ::kahuna::kPlacementAlgorithm;
using ::kahuna::kReservedKeyPrefix;
using ::kahuna::kSequenceStorageKeyPrefix;
using ::kahuna::partition_for_key;
using ::kahuna::partition_for_sequence;
using ::kahuna::placement_group_of;
using ::kahuna::placement_hash;
using ::kahuna::PlacementPool;
using ::kahuna::sequence_storage_key;

}  // namespace kahuna::services
