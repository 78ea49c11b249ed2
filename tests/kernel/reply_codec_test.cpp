// The in-process encoding of applied commands' replies.
#include "services/commands/reply_codec.h"

#include <gtest/gtest.h>

namespace kahuna::services {
namespace {

TEST(ReplyCodec, EveryKindRoundTrips) {
  KvReply kv{KvCode::kGet, 7, HlcTimestamp{1, 2, 3}, std::string(), HlcTimestamp{4, 5, 6}};
  SequenceReply sequence{SequenceCode::kSuccess, 9};
  sequence.sequence =
      SequenceInfo{"s", 10, 0, 1, 99, std::nullopt, 2, 9, HlcTimestamp{1, 1, 1}, HlcTimestamp{}};
  sequence.allocation = SequenceAllocation{"s", 1, 3, 3, 9};
  const std::vector<Reply> replies = {
      LockReply{LockCode::kGot, 42, std::string("owner\0bytes", 11), HlcTimestamp{3, -1, 7}},
      kv,
      KvReply{KvCode::kDoesNotExist},
      KvBatchReply{{kv, KvReply{KvCode::kNotSet, -1}}},
      sequence,
      RejectedCommand{"bad"},
  };
  for (const Reply& reply : replies) {
    Reply decoded;
    ASSERT_TRUE(decode_reply(encode_reply(reply), decoded));
    EXPECT_EQ(decoded, reply);
  }
}

TEST(ReplyCodec, TruncatedOrGarbageBytesAreRefused) {
  const std::string bytes = encode_reply(KvReply{KvCode::kGet, 7, {}, std::string("value"), {}});
  Reply decoded;
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_FALSE(decode_reply(bytes.substr(0, size), decoded)) << size;
  }
  EXPECT_FALSE(decode_reply(bytes + "x", decoded));
  EXPECT_FALSE(decode_reply(std::string("\x09", 1), decoded));
  EXPECT_FALSE(decode_reply(std::string("\x03\xff\xff\xff\xff\x0f", 6), decoded));
}

}  // namespace
}  // namespace kahuna::services
