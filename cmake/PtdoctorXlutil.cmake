# ptdoctor_xlutil_soname(<var>): the SONAME of the libxlutil pkg-config found (XLUTIL_LIBRARY_DIRS), e.g.
# "libxlutil.so.4.17". plugins/domu does not link libxlutil but dlopens it by this name when a config is parsed
# (plugins/domu/xlutil_library.hpp), so it loads the library whose headers it was compiled against.
function(ptdoctor_xlutil_soname out)
  find_library(xlutil_file NAMES xlutil HINTS ${XLUTIL_LIBRARY_DIRS} NO_CACHE)
  if(xlutil_file AND CMAKE_OBJDUMP)
    execute_process(COMMAND "${CMAKE_OBJDUMP}" -p "${xlutil_file}" OUTPUT_VARIABLE dump ERROR_QUIET)
    string(REGEX MATCH "SONAME[ \t]+([^ \t\n]+)" soname_line "${dump}")
  endif()
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "cannot read the SONAME of libxlutil ('${xlutil_file}') with objdump ('${CMAKE_OBJDUMP}'): "
                        "install libxen-dev and binutils")
  endif()
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()
