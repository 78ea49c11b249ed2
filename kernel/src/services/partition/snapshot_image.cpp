#include "services/partition/snapshot_image.h"

#include <xxhash.h>

#include "services/codec/byte_reader.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

namespace {

constexpr std::uint8_t kImageFormat = 1;
constexpr std::uint8_t kEntryMarker = 1;
constexpr std::uint8_t kEndMarker = 0;
constexpr std::size_t kChecksumSize = 4;

bool known_family(char byte) {
  const auto family = static_cast<std::uint8_t>(byte);
  return family >= static_cast<std::uint8_t>(Family::kLock) &&
         family <= static_cast<std::uint8_t>(kLastFamily);
}

std::uint32_t checksum(std::string_view bytes) { return XXH32(bytes.data(), bytes.size(), 0); }

}  // namespace

SnapshotImageWriter::SnapshotImageWriter(std::uint32_t partition_id) {
  out_.u8(kImageFormat);
  out_.varint(partition_id);
}

void SnapshotImageWriter::add(std::string_view relative_key, std::string_view value) {
  out_.u8(kEntryMarker);
  out_.bytes(relative_key);
  out_.bytes(value);
  ++count_;
}

std::string SnapshotImageWriter::finish() {
  out_.u8(kEndMarker);
  out_.varint(count_);
  std::string image = out_.take();
  const std::uint32_t sum = checksum(image);
  for (int shift = 0; shift < 32; shift += 8) image.push_back(static_cast<char>((sum >> shift) & 0xFF));
  return image;
}

Status decode_snapshot_image(std::string_view image, std::uint32_t partition_id,
                             std::vector<SnapshotEntry>& out) {
  out.clear();
  if (image.size() < kChecksumSize) return Status::corruption("snapshot image too short");
  const std::string_view body = image.substr(0, image.size() - kChecksumSize);
  std::uint32_t stored = 0;
  for (std::size_t i = 0; i < kChecksumSize; ++i) {
    stored |= std::uint32_t{static_cast<unsigned char>(image[body.size() + i])} << (8 * i);
  }
  if (stored != checksum(body)) return Status::corruption("snapshot image checksum mismatch");

  ByteReader r(body);
  std::uint8_t format = 0;
  std::uint32_t partition = 0;
  if (!r.u8(format) || format != kImageFormat || !r.int_in_range(partition)) {
    return Status::corruption("bad snapshot image header");
  }
  if (partition != partition_id) return Status::corruption("snapshot image of another partition");
  std::string_view previous;
  for (;;) {
    std::uint8_t marker = 0;
    if (!r.u8(marker)) return Status::corruption("truncated snapshot image");
    if (marker == kEndMarker) break;
    SnapshotEntry entry;
    if (marker != kEntryMarker || !r.bytes_view(entry.relative_key) || !r.bytes_view(entry.value)) {
      return Status::corruption("bad snapshot image entry");
    }
    if (entry.relative_key.empty() || !known_family(entry.relative_key[0]) ||
        (!out.empty() && entry.relative_key <= previous)) {
      return Status::corruption("bad or unordered key in snapshot image");
    }
    previous = entry.relative_key;
    out.push_back(entry);
  }
  std::uint64_t count = 0;
  if (!r.varint(count) || count != out.size() || !r.done()) {
    return Status::corruption("bad snapshot image trailer");
  }
  return Status::ok();
}

}  // namespace kahuna::services
