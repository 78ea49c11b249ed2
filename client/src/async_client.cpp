// AsyncClient: construction, shutdown, metrics and cluster status. The
// operations of each family live in async_client_<family>.cpp.
#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"

namespace kahuna::client {

AsyncClient::AsyncClient(asio::any_io_executor executor, ClientOptions options)
    : core_(std::make_shared<detail::ClientCore>(std::move(executor), std::move(options))) {}

AsyncClient::~AsyncClient() { core_->shutdown(); }

void AsyncClient::shutdown() { core_->shutdown(); }

ClientMetrics AsyncClient::metrics() const { return core_->metrics(); }

asio::any_io_executor AsyncClient::executor() const { return core_->executor(); }

asio::awaitable<Result<ClusterStatus>> AsyncClient::cluster_status(BasicOptions options) {
  const std::shared_ptr<detail::ClientCore> core = core_;
  detail::CoreCall call;
  call.body = wire::GetClusterStatus{};
  call.target = detail::CallTarget::any_node();
  call.deadline = core->deadline_of(options.deadline);
  Result<ClusterStatus> status = co_await detail::run_plain<ClusterStatus>(core, std::move(call));
  if (status) core->learn_map(*status);
  co_return status;
}

}  // namespace kahuna::client
