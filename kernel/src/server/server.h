// Server: one kahuna node. Opens the storage engine named by its
// configuration, starts the log writer and the io threads, and runs until
// SIGINT or SIGTERM, then shuts down in order.
#pragma once

#include <kahuna/status.h>

#include "config/config.h"

namespace kahuna {

class Server {
 public:
  explicit Server(Config config) : config_(std::move(config)) {}

  // Blocks until the node is asked to stop by a signal. Returns ok after a
  // clean shutdown: io threads joined, every queued write committed, the
  // engine flushed and closed. A startup failure comes back as a Status
  // whose message names the file and key at fault.
  Status run();

 private:
  Config config_;
};

}  // namespace kahuna
