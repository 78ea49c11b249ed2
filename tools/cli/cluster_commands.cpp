// The cluster commands: its status, and changes of its members and
// replication factor.
#include "commands.h"
#include "exit_codes.h"

namespace kahuna::cli {

namespace {

// Prints a change's reply; applied and unchanged (it was already so) both
// leave the cluster as asked.
int changed(const CommandContext& context, const client::Result<client::ClusterChangeResult>& reply) {
  if (!reply) return failed(context, reply.error());
  context.printer.cluster_change(*reply);
  if (reply->code == ClusterCode::kUnchanged) return kExitSuccess;
  return exit_code_of(reply->code, ClusterCode::kApplied);
}

}  // namespace

int run_status(const CommandContext& context) {
  auto status = context.client.cluster_status();
  if (!status) return failed(context, status.error());
  context.printer.status(*status);
  return kExitSuccess;
}

// Join and leave run on the node they are about: the first of --endpoints.
int run_cluster_join(const CommandContext& context) {
  return changed(context, context.client.cluster_join(context.args.seeds));
}

int run_cluster_leave(const CommandContext& context) {
  return changed(context, context.client.cluster_leave());
}

int run_cluster_remove(const CommandContext& context) {
  return changed(context, context.client.cluster_remove(context.args.node_id));
}

int run_cluster_replication_factor(const CommandContext& context) {
  return changed(context, context.client.set_replication_factor(
                              static_cast<std::uint32_t>(context.args.replication_factor),
                              static_cast<std::uint32_t>(context.args.partition)));
}

}  // namespace kahuna::cli
