#include <kahuna/status.h>

#include <gtest/gtest.h>

namespace kahuna {
namespace {

TEST(Status, DefaultIsOkAndErrorsCarryCodeAndMessage) {
  EXPECT_TRUE(Status().is_ok());
  EXPECT_EQ(Status().to_string(), "ok");
  const Status full = Status::storage_full("map size limit of 64 MiB reached");
  EXPECT_FALSE(full.is_ok());
  EXPECT_EQ(full.code(), StatusCode::kStorageFull);
  EXPECT_EQ(full.to_string(), "storage full: map size limit of 64 MiB reached");
}

TEST(Status, EveryCodeHasAName) {
  for (int code = 0; code <= static_cast<int>(StatusCode::kInternal); ++code) {
    EXPECT_NE(to_string(static_cast<StatusCode>(code)), "unknown status") << code;
  }
}

}  // namespace
}  // namespace kahuna
