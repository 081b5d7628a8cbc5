#pragma once
// Part names as people and firmware write them ("Intel(R) Core(TM) i7-920 CPU @ 2.67GHz", "core i7 920",
// "AMD Radeon HD 6970") reduced to a key that compares equal when they name the same part ("i7-920",
// "radeon hd 6970"). Only spelling is normalised: a name that is not in the database is never "close enough".
#include <string>
#include <string_view>

namespace ptdoctor::spec {

std::string part_key(std::string_view name);
// A motherboard or machine model: part_key without the board vendors' names ("ASUSTek Computer", "Gigabyte
// Technology", "MSI", "GA-") and with '-' and '_' as spaces, so "ASUS ROG STRIX X570-E GAMING" and
// "ROG STRIX X570-E Gaming" compare equal.
std::string board_key(std::string_view name);

// "1002:6719", "0x1002:0x6719", "1002 6719" -> {"0x1002", "0x6719"}; false when the text is not a PCI id.
bool parse_pci_id(std::string_view text, std::string& vendor_id, std::string& device_id);

}  // namespace ptdoctor::spec
