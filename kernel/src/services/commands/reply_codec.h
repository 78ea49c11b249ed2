// The bytes a replica hands back for an applied command: raft::Node carries
// an applied entry's result to its proposer as a string, and this is that
// string's encoding of a Reply.
//
// It never leaves the process and is never stored, so it may change freely
// between versions; it is still decoded defensively, like any bytes.
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
