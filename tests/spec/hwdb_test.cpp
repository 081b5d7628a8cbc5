#include "spec/hwdb.hpp"

#include <gtest/gtest.h>

#include "spec/name_match.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

HardwareDatabase shipped() {
  auto db = load_hardware_database({source_path("rules")});
  EXPECT_TRUE(db) << (db ? "" : db.error().message);
  return db ? std::move(db.value()) : HardwareDatabase{};
}

TEST(HardwareDatabase, ShippedDatabaseLoadsWithSourcesAndHundredsOfEntries) {
  HardwareDatabase db = shipped();
  EXPECT_EQ(db.files.size(), 3u);
  EXPECT_GT(db.cpus.size() + db.chipsets.size() + db.gpus.size(), 300u);
  for (const auto& cpu : db.cpus) EXPECT_FALSE(cpu.source.empty()) << cpu.model;
  for (const auto& chipset : db.chipsets) EXPECT_FALSE(chipset.source.empty()) << chipset.name;
  for (const auto& gpu : db.gpus) EXPECT_FALSE(gpu.source.empty()) << gpu.device_id;
}

TEST(HardwareDatabase, KSeriesBeforeSkylakeLackVtdAndNonKHaveIt) {
  HardwareDatabase db = shipped();
  for (const char* model : {"Core i7-2600K", "Core i5-3570K", "Core i7-4770K", "Core i5-2500K"}) {
    const CpuEntry* cpu = db.find_cpu(model);
    ASSERT_NE(cpu, nullptr) << model;
    EXPECT_EQ(cpu->iommu, "false") << model;
    EXPECT_TRUE(cpu->vmx) << model;  // VT-x is there; only VT-d is missing
  }
  for (const char* model : {"Core i7-2600", "Core i5-3570", "Core i7-4770", "Core i7-4790K", "Core i7-6700K"}) {
    const CpuEntry* cpu = db.find_cpu(model);
    ASSERT_NE(cpu, nullptr) << model;
    EXPECT_EQ(cpu->iommu, "true") << model;
  }
  EXPECT_EQ(db.find_cpu("Core i7-920")->iommu, "chipset");
  EXPECT_EQ(db.find_chipset("X58")->iommu, "true");
  EXPECT_EQ(db.find_cpu("AMD Ryzen 7 5800X 8-Core Processor")->vendor, "AuthenticAMD");
}

TEST(HardwareDatabase, NamesMatchHowFirmwareAndPeopleWriteThem) {
  HardwareDatabase db = shipped();
  EXPECT_EQ(part_key("Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz"), "i7-920");
  EXPECT_EQ(part_key("Core i7-920"), "i7-920");
  ASSERT_NE(db.find_cpu("Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz"), nullptr);
  EXPECT_EQ(db.find_cpu("Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz")->model, "Core i7-2600K");
  // Close is not equal: an unknown part is not matched to a neighbour.
  EXPECT_EQ(db.find_cpu("Core i7-2600KF"), nullptr);
  EXPECT_EQ(db.find_cpu("Core i7-26"), nullptr);
  ASSERT_NE(db.find_chipset("X58/ICH10R"), nullptr);
  EXPECT_EQ(db.find_chipset("X58/ICH10R")->name, "X58");
  EXPECT_EQ(db.find_board("asus p8z68-v")->chipset, "Z68");
}

TEST(HardwareDatabase, GpusByPciIdOrName) {
  HardwareDatabase db = shipped();
  auto by_id = db.find_gpus("0x1002:0x6718");
  ASSERT_EQ(by_id.size(), 1u);
  EXPECT_EQ(by_id[0]->pci_ids_name, "Cayman XT [Radeon HD 6970]");
  auto by_name = db.find_gpus("AMD Radeon HD 6970");
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0]->device_id, "0x6718");
  EXPECT_GT(db.find_gpus("Radeon R7 240").size(), 1u);  // sold under several ids
  EXPECT_TRUE(db.find_gpus("Voodoo 5 6000").empty());
}

TEST(HardwareDatabase, AGroupWithoutSourceIsRefusedWithItsLine) {
  TempTree tree;
  std::string path = tree.write("/hwdb/cpus.yaml",
                                "kind: hwdb\ntable: cpus\ngroups:\n  - vendor: GenuineIntel\n    vmx: true\n"
                                "    iommu: true\n    models: [\"Core i9-99999\"]\n");
  HardwareDatabase db;
  auto loaded = load_hardware_file(path, db);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find(path + ":4:"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("without a source"), std::string::npos);
}

TEST(HardwareDatabase, LaterDirectoriesCorrectEarlierOnes) {
  TempTree tree;
  tree.write("/hwdb/cpus.yaml",
             "kind: hwdb\ntable: cpus\ngroups:\n  - vendor: GenuineIntel\n    source: local test\n    vmx: true\n"
             "    iommu: true\n    models: [\"Core i7-2600K\", \"Core i9-99999\"]\n");
  auto db = load_hardware_database({source_path("rules"), tree.path()});
  ASSERT_TRUE(db) << db.error().message;
  EXPECT_EQ(db->find_cpu("Core i7-2600K")->iommu, "true");
  EXPECT_EQ(db->find_cpu("Core i7-2600K")->source, "local test");
  EXPECT_NE(db->find_cpu("Core i9-99999"), nullptr);
}

}  // namespace
}  // namespace ptdoctor::spec
