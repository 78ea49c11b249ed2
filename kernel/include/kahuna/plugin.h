// The plugin ABI: what a shared library must export to be loaded by the
// kahuna server as a storage engine or a client protocol.
//
// A plugin defines one PluginDescriptor and exports it, with
// KAHUNA_DEFINE_PLUGIN(kind, name, version, factory) or, for a descriptor of
// its own, KAHUNA_EXPORT_PLUGIN(descriptor). The host reads abi_version first and
// refuses the library if it differs from its own kPluginAbiVersion, before it
// touches any other field, so the layout below may change between versions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <toml++/toml.h>
#include <boost/dll/alias.hpp>

#include <kahuna/status.h>

namespace kahuna {

class KernelApi;

// Bumped whenever a header of kernel/include/kahuna/ changes in a way that
// changes the layout or meaning of anything a plugin sees. Version 3 added
// WriteOptions::log and StorageEngine::checkpoint(); version 4 the cluster
// administration methods of KernelApi, Route::metadata_version and the new
// fields of ClusterStatus.
inline constexpr std::uint32_t kPluginAbiVersion = 4;

enum class PluginKind : std::uint32_t {
  kStorage = 1,   // makes a StorageEngine (kahuna/storage_engine.h)
  kProtocol = 2,  // makes a ProtocolServer that serves clients
};

constexpr const char* to_string(PluginKind kind) noexcept {
  switch (kind) {
    case PluginKind::kStorage: return "storage";
    case PluginKind::kProtocol: return "protocol";
  }
  return "unknown";
}

// Base of every object a plugin creates. The host keeps the library loaded
// until every Plugin it made has been destroyed.
class Plugin {
 public:
  virtual ~Plugin() = default;
};

// What the host hands a factory.
struct PluginContext {
  // The plugin's own TOML table (e.g. [storage.rocksdb]); an empty table when
  // the file has none. The plugin must reject keys it does not know.
  const toml::table* options = nullptr;
  // Directory the plugin owns for its files (storage plugins); it exists.
  std::string data_dir;
  // Protocol plugins only: the node's operations; outlives the plugin's
  // object. A protocol plugin runs its listeners and connections on an
  // io_context and threads of its own: Asio is header-only, so each module
  // carries its own copy of its per-thread state, and one module's code must
  // not run another module's event loop threads. KernelApi calls may be
  // awaited from the plugin's threads; the kernel runs them on its own.
  KernelApi* kernel = nullptr;
};

// Creates the plugin's object. Must not throw: report every failure in the
// returned Status (for options: name the key and the reason), leaving `out`
// empty. On success `out` holds an object of the type the descriptor's kind
// promises (StorageEngine for kStorage, ProtocolServer for kProtocol).
using PluginFactory = Status (*)(const PluginContext& context, std::unique_ptr<Plugin>& out) noexcept;

struct PluginDescriptor {
  std::uint32_t abi_version = kPluginAbiVersion;  // must stay the first member
  PluginKind kind;
  const char* name;     // the name a TOML file uses to choose it, e.g. "rocksdb"
  const char* version;  // the plugin's own version, for logs
  PluginFactory create;
};

}  // namespace kahuna

// The symbol name the host imports; see KAHUNA_EXPORT_PLUGIN.
#define KAHUNA_PLUGIN_SYMBOL kahuna_plugin_descriptor

// Exports `descriptor` (a namespace-scope `const kahuna::PluginDescriptor`)
// under the name the host looks for.
#define KAHUNA_EXPORT_PLUGIN(descriptor) BOOST_DLL_ALIAS(descriptor, kahuna_plugin_descriptor)

// Defines the descriptor of a plugin whose factory is `make`,
//   kahuna::Status make(const kahuna::PluginContext&, std::unique_ptr<kahuna::Plugin>&);
// and exports it. `make` may throw: no exception may cross into the host, so
// one leaving it becomes a Status that names the plugin.
//   KAHUNA_DEFINE_PLUGIN(kahuna::PluginKind::kStorage, "memory", "1.0.0", create)
#define KAHUNA_DEFINE_PLUGIN(plugin_kind, plugin_name, plugin_version, make)                     \
  extern const ::kahuna::PluginDescriptor plugin_descriptor;                                     \
  const ::kahuna::PluginDescriptor plugin_descriptor{                                            \
      .abi_version = ::kahuna::kPluginAbiVersion,                                                \
      .kind = plugin_kind,                                                                       \
      .name = plugin_name,                                                                       \
      .version = plugin_version,                                                                 \
      .create = [](const ::kahuna::PluginContext& context,                                       \
                   std::unique_ptr<::kahuna::Plugin>& out) noexcept -> ::kahuna::Status {        \
        try {                                                                                    \
          return make(context, out);                                                             \
        } catch (...) {                                                                          \
          return ::kahuna::status_from_current_exception("creating the " plugin_name " plugin"); \
        }                                                                                        \
      },                                                                                         \
  };                                                                                             \
  KAHUNA_EXPORT_PLUGIN(plugin_descriptor)
