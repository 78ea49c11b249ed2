// Sequence requests and replies on the wire (docs/protocol.md §4.5, §5.5).
#pragma once

#include <kahuna/kernel_api.h>

#include "byte_reader.h"
#include "byte_writer.h"

namespace kahuna::wire {

// bytes name, i64 initial_value, i64 increment, optional i64 max_value,
// optional i64 block_size.
void write(ByteWriter& w, const SequenceCreateRequest& request);
void read(ByteReader& r, SequenceCreateRequest& request);

// bytes name, optional i64 current_value, increment, initial_value,
// max_value, block_size, bool remove_max_value, bool remove_block_size.
void write(ByteWriter& w, const SequenceUpdateRequest& request);
void read(ByteReader& r, SequenceUpdateRequest& request);

// bytes name, i64 count, optional bytes idempotency_key.
void write(ByteWriter& w, const SequenceReserveRequest& request);
void read(ByteReader& r, SequenceReserveRequest& request);

// bytes name, i64 start, i64 end, i64 count, i64 revision.
void write(ByteWriter& w, const SequenceAllocation& allocation);
void read(ByteReader& r, SequenceAllocation& allocation);

// bytes name, i64 current_value, i64 initial_value, i64 increment,
// optional i64 max_value, optional i64 block_size, i64 incarnation,
// i64 revision, HLC created_at, HLC updated_at.
void write(ByteWriter& w, const SequenceInfo& info);
void read(ByteReader& r, SequenceInfo& info);

// i32 code, i64 revision, u8 presence + SequenceInfo sequence,
// SequenceAllocation allocation, SequenceAllocation leftover, i64 increment.
void write(ByteWriter& w, const SequenceReply& reply);
void read(ByteReader& r, SequenceReply& reply);

}  // namespace kahuna::wire
