# wharfctl scan and db: the vulnerability scanner (wharf_scan) on the command line.
if(TARGET wharf_scan)
  target_sources(wharf_cli PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ScanCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanCommand.h
    ${CMAKE_CURRENT_LIST_DIR}/DbCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/DbCommand.h)
  target_link_libraries(wharf_cli PUBLIC wharf_scan)
  target_compile_definitions(wharf_cli PUBLIC WHARF_HAVE_SCANNER)
endif()
