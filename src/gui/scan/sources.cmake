# Vulnerability scanning in the desktop app (issue 5): the scan controller (actions, queue,
# Vulnerabilities tab, tag table column), the results panel with its models and delegates, the
# vulnerability database dialog and its jobs. Only with the scanner library: with
# WHARF_BUILD_SCANNER=OFF the app builds without any of it (WHARF_HAVE_SCANNER undefined).
if(TARGET wharf_scan)
  target_link_libraries(wharf_gui PUBLIC wharf_scan)
  target_compile_definitions(wharf_gui PUBLIC WHARF_HAVE_SCANNER)
  target_sources(wharf_gui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/DatabaseImportJob.cpp ${CMAKE_CURRENT_LIST_DIR}/DatabaseImportJob.h
    ${CMAKE_CURRENT_LIST_DIR}/DatabaseUpdateJob.cpp ${CMAKE_CURRENT_LIST_DIR}/DatabaseUpdateJob.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanController.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanController.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanFilterProxyModel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ScanFilterProxyModel.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanLayerModel.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanLayerModel.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanResultModel.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanResultModel.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanResultsPanel.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanResultsPanel.h
    ${CMAKE_CURRENT_LIST_DIR}/ScanStorage.cpp ${CMAKE_CURRENT_LIST_DIR}/ScanStorage.h
    ${CMAKE_CURRENT_LIST_DIR}/SeverityBadgeDelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SeverityBadgeDelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/SeverityStyle.cpp ${CMAKE_CURRENT_LIST_DIR}/SeverityStyle.h
    ${CMAKE_CURRENT_LIST_DIR}/VulnerabilityDatabaseDialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/VulnerabilityDatabaseDialog.h
    ${CMAKE_CURRENT_LIST_DIR}/VulnerabilityLinkDelegate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/VulnerabilityLinkDelegate.h
    ${PROJECT_SOURCE_DIR}/ui/ScanResultsPanel.ui
    ${PROJECT_SOURCE_DIR}/ui/VulnerabilityDatabaseDialog.ui)
endif()
