// StateReader: the read side the state machines see — point reads and
// forward scans over ordered byte keys.
//
// Three implementations: MemoryState (an ordered map: tests, and the
// ephemeral durability that lives only in the leader's memory),
// EngineStateReader (a storage engine, optionally through one of its
// consistent snapshots) and ApplyContext (staged writes of the current apply
// batch over another reader).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <kahuna/status.h>

namespace kahuna::services {

// Forward iteration over [lower, upper) in byte order. Starts on the first
// key of the range (valid() is false when there is none). key() and value()
// stay valid until the next call to next().
class StateCursor {
 public:
  virtual ~StateCursor() = default;
  virtual bool valid() const = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Requires valid().
  virtual void next() = 0;
  // Not ok when iteration stopped because of a read error rather than the end.
  virtual Status status() const = 0;
};

class StateReader {
 public:
  virtual ~StateReader() = default;

  // Reads one key into `value`. kNotFound when absent; any other failure is a
  // storage error that the caller must not turn into a reply.
  virtual Status get(std::string_view key, std::string& value) const = 0;

  // Keys in [lower, upper) in byte order; an empty `upper` means no bound.
  // Never returns null.
  virtual std::unique_ptr<StateCursor> scan(std::string_view lower, std::string_view upper) const = 0;
};

}  // namespace kahuna::services
