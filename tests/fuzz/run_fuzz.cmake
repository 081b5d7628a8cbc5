# Runs one libFuzzer target for a bounded time on a copy of its checked-in seed corpus, so inputs found during the
# run never land in the source tree. -D BINARY=... -D CORPUS=... -D DICT=... -D WORK=... -D SECONDS=10
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(COPY "${CORPUS}/" DESTINATION "${WORK}/corpus")
set(dict_option "")
if(EXISTS "${DICT}")
  set(dict_option "-dict=${DICT}")
endif()
# -rss_limit_mb and -malloc_limit_mb make an oversized allocation a finding; -timeout one input that takes > 25 s
# (any real input takes milliseconds; the margin keeps a busy 2-core CI machine from reporting a false hang).
execute_process(
  COMMAND "${BINARY}" -max_total_time=${SECONDS} -timeout=25 -rss_limit_mb=1024 -malloc_limit_mb=512
          -print_final_stats=1 ${dict_option} "-artifact_prefix=${WORK}/" "${WORK}/corpus"
  RESULT_VARIABLE ran)
if(NOT ran EQUAL 0)
  message(FATAL_ERROR "the fuzz target ${BINARY} found a crash, leak, hang, UB or oversized allocation: reproducer "
                      "in ${WORK}/ (crash-*, leak-*, timeout-*, oom-*); replay it with ${BINARY} <file>")
endif()
