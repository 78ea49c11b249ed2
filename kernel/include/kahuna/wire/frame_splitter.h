// FrameSplitter: cuts a byte stream (a TCP connection) into whole frames.
//
// Bytes go in as they arrive, in pieces of any size; whole frames come out
// in order. A stream whose next header is bad (wrong magic, impossible
// length) or announces a frame above the size limit is broken for good: no
// later byte can be trusted to start a frame.
//
//   FrameSplitter splitter(max_frame_bytes);
//   splitter.append(received);
//   FrameView frame;
//   while (splitter.next(frame) == SplitState::kFrame) handle(frame);
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <kahuna/status.h>
#include <kahuna/wire/frame.h>

namespace kahuna::wire {

// A whole frame inside the splitter's buffer.
struct FrameView {
  FrameHeader header{};
  std::string_view body{};  // valid until the splitter's next append/prepare/next call
};

enum class SplitState {
  kFrame,     // `frame` holds the next frame
  kNeedMore,  // no whole frame buffered yet
  kBroken,    // the stream cannot be framed any more; see error()
};

class FrameSplitter {
 public:
  // `max_frame_bytes` bounds a whole frame, header included; at least
  // kFrameHeaderSize.
  explicit FrameSplitter(std::size_t max_frame_bytes = kDefaultMaxFrameBytes);

  // Copies received bytes in.
  void append(std::string_view bytes);

  // Zero-copy receiving: a writable span of `size` bytes at the end of the
  // buffer; commit(n) then makes the first n of them (n <= size) part of the
  // stream. The span is valid until the next call on the splitter; any other
  // call before commit() discards the prepared bytes.
  std::span<char> prepare(std::size_t size);
  void commit(std::size_t n);

  // The next whole frame. Once kBroken, always kBroken.
  SplitState next(FrameView& frame);

  // Why the stream broke (ok while it is not broken).
  const Status& error() const noexcept { return error_; }
  // When the stream broke on a frame above the size limit, its header, so the
  // receiver can answer that request id before closing.
  const std::optional<FrameHeader>& oversized_header() const noexcept { return oversized_; }
  // Bytes received and not yet returned as frames.
  std::size_t buffered() const noexcept { return buffer_.size() - consumed_; }

 private:
  void compact();

  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;       // bytes at the front of buffer_ already returned
  std::size_t committed_end_ = 0;  // where prepare()'s span starts
  bool prepared_ = false;          // a prepare() awaits its commit()
  Status error_;
  std::optional<FrameHeader> oversized_;
};

}  // namespace kahuna::wire
