// PluginLoader: opens a plugin library the way the kahuna server does, checks
// that it is a Kahuna plugin of the expected kind and ABI, and creates its
// object. Part of the plugin development kit, so a plugin's own tests load
// it exactly as the server will.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include <kahuna/plugin.h>
#include <kahuna/status.h>

namespace boost::dll {
class shared_library;
}

namespace kahuna {

// An object made by a plugin, bundled with the library that holds its code:
// the library is unloaded only after the object is destroyed.
template <class T>
class PluginObject {
 public:
  PluginObject() = default;
  PluginObject(std::shared_ptr<boost::dll::shared_library> library, std::unique_ptr<Plugin> object)
      : library_(std::move(library)), object_(std::move(object)) {}
  PluginObject(PluginObject&&) noexcept = default;
  PluginObject& operator=(PluginObject&& other) noexcept {
    object_ = std::move(other.object_);  // destroy ours while our library is still loaded
    library_ = std::move(other.library_);
    return *this;
  }
  ~PluginObject() { object_.reset(); }

  T* get() const noexcept { return static_cast<T*>(object_.get()); }
  T* operator->() const noexcept { return get(); }
  T& operator*() const noexcept { return *get(); }
  explicit operator bool() const noexcept { return object_ != nullptr; }
  void reset() noexcept {
    object_.reset();
    library_.reset();
  }

 private:
  // Declared first so it is destroyed last.
  std::shared_ptr<boost::dll::shared_library> library_;
  std::unique_ptr<Plugin> object_;
};

// A loaded, checked plugin library. Copies share the library.
class LoadedPlugin {
 public:
  LoadedPlugin() = default;

  // Opens `file` and checks it. Every failure names the file: it does not
  // exist, it cannot be loaded, it exports no Kahuna descriptor, it was built
  // for another ABI version, or it is not of `expected_kind`.
  static Status open(const std::filesystem::path& file, PluginKind expected_kind, LoadedPlugin& out);

  const PluginDescriptor& descriptor() const noexcept { return *descriptor_; }
  const std::filesystem::path& file() const noexcept { return file_; }

  // Calls the plugin's factory. T must be the interface of the plugin's kind
  // (StorageEngine for kStorage).
  template <class T>
  Status create(const PluginContext& context, PluginObject<T>& out) const {
    std::unique_ptr<Plugin> object;
    Status status = create_raw(context, object);
    if (status.is_ok()) out = PluginObject<T>(library_, std::move(object));
    return status;
  }

 private:
  Status create_raw(const PluginContext& context, std::unique_ptr<Plugin>& object) const;

  std::shared_ptr<boost::dll::shared_library> library_;
  const PluginDescriptor* descriptor_ = nullptr;
  std::filesystem::path file_;
};

// The file the server loads for plugin `name` of `kind`:
// <dir>/kahuna-<kind>-<name>.so. A `name` containing '/' is a path to the
// file itself and is returned unchanged.
std::filesystem::path plugin_file_path(const std::filesystem::path& dir, PluginKind kind,
                                       const std::string& name);

}  // namespace kahuna
