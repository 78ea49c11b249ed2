// FakeKernel: an in-memory KernelApi for the binary protocol tests.
//
// Every call is recorded as the method name and the wire request body that
// carries it, then answered with the scripted reply of its kind, so a test
// can check that each opcode reached the right method with the right fields.
// Lock replies echo the request's expires_ms as their fencing token, so
// pipelined replies can be matched to their requests. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/request.h>

namespace kahuna::binary_protocol::testing {

class FakeKernel final : public KernelApi {
 public:
  struct Call {
    std::string method;
    wire::RequestBody body;
    CallOptions options;
  };

  FakeKernel();

  std::vector<Call> calls() const;
  std::size_t call_count() const;

  // How long a call waits before answering (none by default).
  void set_delay(std::function<std::chrono::milliseconds(const wire::RequestBody&)> delay);
  // While held, calls wait until release().
  void hold() { held_ = true; }
  void release() { held_ = false; }

  // The scripted replies, one per kind.
  Routed<LockReply> lock_reply;
  Routed<KvReply> kv_reply;
  std::vector<Routed<KvReply>> batch_reply;
  KvScanReply scan_reply;
  Routed<KvScanReply> bucket_reply;
  Routed<KvRangePage> range_reply;
  Routed<SequenceReply> sequence_reply;
  ClusterChangeReply change_reply;  // every cluster administration call's
  Routed<TxReply> tx_reply;
  ScriptReply script_reply;
  Routed<TxSessionReply> tx_session_reply;  // a session's start, commit, rollback and lock
  ClusterStatus status;

  std::uint64_t node_id() const override { return 1; }
  std::uint32_t partition_of_lock(std::string_view) const override { return 1; }
  std::uint32_t partition_of_key(std::string_view) const override { return 1; }
  std::uint32_t partition_of_sequence(std::string_view) const override { return 1; }
  std::uint64_t leader_of(std::uint32_t) const override { return 1; }

#define KAHUNA_OPERATION KAHUNA_DECLARE_OPERATION_OVERRIDE
#include <kahuna/operations.def>
#undef KAHUNA_OPERATION
  ClusterStatus cluster_status() const override;
  std::string metrics_text() const override { return ""; }

 private:
  // Records the call, then waits as the test asked.
  asio::awaitable<void> record(std::string method, wire::RequestBody body, CallOptions options);
  // The scripted reply for a call of this result type.
  template <class Result>
  Result scripted(const wire::RequestBody& body) const;

  mutable std::mutex mutex_;
  mutable std::vector<Call> calls_;  // cluster_status() is const and records too
  std::function<std::chrono::milliseconds(const wire::RequestBody&)> delay_;
  std::atomic<bool> held_{false};
};

}  // namespace kahuna::binary_protocol::testing
