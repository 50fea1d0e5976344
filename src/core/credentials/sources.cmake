# Docker's credentials: ~/.docker/config.json, credential helpers, and the asynchronous lookup
# wharfctl and the app use when no credentials were given.
target_sources(wharf_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/DockerConfig.cpp ${CMAKE_CURRENT_LIST_DIR}/DockerConfig.h
  ${CMAKE_CURRENT_LIST_DIR}/CredentialHelper.cpp ${CMAKE_CURRENT_LIST_DIR}/CredentialHelper.h
  ${CMAKE_CURRENT_LIST_DIR}/DockerConfigLookup.cpp ${CMAKE_CURRENT_LIST_DIR}/DockerConfigLookup.h
)
