#include "services/commands/reply_codec.h"

#include "services/codec/field_io.h"

namespace kahuna::services {

KAHUNA_FIELDS(RejectedCommand, reason)

namespace {

template <std::size_t I = 0>
bool read_alternative(ByteReader& r, std::size_t index, Reply& out) {
  if constexpr (I < std::variant_size_v<Reply>) {
    if (index == I) return read_fields(r, out.emplace<I>());
    return read_alternative<I + 1>(r, index, out);
  } else {
    return false;
  }
}

}  // namespace

std::string encode_reply(const Reply& reply) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>(reply.index()));
  std::visit([&w](const auto& alternative) { write_fields(w, alternative); }, reply);
  return w.take();
}

Status decode_reply(std::string_view data, Reply& out) {
  ByteReader r(data);
  std::uint8_t index = 0;
  if (!r.u8(index) || !read_alternative(r, index, out) || !r.done()) {
    return Status::corruption("undecodable reply");
  }
  return Status::ok();
}

}  // namespace kahuna::services
