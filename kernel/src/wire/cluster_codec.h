// The cluster status reply on the wire (docs/protocol.md §5.6).
#pragma once

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// u64 id, bytes peer_address, list of (bytes protocol, bytes endpoint), bool connected.
void write(ByteWriter& w, const NodeInfo& node);
void read(ByteReader& r, NodeInfo& node);

// u32 id, u64 leader, bytes role, u64 term, u64 commit_index,
// u64 applied_index, u64 first_index, u64 last_index.
void write(ByteWriter& w, const PartitionInfo& partition);
void read(ByteReader& r, PartitionInfo& partition);

// u64 node_id, u32 data_partitions, list of NodeInfo, list of PartitionInfo.
void write(ByteWriter& w, const ClusterStatus& status);
void read(ByteReader& r, ClusterStatus& status);

}  // namespace kahuna::wire
