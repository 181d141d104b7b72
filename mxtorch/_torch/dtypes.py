"""MXNet dtypes: names, MXNet type flags (used in .params files and ``__dtype__``), numpy, torch.

MXNet 1.9.1 shows bfloat16 to numpy as the structured dtype ``[('bfloat16', '<u2')]``; we accept
that spelling and the string 'bfloat16' everywhere a dtype is expected.
"""
import numpy as np
import torch

from ..base import DTypeError

BFLOAT16_NP = np.dtype([("bfloat16", np.uint16)])

# name, MXNet type flag, torch dtype, numpy dtype (None where numpy has none)
_TABLE = [
    ("float32", 0, torch.float32, np.dtype(np.float32)),
    ("float64", 1, torch.float64, np.dtype(np.float64)),
    ("float16", 2, torch.float16, np.dtype(np.float16)),
    ("uint8", 3, torch.uint8, np.dtype(np.uint8)),
    ("int32", 4, torch.int32, np.dtype(np.int32)),
    ("int8", 5, torch.int8, np.dtype(np.int8)),
    ("int64", 6, torch.int64, np.dtype(np.int64)),
    ("bool", 7, torch.bool, np.dtype(np.bool_)),
    ("int16", 8, torch.int16, np.dtype(np.int16)),
    ("uint16", 9, torch.uint16, np.dtype(np.uint16)),
    ("uint32", 10, torch.uint32, np.dtype(np.uint32)),
    ("uint64", 11, torch.uint64, np.dtype(np.uint64)),
    ("bfloat16", 12, torch.bfloat16, BFLOAT16_NP),
]

NAME_TO_TORCH = {name: t for name, _, t, _ in _TABLE}
TORCH_TO_NAME = {t: name for name, _, t, _ in _TABLE}
FLAG_TO_TORCH = {flag: t for _, flag, t, _ in _TABLE}
TORCH_TO_FLAG = {t: flag for _, flag, t, _ in _TABLE}
TORCH_TO_NP = {t: npd for _, _, t, npd in _TABLE}
# What ``NDArray.dtype`` returns: the numpy scalar type (np.float32), as MXNet does.
TORCH_TO_NP_TYPE = {t: (npd.type if t is not torch.bfloat16 else npd) for _, _, t, npd in _TABLE}
FLOAT_DTYPES = frozenset({torch.float16, torch.float32, torch.float64, torch.bfloat16})

_CACHE = {}


def to_torch_dtype(dtype, default=torch.float32):
    """Map any dtype spelling (str, numpy type/dtype, torch dtype, flag int) to a torch dtype."""
    if dtype is None:
        return default
    try:
        return _CACHE[dtype]
    except (KeyError, TypeError):
        pass
    if _carries_dtype(dtype):  # an array given as dtype means its dtype (NumPy 1.x rule)
        return to_torch_dtype(dtype.dtype, default)
    result = _resolve(dtype)
    try:
        _CACHE[dtype] = result
    except TypeError:
        pass
    return result


def _carries_dtype(obj):
    """True for an object other than a NumPy array whose `.dtype` names its dtype (MXNet
    arrays: NumPy 1.x reads that attribute in np.dtype(obj); NumPy 2 only for np.dtype values)."""
    return (not isinstance(obj, (str, type, np.dtype, torch.dtype, np.ndarray))
            and hasattr(obj, "dtype"))


def _resolve(dtype):
    if isinstance(dtype, torch.dtype):
        if dtype not in TORCH_TO_NAME:
            raise DTypeError(f"dtype {dtype} has no MXNet equivalent; supported: {sorted(NAME_TO_TORCH)}")
        return dtype
    if isinstance(dtype, str) and dtype in NAME_TO_TORCH:
        return NAME_TO_TORCH[dtype]
    if isinstance(dtype, np.dtype) and dtype == BFLOAT16_NP:
        return torch.bfloat16
    try:
        name = np.dtype(dtype).name
    except TypeError as err:
        raise DTypeError(f"cannot interpret {dtype!r} as a dtype; expected one of "
                         f"{sorted(NAME_TO_TORCH)}") from err
    if name not in NAME_TO_TORCH:
        raise DTypeError(f"dtype {name!r} is not supported by MXNet; expected one of "
                         f"{sorted(NAME_TO_TORCH)}")
    return NAME_TO_TORCH[name]


def dtype_name(dtype):
    """Canonical MXNet name of any dtype spelling ('float32', 'int64', 'bfloat16'...)."""
    return TORCH_TO_NAME[to_torch_dtype(dtype)]


def np_dtype(dtype):
    """numpy dtype of any dtype spelling (bfloat16 -> MXNet's structured dtype)."""
    return TORCH_TO_NP[to_torch_dtype(dtype)]
