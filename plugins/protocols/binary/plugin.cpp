// The binary protocol plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/protocol_server.h>

#include "binary_options.h"
#include "binary_server.h"

namespace kahuna::binary_protocol {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) {
  if (context.kernel == nullptr) return Status::invalid_argument("protocol.binary: the host gave no kernel");
  BinaryOptions options;
  if (Status s = parse_binary_options(context.options, options); !s.is_ok()) return s;
  out = std::make_unique<BinaryServer>(std::move(options), *context.kernel);
  return Status::ok();
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(PluginKind::kProtocol, "binary", "0.1.0", create)

}  // namespace kahuna::binary_protocol
