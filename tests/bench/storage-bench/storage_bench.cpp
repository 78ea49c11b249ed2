// kahuna-storage-bench: what one durable write costs on this machine, per
// storage engine, and how much group commit recovers under concurrency.
//
//   build/bin/kahuna-storage-bench [--dir DIR] [google benchmark flags]
//
// Benchmarks (each engine is loaded through the plugin loader, as the server
// loads it, from build/lib/kahuna/plugins):
//   raw_fdatasync                   4 KiB write + fdatasync on a plain file:
//                                   the floor for any durable commit
//   <engine>/synced_commit          one 256-byte put per synced engine write
//   <engine>/group_commit/N         N coroutines each writing 256-byte puts
//                                   through the LogWriter, synced; reports
//                                   writes/s and fsyncs per write
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include <benchmark/benchmark.h>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <kahuna/plugin_loader.h>
#include <kahuna/storage_engine.h>

#include "storage/log_writer.h"

namespace {

namespace fs = std::filesystem;

fs::path bench_root = fs::temp_directory_path() / "kahuna-storage-bench";

struct OpenEngine {
  kahuna::PluginObject<kahuna::StorageEngine> engine;
  fs::path dir;
};

OpenEngine open_engine(const std::string& name, benchmark::State& state) {
  OpenEngine result;
  result.dir = bench_root / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(result.dir);
  fs::create_directories(result.dir);
  kahuna::LoadedPlugin plugin;
  const auto file = kahuna::plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, kahuna::PluginKind::kStorage, name);
  kahuna::Status status = kahuna::LoadedPlugin::open(file, kahuna::PluginKind::kStorage, plugin);
  if (status) status = plugin.create(kahuna::PluginContext{nullptr, result.dir.string()}, result.engine);
  if (!status) state.SkipWithError(status.to_string().c_str());
  return result;
}

void raw_fdatasync(benchmark::State& state) {
  fs::create_directories(bench_root);
  const fs::path file = bench_root / "raw-fdatasync";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::string block(4096, 'x');
  for (auto _ : state) {
    if (::pwrite(fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()) ||
        ::fdatasync(fd) != 0) {
      state.SkipWithError(std::strerror(errno));
      break;
    }
  }
  ::close(fd);
  fs::remove(file);
  state.SetItemsProcessed(state.iterations());
}

void synced_commit(benchmark::State& state, const std::string& engine_name) {
  OpenEngine open = open_engine(engine_name, state);
  if (!open.engine) return;
  const std::string value(256, 'v');
  std::uint64_t i = 0;
  for (auto _ : state) {
    kahuna::WriteBatch batch;
    batch.put("key/" + std::to_string(i++), value);
    if (kahuna::Status s = open.engine->write(batch, kahuna::WriteOptions{true}); !s) {
      state.SkipWithError(s.to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  open.engine.reset();
  fs::remove_all(open.dir);
}

// One iteration: `writers` coroutines each make `per_writer` synced writes
// through the LogWriter; the io_context runs on two threads, as a 2-core
// server would.
void group_commit(benchmark::State& state, const std::string& engine_name) {
  OpenEngine open = open_engine(engine_name, state);
  if (!open.engine) return;
  const int writers = static_cast<int>(state.range(0));
  const int per_writer = std::max(8, 4096 / writers);
  const std::string value(256, 'v');
  std::uint64_t failures = 0;
  std::uint64_t commits_before = 0;
  std::uint64_t writes = 0;
  std::uint64_t commits = 0;
  {
    kahuna::LogWriter log_writer(*open.engine);
    for (auto _ : state) {
      commits_before = log_writer.stats().synced_commits.load();
      asio::io_context io;
      for (int w = 0; w < writers; ++w) {
        asio::co_spawn(
            io,
            [&, w]() -> asio::awaitable<void> {
              for (int i = 0; i < per_writer; ++i) {
                kahuna::WriteBatch batch;
                batch.put("w" + std::to_string(w) + "/" + std::to_string(i), value);
                if (!co_await log_writer.write(std::move(batch), true)) ++failures;
              }
            },
            asio::detached);
      }
      std::thread helper([&io] { io.run(); });
      io.run();
      helper.join();
      writes += static_cast<std::uint64_t>(writers) * per_writer;
      commits += log_writer.stats().synced_commits.load() - commits_before;
    }
  }
  if (failures > 0) state.SkipWithError("some writes failed");
  state.SetItemsProcessed(static_cast<std::int64_t>(writes));
  state.counters["fsyncs_per_write"] = static_cast<double>(commits) / static_cast<double>(writes);
  open.engine.reset();
  fs::remove_all(open.dir);
}

}  // namespace

int main(int argc, char** argv) {
  // Our own flag first, then Google Benchmark's.
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--dir") {
      bench_root = argv[i + 1];
      for (int j = i; j + 2 <= argc; ++j) argv[j] = argv[j + 2];
      argc -= 2;
      break;
    }
  }
  benchmark::RegisterBenchmark("raw_fdatasync", raw_fdatasync)->UseRealTime()->MinTime(2.0);
  for (const std::string engine : {"rocksdb", "lmdb"}) {
    benchmark::RegisterBenchmark((engine + "/synced_commit").c_str(), synced_commit, engine)
        ->UseRealTime()
        ->MinTime(2.0);
    benchmark::RegisterBenchmark((engine + "/group_commit").c_str(), group_commit, engine)
        ->Arg(1)
        ->Arg(8)
        ->Arg(64)
        ->UseRealTime()
        ->MinTime(2.0)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
