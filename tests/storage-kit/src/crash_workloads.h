// The two workloads the crash tests run in a child process that the parent
// SIGKILLs at a random moment, and the data both sides derive from a seed.
//
// durable: record i is the key durable_key(i) with durable_value(seed, i),
//   written alone with sync=true; the child acknowledges i once write()
//   returned. Every acknowledged record must survive the kill.
// atomic: batch b (atomic_batch) puts kAtomicKeys keys of about 1 MiB in
//   all, deletes by range the keys of batch b-2, deletes the marker of
//   batch b-1, puts its own marker and sets the key atomic_last() to b. The
//   child acknowledges b once write() returned. After the kill exactly the
//   batches L-1 and L (L = the value of atomic_last()) must be present, each
//   whole, with the marker of L alone.
// unlogged: record i puts kUnloggedKeys keys (unlogged_key) with log=false,
//   except every fourth, which is logged (sync=false). The child sends
//   unlogged_write_ack(i) once write() returned and, after every
//   kUnloggedCheckpointEvery records, calls checkpoint() and sends
//   unlogged_checkpoint_ack(i) once it returned. After the kill every
//   checkpointed record and every acknowledged logged one must be there,
//   each record whole or not at all, and no unlogged record without every
//   record before it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <kahuna/write_batch.h>

namespace kahuna::testkit {

// The hidden first argument that makes the program a crash-test child.
inline constexpr std::string_view kChildFlag = "--storage-conformance-child";

inline constexpr std::string_view kDurableWorkload = "durable";
inline constexpr std::string_view kAtomicWorkload = "atomic";
inline constexpr std::string_view kUnloggedWorkload = "unlogged";

std::string durable_key(std::uint64_t index);
std::string durable_value(std::uint64_t seed, std::uint64_t index);

inline constexpr int kAtomicKeys = 300;
inline constexpr std::string_view kAtomicPrefix = "atomic/";
std::string atomic_key(std::uint64_t batch, int index);
std::string atomic_value(std::uint64_t seed, std::uint64_t batch, int index);
std::string atomic_marker(std::uint64_t batch);
std::string atomic_last();
WriteBatch atomic_batch(std::uint64_t seed, std::uint64_t batch);
bool atomic_batch_syncs(std::uint64_t batch);

inline constexpr int kUnloggedKeys = 4;
inline constexpr std::uint64_t kUnloggedCheckpointEvery = 64;
inline constexpr std::string_view kUnloggedPrefix = "unlogged/";
std::string unlogged_key(std::uint64_t record, int index);
std::string unlogged_value(std::uint64_t seed, std::uint64_t record, int index);
WriteBatch unlogged_batch(std::uint64_t seed, std::uint64_t record);
bool unlogged_record_is_logged(std::uint64_t record);
// What the child sends: a write acknowledged, or a checkpoint that returned
// after the write of `record`.
inline std::uint64_t unlogged_write_ack(std::uint64_t record) { return 2 * record; }
inline std::uint64_t unlogged_checkpoint_ack(std::uint64_t record) { return 2 * record + 1; }

// Runs the child side: argv = program, kChildFlag, workload, plugin file,
// options file, data dir, seed, first record. Writes until killed (or a
// million records); returns the process exit code.
int run_crash_child(int argc, char** argv);

}  // namespace kahuna::testkit
