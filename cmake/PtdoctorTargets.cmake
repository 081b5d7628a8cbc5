# Our warning set, applied per target (never globally, so dependencies' headers are not judged by it).
add_library(ptdoctor_warnings INTERFACE)
target_compile_options(ptdoctor_warnings INTERFACE -Wall -Wextra $<$<BOOL:${PTDOCTOR_WERROR}>:-Werror> -Wno-psabi
  # GCC 12 reports impossible overlaps inside libstdc++'s std::string at -O2 (GCC bug 105651): not our code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  # ...and "may be used uninitialized" through std::optional at -O2 (GCC bug 80635): kept visible, not fatal.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>)

# ptdoctor_add_plugin(<name> SOURCES <files...> [LIBRARIES <targets...>])
# One MODULE per plugin, named ptdoctor-<name>.so, built into the staged plugin directory and installed there.
# The fact declarations in this directory's facts.yaml (core/facts/fact_catalog.hpp), staged and installed as
# <name>.yaml, built with <target>: a plugin's, or the core's own namespace (spec.* from --spec).
function(ptdoctor_stage_facts name target)
  set(staged "${PTDOCTOR_STAGE_FACTS_DIR}/${name}.yaml")
  add_custom_command(OUTPUT "${staged}"
    COMMAND ${CMAKE_COMMAND} -E copy "${CMAKE_CURRENT_SOURCE_DIR}/facts.yaml" "${staged}"
    DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/facts.yaml" VERBATIM)
  add_custom_target(${target}_facts ALL DEPENDS "${staged}")
  add_dependencies(${target} ${target}_facts)
  install(FILES facts.yaml DESTINATION "${PTDOCTOR_FACTS_RELDIR}" RENAME "${name}.yaml")
endfunction()

function(ptdoctor_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target "ptdoctor_plugin_${name}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ptdoctor_plugin_api ptdoctor_util ptdoctor_warnings ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "ptdoctor-${name}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY "${PTDOCTOR_STAGE_PLUGIN_DIR}")
  install(TARGETS ${target} LIBRARY DESTINATION "${PTDOCTOR_PLUGIN_RELDIR}")
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/facts.yaml")
    ptdoctor_stage_facts(${name} ${target})
  endif()
  set_property(GLOBAL APPEND PROPERTY PTDOCTOR_PLUGIN_TARGETS ${target})
endfunction()

# ptdoctor_add_plugin_part(<target> SOURCES <files...> [PUBLIC <targets...>] [PRIVATE <targets...>])
# Some of a plugin's units as a static library of their own, so that tests can link them without loading the
# plugin: position independent (they end up in the module), hidden like the module's own code, this directory's
# headers public, our warnings.
function(ptdoctor_add_plugin_part target)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_include_directories(${target} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}")
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ptdoctor_warnings ${ARG_PRIVATE})
endfunction()

# ptdoctor_add_test(<name> SOURCES <files...> [LIBRARIES <targets...>])
# One GoogleTest executable per unit group, registered with CTest test by test.
function(ptdoctor_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gmock GTest::gtest_main ptdoctor_warnings ${ARG_LIBRARIES})
  target_compile_definitions(${name} PRIVATE
    PTDOCTOR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    PTDOCTOR_BINARY_DIR="${PROJECT_BINARY_DIR}"
    PTDOCTOR_STAGE_DIR="${PTDOCTOR_STAGE_DIR}"
    PTDOCTOR_STAGE_PLUGIN_DIR="${PTDOCTOR_STAGE_PLUGIN_DIR}"
    PTDOCTOR_STAGE_RULES_DIR="${PTDOCTOR_STAGE_RULES_DIR}"
    PTDOCTOR_STAGE_FACTS_DIR="${PTDOCTOR_STAGE_FACTS_DIR}"
    PTDOCTOR_STAGE_ARCHIVE_MODULE="${PTDOCTOR_STAGE_MODULE_DIR}/${PTDOCTOR_ARCHIVE_MODULE_NAME}"
    PTDOCTOR_BIN="${PTDOCTOR_STAGE_BIN_DIR}/ptdoctor"
    PTDOCTOR_FIXTURE_HOSTS_DIR="${PTDOCTOR_FIXTURE_HOSTS_DIR}")
  # Tests may run the staged binary and plugins on the generated fixtures: build those first.
  get_property(plugin_targets GLOBAL PROPERTY PTDOCTOR_PLUGIN_TARGETS)
  add_dependencies(${name} ptdoctor ptdoctor_rules ptdoctor_fixtures ${plugin_targets})
  gtest_discover_tests(${name} WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" DISCOVERY_TIMEOUT 60)
endfunction()

# Adds every immediate subdirectory of the current source directory that has a CMakeLists.txt, sorted.
# Plugins and test groups are discovered this way so adding one touches no shared file.
macro(ptdoctor_add_subdirectories)
  file(GLOB _ptd_children LIST_DIRECTORIES true RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/*")
  list(SORT _ptd_children)
  foreach(_ptd_child IN LISTS _ptd_children)
    if(IS_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/${_ptd_child}" AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${_ptd_child}/CMakeLists.txt")
      add_subdirectory(${_ptd_child})
    endif()
  endforeach()
endmacro()
