// RequestTable: one partition's replicated memory of the client requests it
// has applied, and of the reply each got (Raft dissertation §6.3, "client
// sessions"), so that a request applied once is never applied again.
//
// A write may be proposed more than once: a client resends it after a lost
// reply, a node re-forwards it to a new leader, a leader re-proposes it after
// an election left its fate unknown. Every copy carries the same RequestId;
// the first to be applied runs, and every later one gets the reply the first
// got, without touching the state. The table is part of the partition's
// state: written in the same batch as the command's effects, carried by
// snapshot images, replayed from the log like everything else.
//
// The table is bounded by RequestTableOptions: it forgets its oldest id when
// it holds more than `capacity`, and ids older than `retention_ms` (judged by
// command stamps, so every replica agrees). A few ids are forgotten per new
// one, so one command's work stays bounded. A retry that arrives after its id
// was forgotten runs again: clients retry within seconds, the retention is
// minutes.
//
// Layout (storage/key_layout.h): request id -> u8 format | varint command
// fingerprint | bytes reply; order seq -> id and stamp; one bounds record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/commands/command.h"
#include "services/partition/service_options.h"
#include "services/storage/apply_context.h"
#include "services/storage/key_layout.h"

namespace kahuna::services {

// What the table remembers of an applied request.
struct RememberedRequest {
  std::uint64_t fingerprint = 0;  // of the command's body (command_fingerprint)
  std::string reply{};            // encode_reply of the first apply's reply
};

// A digest of what a command asks for, without its stamp or id: a repeat of
// an id whose fingerprint differs is another command reusing the id.
std::uint64_t command_fingerprint(const CommandBody& body);

class RequestTable {
 public:
  RequestTable(std::uint32_t partition_id, const RequestTableOptions& options)
      : layout_(partition_id), options_(options) {}

  // What was remembered for `id`; nullopt when it was not applied (or was
  // forgotten).
  Status find(const StateReader& reader, const RequestId& id, std::optional<RememberedRequest>& out) const;

  // Remembers `request` under `id` (which must not be remembered already),
  // applied at `stamp`, then forgets what capacity and retention require.
  Status remember(ApplyContext& ctx, const RequestId& id, const HlcTimestamp& stamp,
                  const RememberedRequest& request) const;

 private:
  std::string key_of(const RequestId& id) const {
    return layout_.request_key(id.client, id.sequence, id.part);
  }

  KeyLayout layout_;
  RequestTableOptions options_;
};

}  // namespace kahuna::services
