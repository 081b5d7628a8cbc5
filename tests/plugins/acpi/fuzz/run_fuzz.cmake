# Builds one libFuzzer target with clang++ (ASan + UBSan) and runs it for a bounded time on a copy of the
# checked-in seed corpus, so inputs found during the run never land in the source tree.
# -D CLANGXX=... -D NAME=dmar -D SOURCES="a.cpp;b.cpp" -D INCLUDE=... -D CORPUS=... -D WORK=... -D SECONDS=20
file(MAKE_DIRECTORY "${WORK}")
set(binary "${WORK}/${NAME}_fuzz")
execute_process(
  COMMAND "${CLANGXX}" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
          "-I${INCLUDE}" ${SOURCES} -o "${binary}"
  RESULT_VARIABLE built)
if(NOT built EQUAL 0)
  message(FATAL_ERROR "building the ${NAME} fuzz target with ${CLANGXX} failed (is libclang-rt-14-dev installed?)")
endif()
file(REMOVE_RECURSE "${WORK}/corpus")
file(COPY "${CORPUS}/" DESTINATION "${WORK}/corpus")
execute_process(
  COMMAND "${binary}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=1024 -print_final_stats=1
          "-artifact_prefix=${WORK}/" "${WORK}/corpus"
  RESULT_VARIABLE ran)
if(NOT ran EQUAL 0)
  message(FATAL_ERROR "the ${NAME} fuzz target found a crash, leak, hang or UB: reproducer in ${WORK}/ (crash-*, "
                      "timeout-*); run it with ${binary} <file>")
endif()
