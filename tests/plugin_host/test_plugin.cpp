// One source, several test plugins: compile definitions choose the ABI
// version, the kind and whether the factory fails, so the loader's checks
// are tested against real shared libraries.
#include <map>
#include <string>

#include <kahuna/plugin.h>
#include <kahuna/storage_engine.h>

#ifndef TEST_PLUGIN_ABI_VERSION
#define TEST_PLUGIN_ABI_VERSION kahuna::kPluginAbiVersion
#endif
#ifndef TEST_PLUGIN_KIND
#define TEST_PLUGIN_KIND kahuna::PluginKind::kStorage
#endif

namespace {

// Counts live engines so the test can see when the host destroys them.
int live_engines = 0;

class TinyEngine final : public kahuna::StorageEngine {
 public:
  explicit TinyEngine(std::string greeting) : greeting_(std::move(greeting)) { ++live_engines; }
  ~TinyEngine() override { --live_engines; }

  kahuna::Status write(const kahuna::WriteBatch& batch, const kahuna::WriteOptions&) noexcept override {
    for (const auto& op : batch.ops()) {
      if (op.type == kahuna::WriteBatch::OpType::kPut) data_[op.key] = op.value;
      if (op.type == kahuna::WriteBatch::OpType::kDelete) data_.erase(op.key);
    }
    return kahuna::Status::ok();
  }
  kahuna::Status get(std::string_view key, std::string& value, const kahuna::Snapshot*) noexcept override {
    if (key == "greeting") {
      value = greeting_;
      return kahuna::Status::ok();
    }
    if (key == "live") {
      value = std::to_string(live_engines);
      return kahuna::Status::ok();
    }
    auto it = data_.find(std::string(key));
    if (it == data_.end()) return kahuna::Status::not_found();
    value = it->second;
    return kahuna::Status::ok();
  }
  kahuna::Status snapshot(std::unique_ptr<kahuna::Snapshot>&) noexcept override {
    return kahuna::Status::not_supported("the test engine has no snapshots");
  }
  std::unique_ptr<kahuna::Iterator> iterator(const kahuna::IteratorOptions&) noexcept override {
    return nullptr;
  }
  kahuna::Status approximate_size(std::string_view, std::string_view,
                                  std::uint64_t& bytes) noexcept override {
    bytes = 0;
    return kahuna::Status::ok();
  }
  kahuna::Status flush() noexcept override { return kahuna::Status::ok(); }
  kahuna::Status checkpoint() noexcept override { return kahuna::Status::ok(); }

 private:
  std::string greeting_;
  std::map<std::string, std::string> data_;
};

kahuna::Status create(const kahuna::PluginContext& context, std::unique_ptr<kahuna::Plugin>& out) noexcept {
#ifdef TEST_PLUGIN_FAILS
  (void)context;
  (void)out;
  return kahuna::Status::invalid_argument("storage.test.greeting: must be polite");
#else
  try {
    auto greeting = (*context.options)["greeting"].value_or(std::string("hello"));
    out = std::make_unique<TinyEngine>(greeting + " from " + context.data_dir);
    return kahuna::Status::ok();
  } catch (...) {
    return kahuna::Status::internal("out of memory");
  }
#endif
}

const kahuna::PluginDescriptor descriptor{
    .abi_version = TEST_PLUGIN_ABI_VERSION,
    .kind = TEST_PLUGIN_KIND,
    .name = "test",
    .version = "1.0",
    .create = &create,
};

}  // namespace

KAHUNA_EXPORT_PLUGIN(descriptor)
