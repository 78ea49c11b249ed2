// Message and membership-entry codecs: round trips, and robustness against truncated,
// extended and random input.
#include "kahuna/raft/message_codec.h"

#include <gtest/gtest.h>

#include "kahuna/raft/conf_change.h"
#include "kahuna/raft/deterministic_random.h"

namespace kahuna::raft {
namespace {

Message full_message() {
  Message m;
  m.type = MessageType::kAppend;
  m.from = 3;
  m.to = 0xffffffffffffffffULL;
  m.term = 7;
  m.log_term = 6;
  m.index = 41;
  m.commit = 40;
  m.reject = true;
  m.reject_hint = 12;
  m.context = std::string("ctx\0with\0nul", 12);
  m.entries.push_back(Entry{6, 42, EntryType::kNormal, "hello"});
  m.entries.push_back(Entry{7, 43, EntryType::kConfChange, std::string(300, 'x')});
  Snapshot s;
  s.metadata.index = 40;
  s.metadata.term = 5;
  s.metadata.conf_state.voters = {1, 2, 3};
  s.metadata.conf_state.learners = {9};
  s.data = "state machine image";
  m.snapshot = s;
  return m;
}

TEST(MessageCodec, RoundTripsEveryField) {
  Message m = full_message();
  std::optional<Message> decoded = decode_message(encode_message(m));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, m);
}

TEST(MessageCodec, RoundTripsEveryTypeWithDefaults) {
  for (int t = static_cast<int>(MessageType::kVote); t <= static_cast<int>(kLastMessageType); ++t) {
    Message m;
    m.type = static_cast<MessageType>(t);
    m.from = 1;
    m.to = 2;
    std::optional<Message> decoded = decode_message(encode_message(m));
    ASSERT_TRUE(decoded.has_value()) << t;
    EXPECT_EQ(*decoded, m);
  }
}

TEST(MessageCodec, RejectsEveryTruncation) {
  const std::string bytes = encode_message(full_message());
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    EXPECT_FALSE(decode_message(std::string_view(bytes).substr(0, len)).has_value()) << len;
  }
}

TEST(MessageCodec, RejectsTrailingBytesAndBadEnums) {
  std::string bytes = encode_message(full_message());
  EXPECT_FALSE(decode_message(bytes + "x").has_value());
  std::string bad_version = bytes;
  bad_version[0] = 2;
  EXPECT_FALSE(decode_message(bad_version).has_value());
  std::string bad_type = bytes;
  bad_type[1] = 0;
  EXPECT_FALSE(decode_message(bad_type).has_value());
  bad_type[1] = static_cast<char>(static_cast<int>(kLastMessageType) + 1);
  EXPECT_FALSE(decode_message(bad_type).has_value());
}

TEST(MessageCodec, HugeCountsInGarbageDoNotAllocate) {
  // A header followed by an entry count of 2^32-1 and nothing else.
  Message m;
  m.from = 1;
  m.to = 2;
  std::string bytes = encode_message(m);
  // The entry count sits right after the (empty) context: patch it to 0xffffffff.
  const std::size_t count_at = 2 + 6 * 8 + 1 + 8 + 4;
  for (int i = 0; i < 4; ++i) bytes[count_at + i] = '\xff';
  EXPECT_FALSE(decode_message(bytes).has_value());
}

TEST(MessageCodec, RandomAndMutatedInputNeverCrashes) {
  DeterministicRandom random(7);
  const std::string valid = encode_message(full_message());
  int decoded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      bytes.resize(random.below(200));
      for (char& c : bytes) c = static_cast<char>(random.next());
      if (!bytes.empty()) bytes[0] = 1;  // get past the version byte sometimes
    } else {
      bytes = valid;
      for (int flips = 1 + random.below(4); flips > 0; --flips) {
        bytes[random.below(bytes.size())] = static_cast<char>(random.next());
      }
    }
    std::optional<Message> m = decode_message(bytes);
    if (m) {
      ++decoded;
      // Anything accepted must re-encode to the same bytes.
      EXPECT_EQ(encode_message(*m), bytes);
    }
  }
  EXPECT_GT(decoded, 0);
}

TEST(ConfChangeCodec, RoundTripAndGarbage) {
  ConfChangeEntry entry{ConfChange{ConfChangeType::kPromoteLearner, 4}, ConfState{{1, 2, 4}, {5}}};
  const std::string bytes = encode_conf_change_entry(entry);
  ASSERT_EQ(decode_conf_change_entry(bytes), entry);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    EXPECT_FALSE(decode_conf_change_entry(bytes.substr(0, len)).has_value());
  }
  EXPECT_FALSE(decode_conf_change_entry(bytes + "!").has_value());
  std::string unsorted = encode_conf_change_entry({entry.change, ConfState{{2, 1}, {}}});
  EXPECT_FALSE(decode_conf_change_entry(unsorted).has_value());
}

TEST(ConfChange, AppliesOnlyValidChanges) {
  ConfState conf{{1, 2, 3}, {4}};
  EXPECT_EQ(apply_conf_change(conf, {ConfChangeType::kAddLearner, 5}), (ConfState{{1, 2, 3}, {4, 5}}));
  EXPECT_FALSE(apply_conf_change(conf, {ConfChangeType::kAddLearner, 2}));
  EXPECT_EQ(apply_conf_change(conf, {ConfChangeType::kPromoteLearner, 4}), (ConfState{{1, 2, 3, 4}, {}}));
  EXPECT_FALSE(apply_conf_change(conf, {ConfChangeType::kPromoteLearner, 3}));
  EXPECT_EQ(apply_conf_change(conf, {ConfChangeType::kRemoveNode, 2}), (ConfState{{1, 3}, {4}}));
  EXPECT_EQ(apply_conf_change(conf, {ConfChangeType::kRemoveNode, 4}), (ConfState{{1, 2, 3}, {}}));
  EXPECT_FALSE(apply_conf_change(conf, {ConfChangeType::kRemoveNode, 7}));
  EXPECT_FALSE(apply_conf_change(ConfState{{1}, {}}, {ConfChangeType::kRemoveNode, 1}));
  EXPECT_FALSE(apply_conf_change(conf, {ConfChangeType::kAddLearner, kNoNode}));
}

}  // namespace
}  // namespace kahuna::raft
