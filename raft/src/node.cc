#include "kahuna/raft/node.h"

#include <exception>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace kahuna::raft {

using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

ProposalOutcome proposal_failed(NodeResult result, NodeId leader_hint = kNoNode) {
  ProposalOutcome outcome;
  outcome.result = result;
  outcome.leader_hint = leader_hint;
  return outcome;
}

ReadOutcome read_failed(NodeResult result, NodeId leader_hint = kNoNode) {
  ReadOutcome outcome;
  outcome.result = result;
  outcome.leader_hint = leader_hint;
  return outcome;
}

}  // namespace

const char* to_string(NodeResult result) {
  switch (result) {
    case NodeResult::kOk: return "ok";
    case NodeResult::kNotLeader: return "not leader";
    case NodeResult::kRetry: return "retry";
    case NodeResult::kTimeout: return "timeout";
    case NodeResult::kDropped: return "dropped";
    case NodeResult::kShuttingDown: return "shutting down";
    case NodeResult::kUnknown: return "outcome unknown";
  }
  return "unknown";
}

// A one-shot result handed from the node's strand to a caller on any
// executor. A concurrent channel is safe to complete from another thread
// before, while or after the caller waits; the first completion wins.
template <class T>
class Node::Waiter {
 public:
  explicit Waiter(asio::any_io_executor executor) : channel_(executor, 1) {}

  void complete(T value) {
    if (done_.exchange(true)) return;
    channel_.try_send(std::error_code{}, std::move(value));
  }

  // nullopt when the deadline passed first.
  asio::awaitable<std::optional<T>> wait(Clock::time_point deadline) {
    asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
    auto result =
        co_await (channel_.async_receive(asio::use_awaitable) || timer.async_wait(asio::use_awaitable));
    if (result.index() == 0) co_return std::move(std::get<0>(result));
    co_return std::nullopt;
  }

 private:
  std::atomic<bool> done_{false};
  asio::experimental::concurrent_channel<void(std::error_code, T)> channel_;
};

Node::Node(asio::any_io_executor executor, std::uint32_t group, Options options, NodeStorage& storage,
           StateMachine& state_machine, MessageSender& sender)
    : group_(group),
      options_(std::move(options)),
      storage_(storage),
      state_machine_(state_machine),
      sender_(sender),
      strand_(asio::make_strand(executor)),
      wake_(strand_),
      stopped_waiter_(std::make_shared<Waiter<bool>>(executor)) {}

Node::~Node() = default;

void Node::start() { asio::co_spawn(strand_, run(), asio::detached); }

void Node::stop() {
  if (stopping_.exchange(true)) return;
  asio::post(strand_, [this] { wake_.cancel(); });
}

asio::awaitable<void> Node::wait_stopped() { co_await stopped_waiter_->wait(Clock::time_point::max()); }

template <class Fill>
bool Node::enqueue(Fill fill) {
  bool wake = false;
  {
    std::lock_guard lock(inbox_mutex_);
    if (loop_ended_) return false;
    fill(inbox_);
    wake = std::exchange(loop_sleeping_, false);
  }
  if (wake) asio::post(strand_, [this] { wake_.cancel(); });
  return true;
}

void Node::receive(Message message) {
  enqueue([&](Inbox& inbox) { inbox.messages.push_back(std::move(message)); });
}

void Node::transfer_leadership(NodeId target) {
  enqueue([&](Inbox& inbox) { inbox.transfers.push_back(target); });
}

void Node::campaign() {
  enqueue([](Inbox& inbox) { inbox.campaign = true; });
}

void Node::wake() {
  if (!status().quiesced) return;
  enqueue([](Inbox& inbox) { inbox.wake = true; });
}

void Node::retire() {
  if (status().retired) return;
  enqueue([](Inbox& inbox) { inbox.retire = true; });
}

void Node::suspect_leader() {
  if (!status().quiesced) return;
  enqueue([](Inbox& inbox) { inbox.suspect_leader = true; });
}

asio::awaitable<ProposalOutcome> Node::propose(std::string data, Clock::time_point deadline) {
  if (stopping_) co_return proposal_failed(NodeResult::kShuttingDown);
  auto waiter = std::make_shared<ProposalWaiter>(co_await asio::this_coro::executor);
  if (!enqueue([&](Inbox& inbox) { inbox.proposals.emplace_back(std::move(data), waiter); })) {
    co_return proposal_failed(NodeResult::kShuttingDown);
  }
  auto outcome = co_await waiter->wait(deadline);
  co_return outcome ? std::move(*outcome) : proposal_failed(NodeResult::kTimeout);
}

asio::awaitable<ProposalOutcome> Node::propose_conf_change(ConfChange change, Clock::time_point deadline) {
  if (stopping_) co_return proposal_failed(NodeResult::kShuttingDown);
  auto waiter = std::make_shared<ProposalWaiter>(co_await asio::this_coro::executor);
  if (!enqueue([&](Inbox& inbox) { inbox.conf_changes.emplace_back(change, waiter); })) {
    co_return proposal_failed(NodeResult::kShuttingDown);
  }
  auto outcome = co_await waiter->wait(deadline);
  co_return outcome ? std::move(*outcome) : proposal_failed(NodeResult::kTimeout);
}

ConfState Node::membership() const {
  std::lock_guard lock(status_mutex_);
  return membership_;
}

Index Node::membership_index() const {
  std::lock_guard lock(status_mutex_);
  return membership_index_;
}

std::vector<std::pair<NodeId, Index>> Node::learner_progress() const {
  std::lock_guard lock(status_mutex_);
  return learner_match_;
}

asio::awaitable<ReadOutcome> Node::read(Clock::time_point deadline) {
  if (stopping_) co_return read_failed(NodeResult::kShuttingDown);
  auto waiter = std::make_shared<ReadWaiter>(co_await asio::this_coro::executor);
  if (!enqueue([&](Inbox& inbox) { inbox.reads.push_back(waiter); }))
    co_return read_failed(NodeResult::kShuttingDown);
  auto outcome = co_await waiter->wait(deadline);
  co_return outcome ? *outcome : read_failed(NodeResult::kTimeout);
}

NodeStatus Node::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

void Node::publish_status() {
  NodeStatus status{core_->leader(),       core_->role(),     core_->term(),
                    core_->commit_index(), applied_,          core_->first_index(),
                    core_->last_index(),   core_->quiesced(), core_->retired()};
  // The membership changes rarely: copied out only when it does.
  const bool membership_changed = core_->conf_state() != published_membership_;
  if (membership_changed) published_membership_ = core_->conf_state();
  // Learners exist only while a replica is being added: usually nothing to copy.
  std::vector<std::pair<NodeId, Index>> learner_match;
  if (core_->role() == Role::kLeader) {
    for (NodeId learner : published_membership_.learners) {
      const std::optional<Progress> progress = core_->progress(learner);
      learner_match.emplace_back(learner, progress ? progress->match : 0);
    }
  }
  std::lock_guard lock(status_mutex_);
  status_ = status;
  if (membership_changed) membership_ = published_membership_;
  membership_index_ = core_->conf_index();
  if (!learner_match.empty() || !learner_match_.empty()) learner_match_ = std::move(learner_match);
}

asio::awaitable<void> Node::run() {
  options_.core.storage = &storage_.log();
  applied_ = state_machine_.applied_index();
  options_.core.applied = applied_;
  core_ = std::make_unique<Core>(options_.core);
  publish_status();

  // Ticks fall on multiples of the interval (of the steady clock), so every
  // group of a process ticks at the same instants: their heartbeats are due
  // together and the transport can carry them to each peer in one frame.
  const auto interval = std::chrono::duration_cast<Clock::duration>(options_.tick_interval);
  auto next_tick = Clock::time_point((Clock::now().time_since_epoch() / interval + 1) * interval);
  bool healthy = true;
  while (healthy && !stopping_) {
    lane_progress_ = false;
    Inbox inbox;
    {
      std::lock_guard lock(inbox_mutex_);
      std::swap(inbox, inbox_);
    }
    const bool was_unticked = !core_->wants_ticks();
    take_inputs(inbox);
    // A group that needs no ticks (quiesced, or no voter here) sleeps without
    // a timer; woken, it ticks from the next instant on, not once for every
    // tick it slept through.
    if (was_unticked)
      next_tick = Clock::time_point((Clock::now().time_since_epoch() / interval + 1) * interval);
    while (Clock::now() >= next_tick) {
      core_->tick();
      next_tick += options_.tick_interval;
    }
    if (pipelined()) {
      while (healthy && !stopping_ && core_->has_ready()) healthy = co_await hand_out_ready();
      // The persist lane stores a finished image between its writes; the
      // state is frozen for an image only while no apply is under way.
      if (finished_image_) start_persist_lane();
      if (!apply_lane_running_) start_compaction_if_due();
      healthy = healthy && !storage_failed_;
    } else {
      while (healthy && !stopping_ && core_->has_ready()) healthy = co_await handle_ready();
      if (healthy) healthy = co_await store_finished_image();
      if (healthy) start_compaction_if_due();
    }
    publish_status();

    // Sleep until the next tick unless inputs, a lane's progress or a
    // finished image for the loop to store arrived meanwhile.
    {
      std::lock_guard lock(inbox_mutex_);
      const bool image_for_loop = finished_image_ && !persist_lane_running_;
      if (!inbox_.empty() || stopping_ || image_for_loop || lane_progress_) continue;
      loop_sleeping_ = true;
    }
    wake_.expires_at(core_->wants_ticks() ? next_tick : Clock::time_point::max());
    std::error_code ignored;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    std::lock_guard lock(inbox_mutex_);
    loop_sleeping_ = false;
  }
  // The lanes finish what they are doing (and take nothing more) before
  // the requests they would have answered are failed.
  co_await wait_for_lanes();
  fail_everything();
  // The image being encoded reads the state machine's frozen view: the
  // caller may destroy both once wait_stopped() returns, so wait for it.
  while (image_in_progress_) {
    wake_.expires_at(Clock::time_point::max());
    std::error_code ignored;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  stopped_waiter_->complete(true);
}

void Node::take_inputs(Inbox& inbox) {
  if (inbox.suspect_leader) core_->suspect_leader();
  if (inbox.retire) core_->retire();
  if (inbox.wake) core_->wake();
  for (Message& message : inbox.messages) core_->step(message);
  if (inbox.campaign) core_->campaign();
  for (NodeId target : inbox.transfers) (void)core_->transfer_leader(target);

  for (auto& [data, waiter] : inbox.proposals) track_proposal(core_->propose(std::move(data)), waiter);
  for (auto& [change, waiter] : inbox.conf_changes)
    track_proposal(core_->propose_conf_change(change), waiter);
  for (auto& waiter : inbox.reads) {
    std::string context = std::to_string(next_read_context_++);
    const Status status = core_->read_index(context);
    if (status.ok()) {
      reads_waiting_.emplace(std::move(context), waiter);
    } else {
      waiter->complete(read_failed(NodeResult::kNotLeader, status.leader_hint));
    }
  }
}

void Node::track_proposal(const ProposeResult& result, std::shared_ptr<ProposalWaiter> waiter) {
  if (result.status.ok()) {
    // The index may still hold a waiter from an earlier leadership whose
    // entry was cut from this log. That entry may yet commit through
    // another node's log (this leadership's entry need not survive), so
    // its proposer is told the truth: unknown.
    PendingProposal& slot = proposals_[result.first_index];
    if (slot.waiter) slot.waiter->complete(proposal_failed(NodeResult::kUnknown, core_->leader()));
    slot = PendingProposal{result.term, std::move(waiter)};
  } else if (result.status.code == StatusCode::kNotLeader) {
    waiter->complete(proposal_failed(NodeResult::kNotLeader, result.status.leader_hint));
  } else {
    waiter->complete(proposal_failed(NodeResult::kRetry, core_->leader()));
  }
}

asio::awaitable<bool> Node::handle_ready() {
  Ready ready = core_->ready();

  // A leader's appends go out first, so the followers write while we do (ready.h).
  send_appends(ready);
  // 1. Persist: the other messages may promise what this writes.
  if (ready.snapshot || ready.hard_state || !ready.entries.empty()) {
    if (!co_await storage_.persist(ready)) co_return false;
  }
  // 2. Send the rest.
  send_after_persist(ready);

  // 3. Apply: a snapshot replaces the state, then committed entries follow.
  if (ready.snapshot && !co_await install_snapshot(ready)) co_return false;
  if (!ready.committed_entries.empty()) {
    const std::vector<std::string> outputs = co_await state_machine_.apply(ready.committed_entries);
    applied_ = ready.committed_entries.back().index;
    for (const Entry& entry : ready.committed_entries) applied_bytes_since_compaction_ += entry.data.size();
    complete_applied(ready.committed_entries, outputs);
  }

  // 4. Reads confirmed by a quorum wait until the state machine caught up.
  take_read_states(ready);

  core_->advance(ready);
  co_return true;
}

void Node::send_appends(const Ready& ready) {
  for (const Message& message : ready.messages) {
    if (message.type == MessageType::kAppend) sender_.send(group_, message);
  }
}

void Node::send_after_persist(const Ready& ready) {
  for (const Message& message : ready.messages) {
    if (message.type != MessageType::kAppend) sender_.send(group_, message);
  }
}

asio::awaitable<bool> Node::install_snapshot(const Ready& ready) {
  if (!co_await state_machine_.restore(*ready.snapshot)) co_return false;
  applied_ = ready.snapshot->metadata.index;
  // Proposals the snapshot covers cannot be matched to their outputs.
  for (auto it = proposals_.begin(); it != proposals_.end() && it->first <= applied_;) {
    it->second.waiter->complete(proposal_failed(NodeResult::kUnknown));
    it = proposals_.erase(it);
  }
  co_return true;
}

void Node::take_read_states(const Ready& ready) {
  for (const ReadState& read : ready.read_states) {
    const auto it = reads_waiting_.find(read.context);
    if (it == reads_waiting_.end()) continue;
    reads_confirmed_.emplace(read.index, it->second);
    reads_waiting_.erase(it);
  }
  release_reads();

  // A leader change loses reads in flight (the new leader never saw them):
  // send them back so callers retry at once instead of timing out.
  if (ready.soft_state && ready.soft_state->role != Role::kLeader) {
    for (auto& [context, waiter] : reads_waiting_)
      waiter->complete(read_failed(NodeResult::kRetry, ready.soft_state->leader));
    reads_waiting_.clear();
  }
}

void Node::complete_applied(const std::vector<Entry>& entries, const std::vector<std::string>& outputs) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    // A proposal below this index still pending was never matched to an
    // applied entry; proposals are appended past the commit index, so this
    // does not happen, and if it did nothing would be known of its fate.
    while (!proposals_.empty() && proposals_.begin()->first < entry.index) {
      proposals_.begin()->second.waiter->complete(proposal_failed(NodeResult::kUnknown, core_->leader()));
      proposals_.erase(proposals_.begin());
    }
    const auto it = proposals_.find(entry.index);
    if (it == proposals_.end()) continue;
    if (it->second.term == entry.term) {
      std::string output = i < outputs.size() ? outputs[i] : std::string();
      ProposalOutcome applied;
      applied.leader_hint = core_->leader();
      applied.index = entry.index;
      applied.output = std::move(output);
      it->second.waiter->complete(std::move(applied));
    } else {
      it->second.waiter->complete(proposal_failed(NodeResult::kDropped, core_->leader()));
    }
    proposals_.erase(it);
  }
}

void Node::release_reads() {
  while (!reads_confirmed_.empty() && reads_confirmed_.begin()->first <= applied_) {
    ReadOutcome done;
    done.leader_hint = core_->leader();
    done.index = reads_confirmed_.begin()->first;
    reads_confirmed_.begin()->second->complete(done);
    reads_confirmed_.erase(reads_confirmed_.begin());
  }
}

void Node::start_compaction_if_due() {
  if (options_.compact_after_entries == 0 || image_in_progress_ || finished_image_) return;
  const Index snapshot_index = core_->first_index() - 1;
  const Index compact_to = std::min(applied_, core_->applied_index());
  if (compact_to <= snapshot_index || compact_to - snapshot_index < options_.compact_after_entries) return;
  // Copying a state much larger than the log it replaces would make every
  // write pay for the whole state again and again: wait until the log is at
  // least as large.
  if (applied_bytes_since_compaction_ < last_image_bytes_) return;
  // The image must describe exactly compact_to: the state machine has
  // applied that far and nothing more, since applying happens only on this
  // loop, and capture() freezes it before the loop applies again.
  std::unique_ptr<StateMachine::Image> image = state_machine_.capture();
  applied_bytes_since_compaction_ = 0;
  image_in_progress_ = true;
  asio::co_spawn(strand_, encode_image(compact_to, std::move(image)), asio::detached);
}

asio::awaitable<void> Node::encode_image(Index index, std::unique_ptr<StateMachine::Image> image) {
  try {
    std::string data = co_await image->encode();
    image.reset();  // let go of the frozen view before the loop may end
    // Stored before the log is compacted, so a crash never leaves a log
    // that starts after a snapshot nobody can read.
    const bool stored = co_await storage_.store_image(index, data);
    if (stored) finished_image_ = FinishedImage{index, std::move(data)};
  } catch (const std::exception&) {
    // Out of memory for a large image, say: skip this compaction (a later
    // one tries again) rather than leave the loop waiting for it forever.
    finished_image_.reset();
  }
  image_in_progress_ = false;
  wake_.cancel();  // the loop stores it (or, stopping, stops waiting for it)
}

asio::awaitable<bool> Node::store_finished_image() {
  if (!finished_image_) co_return true;
  FinishedImage image = std::move(*finished_image_);
  finished_image_.reset();
  if (stopping_) co_return true;
  last_image_bytes_ = image.data.size();
  const CompactResult result = core_->compact(image.index, std::move(image.data));
  if (!result.status.ok()) co_return true;  // e.g. a snapshot installed meanwhile went further; try later
  co_return co_await storage_.compact(result.snapshot);
}

void Node::fail_everything() {
  std::vector<std::shared_ptr<ProposalWaiter>> never_appended;
  std::vector<std::shared_ptr<ProposalWaiter>> appended;
  std::vector<std::shared_ptr<ReadWaiter>> read_waiters;
  {
    std::lock_guard lock(inbox_mutex_);
    loop_ended_ = true;  // from now on enqueue() refuses
    for (auto& [data, waiter] : inbox_.proposals) never_appended.push_back(waiter);
    for (auto& [change, waiter] : inbox_.conf_changes) never_appended.push_back(waiter);
    for (auto& waiter : inbox_.reads) read_waiters.push_back(waiter);
    inbox_ = Inbox{};
  }
  // An appended proposal may commit after this node stops (another node
  // holds it too, or this one replays it on restart).
  for (auto& [index, pending] : proposals_) appended.push_back(pending.waiter);
  for (auto& [context, waiter] : reads_waiting_) read_waiters.push_back(waiter);
  for (auto& [index, waiter] : reads_confirmed_) read_waiters.push_back(waiter);
  proposals_.clear();
  reads_waiting_.clear();
  reads_confirmed_.clear();
  for (auto& waiter : never_appended) waiter->complete(proposal_failed(NodeResult::kShuttingDown));
  for (auto& waiter : appended) waiter->complete(proposal_failed(NodeResult::kUnknown));
  for (auto& waiter : read_waiters) waiter->complete(read_failed(NodeResult::kShuttingDown));
}

}  // namespace kahuna::raft
