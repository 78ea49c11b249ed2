// The binary protocol plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/protocol_server.h>

#include "binary_options.h"
#include "binary_server.h"

namespace kahuna::binary_protocol {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) noexcept {
  try {
    if (context.kernel == nullptr)
      return Status::invalid_argument("protocol.binary: the host gave no kernel");
    BinaryOptions options;
    if (Status s = parse_binary_options(context.options, options); !s.is_ok()) return s;
    out = std::make_unique<BinaryServer>(std::move(options), *context.kernel);
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("creating the binary protocol server");
  }
}

}  // namespace

extern const PluginDescriptor descriptor;
const PluginDescriptor descriptor{
    .abi_version = kPluginAbiVersion,
    .kind = PluginKind::kProtocol,
    .name = "binary",
    .version = "0.1.0",
    .create = &create,
};

KAHUNA_EXPORT_PLUGIN(descriptor)

}  // namespace kahuna::binary_protocol
