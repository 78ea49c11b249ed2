// lock_example: the pattern a fencing token exists for.
//
// A worker takes the lock "example/report", then writes the report key only
// if no writer with a newer token got there first: the key's value starts
// with the token of its writer, and the write is a compare-and-set on the
// revision it read. A worker whose lease was lost (paused, partitioned) and
// who comes back late carries an older token and is refused, even though it
// still believes it holds the lock.
//
//   kahuna-lock-example [host:port ...]      (default 127.0.0.1:7100)
#include <charconv>
#include <chrono>
#include <iostream>
#include <string>

#include <kahuna/client/client.h>

namespace {

using namespace std::chrono_literals;
using kahuna::client::Client;

constexpr const char* kLock = "example/report";
constexpr const char* kData = "example/report-data";

// The token at the front of a stored "token:<n>|<payload>" value; -1 if none.
std::int64_t stored_token(const std::optional<std::string>& value) {
  if (!value || value->rfind("token:", 0) != 0) return -1;
  std::int64_t token = -1;
  const char* begin = value->data() + 6;
  std::from_chars(begin, value->data() + value->size(), token);
  return token;
}

// Writes `payload` under `token` unless a newer token wrote first. Returns a
// line saying what happened.
std::string write_guarded(Client& client, std::int64_t token, const std::string& payload) {
  auto current = client.get(kData);
  if (!current) return "read failed: " + current.error().to_string();
  const std::string value = "token:" + std::to_string(token) + "|" + payload;

  kahuna::client::SetOptions condition;
  if (current->code == kahuna::KvCode::kGet) {
    const std::int64_t seen = stored_token(current->value);
    if (seen > token) return "refused: the data was written under token " + std::to_string(seen);
    // Nobody may slip in between the read and this write.
    condition = kahuna::client::SetOptions::if_revision(current->revision);
  } else {
    condition = kahuna::client::SetOptions::if_not_exists();
  }
  auto written = client.set(kData, value, condition);
  if (!written) return "write failed: " + written.error().to_string();
  if (written->code != kahuna::KvCode::kSet) return "refused: another writer got there first";
  return "wrote \"" + value + "\" (revision " + std::to_string(written->revision) + ")";
}

}  // namespace

int main(int argc, char** argv) {
  kahuna::client::ClientOptions options;
  if (argc > 1) options.endpoints.assign(argv + 1, argv + argc);
  Client client(options);

  // Wait up to 5 s for the lock; hold it with a 10 s lease, extended in the
  // background for as long as `handle` lives.
  auto handle = client.lock(kLock, 10s, 5s);
  if (!handle) {
    std::cerr << "lock failed: " << handle.error().to_string() << '\n';
    return 3;
  }
  if (!handle->owns_lock()) {
    std::cout << "lock " << kLock << " is " << kahuna::to_string(handle->code()) << "; try again later\n";
    return 1;
  }
  const std::int64_t token = handle->fencing_token();
  std::cout << "acquired " << kLock << " as " << handle->owner() << " with fencing token " << token << '\n';

  std::cout << write_guarded(client, token, "monthly totals") << '\n';

  // A writer coming back with an older token is turned away.
  if (token > 0)
    std::cout << "a stale writer with token " << token - 1 << ": "
              << write_guarded(client, token - 1, "late totals") << '\n';

  auto released = handle->release();
  if (!released) {
    std::cerr << "release failed: " << released.error().to_string() << '\n';
    return 3;
  }
  std::cout << "released " << kLock << ": " << kahuna::to_string(released->code) << '\n';
  return 0;
}
