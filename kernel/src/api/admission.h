// Admission: what a node that joins a cluster and the member it asks
// exchange, in one PeerTransport request (peer_frame.h).
//
// The joining node sends its own ClusterMember record (id, peer address,
// client endpoints). A member that leads partition 0 records it in the
// cluster's metadata (MetadataJoin) and answers kAdmitted with the metadata
// as of that change, so the new node learns every member's address at once;
// any other member answers kRedirect with partition 0's leader's peer
// address, or kRetry while it knows no leader. kRefused is final: an id or
// address another member already has.
//
// A member may instead ask for a *refresh*: the answering member's copy of
// the metadata, as is (kAdmitted), changing nothing; refused to a node that
// is no member in that copy. A member restarted with old metadata needs it
// when the nodes that joined meanwhile neither know it is behind nor dial it
// (the lower id dials): the copy tells it whom to dial.
#pragma once

#include <cstdint>
#include <string>

#include <kahuna/status.h>

#include "services/commands/command.h"

namespace kahuna::admission {

enum class Outcome : std::uint8_t { kAdmitted = 0, kRedirect = 1, kRetry = 2, kRefused = 3 };

struct Reply {
  Outcome outcome = Outcome::kRetry;
  std::string message{};   // why (kRetry, kRefused)
  std::string redirect{};  // kRedirect: where to ask instead
  std::string metadata{};  // kAdmitted: the encoded ClusterMetadata
};

std::string encode_request(const services::ClusterMember& member);
bool decode_request(std::string_view data, services::ClusterMember& out);
std::string encode_refresh_request(const services::ClusterMember& member);
bool decode_refresh_request(std::string_view data, services::ClusterMember& out);
std::string encode_reply(const Reply& reply);
bool decode_reply(std::string_view data, Reply& out);

}  // namespace kahuna::admission
