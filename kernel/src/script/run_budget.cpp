// RunBudget: the steps and bytes of values one run may spend (run_budget.h).
#include "script/run_budget.h"

#include <limits>
#include <string>

#include "script/script_error.h"

namespace kahuna::script {
namespace {

// The budget of the run on this thread; null outside a run.
thread_local RunBudget* current_budget = nullptr;

}  // namespace

RunBudget::RunBudget(std::int64_t max_steps, std::size_t max_value_bytes) noexcept
    : max_steps_(max_steps), max_value_bytes_(max_value_bytes) {}

void RunBudget::step() {
  ++steps_;
  check_steps();
}

void RunBudget::charge_work(std::size_t bytes) {
  if (__builtin_add_overflow(work_bytes_, bytes, &work_bytes_))
    work_bytes_ = std::numeric_limits<std::uint64_t>::max();
  check_steps();
}

void RunBudget::charge_value(std::size_t bytes) {
  // value_bytes_ never passes the limit, so the subtraction cannot wrap.
  if (bytes > max_value_bytes_ - value_bytes_) {
    throw ValueError("script exceeded the limit of " + std::to_string(max_value_bytes_) + " bytes of values");
  }
  value_bytes_ += bytes;
}

void RunBudget::check_steps() const {
  // Both terms are far from overflowing: steps_ stops one past the limit and
  // the quotient is below 2^52.
  const auto work_steps = static_cast<std::int64_t>(work_bytes_ / kWorkBytesPerStep);
  if (steps_ + work_steps > max_steps_) {
    throw ValueError("script exceeded the limit of " + std::to_string(max_steps_) + " steps");
  }
}

RunBudget::Scope::Scope(RunBudget& budget) noexcept : previous_(current_budget) { current_budget = &budget; }

RunBudget::Scope::~Scope() { current_budget = previous_; }

void charge_work(std::size_t bytes) {
  if (current_budget != nullptr) current_budget->charge_work(bytes);
}

void charge_value(std::size_t bytes) {
  if (current_budget != nullptr) current_budget->charge_value(bytes);
}

}  // namespace kahuna::script
