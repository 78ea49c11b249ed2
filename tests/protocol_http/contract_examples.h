// The HTTP-API.md §11 examples that the tests against the fake kernel and
// those against a real server both reproduce: their requests, and the
// parts of their replies that do not depend on the kernel behind them.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "json_expect.h"

namespace kahuna::testing {

// The transaction fields of a request made outside any transaction.
constexpr const char* kTx =
    R"("transactionId":{"n":0,"l":0,"c":0},"coordinatorKey":"","operationIdHigh":0,"operationIdLow":0)";

// try-get of users/8, a key no example writes.
inline std::string get_missing_key_body() {
  return std::string("{") + kTx +
         R"(,"key":"users/8","revision":-1,"readTimestamp":{"n":0,"l":0,"c":0},"durability":1})";
}

// try-delete-many of an invalid (empty) key and of users/7.
constexpr const char* kDeleteManyBody =
    R"({"items":[{"transactionId":{"n":0,"l":0,"c":0},"key":"","durability":1},
                 {"transactionId":{"n":0,"l":0,"c":0},"key":"users/7","durability":1}]})";

// The second try-set of users/7 with setIfNotExists: refused, and the
// revision is the first one's.
inline void expect_not_set_again(const rapidjson::Value& reply) {
  EXPECT_EQ(int_of(reply, "type"), 1);
  EXPECT_EQ(string_of(reply, "typeName"), "notSet");
  EXPECT_EQ(int_of(reply, "revision"), 0);
}

// users/7's row of the delete-many reply: deleted at revision 1, and routed
// by the reply's first route (the invalid key has none).
inline void expect_users_7_deleted(const rapidjson::Value& row) {
  EXPECT_EQ(string_of(row, "key"), "users/7");
  EXPECT_EQ(int_of(row, "type"), 4);
  EXPECT_EQ(int_of(row, "revision"), 1);
  EXPECT_EQ(int_of(row, "durability"), 1);
  EXPECT_EQ(int_of(row, "routeIndex"), 1);
}

// The sequence "invoices" as the example creates it (from 0 by 1, with no
// maximum and no block size), after one reservation.
inline void expect_invoices_after_a_reservation(const rapidjson::Value& sequence) {
  EXPECT_EQ(string_of(sequence, "name"), "invoices");
  EXPECT_EQ(int_of(sequence, "initialValue"), 0);
  EXPECT_EQ(int_of(sequence, "increment"), 1);
  EXPECT_TRUE(is_null(sequence, "maxValue"));
  EXPECT_TRUE(is_null(sequence, "blockSize"));
  EXPECT_EQ(int_of(sequence, "incarnation"), 0);
  EXPECT_EQ(int_of(sequence, "revision"), 1);
}

}  // namespace kahuna::testing
