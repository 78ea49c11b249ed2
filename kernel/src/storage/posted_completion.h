// PostedCompletion: a type-erased, move-only completion handler that a
// worker thread (a log writer) completes by posting the handler to its own
// executor, never running it on the worker: a coroutine resumed there would
// hold up the worker's next disk write.
#pragma once

#include <memory>
#include <utility>

#include <asio/associated_executor.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>

#include <kahuna/status.h>

namespace kahuna {

class PostedCompletion {
 public:
  virtual ~PostedCompletion() = default;
  virtual void complete(Status status) = 0;

  template <class Handler>
  static std::unique_ptr<PostedCompletion> make(Handler handler);
};

template <class Handler>
class PostedHandler final : public PostedCompletion {
 public:
  explicit PostedHandler(Handler handler)
      : work_(asio::make_work_guard(asio::get_associated_executor(handler))), handler_(std::move(handler)) {}

  void complete(Status status) override {
    auto executor = work_.get_executor();
    asio::post(executor, [handler = std::move(handler_), status = std::move(status)]() mutable {
      std::move(handler)(std::move(status));
    });
    work_.reset();
  }

 private:
  asio::executor_work_guard<asio::associated_executor_t<Handler>> work_;
  Handler handler_;
};

template <class Handler>
std::unique_ptr<PostedCompletion> PostedCompletion::make(Handler handler) {
  return std::make_unique<PostedHandler<Handler>>(std::move(handler));
}

}  // namespace kahuna
