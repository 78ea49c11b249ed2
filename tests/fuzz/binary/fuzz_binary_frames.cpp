// libFuzzer target: arbitrary bytes through the frame splitter (in chunks the
// input chooses) and every frame through the request and reply decoders.
// Whatever decodes must encode back to the very same bytes: the codec has
// one encoding per value, so anything else is a decoder bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <kahuna/wire/codec.h>
#include <kahuna/wire/frame_splitter.h>

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void decode_frame(const kahuna::wire::FrameView& frame) {
  using namespace kahuna::wire;
  Request request;
  if (decode_request(frame.header, frame.body, request).is_ok()) {
    std::string again;
    check(encode_request(frame.header.request_id, request, again).is_ok());
    check(again.size() == frame.header.frame_size());
    check(std::string_view(again).substr(kFrameHeaderSize) == frame.body);
  }
  Response response;
  if (decode_response(frame.header, frame.body, response).is_ok()) {
    std::string again;
    check(encode_response(frame.header.request_id, response, again).is_ok());
    check(std::string_view(again).substr(kFrameHeaderSize) == frame.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kahuna::wire;
  if (size == 0) return 0;
  // The first byte picks the chunk size, so splits at every offset get explored.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  FrameSplitter splitter(1 << 16);
  std::size_t fed = 0;
  while (fed < stream.size()) {
    const std::size_t n = std::min(chunk, stream.size() - fed);
    if (fed / chunk % 2 == 0) {
      splitter.append(stream.substr(fed, n));
    } else {
      auto space = splitter.prepare(n + 3);
      std::copy_n(stream.data() + fed, n, space.data());
      splitter.commit(n);
    }
    fed += n;
    FrameView frame;
    SplitState state;
    while ((state = splitter.next(frame)) == SplitState::kFrame) decode_frame(frame);
    if (state == SplitState::kBroken) {
      check(!splitter.error().is_ok());
      break;
    }
  }
  // The bytes as one body of every opcode, too: no framing in the way.
  Request request;
  Response response;
  for (std::uint32_t opcode :
       {0x0001u, 0x0005u, 0x0010u, 0x0020u, 0x0021u, 0x0032u, 0x0042u, 0x0044u, 0x0050u}) {
    (void)decode_request_body(static_cast<Opcode>(opcode), stream, request);
  }
  for (std::uint32_t opcode = 0x8001; opcode <= 0x8008; ++opcode) {
    (void)decode_response_body(static_cast<Opcode>(opcode), stream, response);
  }
  (void)decode_response_body(Opcode::kErrorReply, stream, response);
  return 0;
}
