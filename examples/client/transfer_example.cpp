// transfer_example: moving money between two accounts in one transaction.
//
// Both balances are read and both are written in one interactive
// transaction, so no reader ever sees the money in both accounts or in
// neither, and two transfers running at once cannot both spend the same
// balance: one of them loses the conflict and with_transaction runs it
// again (with back-off) on the balances the other left.
//
//   kahuna-transfer-example [host:port ...]      (default 127.0.0.1:7100)
#include <charconv>
#include <iostream>
#include <string>

#include <kahuna/client/client.h>

namespace {

using kahuna::KvCode;
using kahuna::client::Client;
using kahuna::client::Transaction;

constexpr const char* kFrom = "example/accounts/alice";
constexpr const char* kTo = "example/accounts/bob";
constexpr std::int64_t kAmount = 25;

// A stored balance; 0 for a key that holds none.
std::int64_t balance_of(const kahuna::client::KvResult& reply) {
  std::int64_t balance = 0;
  if (reply.code == KvCode::kGet && reply.value) {
    std::from_chars(reply.value->data(), reply.value->data() + reply.value->size(), balance);
  }
  return balance;
}

// The balance of `key` as the committed data has it now.
std::string committed_balance(Client& client, const char* key) {
  auto reply = client.get(key);
  return reply ? std::to_string(balance_of(*reply)) : "(" + reply.error().to_string() + ")";
}

}  // namespace

int main(int argc, char** argv) {
  kahuna::client::ClientOptions options;
  if (argc > 1) options.endpoints.assign(argv + 1, argv + argc);
  Client client(options);

  // Open the accounts once; a second run finds them and keeps their balances.
  (void)client.set(kFrom, "100", kahuna::client::SetOptions::if_not_exists());
  (void)client.set(kTo, "0", kahuna::client::SetOptions::if_not_exists());

  std::string gave_up;  // why the body rolled the transfer back itself, if it did
  // The coordinator key only places the session: any name will do, and one
  // near the accounts keeps the session on a node that holds them.
  auto result = client.with_transaction("example/accounts", [&gave_up](Transaction& tx) {
    gave_up.clear();  // the body may run more than once: start afresh
    auto from = tx.get(kFrom);
    auto to = tx.get(kTo);
    // A read that lost a conflict (aborted, alreadyLocked: another transfer
    // holds an account) or failed (unreachable...) is seen by
    // with_transaction, which rolls the attempt back instead of committing
    // it, and for a conflict runs the body again: nothing to decide here.
    // The same holds for the writes below.
    if (!from || !to || tx.conflicted()) return;
    if (balance_of(*from) < kAmount) {
      gave_up = "not enough money in " + std::string(kFrom);
      (void)tx.rollback();  // ended here: with_transaction returns this rollback's answer
      return;
    }
    (void)tx.set(kFrom, std::to_string(balance_of(*from) - kAmount));
    (void)tx.set(kTo, std::to_string(balance_of(*to) + kAmount));
  });

  if (!result) {
    std::cerr << "transfer failed: " << result.error().to_string() << '\n';
    return 3;
  }
  std::cout << "transfer of " << kAmount << ": " << kahuna::to_string(result->code);
  if (!gave_up.empty()) std::cout << " (" << gave_up << ")";
  if (gave_up.empty() && !result->reason.empty()) std::cout << " (" << result->reason << ")";
  std::cout << '\n';
  std::cout << kFrom << " = " << committed_balance(client, kFrom) << ", " << kTo << " = "
            << committed_balance(client, kTo) << '\n';
  return result->code == KvCode::kCommitted ? 0 : 1;
}
