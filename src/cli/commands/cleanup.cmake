# Safe cleanup commands: delete, cleanup (retention), gc-estimate.
target_sources(wharf_cli PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/CleanupRunner.cpp ${CMAKE_CURRENT_LIST_DIR}/CleanupRunner.h
  ${CMAKE_CURRENT_LIST_DIR}/DeleteCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/DeleteCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/CleanupCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/CleanupCommand.h
  ${CMAKE_CURRENT_LIST_DIR}/GcEstimateCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/GcEstimateCommand.h
)
