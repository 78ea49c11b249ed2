// The JSON of POST /v1/cluster/{join,leave,remove,replication-factor}:
// cluster administration (docs/http.md).
//
// Like every family, a body of the wrong shape (a string where a number
// belongs, a negative node id, seeds that are not strings) is a 400, and a
// body that parses but lacks what the change needs (no seeds, no node id)
// answers the invalidInput outcome, whose `message` says what is missing.
#pragma once

#include <string>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"

namespace kahuna::http {

// join: {"seeds": ["host:port", ...]}, at least one, each a peer address.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, ClusterJoinRequest& out);
// leave: {"nodeId": n} optional (0 or absent: the answering node);
// remove: {"nodeId": n} required, not 0.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, ClusterMemberRequest& out);
// {"replicationFactor": n (required), "partitionId": p (default 0)}.
DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, ReplicationFactorRequest& out);

// {"type", "typeName", "metadataVersion", "message"}.
std::string encode_cluster_change_reply(const ClusterChangeReply& reply);

}  // namespace kahuna::http
