#include <kahuna/wire/request.h>

#include <algorithm>

namespace kahuna::wire {

Opcode opcode_of(const RequestBody& body) noexcept {
  return std::visit([](const auto& alternative) { return std::decay_t<decltype(alternative)>::kOpcode; },
                    body);
}

CallOptions to_call_options(const CallSettings& settings, std::chrono::milliseconds default_timeout) {
  CallOptions options;
  options.timeout =
      settings.timeout_ms == 0 ? default_timeout : std::chrono::milliseconds(settings.timeout_ms);
  options.consistency = settings.consistency;
  options.forwarded = settings.forwarded;
  options.request_id = settings.request_id;
  return options;
}

CallSettings to_call_settings(const CallOptions& options) noexcept {
  CallSettings settings;
  const std::int64_t ms = options.timeout.count();
  settings.timeout_ms = static_cast<std::uint32_t>(std::clamp<std::int64_t>(ms, 1, 0xFFFFFFFF));
  settings.consistency = options.consistency;
  settings.forwarded = options.forwarded;
  settings.request_id = options.request_id;
  return settings;
}

}  // namespace kahuna::wire
