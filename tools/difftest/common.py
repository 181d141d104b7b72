"""Shared helpers of the differential tester: deterministic inputs and result encoding.

Imported by the runner in both interpreters (MXNet 1.9.1 with numpy 1.23, mxtorch with
numpy 2.x), so it uses only the standard library and numpy.
"""
import base64
import io
import zlib

import numpy as np

DTYPES = ("float32", "float16", "float64", "uint8", "int8", "int32", "int64", "bool")


def _seed(*parts):
    return zlib.crc32(repr(parts).encode()) & 0x7FFFFFFF


def data(shape, dtype="float32", kind="f", seed=0):
    """Deterministic numpy data of ``shape``.

    kind: ``f`` values in [-2, 2] on a 0.25 grid, ``p`` positive (0.25..2), ``i`` small
    non-negative integers (0..hi, hi = seed or 1), ``01`` zeros and ones, ``spd`` batches of
    symmetric positive-definite matrices, ``nan`` mixed with NaN and inf.
    """
    shape = tuple(shape)
    rng = np.random.RandomState(_seed(shape, dtype, kind, seed))
    n = int(np.prod(shape)) if shape else 1
    if kind == "p":
        v = rng.randint(1, 9, size=n) * 0.25
    elif kind == "i":
        v = rng.randint(0, max(seed, 1) + 1, size=n)
    elif kind == "01":
        v = rng.randint(0, 2, size=n)
    elif kind == "nan":
        v = rng.randint(-8, 9, size=n) * 0.25
        v = v.astype("float64")
        v[::3] = np.nan
        if n > 4:
            v[4] = np.inf
    elif kind == "spd":
        m = rng.randint(-4, 5, size=shape) * 0.25
        eye = np.eye(shape[-1])
        return (np.matmul(m, np.swapaxes(m, -1, -2)) + 2 * eye).astype(dtype)
    elif np.dtype(dtype).kind == "u":
        v = rng.randint(0, 5, size=n)
    elif np.dtype(dtype).kind == "i":
        v = rng.randint(-4, 5, size=n)
    elif np.dtype(dtype).kind == "b":
        v = rng.randint(0, 2, size=n)
    else:
        v = rng.randint(-8, 9, size=n) * 0.25
    return np.asarray(v).reshape(shape).astype(dtype)


def enc_array(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
    return base64.b64encode(buf.getvalue()).decode()


def dec_array(s):
    return np.load(io.BytesIO(base64.b64decode(s)), allow_pickle=False)


def _cls(obj):
    return type(obj).__name__


def encode(obj, depth=0):
    """JSON-able description of a result: kind, class name, shape, dtype, values."""
    if depth > 4:
        return {"t": "deep", "cls": _cls(obj)}
    cls = _cls(obj)
    if obj is None or isinstance(obj, (bool, str)):
        return {"t": "py", "cls": cls, "v": obj}
    if isinstance(obj, (int, float)) and not isinstance(obj, np.generic):
        v = obj if obj == obj else "nan"
        return {"t": "py", "cls": cls, "v": v if not isinstance(v, float) or abs(v) != float("inf")
                else repr(v)}
    if isinstance(obj, np.generic):
        return {"t": "npscalar", "cls": "np." + np.dtype(obj.dtype).name,
                "a": enc_array(np.asarray(obj))}
    if isinstance(obj, np.ndarray):
        return {"t": "numpy", "cls": "numpy", "dtype": str(obj.dtype), "shape": list(obj.shape),
                "a": enc_array(obj) if obj.dtype != object else None}
    if isinstance(obj, (list, tuple)):
        return {"t": "seq", "cls": cls, "items": [encode(o, depth + 1) for o in obj[:64]],
                "len": len(obj)}
    if isinstance(obj, dict):
        keys = sorted(obj, key=repr)[:64]
        return {"t": "dict", "cls": cls, "keys": [repr(k) for k in keys],
                "items": [encode(obj[k], depth + 1) for k in keys]}
    if hasattr(obj, "asnumpy") and hasattr(obj, "stype") and hasattr(obj, "shape"):
        out = {"t": "nd", "cls": cls, "shape": list(obj.shape), "stype": obj.stype}
        try:
            out["dtype"] = np.dtype(obj.dtype).name
            out["a"] = enc_array(obj.asnumpy())
        except Exception as err:  # noqa: BLE001 - record, compare later
            out["err"] = "%s: %s" % (_cls(err), str(err)[:200])
        return out
    if hasattr(obj, "list_outputs") and hasattr(obj, "tojson"):
        out = {"t": "sym", "cls": cls}
        for attr in ("list_outputs", "list_arguments", "list_auxiliary_states"):
            try:
                out[attr] = getattr(obj, attr)()
            except Exception as err:  # noqa: BLE001
                out[attr] = "raised " + _cls(err)
        try:
            out["name"] = obj.name
        except Exception as err:  # noqa: BLE001
            out["name"] = "raised " + _cls(err)
        return out
    if isinstance(obj, type):
        return {"t": "type", "cls": obj.__name__}
    return {"t": "obj", "cls": cls}
