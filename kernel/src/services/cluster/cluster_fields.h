// Field lists (codec/field_list.h) of the cluster's metadata types that both
// the log commands and the stored metadata record carry.
#pragma once

#include "codec/field_list.h"
#include "services/cluster/replica_placement.h"
#include "services/commands/command.h"

namespace kahuna::cluster {
KAHUNA_FIELDS(Placement, replicas)
}  // namespace kahuna::cluster

namespace kahuna::services {
KAHUNA_FIELDS(ClusterMember, id, peer_address, endpoints)
}  // namespace kahuna::services
