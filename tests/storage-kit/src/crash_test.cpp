// Crash tests: a child process (this program, started again with a hidden
// flag, see crash_workloads.h) writes and acknowledges each write to the
// parent through a pipe; the parent SIGKILLs it at a random moment, reopens
// the engine and checks what survived.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "child_process.h"
#include "conformance_env.h"
#include "crash_workloads.h"
#include "kv_testing.h"
#include "link_anchors.h"

namespace kahuna::testkit {
namespace anchors {
void crash_tests() {}
}  // namespace anchors
namespace {

using namespace std::chrono_literals;

class StorageCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    rng_.seed(test_seed());
    seed_ = rng_();
    data_dir_ = temp_.path() / "engine";
    std::filesystem::create_directory(data_dir_);
    // The child gets the run's options as a file, as a server would.
    options_file_ = temp_.path() / "options.toml";
    std::ofstream(options_file_) << settings().options << "\n";
  }

  // Runs `workload` from record `first` in a child, SIGKILLs it after
  // `acks` acknowledgements and a further `delay`, and returns every
  // record it acknowledged.
  std::vector<std::uint64_t> run_child(std::string_view workload, std::uint64_t first, int acks,
                                       std::chrono::microseconds delay) {
    std::vector<std::uint64_t> acked;
    ChildProcess child;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const Status started = child.start(
        self, {self, std::string(kChildFlag), std::string(workload), settings().plugin.string(),
               options_file_.string(), data_dir_.string(), std::to_string(seed_), std::to_string(first)});
    EXPECT_TRUE(started.is_ok()) << started.to_string();
    if (!started.is_ok()) return acked;
    std::uint64_t record = 0;
    while (static_cast<int>(acked.size()) < acks) {
      const auto read = child.read_record(record, 60s);
      if (read != ChildProcess::Read::kRecord) {
        ADD_FAILURE() << "the child " << (read == ChildProcess::Read::kEnd ? "ended" : "stalled") << " after "
                      << acked.size() << " acknowledgements (see its stderr)";
        return acked;
      }
      acked.push_back(record);
    }
    std::this_thread::sleep_for(delay);
    child.kill();
    // Records sent before the kill are acknowledged writes too.
    for (;;) {
      const auto read = child.read_record(record, 60s);
      if (read == ChildProcess::Read::kRecord) {
        acked.push_back(record);
        continue;
      }
      EXPECT_EQ(read, ChildProcess::Read::kEnd) << "the killed child's pipe stayed open";
      break;
    }
    const int status = child.wait();
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended on its own before the kill (exit status " << status << ")";
    return acked;
  }

  Status open(PluginObject<StorageEngine>& engine) { return open_engine(data_dir_, engine); }

  TempDir temp_;
  std::filesystem::path data_dir_;
  std::filesystem::path options_file_;
  std::mt19937_64 rng_;
  std::uint64_t seed_ = 0;
};

TEST_F(StorageCrash, AcknowledgedSyncWritesSurviveKill) {
  std::uint64_t next = 0;
  std::set<std::uint64_t> acked;
  for (int round = 0; round < 4; ++round) {
    const int acks = 10 + static_cast<int>(rng_() % 70);
    const auto delay = std::chrono::microseconds(rng_() % 3000);
    for (std::uint64_t r : run_child(kDurableWorkload, next, acks, delay)) acked.insert(r);
    ASSERT_FALSE(HasFailure());
    ASSERT_FALSE(acked.empty());

    PluginObject<StorageEngine> engine;
    const Status opened = open(engine);
    ASSERT_TRUE(opened.is_ok()) << "reopening after the kill: " << opened.to_string();
    for (std::uint64_t i : acked) {
      std::string value;
      const Status status = engine->get(durable_key(i), value);
      ASSERT_TRUE(status.is_ok()) << "acknowledged record " << i << " is lost (round " << round
                                  << "): " << status.to_string();
      ASSERT_TRUE(value == durable_value(seed_, i))
          << "acknowledged record " << i << " has a different value";
    }
    // One write at most was in flight at the kill: it may be there or not,
    // but whole, and nothing after it can be.
    IteratorOptions options;
    options.lower_bound = "durable/";
    options.upper_bound = "durable0";
    std::uint64_t present = 0;
    std::unique_ptr<Iterator> it = engine->iterator(options);
    for (it->seek_to_first(); it->valid(); it->next(), ++present) {
      ASSERT_EQ(it->key(), durable_key(present)) << "records are missing before this one";
      ASSERT_TRUE(it->value() == durable_value(seed_, present)) << "record " << present;
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
    EXPECT_LE(present, *acked.rbegin() + 2) << "records that were never written are present";
    next = present;
  }
}

TEST_F(StorageCrash, BatchesSurviveKillWholeOrNotAtAll) {
  std::uint64_t next = 0;
  std::optional<std::uint64_t> max_acked;
  for (int round = 0; round < 5; ++round) {
    const int acks = 1 + static_cast<int>(rng_() % 4);
    const auto delay = std::chrono::microseconds(rng_() % 20000);
    for (std::uint64_t b : run_child(kAtomicWorkload, next, acks, delay)) {
      max_acked = std::max(max_acked.value_or(0), b);
    }
    ASSERT_FALSE(HasFailure());

    PluginObject<StorageEngine> engine;
    const Status opened = open(engine);
    ASSERT_TRUE(opened.is_ok()) << "reopening after the kill: " << opened.to_string();
    std::string last_text;
    const Status got = engine->get(atomic_last(), last_text);
    ASSERT_TRUE(got.is_ok()) << "the last batch's key is missing: " << got.to_string();
    const std::uint64_t last = std::stoull(last_text);
    ASSERT_GE(last, *max_acked) << "an acknowledged batch is lost";
    ASSERT_LE(last, *max_acked + 1) << "a batch that was never written is present";

    // Group everything under the workload's prefix by batch.
    std::map<std::uint64_t, int> keys_of_batch;
    std::set<std::string> markers;
    IteratorOptions options;
    options.lower_bound = std::string(kAtomicPrefix);
    options.upper_bound = std::string(kAtomicPrefix.substr(0, kAtomicPrefix.size() - 1)) + "0";
    std::unique_ptr<Iterator> it = engine->iterator(options);
    for (it->seek_to_first(); it->valid(); it->next()) {
      const std::string key(it->key());
      if (key.rfind(std::string(kAtomicPrefix) + "b/", 0) == 0) {
        const std::uint64_t batch = std::stoull(key.substr(kAtomicPrefix.size() + 2, 10));
        const int index = std::stoi(key.substr(kAtomicPrefix.size() + 13));
        ASSERT_EQ(key, atomic_key(batch, index));
        ASSERT_TRUE(it->value() == atomic_value(seed_, batch, index)) << printable(key);
        ++keys_of_batch[batch];
      } else if (key.rfind(std::string(kAtomicPrefix) + "m/", 0) == 0) {
        markers.insert(key);
      }
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();

    std::map<std::uint64_t, int> expected{{last, kAtomicKeys}};
    if (last >= 1) expected[last - 1] = kAtomicKeys;
    for (const auto& [batch, count] : keys_of_batch) {
      EXPECT_TRUE(expected.count(batch))
          << "batch " << batch << " should be gone (last " << last << "), " << count << " of its keys remain";
    }
    for (const auto& [batch, count] : expected) {
      EXPECT_EQ(keys_of_batch[batch], count)
          << "batch " << batch << " is partly applied (last " << last << ")";
    }
    EXPECT_EQ(markers, std::set<std::string>{atomic_marker(last)})
        << "the markers show a partly applied batch";
    ASSERT_FALSE(HasFailure()) << "round " << round;
    next = last + 1;
  }
}

// Unlogged writes may be lost by a kill, but only from the end: whatever
// survives is a prefix of the writes, whole batches only, and includes
// everything a checkpoint covered and every logged write.
TEST_F(StorageCrash, UnloggedWritesSurviveKillAsAPrefix) {
  std::uint64_t next = 0;
  for (int round = 0; round < 4; ++round) {
    const std::uint64_t first = next;
    const int acks = 20 + static_cast<int>(rng_() % 300);
    const auto delay = std::chrono::microseconds(rng_() % 3000);
    std::set<std::uint64_t> written;
    std::optional<std::uint64_t> checkpointed;  // every record up to it
    for (std::uint64_t ack : run_child(kUnloggedWorkload, first, acks, delay)) {
      const std::uint64_t record = ack / 2;
      if (ack == unlogged_checkpoint_ack(record)) {
        checkpointed = std::max(checkpointed.value_or(0), record);
      } else {
        written.insert(record);
      }
    }
    ASSERT_FALSE(HasFailure());
    ASSERT_FALSE(written.empty());

    PluginObject<StorageEngine> engine;
    const Status opened = open(engine);
    ASSERT_TRUE(opened.is_ok()) << "reopening after the kill: " << opened.to_string();

    // The records of this round that survived, each checked whole.
    std::map<std::uint64_t, int> keys_of_record;
    IteratorOptions options;
    options.lower_bound = numbered(kUnloggedPrefix, first, 10);
    options.upper_bound = std::string(kUnloggedPrefix.substr(0, kUnloggedPrefix.size() - 1)) + "0";
    std::unique_ptr<Iterator> it = engine->iterator(options);
    for (it->seek_to_first(); it->valid(); it->next()) {
      const std::string key(it->key());
      const std::uint64_t record = std::stoull(key.substr(kUnloggedPrefix.size(), 10));
      const int index = std::stoi(key.substr(kUnloggedPrefix.size() + 11));
      ASSERT_EQ(key, unlogged_key(record, index));
      ASSERT_TRUE(it->value() == unlogged_value(seed_, record, index)) << printable(key);
      ++keys_of_record[record];
    }
    ASSERT_TRUE(it->status().is_ok()) << it->status().to_string();
    for (const auto& [record, count] : keys_of_record) {
      ASSERT_EQ(count, kUnloggedKeys) << "record " << record << " is partly there (round " << round << ")";
    }
    auto present = [&](std::uint64_t record) { return keys_of_record.count(record) != 0; };

    const std::uint64_t last_written = *written.rbegin();
    if (checkpointed) {
      for (std::uint64_t r = first; r <= *checkpointed; ++r) {
        ASSERT_TRUE(present(r)) << "record " << r << " is lost though a checkpoint after record "
                                << *checkpointed << " returned (round " << round << ")";
      }
    }
    for (std::uint64_t r : written) {
      if (unlogged_record_is_logged(r)) {
        ASSERT_TRUE(present(r)) << "acknowledged logged record " << r << " is lost (round " << round << ")";
      }
    }
    std::optional<std::uint64_t> last_unlogged;
    for (const auto& [record, count] : keys_of_record) {
      if (!unlogged_record_is_logged(record)) last_unlogged = record;
    }
    if (last_unlogged) {
      for (std::uint64_t r = first; r < *last_unlogged; ++r) {
        ASSERT_TRUE(present(r)) << "unlogged record " << *last_unlogged << " survived but record " << r
                                << " before it is lost (round " << round << ")";
      }
    }
    const std::uint64_t last_present = keys_of_record.empty() ? first : keys_of_record.rbegin()->first;
    ASSERT_LE(last_present, last_written + 1) << "records that were never written are present";
    next = std::max(last_written, last_present) + 1;
  }
}

}  // namespace
}  // namespace kahuna::testkit
