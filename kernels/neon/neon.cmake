# ctest entry for the NEON backend: cross-built and run under qemu by
# run_neon_tests.sh, which exits 77 (reported SKIPPED) without the tools.
# On a native aarch64 build, msao_kernel_tests already covers NEON.
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  add_test(NAME kernels_neon_under_qemu
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/run_neon_tests.sh ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/neon)
  set_tests_properties(kernels_neon_under_qemu PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()
