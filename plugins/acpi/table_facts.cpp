#include "table_facts.hpp"

namespace ptdoctor::acpi {

Json header_facts(const TablePrelude& prelude) {
  const AcpiHeader& header = prelude.header;
  return Json{{"signature", header.signature}, {"length", header.length}, {"revision", header.revision},
              {"oem_id", header.oem_id}, {"oem_table_id", header.oem_table_id},
              {"oem_revision", header.oem_revision}, {"creator_id", header.creator_id},
              {"creator_revision", header.creator_revision}};
}

}  // namespace ptdoctor::acpi
