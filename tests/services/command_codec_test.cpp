// The command codec: every command round-trips; truncated, mutated, forged
// and random inputs are refused without crashing or reading out of bounds
// (run under the sanitizers to check the latter).
#include "services/commands/command_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "services/codec/byte_reader.h"
#include "services/codec/byte_writer.h"
#include "services/kv/kv_record.h"
#include "services/locks/lock_record.h"
#include "services/partition/snapshot_image.h"
#include "services/sequences/sequence_record.h"
#include "services/storage/key_layout.h"
#include "services/tx/tx_records.h"

namespace kahuna::services {
namespace {

std::vector<Command> every_command() {
  const HlcTimestamp stamp{-3, 1795623331488, 4294967295u};
  KvSet set{"users/7", std::string("v\0x", 3), std::nullopt, -1, 1000, kSetIfEqualToRevision};
  KvSet null_set{"k", std::nullopt, std::string(), 0, 0, 0};
  SequenceUpdate update{"s"};
  update.current_value = std::numeric_limits<std::int64_t>::min();
  update.max_value = std::numeric_limits<std::int64_t>::max();
  update.remove_block_size = true;
  return {
      {stamp, LockTryLock{"orders/42", "owner-a", 10000}},
      {stamp, LockTryExtend{"r", "o", 1}},
      {stamp, LockUnlock{"r", "o"}},
      {stamp, set},
      {stamp, null_set},
      {stamp, KvDelete{"k"}},
      {stamp, KvExtend{"k", 5}},
      {stamp, KvSetMany{{set, null_set}}},
      {stamp, KvSetMany{}},
      {stamp, KvDeleteMany{{"a", "", "c"}}},
      {stamp, KvExpire{"k", 42}},
      {stamp, SequenceCreate{"s", -5, 3, 100, 7}},
      {stamp, SequenceCreate{"s", 0, 1, std::nullopt, std::nullopt}},
      {stamp, update},
      {stamp, SequenceDelete{"s"}},
      {stamp, SequenceReserveBlock{"s", 10, 1000}},
      {stamp, SequenceNext{"s", std::string("idem")}},
      {stamp, SequenceNext{"s", std::nullopt}},
      {stamp, SequenceReserveRange{"s", 5, std::string()}},
      {stamp, TxPrepare{stamp,
                        HlcTimestamp{1, 2, 3},
                        0xFFFFFFFFu,
                        {TxWrite{"a", TxWriteKind::kSet, std::string("v"), 10, false},
                         TxWrite{"b", TxWriteKind::kDelete, std::nullopt, 0, true}},
                        {TxRead{"c", -1, false}, TxRead{"d", 7, true}},
                        {0, 7, 0xFFFFFFFFu}}},
      {stamp, TxPrepare{}},
      {stamp, TxDecide{stamp, true}},
      {stamp, TxResolve{stamp, true, HlcTimestamp{2, 3, 4}, {"a", ""}}},
      {stamp, TxCommitLocal{stamp, {TxWrite{"a"}}, {TxRead{"a", 3, true}}}},
      {stamp, TxForget{stamp}},
      {stamp, TxDecideResolve{stamp, true, {"a", "b"}}},
      // With request ids (format 2), at the edges of their ranges.
      {stamp, set, RequestId{0xFFFFFFFFFFFFFFFFull, 1, 0}},
      {stamp, LockUnlock{"r", "o"}, RequestId{0, 7, 0xFFFFFFFFu}},
      {stamp, KvSetMany{{set}}, RequestId{42, 0xFFFFFFFFFFFFFFFFull, 3}},
  };
}

TEST(CommandCodec, EveryCommandRoundTrips) {
  for (const auto& command : every_command()) {
    const std::string bytes = encode_command(command);
    Command back;
    ASSERT_TRUE(decode_command(bytes, back).is_ok()) << static_cast<int>(command_type(command.body));
    EXPECT_EQ(back, command);
  }
}

TEST(CommandCodec, TypeNumbersAreStable) {
  const auto commands = every_command();
  EXPECT_EQ(static_cast<int>(command_type(commands[0].body)), 1);
  EXPECT_EQ(encode_command(commands[0])[0], 1);  // format
  EXPECT_EQ(encode_command(commands[0])[1], 1);  // type
  EXPECT_EQ(static_cast<int>(command_type(KvSet{})), 10);
  EXPECT_EQ(static_cast<int>(command_type(SequenceReserveRange{})), 25);
  EXPECT_EQ(static_cast<int>(command_type(TxPrepare{})), 40);
  EXPECT_EQ(static_cast<int>(command_type(TxForget{})), 44);
  EXPECT_EQ(static_cast<int>(command_type(TxDecideResolve{})), 45);
}

TEST(CommandCodec, EveryTruncationIsRefused) {
  for (const auto& command : every_command()) {
    const std::string bytes = encode_command(command);
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      Command out;
      EXPECT_FALSE(decode_command(std::string_view(bytes).substr(0, size), out).is_ok()) << size;
    }
  }
}

TEST(CommandCodec, TrailingBytesAreRefused) {
  std::string bytes = encode_command(every_command()[0]);
  bytes.push_back('\0');
  Command out;
  const Status status = decode_command(bytes, out);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
}

TEST(CommandCodec, UnknownFormatOrTypeIsRefused) {
  std::string bytes = encode_command(every_command()[0]);
  Command out;
  for (int format : {0, 3, 255}) {
    bytes[0] = static_cast<char>(format);
    EXPECT_FALSE(decode_command(bytes, out).is_ok()) << format;
  }
  bytes[0] = 1;
  for (int type : {0, 4, 9, 16, 19, 26, 255}) {
    bytes[1] = static_cast<char>(type);
    EXPECT_FALSE(decode_command(bytes, out).is_ok()) << type;
  }
}

// Old logs hold format 1 only: a command without a request id is still
// written that way, and one with an id never is (it would lose the id).
TEST(CommandCodec, RequestIdsTravelInFormatTwoOnly) {
  const HlcTimestamp stamp{1, 2, 3};
  EXPECT_EQ(encode_command(Command{stamp, KvDelete{"k"}})[0], kCommandFormat);
  EXPECT_EQ(encode_command(Command{stamp, KvDelete{"k"}, RequestId{1, 2, 0}})[0],
            kCommandFormatWithRequestId);
  // The id's part alone does not make an id: it is absent, and format 1 holds it.
  EXPECT_EQ(encode_command(Command{stamp, KvDelete{"k"}, RequestId{0, 0, 5}})[0], kCommandFormat);
}

TEST(CommandCodec, FormatTwoWithAnEmptyRequestIdIsRefused) {
  // Hand-made: format 2, KvDelete, the stamp, an all-zero id, then the body.
  ByteWriter w;
  w.u8(kCommandFormatWithRequestId);
  w.u8(static_cast<std::uint8_t>(CommandType::kKvDelete));
  w.hlc(HlcTimestamp{1, 2, 3});
  w.varint(0);
  w.varint(0);
  w.varint(0);
  w.bytes("k");
  Command out;
  EXPECT_EQ(decode_command(w.data(), out).code(), StatusCode::kCorruption);
}

TEST(CommandCodec, ForgedLengthsAndCountsAreRefusedWithoutAllocating) {
  ByteWriter w;
  w.u8(kCommandFormat);
  w.u8(static_cast<std::uint8_t>(CommandType::kKvDeleteMany));
  w.hlc(HlcTimestamp{});
  w.varint(std::numeric_limits<std::uint64_t>::max());  // a count of 2^64 - 1
  w.bytes("only one");
  Command out;
  EXPECT_FALSE(decode_command(w.data(), out).is_ok());

  ByteWriter huge;
  huge.u8(kCommandFormat);
  huge.u8(static_cast<std::uint8_t>(CommandType::kKvDelete));
  huge.hlc(HlcTimestamp{});
  huge.varint(std::uint64_t{1} << 62);  // a key "longer" than the input
  EXPECT_FALSE(decode_command(huge.data(), out).is_ok());
}

TEST(CommandCodec, MutatedEncodingsNeverCrash) {
  std::mt19937 random(7);
  int decoded = 0;
  for (const auto& command : every_command()) {
    const std::string bytes = encode_command(command);
    for (int round = 0; round < 500; ++round) {
      std::string mutated = bytes;
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = random() % mutated.size();
        switch (random() % 3) {
          case 0: mutated[at] = static_cast<char>(random()); break;
          case 1: mutated.erase(at, 1 + random() % 3); break;
          default: mutated.insert(at, 1, static_cast<char>(random())); break;
        }
        if (mutated.empty()) mutated.push_back('\x01');
      }
      Command out;
      if (decode_command(mutated, out).is_ok()) {
        ++decoded;
        // Whatever decodes re-encodes to exactly the same bytes.
        EXPECT_EQ(encode_command(out), mutated);
      }
    }
  }
  // Some mutations stay valid (e.g. a changed character of a key).
  EXPECT_GT(decoded, 0);
}

TEST(CommandCodec, RandomBytesNeverCrash) {
  std::mt19937 random(11);
  for (int round = 0; round < 20000; ++round) {
    std::string bytes(random() % 64, '\0');
    for (auto& c : bytes) c = static_cast<char>(random());
    if (!bytes.empty() && round % 2 == 0) bytes[0] = kCommandFormat;  // get past the first check
    Command out;
    (void)decode_command(bytes, out);
  }
}

TEST(ByteReader, VarintLimits) {
  ByteWriter w;
  w.varint(std::numeric_limits<std::uint64_t>::max());
  std::uint64_t value = 0;
  ByteReader ok(w.data());
  ASSERT_TRUE(ok.varint(value));
  EXPECT_EQ(value, std::numeric_limits<std::uint64_t>::max());
  EXPECT_TRUE(ok.done());
  // An eleventh byte, or a tenth byte above 1, overflows.
  const std::string eleven = std::string(10, '\xff') + '\x01';
  ByteReader too_long(eleven);
  EXPECT_FALSE(too_long.varint(value));
  const std::string big_tenth = std::string(9, '\xff') + '\x02';
  ByteReader overflow(big_tenth);
  const std::string zero_padded("\x80\x00", 2);
  ByteReader padded(zero_padded);
  EXPECT_FALSE(padded.varint(value));
  EXPECT_FALSE(overflow.varint(value));
  // A failed read poisons the reader.
  EXPECT_FALSE(overflow.ok());
  std::uint8_t byte = 0;
  EXPECT_FALSE(overflow.u8(byte));
}

TEST(ByteReader, SignedValuesRoundTrip) {
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, std::int64_t{-64}, std::int64_t{63},
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    ByteWriter w;
    w.svarint(v);
    ByteReader r(w.data());
    std::int64_t back = 0;
    ASSERT_TRUE(r.svarint(back));
    EXPECT_EQ(back, v);
  }
  ByteWriter small;
  small.svarint(-1);
  EXPECT_EQ(small.data().size(), 1u);
}

TEST(ByteReader, BooleansAreZeroOrOne) {
  bool flag = false;
  const std::string two_byte(1, '\x02');
  ByteReader two(two_byte);
  EXPECT_FALSE(two.boolean(flag));
}

TEST(ByteReader, IntInRangeRefusesOutOfRange) {
  ByteWriter w;
  w.svarint(std::int64_t{1} << 40);
  ByteReader r(w.data());
  std::int32_t narrow = 0;
  EXPECT_FALSE(r.int_in_range(narrow));
}

TEST(RecordCodecs, RoundTripAndRefuseGarbage) {
  const LockRecord lock{"owner", HlcTimestamp{1, 2, 3}, 9};
  LockRecord lock_back;
  ASSERT_TRUE(decode_lock_record(encode_lock_record(lock), lock_back).is_ok());
  EXPECT_EQ(lock_back, lock);

  KvRecord kv;
  kv.state = KvRecord::State::kDeleted;
  kv.value = std::string("\0\1", 2);
  kv.revision = 5;
  kv.keep_history = false;
  KvRecord kv_back;
  ASSERT_TRUE(decode_kv_record(encode_kv_record(kv), kv_back).is_ok());
  EXPECT_EQ(kv_back, kv);

  SequenceRecord seq;
  seq.max_value = 10;
  seq.idempotency_next = 3;
  SequenceRecord seq_back;
  ASSERT_TRUE(decode_sequence_record(encode_sequence_record(seq), seq_back).is_ok());
  EXPECT_EQ(seq_back, seq);

  TxIntent intent{
      HlcTimestamp{1, 2, 3}, HlcTimestamp{1, 9, 0}, 4, TxWriteKind::kDelete, std::string("x"), 5, false};
  TxIntent intent_back;
  ASSERT_TRUE(decode_tx_intent(encode_tx_intent(intent), intent_back).is_ok());
  EXPECT_EQ(intent_back, intent);
  TxRecord record{TxState::kCommitted, HlcTimestamp{1, 9, 0}, HlcTimestamp{2, 8, 1}, {0, 3}};
  TxRecord record_back;
  ASSERT_TRUE(decode_tx_record(encode_tx_record(record), record_back).is_ok());
  EXPECT_EQ(record_back, record);
  // A state or kind this version does not know is refused.
  std::string unknown_state = encode_tx_record(record);
  unknown_state[1] = 3;
  EXPECT_FALSE(decode_tx_record(unknown_state, record_back).is_ok());

  // Every truncation of each record is refused by its own decoder.
  const auto each_cut = [](const std::string& bytes, auto&& decode) {
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      EXPECT_FALSE(decode(std::string_view(bytes).substr(0, size))) << size;
    }
  };
  each_cut(encode_lock_record(lock),
           [&](std::string_view in) { return decode_lock_record(in, lock_back).is_ok(); });
  each_cut(encode_kv_record(kv), [&](std::string_view in) { return decode_kv_record(in, kv_back).is_ok(); });
  each_cut(encode_sequence_record(seq),
           [&](std::string_view in) { return decode_sequence_record(in, seq_back).is_ok(); });
  IdempotencyEntry entry;
  each_cut(encode_idempotency_entry(IdempotencyEntry{1, 2, 2, 1, {}}),
           [&](std::string_view in) { return decode_idempotency_entry(in, entry).is_ok(); });
  IdempotencyOrder order;
  each_cut(encode_idempotency_order(IdempotencyOrder{"k", {}}),
           [&](std::string_view in) { return decode_idempotency_order(in, order).is_ok(); });
  std::string bad_state = encode_kv_record(kv);
  bad_state[1] = 7;
  EXPECT_FALSE(decode_kv_record(bad_state, kv_back).is_ok());
}

TEST(SnapshotImage, RefusesGarbage) {
  SnapshotImageWriter writer(5);
  writer.add(std::string(1, '\x01') + "res", "value");
  writer.add(std::string(1, '\x02') + "key", "value");
  const std::string image = writer.finish();
  std::vector<SnapshotEntry> entries;
  ASSERT_TRUE(decode_snapshot_image(image, 5, entries).is_ok());
  EXPECT_EQ(entries.size(), 2u);
  EXPECT_FALSE(decode_snapshot_image(image, 6, entries).is_ok());  // another partition
  for (std::size_t size = 0; size < image.size(); ++size) {
    EXPECT_FALSE(decode_snapshot_image(std::string_view(image).substr(0, size), 5, entries).is_ok());
  }
  std::mt19937 random(3);
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = image;
    mutated[random() % mutated.size()] ^= static_cast<char>(1 + random() % 255);
    EXPECT_FALSE(decode_snapshot_image(mutated, 5, entries).is_ok());
  }
  // Unordered keys are refused even with a valid checksum.
  SnapshotImageWriter unordered(5);
  unordered.add(std::string(1, '\x02') + "b", "");
  unordered.add(std::string(1, '\x02') + "a", "");
  EXPECT_FALSE(decode_snapshot_image(unordered.finish(), 5, entries).is_ok());
  // A family byte past the last one this version stores.
  SnapshotImageWriter unknown(5);
  unknown.add(std::string(1, static_cast<char>(static_cast<int>(kLastFamily) + 1)) + "x", "");
  EXPECT_FALSE(decode_snapshot_image(unknown.finish(), 5, entries).is_ok());
}

}  // namespace
}  // namespace kahuna::services
