# xbar_add_library(<folder> SOURCES ... ) — one library per top-level folder, exported as xbar::<folder>.
function(xbar_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(xbar_${name} ${ARG_SOURCES})
  add_library(xbar::${name} ALIAS xbar_${name})
  set_target_properties(xbar_${name} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME xbar_${name}
    POSITION_INDEPENDENT_CODE ON)
  target_compile_features(xbar_${name} PUBLIC cxx_std_20)
  # -Wno-restrict: GCC 12 false positive in std::string concatenation (GCC bug 105329).
  target_compile_options(xbar_${name} PRIVATE -Wall -Wextra -Wpedantic $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  target_include_directories(xbar_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  install(TARGETS xbar_${name} EXPORT xbarTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
