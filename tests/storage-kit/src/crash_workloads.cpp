#include "crash_workloads.h"

#include <cstdlib>
#include <iostream>

#include <toml++/toml.h>

#include "child_process.h"
#include "conformance_env.h"
#include "kv_testing.h"

namespace kahuna::testkit {
namespace {

std::uint64_t spread(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed ^ (index + 0x9E3779B97F4A7C15ull);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string batch_prefix(std::uint64_t batch) {
  return numbered(std::string(kAtomicPrefix) + "b/", batch, 10) + "/";
}

}  // namespace

std::string durable_key(std::uint64_t index) { return numbered("durable/", index, 10); }

std::string durable_value(std::uint64_t seed, std::uint64_t index) {
  const std::uint64_t r = spread(seed, index);
  // Mostly small records, some of 64 KiB and more, which span pages.
  const std::size_t size = r % 10 == 0 ? 65536 + r % 4096 : 1 + r % 4096;
  return derived_value(seed, index, size);
}

std::string atomic_key(std::uint64_t batch, int index) {
  return batch_prefix(batch) + numbered("", static_cast<std::uint64_t>(index), 5);
}

std::string atomic_value(std::uint64_t seed, std::uint64_t batch, int index) {
  const std::uint64_t id = batch * kAtomicKeys + static_cast<std::uint64_t>(index);
  return derived_value(seed ^ 0xA70A70A7ull, id, 1024 + spread(seed, id) % 5120);
}

std::string atomic_marker(std::uint64_t batch) {
  return numbered(std::string(kAtomicPrefix) + "m/", batch, 10);
}

std::string atomic_last() { return std::string(kAtomicPrefix) + "last"; }

bool atomic_batch_syncs(std::uint64_t batch) { return batch % 2 == 1; }

WriteBatch atomic_batch(std::uint64_t seed, std::uint64_t batch) {
  WriteBatch out;
  for (int j = 0; j < kAtomicKeys; ++j) {
    out.put(atomic_key(batch, j), atomic_value(seed, batch, j));
    if (j == kAtomicKeys / 2 && batch >= 2) {
      // Mid-batch, so that a torn batch would show as a half-done deletion.
      const std::string old = batch_prefix(batch - 2);
      std::string end = old;
      end.back() = '0';  // '/' + 1: the end of every key under `old`
      out.remove_range(old, end);
    }
  }
  if (batch >= 1) out.remove(atomic_marker(batch - 1));
  out.put(atomic_marker(batch), "marker");
  out.put(atomic_last(), std::to_string(batch));
  return out;
}

std::string unlogged_key(std::uint64_t record, int index) {
  return numbered(kUnloggedPrefix, record, 10) + "/" + std::to_string(index);
}

std::string unlogged_value(std::uint64_t seed, std::uint64_t record, int index) {
  const std::uint64_t id = record * kUnloggedKeys + static_cast<std::uint64_t>(index);
  return derived_value(seed ^ 0x0770660Dull, id, 16 + spread(seed, id) % 2048);
}

WriteBatch unlogged_batch(std::uint64_t seed, std::uint64_t record) {
  WriteBatch out;
  for (int j = 0; j < kUnloggedKeys; ++j) out.put(unlogged_key(record, j), unlogged_value(seed, record, j));
  return out;
}

bool unlogged_record_is_logged(std::uint64_t record) { return record % 4 == 3; }

int run_crash_child(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "crash child: expected 6 arguments after " << kChildFlag << "\n";
    return 2;
  }
  const std::string_view workload = argv[2];
  const std::uint64_t seed = std::strtoull(argv[6], nullptr, 10);
  const std::uint64_t first = std::strtoull(argv[7], nullptr, 10);
  toml::table options;
  try {
    options = toml::parse_file(argv[4]);
  } catch (const std::exception& e) {
    std::cerr << "crash child: cannot read options file " << argv[4] << ": " << e.what() << "\n";
    return 2;
  }
  PluginObject<StorageEngine> engine;
  if (Status s = open_engine(argv[3], options, argv[5], engine); !s.is_ok()) {
    std::cerr << "crash child: cannot open the engine: " << s.to_string() << "\n";
    return 2;
  }
  for (std::uint64_t i = first; i < first + 1'000'000; ++i) {
    WriteBatch batch;
    WriteOptions write_options;
    if (workload == kDurableWorkload) {
      batch.put(durable_key(i), durable_value(seed, i));
      write_options.sync = true;
    } else if (workload == kAtomicWorkload) {
      batch = atomic_batch(seed, i);
      write_options.sync = atomic_batch_syncs(i);
    } else if (workload == kUnloggedWorkload) {
      batch = unlogged_batch(seed, i);
      write_options.sync = false;
      write_options.log = unlogged_record_is_logged(i);
    } else {
      std::cerr << "crash child: unknown workload " << workload << "\n";
      return 2;
    }
    if (Status s = engine->write(batch, write_options); !s.is_ok()) {
      std::cerr << "crash child: write " << i << " failed: " << s.to_string() << "\n";
      return 3;
    }
    if (workload != kUnloggedWorkload) {
      if (!send_record(i)) return 0;  // the parent stopped listening
      continue;
    }
    if (!send_record(unlogged_write_ack(i))) return 0;
    if ((i + 1) % kUnloggedCheckpointEvery == 0) {
      if (Status s = engine->checkpoint(); !s.is_ok()) {
        std::cerr << "crash child: checkpoint after write " << i << " failed: " << s.to_string() << "\n";
        return 3;
      }
      if (!send_record(unlogged_checkpoint_ack(i))) return 0;
    }
  }
  return 0;
}

}  // namespace kahuna::testkit
