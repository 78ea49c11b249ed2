#include "services/commands/reply_codec.h"

#include "codec/variant_alternative.h"
#include "services/codec/field_io.h"

namespace kahuna::services {

KAHUNA_FIELDS(RejectedCommand, reason)
KAHUNA_FIELDS(MetadataReply, code, version)

std::string encode_reply(const Reply& reply) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(reply.index()));
  std::visit([&w](const auto& alternative) { write_fields(w, alternative); }, reply);
  return w.take();
}

Status decode_reply(std::string_view data, Reply& out) {
  ByteReader r(data);
  std::uint8_t index = 0;
  const auto named = [&](std::size_t alternative) { return alternative == index; };
  const auto read_reply = [&](auto& reply) { return read_fields(r, reply); };
  if (!r.u8(index) || !codec::read_named_alternative(out, named, read_reply) || !r.done()) {
    return Status::corruption("undecodable reply");
  }
  return Status::ok();
}

}  // namespace kahuna::services
