// kahuna-raft-sim: runs the deterministic Raft simulation for one or many seeds.
//
//   kahuna-raft-sim --seed 12345 --nodes 5 -v      replay one seed, printing events
//   kahuna-raft-sim --seeds 2000                   seeds 1..2000 (the ctest run)
//   kahuna-raft-sim --seeds 100000 --first-seed 1  the long soak (see simulation.cc)
//
// Without --nodes, odd seeds run 3 nodes and even seeds 5. Every failing seed prints one
// line with the command that replays it. Exit status 0 only if every seed passed; a seed
// whose linearizability check could not finish even with the larger budget fails (see
// linearizability_check.h), and the summary counts the seeds that needed that budget.
// About half the seeds run with quiescence (Config::quiesce_ticks); the summary counts
// them and the ticks their leaders spent quiesced, and a run of at least
// kMinQuiescenceSeeds such seeds in which no leader ever quiesced fails: the feature
// would be going untested.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "simulation.h"

namespace {

constexpr std::uint64_t kMinQuiescenceSeeds = 10;

void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--seed S | --seeds N [--first-seed F]] [--nodes 3|5] "
               "[--steps K] [-v|-vv]\n",
               argv0);
}

bool parse_number(const char* text, std::uint64_t* out) {
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0') return false;
  *out = value;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t first_seed = 1;
  std::uint64_t seeds = 1;
  std::uint64_t nodes = 0;  // 0: by seed parity
  std::uint64_t steps = kahuna::raft::sim::SimOptions{}.steps;
  int verbose = 0;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    bool ok = true;
    if (std::strcmp(arg, "--seed") == 0) {
      ok = parse_number(value, &first_seed);
      seeds = 1;
      ++i;
    } else if (std::strcmp(arg, "--seeds") == 0) {
      ok = parse_number(value, &seeds);
      ++i;
    } else if (std::strcmp(arg, "--first-seed") == 0) {
      ok = parse_number(value, &first_seed);
      ++i;
    } else if (std::strcmp(arg, "--nodes") == 0) {
      ok = parse_number(value, &nodes) && nodes >= 1 && nodes <= 9;
      ++i;
    } else if (std::strcmp(arg, "--steps") == 0) {
      ok = parse_number(value, &steps);
      ++i;
    } else if (std::strcmp(arg, "-v") == 0) {
      verbose = 1;
    } else if (std::strcmp(arg, "-vv") == 0) {
      verbose = 2;
    } else {
      ok = false;
    }
    if (!ok) {
      usage(argv[0]);
      return 2;
    }
  }

  const auto started = std::chrono::steady_clock::now();
  std::uint64_t failed = 0;
  std::uint64_t committed = 0;
  std::uint64_t operations = 0;
  std::uint64_t searched = 0;
  std::uint64_t needed_larger_budget = 0;
  std::uint64_t role_changes = 0;
  std::uint64_t largest_search = 0;
  std::uint64_t quiescence_seeds = 0;
  std::uint64_t quiesced_ticks = 0;
  std::uint64_t quiescences = 0;
  for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
    kahuna::raft::sim::SimOptions options;
    options.seed = seed;
    options.nodes = static_cast<int>(nodes != 0 ? nodes : (seed % 2 == 0 ? 5 : 3));
    options.steps = static_cast<int>(steps);
    options.verbose = verbose;
    kahuna::raft::sim::SimResult result = kahuna::raft::sim::run_simulation(options);
    committed += result.committed_entries;
    operations += result.operations_checked;
    role_changes += result.role_changes_checked;
    if (result.quiesce_ticks > 0) ++quiescence_seeds;
    quiesced_ticks += result.quiesced_ticks;
    quiescences += result.quiescences;
    if (result.linearizability_searched) ++searched;
    largest_search = std::max(largest_search, result.linearizability_steps);
    if (result.linearizability_needed_larger_budget) {
      // Rare and slow: always say so, a rising count means the check needs work.
      ++needed_larger_budget;
      std::printf("note: seed %llu: linearizability search needed the larger budget (%s)\n",
                  static_cast<unsigned long long>(seed), result.ok ? "passed" : "failed");
    }
    if (!result.ok) {
      ++failed;
      std::printf("FAILED seed %llu: %s\n", static_cast<unsigned long long>(seed), result.failure.c_str());
      std::printf("replay: %s --seed %llu --nodes %d --steps %d -v\n", argv[0],
                  static_cast<unsigned long long>(seed), options.nodes, options.steps);
      std::fflush(stdout);
    } else if (seeds == 1) {
      std::printf(
          "seed %llu passed: %llu entries committed, %llu operations checked, quiesce_ticks %d "
          "(%llu quiescences, %llu ticks with a quiesced leader)\n",
          static_cast<unsigned long long>(seed), static_cast<unsigned long long>(result.committed_entries),
          static_cast<unsigned long long>(result.operations_checked), result.quiesce_ticks,
          static_cast<unsigned long long>(result.quiescences),
          static_cast<unsigned long long>(result.quiesced_ticks));
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "ran %llu seeds (first %llu): %llu failed, %llu entries committed, "
      "%llu client operations checked, %llu role changes checked, "
      "%llu histories needed a linearizability search, %llu of them the larger budget "
      "(largest search %llu steps), %llu seeds with quiescence (%llu quiescences, %llu ticks "
      "with a quiesced leader), %.1f s\n",
      static_cast<unsigned long long>(seeds), static_cast<unsigned long long>(first_seed),
      static_cast<unsigned long long>(failed), static_cast<unsigned long long>(committed),
      static_cast<unsigned long long>(operations), static_cast<unsigned long long>(role_changes),
      static_cast<unsigned long long>(searched), static_cast<unsigned long long>(needed_larger_budget),
      static_cast<unsigned long long>(largest_search), static_cast<unsigned long long>(quiescence_seeds),
      static_cast<unsigned long long>(quiescences), static_cast<unsigned long long>(quiesced_ticks), seconds);
  if (quiescence_seeds >= kMinQuiescenceSeeds && quiesced_ticks == 0) {
    std::printf("FAILED: no leader quiesced in %llu seeds with quiescence on\n",
                static_cast<unsigned long long>(quiescence_seeds));
    return 1;
  }
  return failed == 0 ? 0 : 1;
}
