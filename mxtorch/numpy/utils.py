"""``mx.np.utils``: the dtypes and constants of ``mx.np`` (NumPy's)."""
import numpy as onp

__all__ = ["float16", "float32", "float64", "int8", "int32", "int64", "uint8", "bool", "bool_",
           "pi", "e", "inf", "nan", "NAN", "NaN", "PINF", "NINF", "PZERO", "NZERO", "newaxis",
           "finfo", "_STR_2_DTYPE_"]

float16, float32, float64 = onp.float16, onp.float32, onp.float64
int8, int32, int64, uint8 = onp.int8, onp.int32, onp.int64, onp.uint8
bool_ = onp.bool_
bool = onp.bool_  # noqa: A001 - MXNet's mx.np.bool
pi, e, inf, nan = onp.pi, onp.e, onp.inf, onp.nan
NAN = NaN = onp.nan
PINF, NINF = onp.inf, -onp.inf
PZERO, NZERO = 0.0, -0.0
newaxis = None
finfo = onp.finfo
_STR_2_DTYPE_ = {"float16": float16, "float32": float32, "float64": float64, "int8": int8,
                 "int32": int32, "int64": int64, "uint8": uint8, "bool": bool_, "None": None}
