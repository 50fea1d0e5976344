# Real-world registries in the desktop app (issue 6): Docker's credentials offered in the
# bookmark dialog, trusting a registry's certificate after showing it, repositories added by
# hand for registries without a catalog, and the pull quota in the status bar.
target_sources(wharf_gui PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/AddRepositoryDialog.cpp ${CMAKE_CURRENT_LIST_DIR}/AddRepositoryDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/CertificateTrustDialog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/CertificateTrustDialog.h
  ${CMAKE_CURRENT_LIST_DIR}/DockerCredentialsOffer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/DockerCredentialsOffer.h
  ${CMAKE_CURRENT_LIST_DIR}/RegistryAccessController.cpp
  ${CMAKE_CURRENT_LIST_DIR}/RegistryAccessController.h
  ${PROJECT_SOURCE_DIR}/ui/AddRepositoryDialog.ui
  ${PROJECT_SOURCE_DIR}/ui/CertificateTrustDialog.ui)
