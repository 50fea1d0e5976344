# Compiles packaging/windows/wharf.rc.in the way the Windows build does (configure, preprocess,
# resource-compile), with LLVM's llvm-rc, so that the template and the .ico rendered at build
# time are checked on Linux too. Then reads the .res back: one icon group named IDI_ICON1 with
# every rendered size, and a VERSIONINFO carrying the project version.
#
#   cmake -DRC_IN=... -DICO=... -DCLANG=... -DLLVM_RC=... -DLLVM_READOBJ=... -DWORK_DIR=...
#         -DVERSION=x.y.z -DICON_COUNT=n -P check-windows-rc.cmake

cmake_minimum_required(VERSION 3.22)

foreach(var RC_IN ICO CLANG LLVM_RC LLVM_READOBJ WORK_DIR VERSION ICON_COUNT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} not set")
  endif()
endforeach()
if(NOT EXISTS "${ICO}")
  message(FATAL_ERROR "no rendered icon at ${ICO} (build the wharf_icons target)")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# The few <winver.h> constants the template uses, with the Windows SDK's values; MSVC's rc and
# MinGW's windres bring the real header.
file(WRITE "${WORK_DIR}/winver.h" [=[
#define VS_VERSION_INFO 1
#define VS_FFI_FILEFLAGSMASK 0x0000003FL
#define VOS_NT_WINDOWS32 0x00040004L
#define VFT_APP 0x00000001L
#define VFT2_UNKNOWN 0x00000000L
]=])

string(REPLACE "." ";" _parts "${VERSION}")
list(GET _parts 0 PROJECT_VERSION_MAJOR)
list(GET _parts 1 PROJECT_VERSION_MINOR)
list(GET _parts 2 PROJECT_VERSION_PATCH)
set(PROJECT_VERSION "${VERSION}")
set(WHARF_RC_ICON "${ICO}")
set(WHARF_RC_NAME "wharf")
set(WHARF_RC_DESCRIPTION "Wharf container registry browser")
set(WHARF_VENDOR "Wharf contributors")
set(WHARF_PROJECT_LICENSE "MIT")
configure_file("${RC_IN}" "${WORK_DIR}/wharf.rc" @ONLY)
file(READ "${WORK_DIR}/wharf.rc" _rc)
if(_rc MATCHES "@[A-Z_]+@")
  message(FATAL_ERROR "unreplaced variable in the .rc: ${CMAKE_MATCH_0}")
endif()

# llvm-rc before LLVM 16 does not preprocess: clang does it, as rc.exe would.
execute_process(
  COMMAND "${CLANG}" -E -P -xc -DRC_INVOKED -I "${WORK_DIR}" "${WORK_DIR}/wharf.rc"
          -o "${WORK_DIR}/wharf.pp.rc"
  RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "preprocessing the .rc failed")
endif()
# Relative names: llvm-rc takes both "-" and "/" as option prefixes, so an absolute Unix path
# such as /check/... would be read as the /C (code page) option.
execute_process(
  COMMAND "${LLVM_RC}" /FO wharf.res wharf.pp.rc
  WORKING_DIRECTORY "${WORK_DIR}"
  RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "llvm-rc rejected the .rc or its icon")
endif()

execute_process(
  COMMAND "${LLVM_READOBJ}" --coff-resources "${WORK_DIR}/wharf.res"
  OUTPUT_VARIABLE _resources RESULT_VARIABLE _result)
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "llvm-readobj could not read the .res")
endif()
string(REGEX MATCHALL "Resource type \\(int\\): ICON \\(ID 3\\)" _icons "${_resources}")
list(LENGTH _icons _icon_count)
if(NOT _icon_count EQUAL ICON_COUNT)
  message(FATAL_ERROR "${_icon_count} icon images in the .res, expected ${ICON_COUNT}")
endif()
foreach(_expected "GROUP_ICON" "Resource name \\(string\\): IDI_ICON1" "VERSIONINFO")
  if(NOT _resources MATCHES "${_expected}")
    message(FATAL_ERROR "no ${_expected} in the .res:\n${_resources}")
  endif()
endforeach()

file(STRINGS "${WORK_DIR}/wharf.res" _strings ENCODING UTF-16LE)
foreach(_expected "FileVersion" "${VERSION}" "ProductName" "Wharf contributors" "wharf.exe")
  list(FIND _strings "${_expected}" _index)
  if(_index EQUAL -1)
    message(FATAL_ERROR "\"${_expected}\" missing from the version block: ${_strings}")
  endif()
endforeach()
message(STATUS "wharf.res: ${_icon_count} icon images, IDI_ICON1, VERSIONINFO ${VERSION}")
