# Credential diagnostics: where wharfctl's credentials for a registry come from.
target_sources(wharf_cli PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/CredentialsCommand.cpp ${CMAKE_CURRENT_LIST_DIR}/CredentialsCommand.h
)
