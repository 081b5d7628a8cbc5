// The fact declarations: they load, they match what the plugins really write on every fixture host (so a new fact
// without a declaration fails here), `provides` and docs/facts.md are made from them, and bad declarations are
// refused with file:line.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <cctype>

#include "cli_runner.hpp"
#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"
#include "ptdoctor/json_fields.hpp"
#include "world.hpp"

namespace ptdoctor::testing {
namespace {

using facts::FactCatalog;

TEST(FactCatalog, StagedDeclarationsPluginsAndRulesLoadCleanly) {
  EXPECT_EQ(world().load_problems, std::vector<std::string>{});
  EXPECT_FALSE(world().catalog.empty());
  for (const auto& loaded : world().plugins) {
    EXPECT_FALSE(world().catalog.provides(loaded.info.fact_namespace).empty())
        << "plugin " << loaded.info.name << " has no plugins/" << loaded.info.name << "/facts.yaml";
  }
}

TEST(FactCatalog, EveryFactThePluginsWriteOnEveryFixtureIsDeclaredWithItsType) {
  for (const std::string& name : world().fixtures) {
    auto host = host::RootedHostView::open(fixture_root(name), host::HostViewOptions{});
    ASSERT_TRUE(host) << host.error().message;
    engine::Collection plain = collect(**host);
    // With a --gpu and every --usb too, so the selection facts are filled.
    std::vector<std::string> usb, gpu;
    if (const Json* list = plain.facts.find("usb.controllers"); list && list->is_array()) {
      for (const Json& c : *list) usb.push_back(string_field(c, "bdf"));
    }
    if (const Json* list = plain.facts.find("gpu.candidates"); list && list->is_array() && !list->empty()) {
      gpu.push_back(string_field(list->front(), "bdf"));
    }
    engine::Collection chosen = collect(**host, gpu, usb);
    for (const engine::Collection* collection : {&plain, &chosen}) {
      for (const std::string& problem : world().catalog.check_tree(collection->facts.tree())) {
        ADD_FAILURE() << name << ": " << problem;
      }
    }
  }
}

TEST(FactCatalog, GpuTargetInfoThatTwelveRulesReadIsDeclared) {
  const FactCatalog& catalog = world().catalog;
  ASSERT_NE(catalog.find("gpu.target_info"), nullptr);
  EXPECT_NE(catalog.find("gpu.target_info.flr"), nullptr);
  const auto provides = catalog.provides("gpu");
  EXPECT_NE(std::find(provides.begin(), provides.end(), "gpu.target_info"), provides.end());
}

TEST(FactCatalog, PluginsListTheirProvidesFromTheDeclarations) {
  CliResult result = run_ptdoctor({"plugins", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  Json listed = Json::parse(result.out);
  ASSERT_FALSE(listed["plugins"].empty());
  for (const Json& plugin : listed["plugins"]) {
    const std::string ns = plugin["namespace"].get<std::string>();
    EXPECT_EQ(plugin["provides"].get<std::vector<std::string>>(), world().catalog.provides(ns)) << ns;
  }
}

// docs/facts.md is made from the declarations. PTDOCTOR_UPDATE_DOCS=1 rewrites it (then review the diff).
TEST(FactCatalog, DocsFactsMdIsGeneratedFromTheDeclarations) {
  const std::string expected = facts::render_fact_reference(world().catalog);
  const std::string path = source_path("docs/facts.md");
  if (const char* update = std::getenv("PTDOCTOR_UPDATE_DOCS"); update != nullptr && std::string(update) == "1") {
    std::ofstream(path) << expected;
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), expected) << "docs/facts.md is out of date: run the test with PTDOCTOR_UPDATE_DOCS=1, or "
                                     "`ptdoctor plugins --facts-reference > docs/facts.md`";
}

std::string load_problems(const std::string& text) {
  FactCatalog catalog;
  std::string all;
  for (const Error& error : catalog.load_text(text, "t.yaml")) all += error.message + "\n";
  return all;
}

TEST(FactCatalog, BadDeclarationsAreRefusedWithFileAndLine) {
  const std::string head = "kind: facts\nplugin: usb\nfacts:\n";
  EXPECT_EQ(load_problems(head + "  usb.a: {type: list, doc: A list}\n  usb.a[]: {type: map, doc: One}\n"
                                 "  usb.a[].b: {type: string, doc: B}\n"),
            "");
  EXPECT_NE(load_problems(head + "  usb.a: {type: bool, doc: x}\n").find("t.yaml:4: usb.a: unknown type 'bool'"),
            std::string::npos);
  EXPECT_NE(load_problems(head + "  pci.a: {type: string, doc: x}\n").find("outside the plugin's namespace"),
            std::string::npos);
  EXPECT_NE(load_problems(head + "  usb.a[].b: {type: string, doc: x}\n").find("declare usb.a[] before it"),
            std::string::npos);
  EXPECT_NE(load_problems(head + "  usb.a: {type: string, doc: x}\n  usb.a[]: {type: string, doc: x}\n")
                .find("usb.a is declared string, not list"),
            std::string::npos);
  EXPECT_NE(load_problems(head + "  usb.a: {type: string}\n").find("give {type: TYPE, doc: ONE LINE}"),
            std::string::npos);
  EXPECT_NE(load_problems(head + "  usb.a: {type: string, doc: x}\n  usb.a: {type: string, doc: y}\n"),
            "");
  EXPECT_NE(load_problems("kind: rules\n").find("kind: facts"), std::string::npos);
}

TEST(FactCatalog, ConcretePathsResolveToTheirDeclarations) {
  FactCatalog catalog;
  ASSERT_TRUE(catalog
                  .load_text("kind: facts\nplugin: kernel\nfacts:\n"
                             "  kernel.config: {type: map, doc: Options}\n"
                             "  kernel.config.*: {type: string, doc: One option}\n"
                             "  kernel.list: {type: list, doc: L}\n"
                             "  kernel.list[]: {type: map, doc: E}\n"
                             "  kernel.list[].bdf: {type: string, doc: B}\n",
                             "t.yaml")
                  .empty());
  const auto* option = catalog.resolve({"kernel", "config", "CONFIG_XEN"});
  ASSERT_NE(option, nullptr);
  EXPECT_EQ(option->path, "kernel.config.*");
  const auto* bdf = catalog.resolve({"kernel", "list", "3", "bdf"});
  ASSERT_NE(bdf, nullptr);
  EXPECT_EQ(bdf->path, "kernel.list[].bdf");
  EXPECT_EQ(catalog.resolve({"kernel", "list", "3", "nope"}), nullptr);
  EXPECT_EQ(catalog.check_tree(Json{{"kernel", {{"list", {{{"bdf", 7}}}}}}}),
            (std::vector<std::string>{"kernel.list.0.bdf: is number, declared string (t.yaml:8)"}));
}

}  // namespace
}  // namespace ptdoctor::testing
