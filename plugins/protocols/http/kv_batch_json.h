// The JSON of /v1/kv/try-*-many (HTTP-API.md §6.2).
//
// An item that is invalid on its own (e.g. an empty key) is kept with the
// reason, so its row can say invalidInput while the other items run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include <kahuna/kernel_api.h>
#include <kahuna/wire/opcode.h>

#include "decode_result.h"
#include "json_output.h"

namespace kahuna::http {

template <class Request>
struct BatchItem {
  Request request{};
  std::string key;              // echoed in the row as sent
  std::int64_t durability = 0;  // echoed in the row as sent
  std::string invalid;          // non-empty: this row is invalidInput
};

template <class Request>
struct BatchRequest {
  std::vector<BatchItem<Request>> items;
  // The whole batch is invalidInput when `items` was missing (the reply has
  // no rows), or when it names a session (a non-zero transactionId) and is
  // not a delete-many that may run in it (every row is invalidInput).
  bool items_missing = false;
  bool transactional = false;
  // delete-many in a session (TRANSACTIONS.md §2): the session, from the
  // top-level coordinatorKey and operation id and the transactionId given
  // at the top level or on the items; and why it cannot run in it (no
  // coordinatorKey, items naming different sessions), empty when it can.
  TxContext session{};
  std::string session_problem;
};

DecodeResult decode_set_many(const rapidjson::Value& body, BatchRequest<KvSetRequest>& out);
// Also in a session, when the batch names one.
DecodeResult decode_delete_many(const rapidjson::Value& body, BatchRequest<KvKeyRequest>& out);
DecodeResult decode_get_many(const rapidjson::Value& body,
                             BatchRequest<KvGetRequest>& out);  // also exists-many

struct BatchRow {
  std::string key;
  KvReply reply;
  std::int64_t durability = 0;
  std::optional<RouteHint> route;
};

// The envelope code of a batch that ran: set-many 0, delete-many 4,
// get-many and exists-many 3.
KvCode batch_success_code(wire::Opcode verb);

// Routes are listed once each in `routes`; every row points at its own
// with a 1-based routeIndex (0 = none).
std::string encode_batch_reply(wire::Opcode verb, KvCode envelope, const std::vector<BatchRow>& rows,
                               std::int64_t elapsed_ms);

}  // namespace kahuna::http
