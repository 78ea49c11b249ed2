// A plugin whose factory throws, defined with KAHUNA_DEFINE_PLUGIN: the
// exception must reach the host as a Status, never as an exception.
#include <stdexcept>

#include <kahuna/plugin.h>

namespace {

kahuna::Status create(const kahuna::PluginContext&, std::unique_ptr<kahuna::Plugin>&) {
  throw std::runtime_error("the disk is on fire");
}

}  // namespace

KAHUNA_DEFINE_PLUGIN(kahuna::PluginKind::kStorage, "throwing", "1.0", create)
