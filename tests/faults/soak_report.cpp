#include "soak_report.h"

#include <cstdio>

namespace kahuna::faults {
namespace {

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::map<std::string, int> total_faults(const SoakReport& report) {
  std::map<std::string, int> total;
  for (const auto& epoch : report.epochs) {
    for (const auto& [kind, count] : epoch.faults) total[kind] += count;
  }
  return total;
}

std::map<std::string, OutcomeCounts> total_operations(const SoakReport& report) {
  std::map<std::string, OutcomeCounts> total;
  for (const auto& epoch : report.epochs) {
    for (const auto& [workload, counts] : epoch.operations) {
      total[workload].ok += counts.ok;
      total[workload].fail += counts.fail;
      total[workload].unknown += counts.unknown;
    }
  }
  return total;
}

}  // namespace

bool SoakReport::ok() const {
  if (epochs.empty()) return false;
  for (const auto& epoch : epochs) {
    if (!epoch.harness_errors.empty()) return false;
    for (const auto& check : epoch.checks) {
      if (check.verdict != "ok") return false;
    }
  }
  return true;
}

void write_markdown(const SoakReport& report, std::ostream& out) {
  out << "# Kahuna fault soak\n\n"
      << "| | |\n|---|---|\n"
      << "| result | **" << (report.ok() ? "pass" : "FAIL") << "**"
      << (report.interrupted ? " (interrupted)" : "") << " |\n"
      << "| seed | " << report.seed << " |\n"
      << "| duration | " << report.duration << " asked, " << static_cast<long>(report.seconds) << " s run |\n"
      << "| nodes | " << report.nodes << " |\n"
      << "| membership changes | "
      << (report.spares > 0 ? "on, " + std::to_string(report.spares) + " spare nodes to join"
                            : std::string("off"))
      << " |\n"
      << "| engine | " << report.engine << " |\n"
      << "| mode | " << report.mode
      << (report.mode == "strict"    ? " (mustRetry recorded as fail: not applied)"
          : report.mode == "lenient" ? " (mustRetry recorded as unknown)"
                                     : "")
      << " |\n"
      << "| epochs | " << report.epochs.size() << " |\n\n";
  out << "## Faults injected\n\n| kind | count |\n|---|---|\n";
  for (const auto& [kind, count] : total_faults(report)) out << "| " << kind << " | " << count << " |\n";
  out << "\n## Operations\n\n| workload | ok | fail | unknown |\n|---|---|---|---|\n";
  for (const auto& [workload, counts] : total_operations(report)) {
    out << "| " << workload << " | " << counts.ok << " | " << counts.fail << " | " << counts.unknown
        << " |\n";
  }
  out << "\n## Epochs\n\n| epoch | seconds | faults | registers | locks | sequences | unique writes | bank | "
         "list-append | held keys |\n"
      << "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& epoch : report.epochs) {
    out << "| " << epoch.number << " | " << static_cast<long>(epoch.seconds) << " | ";
    bool first = true;
    for (const auto& [kind, count] : epoch.faults) {
      out << (first ? "" : ", ") << kind << " " << count;
      first = false;
    }
    out << " |";
    for (const char* name :
         {"registers", "locks", "sequences", "unique writes", "bank", "list-append", "held keys"}) {
      std::string cell = "-";
      for (const auto& check : epoch.checks) {
        if (check.check == name) cell = check.verdict + " (" + check.summary + ")";
      }
      out << " " << cell << " |";
    }
    out << "\n";
  }
  bool any = false;
  for (const auto& epoch : report.epochs) {
    for (const auto& error : epoch.harness_errors) {
      if (!any) out << "\n## Problems\n\n";
      any = true;
      out << "- epoch " << epoch.number << ", harness: " << error << "\n";
    }
    for (const auto& check : epoch.checks) {
      if (check.verdict == "ok") continue;
      if (!any) out << "\n## Problems\n\n";
      any = true;
      out << "- epoch " << epoch.number << ", " << check.check << ": **" << check.verdict << "**\n";
      for (const auto& violation : check.violations) out << "\n```\n" << violation << "\n```\n";
    }
  }
  if (!any) out << "\nNo violations.\n";
}

void write_json(const SoakReport& report, std::ostream& out) {
  out << "{\n  \"result\": " << json_string(report.ok() ? "pass" : "fail")
      << ",\n  \"interrupted\": " << (report.interrupted ? "true" : "false")
      << ",\n  \"seed\": " << report.seed << ",\n  \"duration\": " << json_string(report.duration)
      << ",\n  \"seconds\": " << report.seconds << ",\n  \"nodes\": " << report.nodes
      << ",\n  \"spares\": " << report.spares << ",\n  \"engine\": " << json_string(report.engine)
      << ",\n  \"mode\": " << json_string(report.mode) << ",\n  \"epochs\": [";
  for (std::size_t e = 0; e < report.epochs.size(); ++e) {
    const EpochResult& epoch = report.epochs[e];
    out << (e ? "," : "") << "\n    {\"epoch\": " << epoch.number << ", \"seconds\": " << epoch.seconds
        << ", \"faults\": {";
    bool first = true;
    for (const auto& [kind, count] : epoch.faults) {
      out << (first ? "" : ", ") << json_string(kind) << ": " << count;
      first = false;
    }
    out << "}, \"operations\": {";
    first = true;
    for (const auto& [workload, counts] : epoch.operations) {
      out << (first ? "" : ", ") << json_string(workload) << ": {\"ok\": " << counts.ok
          << ", \"fail\": " << counts.fail << ", \"unknown\": " << counts.unknown << "}";
      first = false;
    }
    out << "}, \"checks\": [";
    for (std::size_t c = 0; c < epoch.checks.size(); ++c) {
      const CheckVerdict& check = epoch.checks[c];
      out << (c ? ", " : "") << "{\"check\": " << json_string(check.check)
          << ", \"verdict\": " << json_string(check.verdict)
          << ", \"summary\": " << json_string(check.summary) << ", \"violations\": [";
      for (std::size_t v = 0; v < check.violations.size(); ++v) {
        out << (v ? ", " : "") << json_string(check.violations[v]);
      }
      out << "]}";
    }
    out << "], \"harness_errors\": [";
    for (std::size_t h = 0; h < epoch.harness_errors.size(); ++h) {
      out << (h ? ", " : "") << json_string(epoch.harness_errors[h]);
    }
    out << "]}";
  }
  out << "\n  ]\n}\n";
}

}  // namespace kahuna::faults
