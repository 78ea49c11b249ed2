// The http protocol plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/protocol_server.h>

#include "http_options.h"
#include "http_server.h"

namespace kahuna::http {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) noexcept {
  try {
    if (context.kernel == nullptr) return Status::invalid_argument("protocol.http: the host gave no kernel");
    HttpOptions options;
    if (Status s = parse_http_options(context.options, options); !s.is_ok()) return s;
    out = std::make_unique<HttpServer>(*context.kernel, std::move(options));
    return Status::ok();
  } catch (...) {
    return status_from_current_exception("creating the HTTP protocol server");
  }
}

}  // namespace

extern const PluginDescriptor descriptor;
const PluginDescriptor descriptor{
    .abi_version = kPluginAbiVersion,
    .kind = PluginKind::kProtocol,
    .name = "http",
    .version = "0.1.0",
    .create = &create,
};

KAHUNA_EXPORT_PLUGIN(descriptor)

}  // namespace kahuna::http
