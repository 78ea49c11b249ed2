// Status: the outcome of an operation, carried by return value across every
// interface of the server, including the plugin boundary (no exception ever
// crosses it). Codes map one to one onto protocol reply codes.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace kahuna {

enum class StatusCode : std::uint8_t {
  kOk = 0,
  kNotFound,         // the key, lock or sequence does not exist
  kInvalidArgument,  // the caller's input is malformed or out of range
  kBusy,             // the resource is held by someone else
  kMustRetry,        // a transient state (no leader, shutting down): retry later
  kStorageFull,      // the storage engine has no room left for this write
  kIOError,          // the operating system refused a read or write
  kCorruption,       // stored data does not decode
  kNotSupported,     // the engine or plugin does not offer this operation
  kAborted,          // the operation was cancelled before it took effect
  kInternal,         // a bug: an invariant did not hold
};

// Returns a stable lower-case name for a code, e.g. "not found".
constexpr std::string_view to_string(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kBusy: return "busy";
    case StatusCode::kMustRetry: return "must retry";
    case StatusCode::kStorageFull: return "storage full";
    case StatusCode::kIOError: return "I/O error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kNotSupported: return "not supported";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown status";
}

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() noexcept { return Status(); }
  static Status not_found(std::string m = {}) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status busy(std::string m = {}) { return {StatusCode::kBusy, std::move(m)}; }
  static Status must_retry(std::string m) { return {StatusCode::kMustRetry, std::move(m)}; }
  static Status storage_full(std::string m) { return {StatusCode::kStorageFull, std::move(m)}; }
  static Status io_error(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status not_supported(std::string m) { return {StatusCode::kNotSupported, std::move(m)}; }
  static Status aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool is_ok() const noexcept { return code_ == StatusCode::kOk; }
  explicit operator bool() const noexcept { return is_ok(); }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // "storage full: map size 1 GiB reached" — the code's name, then the message.
  std::string to_string() const {
    std::string text(kahuna::to_string(code_));
    if (!message_.empty()) {
      text += ": ";
      text += message_;
    }
    return text;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// The Status for the exception being handled, for a catch (...) at the
// plugin boundary, where no exception may pass: "<what>: out of memory" or
// "<what>: unexpected exception: <message>". Never throws.
inline Status status_from_current_exception(std::string_view what) noexcept {
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      return Status::internal(std::string(what) + ": out of memory");
    } catch (const std::exception& e) {
      return Status::internal(std::string(what) + ": unexpected exception: " + e.what());
    } catch (...) {
      return Status::internal(std::string(what) + ": unexpected exception");
    }
  } catch (...) {
    return Status(StatusCode::kInternal, std::string());  // building the message failed too
  }
}

}  // namespace kahuna
