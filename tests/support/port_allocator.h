// Listen ports for test servers that no other process can take between the
// moment a test picks them and the moment a server binds them.
//
// Binding port 0 and closing it again (the obvious way to find a free port)
// is not safe: the kernel hands the same ephemeral ports to every bind(0),
// so another test process running in parallel — or the next bind(0) of this
// one — can get the port before the server binds it. Instead, ports come
// from below the kernel's ephemeral range (ip_local_port_range), which
// neither bind(0) nor outgoing connections ever use, in blocks: a process
// owns a block while it holds an flock on the block's lock file (released by
// the kernel when the process dies, even by SIGKILL), and hands out each
// port of its blocks once.
#pragma once

#include <cstdint>

namespace kahuna::testing {

// A port on 127.0.0.1 that this process alone will use, checked bindable
// now. Thread-safe. Throws std::runtime_error when every block is taken.
std::uint16_t reserve_port();

}  // namespace kahuna::testing
