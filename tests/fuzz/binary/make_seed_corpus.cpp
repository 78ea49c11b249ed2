// Writes the fuzzer's seed corpus: one file per sample request and reply
// (a chunk-size byte, then the frame), and one with every request pipelined.
#include <fstream>
#include <iostream>
#include <string>

#include <kahuna/wire/codec.h>

#include "sample_messages.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seed_corpus <directory>\n";
    return 2;
  }
  const std::string dir = argv[1];
  int n = 0;
  std::string all(1, '\x07');
  const auto write = [&](const std::string& bytes) {
    std::ofstream(dir + "/seed-" + std::to_string(n++), std::ios::binary) << bytes;
  };
  std::uint64_t id = 1;
  for (const auto& request : kahuna::wire::testing::sample_requests()) {
    std::string frame(1, static_cast<char>(n));
    if (!kahuna::wire::encode_request(id++, request, frame).is_ok()) return 1;
    all += frame.substr(1);
    write(frame);
  }
  for (const auto& response : kahuna::wire::testing::sample_responses()) {
    std::string frame(1, static_cast<char>(n));
    if (!kahuna::wire::encode_response(id++, response, frame).is_ok()) return 1;
    write(frame);
  }
  write(all);
  return 0;
}
