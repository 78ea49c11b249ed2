#include "storage/data_directory.h"

#include <fstream>

#include <gtest/gtest.h>

#include "scratch_directory.h"

namespace kahuna {
namespace {

class DataDirectoryTest : public ScratchDirectoryTest {
 protected:
  DataDirectoryTest() : ScratchDirectoryTest("kahuna-datadir-test") {}

  void SetUp() override { ASSERT_TRUE(check_data_directory(dir_)); }
};

TEST_F(DataDirectoryTest, TheFirstClaimWritesTheIdentityAndLaterClaimsCheckIt) {
  ASSERT_TRUE(claim_data_directory(dir_, {7, "rocksdb", 1}));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "KAHUNA"));
  EXPECT_TRUE(claim_data_directory(dir_, {7, "rocksdb", 1}));

  const Status other_node = claim_data_directory(dir_, {8, "rocksdb", 1});
  EXPECT_EQ(other_node.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other_node.message().find("belongs to node 7, but this is node 8"), std::string::npos)
      << other_node.message();

  const Status other_engine = claim_data_directory(dir_, {7, "lmdb", 1});
  EXPECT_NE(other_engine.message().find(
                "was written by the 'rocksdb' storage engine, but storage.plugin is 'lmdb'"),
            std::string::npos)
      << other_engine.message();

  const Status other_format = claim_data_directory(dir_, {7, "rocksdb", 2});
  EXPECT_NE(other_format.message().find("format 1"), std::string::npos) << other_format.message();
}

TEST_F(DataDirectoryTest, ARaftLogCannotChangeFormInPlace) {
  ASSERT_TRUE(claim_data_directory(dir_, {7, "rocksdb", 1, "segmented"}));
  const Status other_log = claim_data_directory(dir_, {7, "rocksdb", 1, "engine"});
  EXPECT_EQ(other_log.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other_log.message().find("keeps its Raft log in the 'segmented' form, but raft.log is 'engine'"),
            std::string::npos)
      << other_log.message();
}

TEST_F(DataDirectoryTest, ADirectoryFromBeforeTheSegmentedLogKeepsItsLogInTheEngine) {
  std::ofstream(dir_ / "KAHUNA") << "node_id = 7\nengine = \"rocksdb\"\nformat = 1\n";
  EXPECT_TRUE(claim_data_directory(dir_, {7, "rocksdb", 1, "engine"}));
  EXPECT_EQ(claim_data_directory(dir_, {7, "rocksdb", 1, "segmented"}).code(), StatusCode::kInvalidArgument);
}

TEST_F(DataDirectoryTest, StorageFilesWithoutIdentityAreRefused) {
  std::filesystem::create_directories(storage_directory(dir_));
  std::ofstream(storage_directory(dir_) / "000001.log") << "data";
  const Status status = claim_data_directory(dir_, {1, "rocksdb", 1});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("no KAHUNA identity file"), std::string::npos) << status.message();
}

TEST_F(DataDirectoryTest, ADamagedIdentityFileIsCorruption) {
  std::ofstream(dir_ / "KAHUNA") << "node_id = [";
  EXPECT_EQ(claim_data_directory(dir_, {1, "rocksdb", 1}).code(), StatusCode::kCorruption);
  std::ofstream(dir_ / "KAHUNA", std::ios::trunc) << "node_id = 1\n";
  EXPECT_EQ(claim_data_directory(dir_, {1, "rocksdb", 1}).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace kahuna
