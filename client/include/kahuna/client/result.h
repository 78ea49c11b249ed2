// Result<T>: what every SDK call returns — the server's reply, or the reason
// no reply could be had.
//
// Outcomes are never errors: busy, notSet, doesNotExist, maxValueExceeded...
// arrive as codes inside the reply (T), exactly as the server sent them. An
// Error means the call itself failed: the cluster could not be reached, the
// call's deadline passed while the cluster kept answering must-retry, the
// deadline passed without learning whether a write was applied, or a node
// answered something the SDK cannot read.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kahuna::client {

enum class ErrorKind {
  // No node answered before the deadline (connection refused, lost, timed
  // out). For a write it also means no attempt was ever sent, so it was
  // certainly not applied (one sent and unanswered is kOutcomeUnknown).
  kUnreachable,
  // The deadline passed while the cluster answered must-retry (no leader
  // yet...). For a write, every attempt was certainly not applied.
  kDeadline,
  kProtocol,         // a node answered with an error reply or bytes that do not decode
  kInvalidArgument,  // the SDK refused the call before sending it (e.g. a value too long for a frame)
  kClosed,           // the client was shut down while the call ran
  // Writes only: the deadline passed and some attempt may have been applied
  // (answered outcome-unknown, or sent and never answered: the connection
  // broke or the attempt timed out). Every attempt carried the call's
  // request id, so it was applied at most once; read the state to learn
  // whether it was.
  kOutcomeUnknown,
};

// "unreachable", "deadline", "protocol", "invalidArgument", "closed",
// "outcomeUnknown".
constexpr std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kUnreachable: return "unreachable";
    case ErrorKind::kDeadline: return "deadline";
    case ErrorKind::kProtocol: return "protocol";
    case ErrorKind::kInvalidArgument: return "invalidArgument";
    case ErrorKind::kClosed: return "closed";
    case ErrorKind::kOutcomeUnknown: return "outcomeUnknown";
  }
  return "unknown";
}

struct Error {
  ErrorKind kind = ErrorKind::kUnreachable;
  std::string message{};

  // "unreachable: 127.0.0.1:7100: Connection refused"
  std::string to_string() const {
    std::string text(client::to_string(kind));
    if (!message.empty()) {
      text += ": ";
      text += message;
    }
    return text;
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  // Holds Error{kClosed, "no result"}: what a call that never completed leaves
  // behind (asio builds one when a coroutine ends by an exception).
  Result() : state_(std::in_place_index<1>, Error{ErrorKind::kClosed, "no result"}) {}
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // The reply. Precondition: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Why the call failed. Precondition: !ok().
  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

}  // namespace kahuna::client
