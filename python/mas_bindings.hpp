// Registers the MAS kernels and the MAS trace writer on the _msao module
// (python/mas_bindings.cpp).
#pragma once
#include <pybind11/pybind11.h>

namespace msao {
void bind_mas(pybind11::module_& m);
}
