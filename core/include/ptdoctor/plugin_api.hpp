#pragma once
// The plugin ABI. A plugin is a shared library exporting two symbols:
//   ptdoctor_plugin_abi      extern "C" int(): checked before anything else is touched
//   ptdoctor_plugin_factory  Boost.DLL alias of std::unique_ptr<Plugin>() that makes the plugin object
// Use PTDOCTOR_PLUGIN(ClassName) in exactly one source file of the plugin.
// Plugins collect facts; they never judge, format output or write to the host.
// Bump kPluginAbiVersion on any change to this header, host_view.hpp, facts.hpp, json.hpp or result.hpp.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"

namespace ptdoctor {

// 2: HostView::list_dir_entries. 3: Json objects are JsonObjectMap (json_object_map.hpp), not std::map.
inline constexpr int kPluginAbiVersion = 3;

struct PluginInfo {
  std::string name;            // "cpu"
  std::string version;         // "1.0.0"
  std::string fact_namespace;  // "cpu": the plugin may write only under this
  std::string summary;         // one line for `ptdoctor plugins`
  std::vector<std::string> provides;  // documented fact paths, for `ptdoctor plugins`
  std::vector<std::string> needs;     // namespaces of other plugins that must run first ("pci", "acpi")
};

// What the user chose on the command line that plugins may need: "gpu" -> {"0000:08:00.0"}, "usb" -> {...},
// "kernel-config" -> {"/path/to/.config"}. Keys are the long option names without dashes.
using PluginOptions = std::map<std::string, std::vector<std::string>>;

struct CollectContext {
  const HostView& host;
  const FactReader& facts;  // facts of plugins that ran before this one
  const PluginOptions& options;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo info() const = 0;
  // Throwing is allowed but poor form: the core turns it into an "error" entry, and every rule that needed
  // this plugin's facts reports "unknown". Prefer FactWriter::unknown with a reason.
  virtual void collect(const CollectContext& context, FactWriter& out) = 0;
};

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace ptdoctor

#define PTDOCTOR_PLUGIN(ClassName)                                                       \
  namespace ptdoctor_plugin_entry {                                                      \
  std::unique_ptr<::ptdoctor::Plugin> create() { return std::make_unique<ClassName>(); } \
  }                                                                                      \
  extern "C" BOOST_SYMBOL_EXPORT int ptdoctor_plugin_abi() { return ::ptdoctor::kPluginAbiVersion; } \
  BOOST_DLL_ALIAS(ptdoctor_plugin_entry::create, ptdoctor_plugin_factory)
