"""``mx.cython``: MXNet's optional Cython bindings of the C API. mxtorch has no C API, so there
is nothing to accelerate and the package is empty, as MXNet's is when not built with Cython."""
