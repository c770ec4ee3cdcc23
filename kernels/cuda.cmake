# CUDA kernels, per MSAO_WITH_CUDA (top level): ON requires nvcc, AUTO uses
# it when found (here /usr/local/cuda/bin/nvcc), OFF skips. SASS for sm_90
# (H100) plus compute_90 PTX, so newer GPUs JIT-compile rather than fail.
set(_msao_cuda OFF)
if(NOT MSAO_WITH_CUDA STREQUAL "OFF")
  find_program(MSAO_NVCC nvcc HINTS /usr/local/cuda/bin ENV CUDA_PATH PATH_SUFFIXES bin)
  if(MSAO_NVCC)
    set(_msao_cuda ON)
  elseif(MSAO_WITH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "MSAO_WITH_CUDA=ON but nvcc was not found")
  endif()
endif()

if(_msao_cuda)
  if(NOT CMAKE_CUDA_COMPILER)
    set(CMAKE_CUDA_COMPILER ${MSAO_NVCC})
  endif()
  if(NOT CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90-real 90-virtual CACHE STRING "CUDA architectures for msao_kernels")
  endif()
  enable_language(CUDA)
  # The top level's -Wall -Wextra are host-compiler flags nvcc rejects:
  # in this directory, pass them to C++ only (CUDA gets them via -Xcompiler).
  get_directory_property(_opts COMPILE_OPTIONS)
  set(_fixed)
  foreach(o IN LISTS _opts)
    if(o MATCHES "^-W")
      list(APPEND _fixed "$<$<COMPILE_LANGUAGE:CXX>:${o}>" "$<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${o}>")
    else()
      list(APPEND _fixed "${o}")
    endif()
  endforeach()
  set_directory_properties(PROPERTIES COMPILE_OPTIONS "${_fixed}")
  find_package(CUDAToolkit REQUIRED)
  target_sources(msao_kernels PRIVATE cuda/gemv.cu cuda/attention.cu cuda/mas.cu cuda/measure.cu cuda/cuda_device.cpp)
  set_source_files_properties(cuda/gemv.cu cuda/attention.cu cuda/mas.cu cuda/measure.cu
    PROPERTIES COMPILE_OPTIONS "-O3")
  set_target_properties(msao_kernels PROPERTIES CUDA_ARCHITECTURES "${CMAKE_CUDA_ARCHITECTURES}"
    CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON)  # CMake 3.25 knows no CUDA20 flags for nvcc
  target_link_libraries(msao_kernels PUBLIC CUDA::cudart)
  target_compile_definitions(msao_kernels PUBLIC MSAO_KERNELS_HAVE_CUDA=1)
  message(STATUS "msao_kernels: CUDA kernels on (${MSAO_NVCC}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
else()
  message(STATUS "msao_kernels: CUDA kernels off")
endif()
