// The board-firmware table (rules/hwdb/board-firmware.yaml): real firmware evidence with its provenance, looked
// up as people name boards, summed per chipset; an entry without provenance is refused; the shipped file is what
// the checked-in generator makes from the linuxhw/ACPI summary.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/hwdb.hpp"
#include "shipped_hwdb.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {
namespace {

using ptdoctor::testing::source_path;
using ptdoctor::testing::TempTree;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BoardFirmware, ModelsAreFoundWithOrWithoutTheirVendor) {
  HardwareDatabase db = shipped_hardware_database();
  for (const char* name :
       {"ASUSTek Computer ROG STRIX X570-E GAMING", "ASUS ROG STRIX X570-E GAMING", "rog strix x570-e gaming"}) {
    const BoardFirmware* board = db.find_board_firmware(name);
    ASSERT_NE(board, nullptr) << name;
    EXPECT_EQ(board->ivrs, 1) << name;
    EXPECT_EQ(board->machines, 1) << name;
    EXPECT_NE(board->provenance.find("1C1934A994B8"), std::string::npos) << board->provenance;
  }
  const BoardFirmware* taichi = db.find_board_firmware("ASRock X570 Taichi");
  ASSERT_NE(taichi, nullptr);
  EXPECT_EQ(taichi->machines, 2);
  EXPECT_EQ(taichi->none, 2);  // both dumps: IOMMU off in the firmware at the time
  EXPECT_EQ(db.find_board_firmware("ASUS PRIME Z999-NOTHING"), nullptr);
}

TEST(BoardFirmware, SharedUsbRmrrsAreKeptPerModel) {
  HardwareDatabase db = shipped_hardware_database();
  const BoardFirmware* t3500 = db.find_board_firmware("Dell Precision WorkStation T3500");
  ASSERT_NE(t3500, nullptr);
  ASSERT_EQ(t3500->usb_rmrr.size(), 1u);
  EXPECT_EQ(t3500->usb_rmrr[0], "00:1d.0+00:1d.1+00:1d.2+00:1d.7+00:1a.0+00:1a.1+00:1a.2+00:1a.7");
  EXPECT_EQ(t3500->intr_remap, 0);  // an X58 workstation whose DMAR does not offer interrupt remapping
  EXPECT_NE(t3500->provenance.find("shared RMRR"), std::string::npos);
}

TEST(BoardFirmware, EvidenceIsSummedOverBoardsNamedAfterAChipset) {
  HardwareDatabase db = shipped_hardware_database();
  ChipsetFirmware x570 = db.chipset_firmware(*db.find_chipset("X570"));
  EXPECT_GE(x570.boards, 5);
  EXPECT_EQ(x570.machines, x570.ivrs + x570.none + x570.dmar);
  EXPECT_GE(x570.ivrs, 3);
  EXPECT_GE(x570.none, 4);  // the ASRock X570 dumps
  EXPECT_EQ(x570.dmar, 0);
  ChipsetFirmware b660 = db.chipset_firmware(*db.find_chipset("B660"));
  EXPECT_EQ(b660.boards, 2);
  EXPECT_EQ(b660.dmar, 2);
  EXPECT_TRUE(b660.shared_usb_rmrr.empty());
}

TEST(BoardFirmware, AnEntryWithoutProvenanceIsRefused) {
  TempTree tree;
  std::string path = tree.write("/hwdb/board-firmware.yaml",
                                "kind: hwdb\ntable: board-firmware\nsource: test\nboards:\n"
                                "  - {vendor: X, model: Y, kind: Desktop, machines: 1, dmar: 1, ivrs: 0, none: 0,\n"
                                "     intr_remap: 1, usb_rmrr: []}\n");
  HardwareDatabase db;
  auto loaded = load_hardware_file(path, db);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find(path + ":5:"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("without provenance"), std::string::npos) << loaded.error().message;
  std::string no_source = tree.write("/b.yaml", "kind: hwdb\ntable: board-firmware\nboards: []\n");
  EXPECT_FALSE(load_hardware_file(no_source, db));
}

TEST(BoardFirmware, FiguresThatDoNotAddUpAreRefused) {
  TempTree tree;
  std::string path = tree.write("/b.yaml",
                                "kind: hwdb\ntable: board-firmware\nsource: test\nboards:\n"
                                "  - {vendor: X, model: Y, machines: 2, dmar: 1, ivrs: 0, none: 0,"
                                " provenance: p}\n");
  HardwareDatabase db;
  auto loaded = load_hardware_file(path, db);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("dmar + ivrs + none"), std::string::npos) << loaded.error().message;
}

// The shipped table is the generator's output for the real-world summary (beside the repository in CI).
TEST(BoardFirmware, ShippedTableIsTheGeneratorsOutput) {
  std::string tsv = source_path("../shared/realworld/boards.tsv");
  if (!std::filesystem::exists(tsv)) GTEST_SKIP() << "no " << tsv << " beside the repository";
  TempTree tree;
  std::string out = tree.path() + "/board-firmware.yaml";
  std::string command = "python3 '" + source_path("tests/spec/tools/make_board_firmware.py") + "' '" + tsv + "' '" +
                        out + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_EQ(slurp(out), slurp(source_path("rules/hwdb/board-firmware.yaml")))
      << "rules/hwdb/board-firmware.yaml is stale: run tests/spec/tools/make_board_firmware.py";
}

}  // namespace
}  // namespace ptdoctor::spec
