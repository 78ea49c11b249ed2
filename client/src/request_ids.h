// RequestIds: the ids that let the cluster apply each write of this client
// at most once (kahuna/types/call.h RequestId; Raft dissertation §6.3).
//
// A client draws one random, non-zero `client` number when it is made and
// numbers its writes 1, 2, 3...; a call takes its id once, before its first
// attempt, and every retry of it (to the same node, another one, a new
// leader) sends that id unchanged. The server then answers a repeat with the
// reply of the first apply instead of applying it again, which is what makes
// a retry after a lost reply or an outcome-unknown answer safe.
//
// Thread-safe: next() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>

#include <kahuna/types.h>
#include <kahuna/wire/request.h>

namespace kahuna::client::detail {

class RequestIds {
 public:
  // Draws the client number (random_client_number()).
  RequestIds();

  // The id of the next write: this client's number and the next sequence
  // number (from 1). `part` is left 0: the server numbers the commands of
  // one call itself.
  RequestId next() noexcept;

  std::uint64_t client() const noexcept { return client_; }

 private:
  const std::uint64_t client_;
  std::atomic<std::uint64_t> last_sequence_{0};
};

// 64 random bits from std::random_device, run through a mixing function (a
// random_device may deliver fewer good bits than it claims, or repeat across
// processes started together), never 0: a zero client number would let
// (0, sequence) ids of different clients collide.
std::uint64_t random_client_number();

// True for the calls that change state (every lock call but get_lock, the
// key/value writes and batches of writes, every sequence call but get): the
// ones that carry a request id. Reads carry none: resending one is harmless.
// A call this list does not know is taken for a write (an id is harmless on
// a read, its absence is not on a write).
bool carries_request_id(const wire::RequestBody& body) noexcept;

}  // namespace kahuna::client::detail
