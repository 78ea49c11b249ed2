#include "api/admission.h"

#include "services/cluster/cluster_fields.h"
#include "services/codec/field_io.h"

namespace kahuna::admission {

KAHUNA_FIELDS(Reply, outcome, message, redirect, metadata)

namespace {
constexpr std::uint8_t kRequestFormat = 1;
constexpr std::uint8_t kRefreshRequestFormat = 2;
constexpr std::uint8_t kReplyFormat = 1;
}  // namespace

std::string encode_request(const services::ClusterMember& member) {
  return services::encode_record(kRequestFormat, member);
}

bool decode_request(std::string_view data, services::ClusterMember& out) {
  return services::decode_record(data, kRequestFormat, out);
}

std::string encode_refresh_request(const services::ClusterMember& member) {
  return services::encode_record(kRefreshRequestFormat, member);
}

bool decode_refresh_request(std::string_view data, services::ClusterMember& out) {
  return services::decode_record(data, kRefreshRequestFormat, out);
}

std::string encode_reply(const Reply& reply) { return services::encode_record(kReplyFormat, reply); }

bool decode_reply(std::string_view data, Reply& out) {
  return services::decode_record(data, kReplyFormat, out) && out.outcome <= Outcome::kRefused;
}

}  // namespace kahuna::admission
