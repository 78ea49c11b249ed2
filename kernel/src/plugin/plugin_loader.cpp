#include <kahuna/plugin_loader.h>

#include <exception>
#include <system_error>

#include <boost/dll/shared_library.hpp>

namespace kahuna {
namespace {

std::string quoted(const std::filesystem::path& file) { return "'" + file.string() + "'"; }

}  // namespace

Status LoadedPlugin::open(const std::filesystem::path& file, PluginKind expected_kind, LoadedPlugin& out) {
  std::error_code fs_error;
  if (!std::filesystem::exists(file, fs_error)) {
    return Status::not_found("plugin file " + quoted(file) + " does not exist");
  }
  if (!std::filesystem::is_regular_file(file, fs_error)) {
    return Status::invalid_argument("plugin file " + quoted(file) + " is not a regular file");
  }

  // rtld_now: an unresolved symbol fails here, with the loader's message,
  // rather than as a crash at the first call into the plugin.
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::system::error_code load_error;
  library->load(boost::dll::fs::path(file.string()), load_error,
                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (load_error) {
    std::string reason = load_error.message();
    return Status::invalid_argument("cannot load plugin file " + quoted(file) + ": " + reason);
  }
  const char* symbol = BOOST_PP_STRINGIZE(KAHUNA_PLUGIN_SYMBOL);
  if (!library->has(symbol)) {
    return Status::invalid_argument(quoted(file) + " is not a Kahuna plugin: it exports no '" + symbol +
                                    "' symbol");
  }
  const auto& descriptor = library->get_alias<const PluginDescriptor>(symbol);

  // Read abi_version alone before anything else: the rest of the layout is
  // only known to match when the versions do.
  if (descriptor.abi_version != kPluginAbiVersion) {
    return Status::invalid_argument("plugin " + quoted(file) + " was built for plugin ABI version " +
                                    std::to_string(descriptor.abi_version) +
                                    " but this server uses version " + std::to_string(kPluginAbiVersion) +
                                    "; rebuild the plugin against this server's headers");
  }
  if (descriptor.kind != expected_kind) {
    return Status::invalid_argument("plugin " + quoted(file) + " is a " + to_string(descriptor.kind) +
                                    " plugin, but a " + to_string(expected_kind) +
                                    " plugin is expected here");
  }
  if (descriptor.name == nullptr || descriptor.create == nullptr) {
    return Status::invalid_argument("plugin " + quoted(file) +
                                    " has an incomplete descriptor (no name or no factory)");
  }

  out.library_ = std::move(library);
  out.descriptor_ = &descriptor;
  out.file_ = file;
  return Status::ok();
}

Status LoadedPlugin::create_raw(const PluginContext& context, std::unique_ptr<Plugin>& object) const {
  if (descriptor_ == nullptr) return Status::internal("create() called on a plugin that is not open");
  static const toml::table empty_options;
  PluginContext checked = context;
  if (checked.options == nullptr) checked.options = &empty_options;

  Status status = descriptor_->create(checked, object);
  if (status.is_ok() && object == nullptr) {
    return Status::internal("plugin " + quoted(file_) + " reported success but created nothing");
  }
  if (!status.is_ok()) object.reset();
  return status;
}

std::filesystem::path plugin_file_path(const std::filesystem::path& dir, PluginKind kind,
                                       const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  return dir / ("kahuna-" + std::string(to_string(kind)) + "-" + name + ".so");
}

}  // namespace kahuna
