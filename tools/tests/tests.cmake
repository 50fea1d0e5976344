# Tests of the benchmark tools; each runs the built tool as a child process.
# Included (not add_subdirectory'd) by tools/CMakeLists.txt, possibly deferred to the end of the
# top-level directory: hence absolute source paths.

wharf_add_test(tst_latency_proxy
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_latency_proxy.cpp ${CMAKE_CURRENT_LIST_DIR}/LoopbackServer.cpp ${CMAKE_CURRENT_LIST_DIR}/LoopbackServer.h
  LIBS Qt6::Core
  TIMEOUT 120)
add_dependencies(tst_latency_proxy wharf-latency-proxy)
target_compile_definitions(tst_latency_proxy PRIVATE
  WHARF_LATENCY_PROXY_EXE="$<TARGET_FILE:wharf-latency-proxy>")

wharf_add_test(tst_seed_storage
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_seed_storage.cpp
  LIBS Qt6::Core Qt6::Network LibArchive::LibArchive
  LABELS integration
  TIMEOUT 300)
add_dependencies(tst_seed_storage wharf-seed-storage)
target_compile_definitions(tst_seed_storage PRIVATE
  WHARF_SEED_STORAGE_EXE="$<TARGET_FILE:wharf-seed-storage>")
