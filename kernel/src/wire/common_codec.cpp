#include "common_codec.h"

namespace kahuna::wire {

void write(ByteWriter& w, const Route& route) {
  w.u32(route.partition);
  w.u64(route.leader);
  w.u8(static_cast<std::uint8_t>(route.provenance));
}

void read(ByteReader& r, Route& route) {
  route.partition = r.u32("route.partition");
  route.leader = r.u64("route.leader");
  // Kept as sent: a provenance a later version adds is still a route.
  route.provenance = static_cast<RouteProvenance>(r.u8("route.provenance"));
}

}  // namespace kahuna::wire
