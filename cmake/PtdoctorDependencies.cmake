# Every dependency is a Debian package; say which one when it is missing.
find_package(PkgConfig QUIET)

macro(ptdoctor_require found package)
  if(NOT ${found})
    message(FATAL_ERROR "ptdoctor needs the Debian package '${package}' (apt-get install ${package})")
  endif()
endmacro()

if(PkgConfig_FOUND)
  pkg_check_modules(LIBPCI QUIET IMPORTED_TARGET libpci)
endif()
ptdoctor_require(LIBPCI_FOUND libpci-dev)

find_package(Boost 1.74 QUIET COMPONENTS filesystem)
ptdoctor_require(Boost_FOUND "libboost-dev libboost-filesystem-dev")

find_package(yaml-cpp QUIET)
ptdoctor_require(yaml-cpp_FOUND libyaml-cpp-dev)

find_package(spdlog QUIET)
ptdoctor_require(spdlog_FOUND libspdlog-dev)

find_package(nlohmann_json 3.10 QUIET)
ptdoctor_require(nlohmann_json_FOUND nlohmann-json3-dev)

find_package(CLI11 QUIET)
ptdoctor_require(CLI11_FOUND libcli11-dev)

find_package(ZLIB QUIET)
ptdoctor_require(ZLIB_FOUND zlib1g-dev)

find_package(LibArchive QUIET)
ptdoctor_require(LibArchive_FOUND libarchive-dev)

find_package(Threads REQUIRED)

# yaml-cpp 0.7's config names its target "yaml-cpp"; give everyone one name.
if(TARGET yaml-cpp AND NOT TARGET ptdoctor::yaml)
  add_library(ptdoctor::yaml ALIAS yaml-cpp)
endif()
