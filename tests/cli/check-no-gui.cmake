# ctest -P script: fails when the binary loads Qt GUI libraries (checked on what the dynamic
# linker actually resolves, not on what CMake was told).
execute_process(COMMAND ldd "${BINARY}" OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd failed on ${BINARY}")
endif()
if(NOT deps MATCHES "libQt6Core")
  message(FATAL_ERROR "ldd output does not list libQt6Core: the check would prove nothing\n${deps}")
endif()
if(deps MATCHES "libQt6(Gui|Widgets|Svg)")
  message(FATAL_ERROR "${BINARY} links a Qt GUI library:\n${deps}")
endif()
message(STATUS "${BINARY}: Qt Core/Network only")
