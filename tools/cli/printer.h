// Printer: how kahuna-cli shows each kind of reply — one readable line (or a
// table) by default, one JSON object per command with --json.
//
// Readable lines start with the outcome's name (HTTP-API.md §3), followed by
// name=value fields: `set revision=0`, `busy resource=jobs/1`. Errors go to
// stderr in readable mode and to stdout as {"error": ..., "message": ...}
// in JSON mode, so a script reads exactly one object per command.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <kahuna/client/replies.h>
#include <kahuna/client/result.h>

namespace kahuna::cli {

class Printer {
 public:
  Printer(std::ostream& out, std::ostream& err, bool json) : out_(out), err_(err), json_(json) {}

  // Key/value point replies; `show_value` for get.
  void kv(const client::KvResult& reply, bool show_value);
  // Lock replies; `resource` and `owner` name what was asked (owner may be empty).
  void lock(const client::LockResult& reply, const std::string& resource, const std::string& owner);
  // Scans and range pages.
  void items(KvCode code, const std::vector<KvItem>& items, bool has_more,
             const std::optional<std::string>& cursor);
  void sequence(const client::SequenceResult& reply);
  // Scripts and transactions (printer_transactions.cpp): a script's answer
  // with its value rows; a session's start, lock, commit or rollback
  // (`key`: the key a lock names).
  void script(const client::ScriptResult& reply);
  enum class SessionStep { kStart, kLock, kCommit, kRollback };
  void session(const client::TxResult& reply, SessionStep step, const std::string& key = {});
  // The cluster (printer_cluster.cpp): its status, and a change's reply.
  void status(const client::ClusterStatus& status);
  void cluster_change(const client::ClusterChangeResult& reply);
  void error(const client::Error& error);
  // Text for people (help, what a console does on its own): on stdout in
  // readable mode, on stderr in JSON mode, whose stdout holds only objects.
  void note(const std::string& text);
  // A usage problem (also in JSON mode, so that scripts always get an object).
  void usage_error(const std::string& message);

 private:
  std::ostream& out_;
  std::ostream& err_;
  bool json_;
};

}  // namespace kahuna::cli
