// ProtocolServer: what a protocol plugin makes — a server that lets clients
// reach the node's KernelApi over some wire (binary frames, HTTP/JSON).
//
// Life cycle, driven by the host: the factory reads and checks the plugin's
// options (at least `listen`); start() binds; the io threads run; at shutdown
// stop() is called, the io threads drain, and the object is destroyed.
#pragma once

#include <string>

#include <kahuna/plugin.h>
#include <kahuna/status.h>

namespace kahuna {

class ProtocolServer : public Plugin {
 public:
  // Binds the listener(s) and starts accepting on the host's io_context. An
  // error names the address (e.g. already in use).
  virtual Status start() = 0;

  // Stops accepting and closes every connection; requests in flight finish
  // or are abandoned. Any thread; idempotent.
  virtual void stop() = 0;

  // The endpoint clients dial to reach this server (its advertised address,
  // e.g. "127.0.0.1:7100" or "http://127.0.0.1:7200"), for routing hints.
  virtual std::string endpoint() const = 0;
};

}  // namespace kahuna
