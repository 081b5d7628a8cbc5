#include "spec/hwdb.hpp"

#include <gtest/gtest.h>

#include "spec/name_match.hpp"
#include "shipped_hwdb.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

TEST(HardwareDatabase, ShippedDatabaseLoadsWithSourcesAndHundredsOfEntries) {
  HardwareDatabase db = shipped_hardware_database();
  EXPECT_EQ(db.files.size(), 4u);
  EXPECT_GT(db.cpus.size() + db.chipsets.size() + db.gpus.size(), 300u);
  EXPECT_GT(db.board_firmware.size(), 500u);
  // Every entry says where it comes from.
  for (const auto& cpu : db.cpus) {
    EXPECT_FALSE(cpu.source.empty()) << cpu.model;
    if (!cpu.igpu.empty()) {
      EXPECT_FALSE(cpu.igpu_source.empty()) << cpu.model;
    }
  }
  for (const auto& chipset : db.chipsets) EXPECT_FALSE(chipset.source.empty()) << chipset.name;
  for (const auto& board : db.boards) EXPECT_FALSE(board.source.empty()) << board.model;
  for (const auto& gpu : db.gpus) EXPECT_FALSE(gpu.source.empty()) << gpu.device_id;
  for (const auto& board : db.board_firmware) {
    EXPECT_NE(board.provenance.find("firmware of"), std::string::npos) << board.model;
    EXPECT_NE(board.source.find("linuxhw/ACPI"), std::string::npos) << board.model;
  }
}

TEST(HardwareDatabase, TylersburgChipsetsAreMarkedIommuOnlyWithoutInterruptRemapping) {
  HardwareDatabase db = shipped_hardware_database();
  for (const char* name : {"X58", "5520", "5500"}) {
    const ChipsetEntry* chipset = db.find_chipset(name);
    ASSERT_NE(chipset, nullptr) << name;
    EXPECT_EQ(chipset->iommu, "true") << name;
    EXPECT_EQ(chipset->iommu_quirk, "no-intremap") << name;
    EXPECT_NE(chipset->quirk_note.find("IOMMU only without interrupt remapping"), std::string::npos) << name;
    EXPECT_NE(chipset->source.find("quirks.c"), std::string::npos) << name;
  }
  EXPECT_EQ(db.find_chipset("Q45")->iommu_quirk, "");
  EXPECT_EQ(db.find_chipset("B660")->iommu_quirk, "");
}

TEST(HardwareDatabase, IntegratedGraphicsPerModel) {
  HardwareDatabase db = shipped_hardware_database();
  EXPECT_EQ(db.find_cpu("Core i5-12400F")->igpu, "false");  // F: no graphics
  EXPECT_EQ(db.find_cpu("Core i5-12400")->igpu, "true");
  EXPECT_EQ(db.find_cpu("Ryzen 7 5800X3D")->igpu, "false");
  EXPECT_EQ(db.find_cpu("Ryzen 7 7800X3D")->igpu, "true");  // AM5 parts carry a small Radeon
  EXPECT_EQ(db.find_cpu("Core i7-920")->igpu, "false");
  EXPECT_EQ(db.find_cpu("Core i5-2450P")->igpu, "false");
  EXPECT_EQ(db.find_cpu("Core i5-2400")->igpu, "true");
  EXPECT_EQ(db.find_cpu("Core 2 Quad Q9550")->igpu, "");  // not in the database: unknown, never guessed
}

TEST(HardwareDatabase, PartNamesAsPeopleWriteThem) {
  HardwareDatabase db = shipped_hardware_database();
  for (const char* name : {"Ryzen 7 5800X3D", "ryzen 7 5800x3d", "AMD Ryzen 7 5800X3D 8-Core Processor",
                           "AMD RYZEN 7 5800X3D"}) {
    ASSERT_NE(db.find_cpu(name), nullptr) << name;
    EXPECT_EQ(db.find_cpu(name)->model, "Ryzen 7 5800X3D") << name;
  }
  EXPECT_EQ(db.find_cpu("intel core i5-12400f")->model, "Core i5-12400F");
  EXPECT_EQ(db.find_gpus("NVIDIA GeForce GTX 1050 Ti").size(), 1u);
  EXPECT_EQ(db.find_gpus("10de:1c82").front()->pci_ids_name, "GP107 [GeForce GTX 1050 Ti]");
  EXPECT_EQ(db.find_gpus("0x10DE:0x1C82").size(), 1u);
}

TEST(HardwareDatabase, MotherboardsResolveToTheirChipset) {
  HardwareDatabase db = shipped_hardware_database();
  BoardChipset b660 = db.board_chipset("MSI PRO B660M-A");
  ASSERT_NE(b660.chipset, nullptr);
  EXPECT_EQ(b660.chipset->name, "B660");
  EXPECT_NE(b660.provenance.find("'B660M' is B660"), std::string::npos) << b660.provenance;
  for (auto [board, chipset] : std::vector<std::pair<const char*, const char*>>{
           {"ASUS ROG STRIX X570-E GAMING", "X570"}, {"Gigabyte GA-EX58-UD5", "X58"}, {"ASUS P8Z68-V", "Z68"},
           {"ASRock B650E PG Riptide WiFi", "B650E"}, {"ASUS Z170I PRO GAMING", "Z170"},
           {"Gigabyte Z97X-Gaming 5", "Z97"}, {"ASUS P8H61-M LX R2.0", "H61"}}) {
    BoardChipset resolved = db.board_chipset(board);
    ASSERT_NE(resolved.chipset, nullptr) << board;
    EXPECT_EQ(resolved.chipset->name, chipset) << board;
  }
  // A bare number is never read as a chipset from a name: the Precision 5520 is a laptop, not a 5520 board.
  EXPECT_EQ(db.board_chipset("Dell Precision 5520").chipset, nullptr);
  EXPECT_EQ(db.board_chipset("MSI MS-7C37").chipset, nullptr);
}


TEST(HardwareDatabase, KSeriesBeforeSkylakeLackVtdAndNonKHaveIt) {
  HardwareDatabase db = shipped_hardware_database();
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
  HardwareDatabase db = shipped_hardware_database();
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
  HardwareDatabase db = shipped_hardware_database();
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
