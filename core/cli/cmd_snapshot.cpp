#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <ctime>

#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "snapshot/redact.hpp"
#include "snapshot/snapshot_collector.hpp"
#include "snapshot/snapshot_writer.hpp"

namespace ptdoctor::cli {
namespace {

// host-<hostname>-<YYYYMMDD>.tar.gz, with anything but [A-Za-z0-9.-] in the hostname replaced.
std::string default_output(const std::string& hostname) {
  std::string safe;
  for (char c : hostname.empty() ? std::string("unknown") : hostname) {
    safe += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  }
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", &tm);
  return "host-" + safe + "-" + date + ".tar.gz";
}

void print_summary(const snapshot::SnapshotContents& contents, const std::string& output, bool verbose) {
  const Json& unreadable = contents.manifest["unreadable"];
  const Json& excluded = contents.manifest["excluded"];
  std::fprintf(stderr,
               "ptdoctor: snapshot written to %s: %zu files (%zu bytes), %zu links, %zu directories, %zu captures\n",
               output.c_str(), contents.files, contents.bytes, contents.links, contents.directories,
               contents.captures);
  if (!unreadable.empty()) {
    std::fprintf(stderr, "ptdoctor: %zu paths could not be read%s (listed in .ptdoctor/manifest.json)\n",
                 unreadable.size(), ::geteuid() == 0 ? "" : "; run as root for a complete snapshot");
  }
  if (!excluded.empty()) {
    std::fprintf(stderr, "ptdoctor: %zu paths were left out on purpose (secrets policy, see docs/snapshots.md)\n",
                 excluded.size());
  }
  if (!verbose) return;
  for (const Json& item : unreadable) {
    std::fprintf(stderr, "  not read: %s: %s\n", item["path"].get<std::string>().c_str(),
                 item["reason"].get<std::string>().c_str());
  }
  for (const Json& item : excluded) {
    std::fprintf(stderr, "  left out: %s: %s\n", item["path"].get<std::string>().c_str(),
                 item["reason"].get<std::string>().c_str());
  }
}

}  // namespace

// Runs the plugins, then archives exactly what they read (plus captures and a manifest) for `--snapshot`.
void register_snapshot(CLI::App& app, CommandContext& context) {
  struct Local {
    std::string output;
    bool redact = false;
  };
  auto local = std::make_shared<Local>();
  CLI::App* command = app.add_subcommand(
      "snapshot", "Archive what the checks read on this host, to judge it elsewhere with check --snapshot");
  add_host_options(*command, context.options);
  command->add_option("-o,--output", local->output, "Write the archive to FILE (default host-<name>-<date>.tar.gz)")
      ->type_name("FILE");
  command->add_flag("--redact", local->redact, "Replace the hostname, serial numbers, MAC addresses, UUIDs and /home user names");
  command->callback([&context, local] {
    context.action = [&context, local]() -> int {
      if (!context.options.specs.empty()) throw UsageError("snapshot: --spec describes no host to archive");
      require_archive_module();  // before collecting: nothing to write it with otherwise
      Session session(context.options, /*record_accesses=*/true);
      engine::Collection& collected = session.collection();
      snapshot::CollectOptions options;
      options.redact = local->redact;
      for (const PluginRun& run : collected.runs) options.plugins.push_back(run.name);
      auto contents = snapshot::collect_snapshot(session.host(), options);
      std::string output = local->output;
      if (output.empty()) output = default_output(contents.manifest["hostname"].get<std::string>());
      auto written = snapshot::write_archive(output, contents.entries);
      if (!written) {
        spdlog::error("cannot write the snapshot: {}", written.error().message);
        return kExitCantCreate;
      }
      if (!context.options.quiet) print_summary(contents, output, context.options.verbosity > 0);
      return 0;
    };
  });
}

}  // namespace ptdoctor::cli
