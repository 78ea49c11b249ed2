#include <kahuna/wire/frame_splitter.h>

#include <algorithm>

namespace kahuna::wire {

FrameSplitter::FrameSplitter(std::size_t max_frame_bytes)
    : max_frame_bytes_(std::max(max_frame_bytes, kFrameHeaderSize)) {}

void FrameSplitter::compact() {
  // Moving the unread tail to the front only once most of the buffer is
  // consumed keeps the cost linear in the bytes received.
  if (consumed_ == 0) return;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ >= buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
}

void FrameSplitter::append(std::string_view bytes) {
  commit(0);  // drop any uncommitted prepare()
  compact();
  buffer_.append(bytes);
}

std::span<char> FrameSplitter::prepare(std::size_t size) {
  commit(0);
  compact();
  committed_end_ = buffer_.size();
  prepared_ = true;
  buffer_.resize(committed_end_ + size);
  return {buffer_.data() + committed_end_, size};
}

void FrameSplitter::commit(std::size_t n) {
  if (!prepared_) return;
  buffer_.resize(std::min(buffer_.size(), committed_end_ + n));
  prepared_ = false;
}

SplitState FrameSplitter::next(FrameView& frame) {
  if (!error_.is_ok()) return SplitState::kBroken;
  commit(0);
  const std::string_view unread = std::string_view(buffer_).substr(consumed_);
  if (unread.size() < kFrameHeaderSize) {
    // A wrong magic is known as soon as its bytes arrive: fail fast rather
    // than wait for a header that garbage may never complete.
    if (unread.size() >= 5 && unread[4] != kMagic[0]) {
      error_ = Status::invalid_argument("bad magic: a frame must start its bytes 4..5 with \"KW\"");
    } else if (unread.size() >= 6 && unread[5] != kMagic[1]) {
      error_ = Status::invalid_argument("bad magic: a frame must start its bytes 4..5 with \"KW\"");
    }
    return error_.is_ok() ? SplitState::kNeedMore : SplitState::kBroken;
  }
  FrameHeader header;
  if (Status s = decode_frame_header(unread, header); !s.is_ok()) {
    error_ = std::move(s);
    return SplitState::kBroken;
  }
  if (header.frame_size() > max_frame_bytes_) {
    oversized_ = header;
    error_ = Status::invalid_argument("frame of " + std::to_string(header.frame_size()) +
                                      " bytes exceeds the limit of " + std::to_string(max_frame_bytes_));
    return SplitState::kBroken;
  }
  if (unread.size() < header.frame_size()) return SplitState::kNeedMore;
  frame.header = header;
  frame.body = unread.substr(kFrameHeaderSize, header.body_size);
  consumed_ += header.frame_size();
  return SplitState::kFrame;
}

}  // namespace kahuna::wire
