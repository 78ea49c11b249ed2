// The bytes a replica hands back for an applied command: raft::Node carries
// an applied entry's result to its proposer as a string, and this is that
// string's encoding of a Reply.
//
// It is also what the request table (services/partition/request_table.h)
// stores as the first reply to a request id, so it is part of the stored
// state and of snapshot images: a change must keep old bytes readable.
// Decoded defensively, like any bytes.
#pragma once

#include <string>
#include <string_view>

#include <kahuna/status.h>

#include "services/commands/replies.h"

namespace kahuna::services {

std::string encode_reply(const Reply& reply);

// kCorruption when `data` is not what encode_reply made.
Status decode_reply(std::string_view data, Reply& out);

}  // namespace kahuna::services
