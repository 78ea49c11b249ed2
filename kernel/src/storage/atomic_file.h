// Files that a crash leaves either whole or as they were.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna {

// Writes `parts`, one after the other, to `path` so that a crash or power
// loss leaves either the previous file (or none) or the whole new one:
// a temporary file is written and synced, renamed over `path`, and the
// directory synced. Blocks on the disk.
Status write_file_atomically(const std::filesystem::path& path,
                             std::initializer_list<std::string_view> parts);

}  // namespace kahuna
