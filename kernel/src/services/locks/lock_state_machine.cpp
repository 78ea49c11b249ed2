#include "services/locks/lock_state_machine.h"

#include <string>

#include "services/commands/name_rules.h"
#include "services/locks/lock_record.h"

namespace kahuna::services {

namespace {

bool valid_resource(std::string_view resource) { return !resource.empty() && !is_reserved_name(resource); }

LockReply reply_with(LockCode code, std::int64_t token = 0) {
  LockReply reply;
  reply.code = code;
  reply.fencing_token = token;
  return reply;
}

}  // namespace

Status LockStateMachine::load(const StateReader& reader, std::string_view resource, LockRecord& record,
                              bool& found) const {
  std::string bytes;
  Status status = reader.get(layout_.lock_key(resource), bytes);
  if (status.code() == StatusCode::kNotFound) {
    found = false;
    return Status::ok();
  }
  if (!status.is_ok()) return status;
  found = true;
  return decode_lock_record(bytes, record);
}

Status LockStateMachine::try_lock(ApplyContext& ctx, const HlcTimestamp& stamp, const LockTryLock& command,
                                  LockReply& reply) const {
  if (!valid_resource(command.resource) || command.owner.empty() || command.expires_ms <= 0) {
    reply = reply_with(LockCode::kInvalidInput);
    return Status::ok();
  }
  LockRecord record;
  bool found = false;
  if (Status s = load(ctx, command.resource, record, found); !s.is_ok()) return s;

  if (found && record.is_held(stamp)) {
    // The live holder asking again keeps its token and its lease as they are.
    reply = record.owner == command.owner ? reply_with(LockCode::kLocked, record.fencing_token)
                                          : reply_with(LockCode::kBusy);
    return Status::ok();
  }
  LockRecord granted;
  granted.owner = command.owner;
  granted.expiry = hlc_after(stamp, command.expires_ms);
  granted.fencing_token = found ? record.fencing_token + 1 : 0;
  ctx.put(layout_.lock_key(command.resource), encode_lock_record(granted));
  reply = reply_with(LockCode::kLocked, granted.fencing_token);
  return Status::ok();
}

Status LockStateMachine::load_held_by(const StateReader& reader, const HlcTimestamp& stamp,
                                      std::string_view resource, const std::string& owner, LockRecord& record,
                                      bool& held, LockReply& reply) const {
  held = false;
  bool found = false;
  if (Status s = load(reader, resource, record, found); !s.is_ok()) return s;
  if (!found || !record.is_held(stamp)) {
    reply = reply_with(LockCode::kLockDoesNotExist);
  } else if (record.owner != owner) {
    reply = reply_with(LockCode::kInvalidOwner);
  } else {
    held = true;
  }
  return Status::ok();
}

Status LockStateMachine::try_extend(ApplyContext& ctx, const HlcTimestamp& stamp,
                                    const LockTryExtend& command, LockReply& reply) const {
  if (!valid_resource(command.resource) || command.owner.empty() || command.expires_ms <= 0) {
    reply = reply_with(LockCode::kInvalidInput);
    return Status::ok();
  }
  LockRecord record;
  bool held = false;
  if (Status s = load_held_by(ctx, stamp, command.resource, command.owner, record, held, reply);
      !s.is_ok() || !held) {
    return s;
  }
  record.expiry = hlc_after(stamp, command.expires_ms);
  ctx.put(layout_.lock_key(command.resource), encode_lock_record(record));
  reply = reply_with(LockCode::kExtended, record.fencing_token);
  return Status::ok();
}

Status LockStateMachine::unlock(ApplyContext& ctx, const HlcTimestamp& stamp, const LockUnlock& command,
                                LockReply& reply) const {
  if (!valid_resource(command.resource) || command.owner.empty()) {
    reply = reply_with(LockCode::kInvalidInput);
    return Status::ok();
  }
  LockRecord record;
  bool held = false;
  if (Status s = load_held_by(ctx, stamp, command.resource, command.owner, record, held, reply);
      !s.is_ok() || !held) {
    return s;
  }
  // Keep the record without a holder: its token is where the next grant
  // continues from.
  record.owner.clear();
  record.expiry = HlcTimestamp{};
  ctx.put(layout_.lock_key(command.resource), encode_lock_record(record));
  reply = reply_with(LockCode::kUnlocked, record.fencing_token);
  return Status::ok();
}

Status LockStateMachine::get_info(const StateReader& reader, std::string_view resource,
                                  const HlcTimestamp& now, LockReply& reply) const {
  if (!valid_resource(resource)) {
    reply = reply_with(LockCode::kInvalidInput);
    return Status::ok();
  }
  LockRecord record;
  bool found = false;
  if (Status s = load(reader, resource, record, found); !s.is_ok()) return s;
  if (!found || !record.is_held(now)) {
    reply = reply_with(LockCode::kLockDoesNotExist);
    return Status::ok();
  }
  reply = reply_with(LockCode::kGot, record.fencing_token);
  reply.owner = record.owner;
  reply.expires = record.expiry;
  return Status::ok();
}

}  // namespace kahuna::services
