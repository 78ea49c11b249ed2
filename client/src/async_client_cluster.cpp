// AsyncClient: the cluster's status, and changes of its members and
// replication factor.
#include <kahuna/client/async_client.h>

#include "call_runner.h"
#include "client_core.h"

namespace kahuna::client {

namespace {

// A change any member serves.
detail::CoreCall any_member_call(detail::ClientCore& core, wire::RequestBody body, const Deadline& deadline) {
  detail::CoreCall call;
  call.body = std::move(body);
  call.target = detail::CallTarget::any_node();
  call.deadline = core.deadline_of(deadline);
  return call;
}

// A change that runs on one node: the one named, or the one the client was
// pointed at first.
detail::CoreCall one_node_call(detail::ClientCore& core, wire::RequestBody body, const NodeOptions& options) {
  detail::CoreCall call;
  call.body = std::move(body);
  const std::vector<std::string>& seeds = core.options().endpoints;
  std::string endpoint = options.endpoint;
  if (endpoint.empty() && !seeds.empty()) endpoint = seeds.front();
  call.target = detail::CallTarget::node(std::move(endpoint));
  call.deadline = core.deadline_of(options.deadline);
  return call;
}

bool names_no_node(const detail::ClientCore& core, const NodeOptions& options) {
  return options.endpoint.empty() && core.options().endpoints.empty();
}

Result<ClusterChangeResult> no_node(const char* call) {
  return Error{ErrorKind::kInvalidArgument,
               std::string(call) + " needs an endpoint: NodeOptions::endpoint or ClientOptions::endpoints"};
}

template <class T>
asio::awaitable<Result<T>> answered(Result<T> result) {
  co_return result;
}

}  // namespace

// Arguments are built before the co_await, never inside it (client.md, "A
// note for g++ 12").
asio::awaitable<Result<ClusterStatus>> AsyncClient::cluster_status(BasicOptions options) {
  const std::shared_ptr<detail::ClientCore> core = core_;
  detail::CoreCall call = any_member_call(*core, wire::GetClusterStatus{}, options.deadline);
  Result<ClusterStatus> status = co_await detail::run_plain<ClusterStatus>(core, std::move(call));
  if (status) core->learn_map(*status);
  co_return status;
}

asio::awaitable<Result<ClusterChangeResult>> AsyncClient::cluster_join(std::vector<std::string> seeds,
                                                                       NodeOptions options) {
  if (names_no_node(*core_, options)) return answered(no_node("cluster_join"));
  wire::ClusterJoin body{ClusterJoinRequest{std::move(seeds)}};
  return detail::run_plain<ClusterChangeResult>(core_, one_node_call(*core_, std::move(body), options));
}

asio::awaitable<Result<ClusterChangeResult>> AsyncClient::cluster_leave(NodeOptions options) {
  if (names_no_node(*core_, options)) return answered(no_node("cluster_leave"));
  wire::ClusterLeave body{ClusterMemberRequest{0}};
  return detail::run_plain<ClusterChangeResult>(core_, one_node_call(*core_, std::move(body), options));
}

asio::awaitable<Result<ClusterChangeResult>> AsyncClient::cluster_remove(std::uint64_t node_id,
                                                                         BasicOptions options) {
  wire::ClusterRemove body{ClusterMemberRequest{node_id}};
  return detail::run_plain<ClusterChangeResult>(core_,
                                                any_member_call(*core_, std::move(body), options.deadline));
}

asio::awaitable<Result<ClusterChangeResult>> AsyncClient::set_replication_factor(std::uint32_t factor,
                                                                                 std::uint32_t partition,
                                                                                 BasicOptions options) {
  wire::SetReplicationFactor body{ReplicationFactorRequest{factor, partition}};
  return detail::run_plain<ClusterChangeResult>(core_,
                                                any_member_call(*core_, std::move(body), options.deadline));
}

}  // namespace kahuna::client
