#include "cluster_admin_json.h"

#include <limits>

#include <kahuna/host_port.h>

#include "json_output.h"

namespace kahuna::http {

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/, ClusterJoinRequest& out) {
  JsonFields fields(body);
  const rapidjson::Value* seeds = fields.array("seeds");
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  std::vector<std::string> addresses;
  if (seeds != nullptr) {
    for (const rapidjson::Value& seed : seeds->GetArray()) {
      if (!seed.IsString()) return DecodeResult::bad_request("field 'seeds' must be an array of strings");
      addresses.emplace_back(seed.GetString(), seed.GetStringLength());
    }
  }
  if (addresses.empty()) {
    return DecodeResult::invalid_input(
        "seeds is required: the peer address (host:port) of at least one member");
  }
  // Checked here so that a typo is answered at once, not after the node
  // has tried to reach a member at an address that cannot exist.
  for (const std::string& address : addresses) {
    HostPort parsed;
    if (Status s = parse_host_port(address, parsed, PortZero::kRefused); !s.is_ok()) {
      return DecodeResult::invalid_input("seeds: " + s.message());
    }
  }
  out.seeds = std::move(addresses);
  return DecodeResult::ok();
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode verb, ClusterMemberRequest& out) {
  JsonFields fields(body);
  std::uint64_t node_id = 0;
  fields.unsigned64("nodeId", node_id);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (verb == wire::Opcode::kClusterRemove && node_id == 0) {
    return DecodeResult::invalid_input("nodeId is required: the id of the member to remove");
  }
  out.node_id = node_id;
  return DecodeResult::ok();
}

DecodeResult decode_request(const rapidjson::Value& body, wire::Opcode /*verb*/,
                            ReplicationFactorRequest& out) {
  constexpr std::int64_t kMaxU32 = std::numeric_limits<std::uint32_t>::max();
  JsonFields fields(body);
  std::int64_t factor = 0;
  std::int64_t partition = 0;
  const FieldState factor_state = fields.integer("replicationFactor", 0, kMaxU32, factor);
  fields.integer("partitionId", 0, kMaxU32, partition);
  if (!fields.ok()) return DecodeResult::bad_request(fields.error());
  if (factor_state != FieldState::kPresent) {
    return DecodeResult::invalid_input(
        "replicationFactor is required: the voters each partition should have");
  }
  // A partition's factor of 0 removes its override; the cluster's own
  // factor has nothing to fall back to.
  if (factor == 0 && partition == 0) {
    return DecodeResult::invalid_input(
        "replicationFactor must be at least 1 (0 only clears a partition's override)");
  }
  out.replication_factor = static_cast<std::uint32_t>(factor);
  out.partition = static_cast<std::uint32_t>(partition);
  return DecodeResult::ok();
}

std::string encode_cluster_change_reply(const ClusterChangeReply& reply) {
  JsonOutput json;
  json.start_object();
  json.outcome(static_cast<int>(reply.code), to_string(reply.code));
  json.key("metadataVersion");
  json.uint64(reply.metadata_version);
  json.key("message");
  json.string(reply.message);
  json.end_object();
  return json.take();
}

}  // namespace kahuna::http
