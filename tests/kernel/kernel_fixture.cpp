#include "kernel_fixture.h"

#include <unistd.h>

namespace kahuna::testing {

KernelNode::KernelNode(const std::filesystem::path& dir, const std::string& engine_name,
                       std::uint32_t partitions) {
  config_.node.id = 1;
  config_.node.data_dir = dir;
  config_.cluster.partitions = partitions;
  config_.raft.tick_ms = 20;
  EXPECT_TRUE(LoadedPlugin::open(plugin_file_path(KAHUNA_BUILD_PLUGIN_DIR, PluginKind::kStorage, engine_name),
                                 PluginKind::kStorage, plugin_));
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(plugin_.create(PluginContext{nullptr, dir.string()}, engine_));
  log_writer_ = std::make_unique<LogWriter>(*engine_);
  clock_ = std::make_unique<services::HybridClock>(1);
  work_.emplace(io_.get_executor());
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  host_ = std::make_unique<ReplicationHost>(io_, config_, *engine_, *log_writer_, *clock_, options_);
  EXPECT_TRUE(host_->open());
  kernel_ = std::make_unique<Kernel>(config_, *host_, *engine_, *log_writer_, *clock_);
  EXPECT_TRUE(host_->start(nullptr));
}

KernelNode::~KernelNode() {
  kernel_->shutdown();
  host_->stop();
  work_.reset();
  for (auto& thread : threads_) thread.join();
  kernel_.reset();
  host_.reset();
  log_writer_->stop();
  log_writer_.reset();
  engine_.reset();
}

void KernelTest::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  dir_ = std::filesystem::temp_directory_path() /
         ("kahuna-kernel-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
  std::filesystem::remove_all(dir_);
}

void KernelTest::TearDown() {
  node_.reset();
  std::filesystem::remove_all(dir_);
}

void KernelTest::start(const std::string& engine) {
  engine_name_ = engine;
  node_ = std::make_unique<KernelNode>(dir_, engine, 4);
}

void KernelTest::restart() {
  node_.reset();
  node_ = std::make_unique<KernelNode>(dir_, engine_name_, 4);
}

}  // namespace kahuna::testing
