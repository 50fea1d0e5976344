# Safe cleanup: delete planning and execution, the delete journal, retention policies and
# garbage-collection estimates (issue 4).
target_sources(wharf_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ManifestNode.h
  ${CMAKE_CURRENT_LIST_DIR}/ManifestWalker.cpp ${CMAKE_CURRENT_LIST_DIR}/ManifestWalker.h
  ${CMAKE_CURRENT_LIST_DIR}/ReachableBlobs.cpp ${CMAKE_CURRENT_LIST_DIR}/ReachableBlobs.h
  ${CMAKE_CURRENT_LIST_DIR}/DeletePlan.cpp ${CMAKE_CURRENT_LIST_DIR}/DeletePlan.h
  ${CMAKE_CURRENT_LIST_DIR}/DeletePlanner.cpp ${CMAKE_CURRENT_LIST_DIR}/DeletePlanner.h
  ${CMAKE_CURRENT_LIST_DIR}/DeleteResult.cpp ${CMAKE_CURRENT_LIST_DIR}/DeleteResult.h
  ${CMAKE_CURRENT_LIST_DIR}/DeleteJournal.cpp ${CMAKE_CURRENT_LIST_DIR}/DeleteJournal.h
  ${CMAKE_CURRENT_LIST_DIR}/DeleteJob.cpp ${CMAKE_CURRENT_LIST_DIR}/DeleteJob.h
  ${CMAKE_CURRENT_LIST_DIR}/GcGuidance.cpp ${CMAKE_CURRENT_LIST_DIR}/GcGuidance.h
  ${CMAKE_CURRENT_LIST_DIR}/GcEstimateJob.cpp ${CMAKE_CURRENT_LIST_DIR}/GcEstimateJob.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicy.cpp ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicy.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionEvaluator.cpp ${CMAKE_CURRENT_LIST_DIR}/RetentionEvaluator.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyStore.cpp ${CMAKE_CURRENT_LIST_DIR}/RetentionPolicyStore.h
  ${CMAKE_CURRENT_LIST_DIR}/RetentionJob.cpp ${CMAKE_CURRENT_LIST_DIR}/RetentionJob.h
)
