# TLS trust for registries: certs.d directories, per-registry SSL configuration, certificate
# descriptions and the "trust this CA" helper the app offers after a certificate error.
target_sources(wharf_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/CertificateInfo.cpp ${CMAKE_CURRENT_LIST_DIR}/CertificateInfo.h
  ${CMAKE_CURRENT_LIST_DIR}/CertsDirectories.cpp ${CMAKE_CURRENT_LIST_DIR}/CertsDirectories.h
  ${CMAKE_CURRENT_LIST_DIR}/TlsSettings.cpp ${CMAKE_CURRENT_LIST_DIR}/TlsSettings.h
  ${CMAKE_CURRENT_LIST_DIR}/TlsTrust.cpp ${CMAKE_CURRENT_LIST_DIR}/TlsTrust.h
)
