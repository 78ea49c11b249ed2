// The http protocol plugin's entry point: its descriptor and factory.
#include <memory>

#include <kahuna/plugin.h>
#include <kahuna/protocol_server.h>

#include "http_options.h"
#include "http_server.h"

namespace kahuna::http {
namespace {

Status create(const PluginContext& context, std::unique_ptr<Plugin>& out) {
  if (context.kernel == nullptr) return Status::invalid_argument("protocol.http: the host gave no kernel");
  HttpOptions options;
  if (Status s = parse_http_options(context.options, options); !s.is_ok()) return s;
  out = std::make_unique<HttpServer>(*context.kernel, std::move(options));
  return Status::ok();
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(PluginKind::kProtocol, "http", "0.1.0", create)

}  // namespace kahuna::http
