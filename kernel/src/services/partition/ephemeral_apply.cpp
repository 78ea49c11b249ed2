#include "services/partition/ephemeral_apply.h"

namespace kahuna::services {

Status apply_ephemeral(const PartitionStateMachine& machine, MemoryState& state, const Command& command,
                       Reply& reply) {
  ApplyContext ctx(state);
  if (Status s = machine.apply(command, ctx, reply); !s.is_ok()) return s;
  state.apply(ctx.take_batch());
  return Status::ok();
}

}  // namespace kahuna::services
