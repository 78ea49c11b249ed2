// The session form of each plain verb that has one (TRANSACTIONS.md §2).
//
// Over HTTP a verb and its session form share one path; a body with a
// non-zero transactionId (names_a_session) is the session form. Its reply
// has the plain verb's JSON shape, so the handler encodes it with the plain
// verb's opcode. try-delete-many is the batch handler's (batch_handlers.cpp);
// the other batches and get-by-range have no session form.
#pragma once

#include <kahuna/wire/request.h>

namespace kahuna::http {

template <class Call>
struct SessionForm {};

template <>
struct SessionForm<wire::KvSet> {
  using Call = wire::TxKvSet;
};
template <>
struct SessionForm<wire::KvGet> {
  using Call = wire::TxKvGet;
};
template <>
struct SessionForm<wire::KvExists> {
  using Call = wire::TxKvExists;
};
template <>
struct SessionForm<wire::KvDelete> {
  using Call = wire::TxKvDelete;
};
template <>
struct SessionForm<wire::KvExtend> {
  using Call = wire::TxKvExtend;
};
template <>
struct SessionForm<wire::KvGetByBucket> {
  using Call = wire::TxKvGetByBucket;
};

template <class Call>
concept HasSessionForm = requires {
  typename SessionForm<Call>::Call;
};

}  // namespace kahuna::http
