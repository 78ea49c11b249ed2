// RunBudget: what one run of a script may spend (InterpreterLimits) — steps,
// which bound its CPU time, and bytes of values, which bound its memory — and
// the way the value rules, which know nothing of the run, charge it.
//
// Steps: each statement and loop iteration is one, and so is every
// kWorkBytesPerStep bytes a rule reads or copies without making a value
// (comparing, searching, converting, handing bytes to the host). Without
// that, a step on a 16 MiB string would cost as much as millions of steps on
// small ones.
//
// Bytes of values: every string and array the run makes is charged its size
// when it is made (a string its bytes, an array sizeof(Value) per element);
// copies share their bytes and cost nothing. So are the bytes the run hands
// out: the values SET gives the host (which holds them until the commit)
// and the rows of the reply. The total only grows: freeing a
// value gives nothing back. That is an allocation budget, not a count of what
// is held — sound (what is held never exceeds what was made) and simple (a
// value need not know which run made it). It also bounds the CPU time spent
// making values, since each byte made is paid for once.
//
// The budget a run charges is the one installed on its thread (Scope):
// Value's factories and the rules that read bytes find it there, so no value
// is made uncharged however deep the rule that makes it. Outside a run (a
// unit test of a function, the parser making a literal) nothing is charged.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kahuna::script {

// Bytes read or copied that cost one step. Reading 1 KiB takes about as long
// as running a simple statement (tens of ns), so the worst run stays near
// what max_steps statements take.
inline constexpr std::size_t kWorkBytesPerStep = 1024;

class RunBudget {
 public:
  RunBudget(std::int64_t max_steps, std::size_t max_value_bytes) noexcept;
  RunBudget(const RunBudget&) = delete;
  RunBudget& operator=(const RunBudget&) = delete;

  // Each throws ValueError once the budget is spent:
  // "script exceeded the limit of N steps" or
  // "script exceeded the limit of N bytes of values".
  void step();
  void charge_work(std::size_t bytes);
  void charge_value(std::size_t bytes);

  // Installs a budget for this thread while it lives, restoring the one
  // before it (a run started inside another is charged to itself).
  class Scope {
   public:
    explicit Scope(RunBudget& budget) noexcept;
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    RunBudget* previous_;
  };

 private:
  void check_steps() const;

  const std::int64_t max_steps_;
  const std::size_t max_value_bytes_;
  std::int64_t steps_ = 0;
  std::uint64_t work_bytes_ = 0;
  std::size_t value_bytes_ = 0;
};

// Charge the budget installed on this thread, if any (ValueError when spent):
// `bytes` read or copied without making a value, or a value of `bytes` made.
void charge_work(std::size_t bytes);
void charge_value(std::size_t bytes);

}  // namespace kahuna::script
