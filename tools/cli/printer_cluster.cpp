// Printer: the cluster's status and the replies of changes to it.
#include <iomanip>
#include <sstream>

#include "json_writing.h"
#include "printer.h"
#include "text_encoding.h"

namespace kahuna::cli {

namespace {

void write_ids(JsonWriter& json, const char* name, const std::vector<std::uint64_t>& ids) {
  json.Key(name);
  json.StartArray();
  for (const std::uint64_t id : ids) json.Uint64(id);
  json.EndArray();
}

// "1,2,3", or "-" for none.
std::string id_list(const std::vector<std::uint64_t>& ids) {
  if (ids.empty()) return "-";
  std::string text;
  for (const std::uint64_t id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

void write_status_json(std::ostream& out, const client::ClusterStatus& status) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("nodeId");
  json.Uint64(status.node_id);
  json.Key("dataPartitions");
  json.Uint(status.data_partitions);
  json.Key("metadataVersion");
  json.Uint64(status.metadata_version);
  json.Key("replicationFactor");
  json.Uint(status.replication_factor);
  json.Key("nodes");
  json.StartArray();
  for (const NodeInfo& node : status.nodes) {
    json.StartObject();
    json.Key("id");
    json.Uint64(node.id);
    json.Key("peerAddress");
    write_string(json, node.peer_address);
    json.Key("endpoints");
    json.StartObject();
    for (const auto& [protocol, endpoint] : node.endpoints) {
      write_string(json, protocol);
      write_string(json, endpoint);
    }
    json.EndObject();
    json.Key("connected");
    json.Bool(node.connected);
    json.Key("state");
    write_string(json, node.state);
    json.Key("joinedVersion");
    json.Uint64(node.joined_version);
    json.EndObject();
  }
  json.EndArray();
  json.Key("partitions");
  json.StartArray();
  for (const PartitionInfo& p : status.partitions) {
    json.StartObject();
    json.Key("id");
    json.Uint(p.id);
    json.Key("leader");
    json.Uint64(p.leader);
    json.Key("role");
    write_string(json, p.role);
    json.Key("term");
    json.Uint64(p.term);
    json.Key("commitIndex");
    json.Uint64(p.commit_index);
    json.Key("appliedIndex");
    json.Uint64(p.applied_index);
    json.Key("firstIndex");
    json.Uint64(p.first_index);
    json.Key("lastIndex");
    json.Uint64(p.last_index);
    write_ids(json, "voters", p.voters);
    write_ids(json, "learners", p.learners);
    json.Key("generation");
    json.Uint64(p.generation);
    write_ids(json, "target", p.target);
    json.Key("hosted");
    json.Bool(p.hosted);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  out << buffer.GetString() << '\n';
}

}  // namespace

void Printer::status(const client::ClusterStatus& status) {
  if (json_) {
    write_status_json(out_, status);
    return;
  }
  out_ << "answered by node " << status.node_id << ", " << status.data_partitions << " data partitions, "
       << "metadata version " << status.metadata_version << ", replication factor "
       << status.replication_factor << "\n\n";
  out_ << std::left << std::setw(6) << "NODE" << std::setw(24) << "PEER" << std::setw(24) << "BINARY"
       << std::setw(11) << "CONNECTED" << std::setw(9) << "STATE"
       << "JOINED\n";
  for (const NodeInfo& node : status.nodes) {
    const auto binary = node.endpoints.find("binary");
    out_ << std::setw(6) << node.id << std::setw(24) << (node.peer_address.empty() ? "-" : node.peer_address)
         << std::setw(24) << (binary == node.endpoints.end() ? "-" : binary->second) << std::setw(11)
         << (node.connected ? "yes" : "no") << std::setw(9) << (node.state.empty() ? "-" : node.state)
         << node.joined_version << '\n';
  }
  out_ << '\n'
       << std::setw(11) << "PARTITION" << std::setw(8) << "LEADER" << std::setw(15) << "ROLE" << std::setw(8)
       << "TERM" << std::setw(10) << "COMMIT" << std::setw(10) << "APPLIED" << std::setw(10) << "FIRST"
       << std::setw(10) << "LAST" << std::setw(12) << "VOTERS" << std::setw(12) << "LEARNERS"
       << "TARGET\n";
  for (const PartitionInfo& p : status.partitions) {
    out_ << std::setw(11) << p.id << std::setw(8)
         << (p.leader == 0 ? std::string("-") : std::to_string(p.leader)) << std::setw(15) << p.role
         << std::setw(8) << p.term << std::setw(10) << p.commit_index << std::setw(10) << p.applied_index
         << std::setw(10) << p.first_index << std::setw(10) << p.last_index << std::setw(12)
         << id_list(p.voters) << std::setw(12) << id_list(p.learners) << id_list(p.target) << '\n';
  }
  out_ << std::right;
}

void Printer::cluster_change(const client::ClusterChangeResult& reply) {
  if (json_) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    write_code(json, reply.code);
    json.Key("metadataVersion");
    json.Uint64(reply.metadata_version);
    json.Key("message");
    write_string(json, reply.message);
    json.EndObject();
    out_ << buffer.GetString() << '\n';
    return;
  }
  out_ << to_string(reply.code) << " version=" << reply.metadata_version;
  if (!reply.message.empty()) out_ << " message=" << quote_bytes(reply.message);
  out_ << '\n';
}

}  // namespace kahuna::cli
