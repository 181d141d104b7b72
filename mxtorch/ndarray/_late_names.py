"""Names MXNet's ``ndarray.ndarray`` module holds that mxtorch defines elsewhere in the package.

``ndarray.ndarray`` is imported first by everything else in the package, so it cannot import
these at load time; its module ``__getattr__`` resolves them here on first use.
"""
import importlib

_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "modulo", "maximum",
           "minimum", "equal", "not_equal", "greater", "greater_equal", "lesser",
           "lesser_equal", "logical_and", "logical_or", "logical_xor")
_UTILS = ("array", "empty", "zeros", "ones", "full", "arange", "linspace", "eye", "concatenate",
          "moveaxis", "from_numpy", "from_dlpack", "to_dlpack_for_read", "to_dlpack_for_write",
          "split_v2", "histogram", "onehot_encode")
_INDEX_KEYS = ("get_indexing_dispatch_code", "get_oshape_of_gather_nd_op",
               "indexing_key_expand_implicit_axes", "check_boolean_array_dimension")

# name -> (module relative to mxtorch, attribute); None for the attribute means the module.
WHERE = dict(
    {n: (".ndarray", n) for n in _BINARY + ("power",)},
    **{n: (".ndarray.utils", n) for n in _UTILS},
    **{n: (".ndarray._index_keys", n) for n in _INDEX_KEYS},
    op=(".ndarray.op", None),
    Features=(".runtime", "Features"),
    is_np_array=(".util", "is_np_array"),
    integer_types=(".base", "integer_types"),
    native_array=("array", "array"),
    py_slice=("builtins", "slice"),
    reduce=("functools", "reduce"),
)

# What ``from mxnet.ndarray.ndarray import *`` adds to NDArray/waitall/the dtype tables.
STAR = tuple(sorted(set(_BINARY + _UTILS + _INDEX_KEYS + ("power",))
                    - {"array", "empty", "check_boolean_array_dimension"}))


def lookup(name):
    """The object ``ndarray.ndarray.<name>`` stands for; AttributeError if none."""
    try:
        module, attr = WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'mxtorch.ndarray.ndarray' has no attribute "
                             f"{name!r}") from None
    mod = importlib.import_module(module, "mxtorch") if module.startswith(".") \
        else importlib.import_module(module)
    return mod if attr is None else getattr(mod, attr)
