# Safe cleanup in the desktop app (issue 4): the delete confirmation with its plan and results,
# retention policies with a dry run, the garbage-collection panel, and the controller that
# adds them to the main window.
target_sources(wharf_gui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/CleanupController.cpp ${CMAKE_CURRENT_LIST_DIR}/CleanupController.h
  ${CMAKE_CURRENT_LIST_DIR}/DeletePlanDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/DeletePlanDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/DeletePlanModel.cpp ${CMAKE_CURRENT_LIST_DIR}/DeletePlanModel.h
  ${CMAKE_CURRENT_LIST_DIR}/DeleteResultModel.cpp ${CMAKE_CURRENT_LIST_DIR}/DeleteResultModel.h
  ${CMAKE_CURRENT_LIST_DIR}/GarbageCollectionDialog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/GarbageCollectionDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionDecisionModel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RetentionDecisionModel.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyListModel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyListModel.h
  ${PROJECT_SOURCE_DIR}/ui/DeletePlanDialog.ui
  ${PROJECT_SOURCE_DIR}/ui/GarbageCollectionDialog.ui
  ${PROJECT_SOURCE_DIR}/ui/RetentionPolicyDialog.ui)
