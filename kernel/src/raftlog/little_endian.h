// Fixed-width little-endian integers, the byte order of the log's files.
#pragma once

#include <cstddef>
#include <string>

namespace kahuna::raftlog {

template <class T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Overwrites sizeof(T) bytes at `at`.
template <class T>
void store_le(char* at, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) at[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

template <class T>
T get_le(const char* in) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<T>(static_cast<unsigned char>(in[i])) << (8 * i);
  return value;
}

}  // namespace kahuna::raftlog
