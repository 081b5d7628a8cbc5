// The hardware database exactly as ptdoctor ships it (rules/hwdb), loaded once per test; a load error fails the
// test that asked for it and leaves an empty database, so later assertions report what is missing.
#pragma once

#include <gtest/gtest.h>

#include "spec/hwdb.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::spec {

inline HardwareDatabase shipped_hardware_database() {
  auto db = load_hardware_database({ptdoctor::testing::source_path("rules")});
  EXPECT_TRUE(db) << (db ? "" : db.error().message);
  return db ? std::move(db.value()) : HardwareDatabase{};
}

}  // namespace ptdoctor::spec
