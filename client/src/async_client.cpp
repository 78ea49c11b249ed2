// AsyncClient: construction, shutdown and metrics. The operations of each
// family live in async_client_<family>.cpp.
#include <kahuna/client/async_client.h>

#include "client_core.h"

namespace kahuna::client {

AsyncClient::AsyncClient(asio::any_io_executor executor, ClientOptions options)
    : core_(std::make_shared<detail::ClientCore>(std::move(executor), std::move(options))) {}

AsyncClient::~AsyncClient() { core_->shutdown(); }

void AsyncClient::shutdown() { core_->shutdown(); }

ClientMetrics AsyncClient::metrics() const { return core_->metrics(); }

asio::any_io_executor AsyncClient::executor() const { return core_->executor(); }

}  // namespace kahuna::client
