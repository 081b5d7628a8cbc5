# The ctest fixture fuzz_build: configures tests/fuzz/clang with clang++ and builds every fuzz target once.
# -D CLANGXX=... -D SOURCE_DIR=<repo> -D BUILD_DIR=... -D GENERATED_DIR=... -D CORE_LIBS="a.a|b.a" -D CCACHE=<ccache or "">
string(REPLACE "|" ";" core_libs "${CORE_LIBS}")
set(launcher "")
if(CCACHE)
  # The same sharing as the main build: checkouts in other folders reuse one cache.
  set(launcher "${CMAKE_COMMAND};-E;env;CCACHE_BASEDIR=${SOURCE_DIR};CCACHE_NOHASHDIR=1;${CCACHE}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/fuzz/clang" -B "${BUILD_DIR}" -DCMAKE_BUILD_TYPE=
          "-DCMAKE_CXX_COMPILER=${CLANGXX}" "-DPTDOCTOR_SOURCE_DIR=${SOURCE_DIR}"
          "-DPTDOCTOR_GENERATED_DIR=${GENERATED_DIR}" "-DPTDOCTOR_CORE_LIBS=${core_libs}" "-DCMAKE_CXX_COMPILER_LAUNCHER=${launcher}"
  RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
  message(FATAL_ERROR "configuring the fuzz targets (tests/fuzz/clang) with ${CLANGXX} failed")
endif()
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
execute_process(COMMAND ${CMAKE_COMMAND} --build "${BUILD_DIR}" -j ${cores} RESULT_VARIABLE built)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the fuzz targets in ${BUILD_DIR} failed")
endif()
