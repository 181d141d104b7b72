"""``mx.test_utils``: the helpers MXNet's own tests (and many user test suites) rely on.

Comparisons (``assert_almost_equal`` with MXNet's per-dtype default tolerances), random data
(``rand_ndarray`` incl. sparse, ``rand_shape_nd``...), gradient checks by finite differences
(``check_numeric_gradient`` for a Symbol or any Python callable over NDArrays), symbolic
forward/backward checks, the default context, environment variables, and small utilities.
``download`` fetches files (with retries, atomically); the data-set getters (``get_mnist``...)
use files already on disk and download only what is missing, as MXNet's do.

As in MXNet (whose module has no ``__all__``), ``from mxnet.test_utils import *`` also gives
``mx``, ``np``, ``os``, ``sys`` and the other modules MXNet-era test suites use unqualified.
"""
import importlib
import importlib.util
import bz2
import errno  # noqa: F401 - part of MXNet's module namespace
import gzip  # noqa: F401
import json  # noqa: F401
import logging
import numbers
import os
import platform
import struct  # noqa: F401
import sys
import time
import traceback  # noqa: F401
import zipfile
from collections import OrderedDict  # noqa: F401
from contextlib import contextmanager

import numpy as np

import mxtorch as mx  # noqa: F401 - ``mx`` for star-importing test modules
from . import context as _context
from .base import MXNetError
from .context import Context, current_context  # noqa: F401
from .ndarray.utils import array  # noqa: F401
from .runtime import Features  # noqa: F401
from .symbol.symbol import Symbol  # noqa: F401
from .util import get_cuda_compute_capability, getenv, setenv, use_np  # noqa: F401
from .util import use_np_default_dtype  # noqa: F401

# MXNet's module imports requests and scipy.stats (as ``ss``); mxtorch does not need them and
# they cost ~0.6 s at import, so they resolve on first use (``__getattr__``) when installed
_THIRD_PARTY = {name: module for name, module in (("requests", "requests"), ("ss", "scipy.stats"))
                if importlib.util.find_spec(module.split(".")[0]) is not None}

__all__ = [
    "default_context", "set_default_context", "default_device", "set_default_device",
    "default_dtype", "default_rtols", "default_atols", "default_numeric_eps", "effective_dtype",
    "get_tolerance", "get_tols", "get_atol", "get_rtol", "get_etol", "same", "almost_equal",
    "assert_almost_equal", "assert_allclose", "assert_almost_equal_with_err",
    "assert_almost_equal_ignore_nan", "assert_exception", "checkShapes", "locationError",
    "random_arrays", "random_uniform_arrays", "random_sample", "rand_ndarray",
    "rand_sparse_ndarray", "create_sparse_array", "create_sparse_array_zd", "rand_shape_2d",
    "rand_shape_3d", "rand_shape_nd", "rand_coord_2d", "np_reduce", "collapse_sum_like",
    "assign_each", "assign_each2", "shuffle_csr_column_indices", "numeric_grad",
    "check_numeric_gradient", "check_symbolic_forward", "check_symbolic_backward",
    "simple_forward", "check_consistency", "check_speed", "retry", "environment",
    "discard_stderr", "same_array", "same_symbol_structure", "compare_ndarray_tuple",
    "compare_optimizer", "list_gpus", "is_cd_run", "is_aarch64_run", "is_op_runnable",
    "has_tvm_ops", "download", "get_mnist", "get_mnist_pkl", "get_mnist_ubyte",
    "get_mnist_iterator", "get_cifar10", "get_im2rec_path", "DummyIter",
    "gen_buckets_probs_with_ppf", "mean_check", "var_check", "chi_square_check",
    "verify_generator",
    "create_2d_tensor", "create_vector", "get_identity_mat", "get_identity_mat_batch",
    "download_model", "get_zip_data", "get_bz2_data", "check_gluon_hybridize_consistency",
    "new_matrix_with_real_eigvals_2d", "new_matrix_with_real_eigvals_nd",
    "new_orthonormal_matrix_2d", "new_sym_matrix_with_real_eigvals_2d",
    "new_sym_matrix_with_real_eigvals_nd",
    # what MXNet's module namespace gives ``import *`` besides its own functions
    "Context", "Features", "OrderedDict", "Symbol", "array", "contextmanager", "current_context",
    "get_cuda_compute_capability", "getenv", "setenv", "use_np", "use_np_default_dtype",
    "mx", "np", "npt", "rnd",
    "bz2", "errno", "gzip", "json", "logging", "numbers", "os", "platform", "struct", "sys",
    "time", "traceback", "zipfile",
] + list(_THIRD_PARTY)


def __getattr__(name):
    """``npt``/``rnd`` (numpy.testing/numpy.random, imported on first use: they are slow to
    import) and ``np_symbol``
    (MXNet's NumPy-style Symbol class) once ``mx.np``'s symbols exist."""
    if name in _THIRD_PARTY:
        value = globals()[name] = importlib.import_module(_THIRD_PARTY[name])
        return value
    if name == "npt":
        import numpy.testing
        return numpy.testing
    if name == "rnd":
        import numpy.random
        return numpy.random
    if name == "np_symbol":
        try:
            from .symbol.numpy import _Symbol
            return _Symbol
        except ImportError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# default context and dtype
# --------------------------------------------------------------------------------------------


def default_context():
    """The context tests run on: the current context."""
    return current_context()


def set_default_context(ctx):
    """Make ``ctx`` the current context of this thread (``mx.context.current_context()``)."""
    _context._set_default(ctx)


default_device = default_context        # 2.x names
set_default_device = set_default_context


def default_dtype():
    """The dtype test data is created in (float32)."""
    return np.float32


_INT_TYPES = (np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64,
              np.uint64)


def default_rtols():
    """MXNet's relative tolerance per dtype."""
    table = {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-4,
             np.dtype(np.float64): 1e-5}
    table.update({np.dtype(t): 0 for t in _INT_TYPES})
    return table


def default_atols():
    """MXNet's absolute tolerance per dtype."""
    table = {np.dtype(np.float16): 1e-1, np.dtype(np.float32): 1e-3,
             np.dtype(np.float64): 1e-20}
    table.update({np.dtype(t): 0 for t in _INT_TYPES})
    return table


def default_numeric_eps():
    """Finite-difference step per dtype (powers of two, exact when added to the input)."""
    return {np.dtype(np.float16): 1.0 / 2 ** 6, np.dtype(np.float32): 1.0 / 2 ** 9,
            np.dtype(np.float64): 1.0 / 2 ** 14}


def effective_dtype(dat):
    """The dtype that decides tolerances for ``dat``.

    MXNet treats float32 on an Ampere-or-newer GPU with TF32 math as float16-precise; torch
    uses TF32 for matmul/conv only when ``torch.backends.*.allow_tf32`` is set, which the
    context module reports through ``tf32_enabled`` when it exists.
    """
    dtype = _np_dtype(dat)
    ctx = getattr(dat, "context", None)
    if dtype == np.dtype(np.float32) and ctx is not None and ctx.device_type == "gpu":
        tf32 = getattr(_context, "tf32_enabled", None)
        if tf32 is not None and tf32(ctx):
            return np.dtype(np.float16)
    return dtype


def _np_dtype(dat):
    dtype = getattr(dat, "dtype", None)
    if dtype is None:
        return np.asarray(dat).dtype
    try:
        return np.dtype(dtype)
    except TypeError:
        return np.dtype(np.float32)


def get_tolerance(dat, tol, default_tol):
    """``tol`` if a number, else ``tol[dtype]`` (a dict) falling back to ``default_tol``."""
    if isinstance(tol, numbers.Number):
        return tol
    dtype = effective_dtype(dat)
    tol = tol or {}
    return tol.get(dtype, default_tol.get(dtype, default_tol[np.dtype(np.float32)]))


def get_tols(x, y, rtol, atol):
    """(rtol, atol) for comparing ``x`` and ``y``: the looser of their dtypes' defaults."""
    x = np.array(x) if isinstance(x, numbers.Number) else x
    y = np.array(y) if isinstance(y, numbers.Number) else y
    rtol = max(get_tolerance(x, rtol, default_rtols()), get_tolerance(y, rtol, default_rtols()))
    atol = max(get_tolerance(x, atol, default_atols()), get_tolerance(y, atol, default_atols()))
    return rtol, atol


def get_atol(atol=None, dtype=np.dtype(np.float64)):
    """``atol`` or the default for ``dtype`` (float64 when not given, as MXNet)."""
    return default_atols()[np.dtype(dtype)] if atol is None else atol


def get_rtol(rtol=None, dtype=np.dtype(np.float64)):
    """``rtol`` or the default for ``dtype`` (float64 when not given, as MXNet)."""
    return default_rtols()[np.dtype(dtype)] if rtol is None else rtol


def get_etol(etol=None):
    """Allowed fraction of mismatching elements (0 by default)."""
    return 0 if etol is None else etol


# --------------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------------


def _to_numpy(a):
    if hasattr(a, "asnumpy"):
        return a.asnumpy()
    return a


def same(a, b):
    """True if the two arrays have the same shape and values."""
    return np.array_equal(_to_numpy(a), _to_numpy(b))


def checkShapes(a, b):  # noqa: N802 - MXNet's name
    """AssertionError if ``a`` and ``b`` differ in shape."""
    if np.shape(a) != np.shape(b):
        raise AssertionError(f"a.shape = {np.shape(a)} and b.shape = {np.shape(b)} are not "
                             "equal")


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """``np.allclose`` with MXNet's default tolerances (those of float64 when not given)."""
    a, b = _to_numpy(a), _to_numpy(b)
    if not use_broadcast:
        checkShapes(a, b)
    return bool(np.allclose(a, b, rtol=get_rtol(rtol), atol=get_atol(atol),
                            equal_nan=equal_nan))


def locationError(a, b, index, names, maxError=False):  # noqa: N802,N803 - MXNet's names
    """Text naming the element at ``index`` of both arrays."""
    kind = "maximum " if maxError else ""
    return (f"Location of {kind}error: {index}, {names[0]}={float(a[index]):.8f}, "
            f"{names[1]}={float(b[index]):.8f}")


def _worst(a, b, rtol, atol):
    """(index, violation ratio) of the element that breaks the tolerance the most."""
    diff = np.where(np.equal(a, b), 0, np.abs(a - b)).astype(np.float64)
    ratio = diff / (atol + rtol * np.abs(b) + 1e-20)
    ratio = np.where(np.isnan(ratio), np.inf, ratio)
    flat = int(np.argmax(ratio))
    index = tuple(int(i) for i in np.unravel_index(flat, ratio.shape))
    return index, float(ratio.reshape(-1)[flat])


def _as_float(x):
    x = np.asarray(x)
    if x.dtype.names:  # MXNet's bfloat16 structured dtype never reaches here (asnumpy)
        raise TypeError(f"cannot compare structured dtype {x.dtype}")
    if x.dtype.kind in "biu":
        return x.astype(np.float64)
    return x


def assert_almost_equal(a, b, rtol=None, atol=None, names=("a", "b"), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)):
    """AssertionError (naming the worst elements) unless ``a`` and ``b`` are close.

    ``a``/``b``: numpy arrays, NDArrays or numbers. ``rtol``/``atol``: numbers, dicts
    dtype -> tolerance, or None for MXNet's defaults of the less precise dtype.
    """
    if not use_broadcast:
        checkShapes(a, b)
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = np.asarray(_to_numpy(a)), np.asarray(_to_numpy(b))
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        np.testing.assert_equal(a, b)
        return
    if np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan):
        return
    a, b = np.broadcast_arrays(_as_float(a), _as_float(b))
    raise AssertionError(_mismatch_report(a, b, rtol, atol, names, equal_nan, mismatches))


def _mismatch_report(a, b, rtol, atol, names, equal_nan, mismatches):
    close = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    bad = int(a.size - np.count_nonzero(close))
    index, ratio = _worst(np.where(close, 0, a), np.where(close, 0, b), rtol, atol)
    lines = [f"Error {ratio:f} exceeds tolerance rtol={rtol:e}, atol={atol:e} "
             f"(mismatch {100.0 * bad / max(a.size, 1):f}%: {bad} of {a.size} elements).",
             locationError(a, b, index, names, maxError=True)]
    shown = np.argwhere(~close)[:max(mismatches[0], 0)]
    for k, idx in enumerate(shown, 1):
        lines.append(f"{k:3d}: {locationError(a, b, tuple(int(i) for i in idx), names)}")
    with np.printoptions(threshold=20, suppress=True):
        lines.append(f" {names[0]}: {a}")
        lines.append(f" {names[1]}: {b}")
    return "\n".join(lines)


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True):
    """``assert_almost_equal`` with numpy's ``assert_allclose`` defaults."""
    assert_almost_equal(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def assert_almost_equal_with_err(a, b, rtol=None, atol=None, etol=None, names=("a", "b"),
                                 equal_nan=False, mismatches=(10, 10)):
    """Like ``assert_almost_equal`` but tolerates a fraction ``etol`` of bad elements."""
    etol = get_etol(etol)
    if etol <= 0:
        assert_almost_equal(a, b, rtol=rtol, atol=atol, names=names, equal_nan=equal_nan)
        return
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = np.asarray(_to_numpy(a)), np.asarray(_to_numpy(b))
    close = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
    error_rate = 1 - np.count_nonzero(close) / close.size
    if error_rate > etol:
        a, b = np.broadcast_arrays(_as_float(a), _as_float(b))
        raise AssertionError(f"error rate {error_rate:.4f} exceeds etol={etol}\n" +
                             _mismatch_report(a, b, rtol, atol, names, equal_nan, mismatches))


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=("a", "b")):
    """``assert_almost_equal`` after zeroing positions where either array is NaN."""
    a, b = np.copy(_to_numpy(a)), np.copy(_to_numpy(b))
    nan = np.logical_or(np.isnan(a), np.isnan(b))
    a[nan] = 0
    b[nan] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_exception(f, exception_type, *args, **kwargs):
    """AssertionError unless ``f(*args, **kwargs)`` raises ``exception_type``."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError(f"{getattr(f, '__name__', f)!s} did not raise "
                         f"{getattr(exception_type, '__name__', exception_type)}")


def compare_ndarray_tuple(t1, t2, rtol=None, atol=None):
    """``assert_almost_equal`` over (nested) tuples of arrays; None matches anything."""
    if t1 is None or t2 is None:
        return
    if isinstance(t1, tuple):
        for x, y in zip(t1, t2):
            compare_ndarray_tuple(x, y, rtol, atol)
        return
    assert_almost_equal(t1, t2, rtol=rtol, atol=atol)


def same_array(array1, array2):
    """True if the two NDArrays share memory (a write to one shows in the other)."""
    array1[:] += 1
    shared = same(array1.asnumpy(), array2.asnumpy())
    array1[:] -= 1
    return shared and same(array1.asnumpy(), array2.asnumpy())


def same_symbol_structure(sym1, sym2):
    """True if the two symbols' graphs have the same operator in every node position."""
    import json
    nodes1 = json.loads(sym1.tojson())["nodes"]
    nodes2 = json.loads(sym2.tojson())["nodes"]
    return all(n1["op"] == n2["op"] for n1, n2 in zip(nodes1, nodes2))


# --------------------------------------------------------------------------------------------
# random data
# --------------------------------------------------------------------------------------------


def random_arrays(*shapes):
    """Standard-normal float32 numpy arrays of the given shapes (one array if one shape)."""
    arrays = [np.array(np.random.randn(), dtype=default_dtype()) if len(s) == 0
              else np.random.randn(*s).astype(default_dtype()) for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, low=0.0, high=1.0, dtype=None):
    """Uniform [low, high) numpy arrays of the given shapes (always a list)."""
    dtype = default_dtype() if dtype is None else dtype
    return [np.random.uniform(low, high, size=s).astype(dtype) for s in shapes]


def random_sample(population, k):
    """``k`` distinct elements of ``population`` in random order."""
    if not 0 <= k <= len(population):
        raise ValueError(f"cannot sample {k} elements from {len(population)}")
    pool = list(population)
    np.random.shuffle(pool)
    return pool[:k]


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return int(np.random.randint(low, dim0 + 1)), int(np.random.randint(low, dim1 + 1))


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return tuple(int(np.random.randint(low, d + 1)) for d in (dim0, dim1, dim2))


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    """A random shape of ``num_dim`` dims, each in [1, dim] ([0, dim] if zero sizes allowed)."""
    low = 0 if allow_zero_size else 1
    return tuple(int(d) for d in np.random.randint(low, dim + 1, size=num_dim))


def rand_coord_2d(x_low, x_high, y_low, y_high):
    return (np.random.randint(x_low, x_high, dtype=np.int64),
            np.random.randint(y_low, y_high, dtype=np.int64))


def rand_ndarray(shape, stype="default", density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A random NDArray: standard normal for 'default'; for 'csr'/'row_sparse' uniform [0, 1)
    values at random positions, about ``density`` of them."""
    from . import ndarray as nd
    ctx = ctx or default_context()
    if stype == "default":
        return nd.array(random_arrays(shape), dtype=dtype, ctx=ctx)
    arr, _ = rand_sparse_ndarray(shape, stype, density=density, dtype=dtype,
                                 modifier_func=modifier_func,
                                 shuffle_csr_indices=shuffle_csr_indices,
                                 distribution=distribution, ctx=ctx)
    return arr


def rand_sparse_ndarray(shape, stype, density=None, dtype=None, distribution=None,
                        data_init=None, rsp_indices=None, modifier_func=None,
                        shuffle_csr_indices=False, ctx=None):
    """(sparse array, parts as numpy): row_sparse gives ``(values, row indices)``, csr gives
    ``(indptr, indices, data)``. ``distribution``: 'uniform' or (csr only) 'powerlaw'."""
    from .ndarray import sparse
    ctx = ctx or default_context()
    density = np.random.rand() if density is None else density
    dtype = default_dtype() if dtype is None else dtype
    distribution = distribution or "uniform"
    if stype == "row_sparse":
        if distribution != "uniform":
            raise ValueError(f"distribution {distribution!r} is not supported for row_sparse")
        if rsp_indices is not None:
            indices = np.asarray(rsp_indices)
            if len(indices) > shape[0]:
                raise ValueError("more rsp_indices than rows")
        else:
            indices = np.argwhere(np.random.rand(shape[0]) < density).flatten()
        if indices.shape[0] == 0:
            return (sparse.zeros("row_sparse", shape, ctx=ctx, dtype=dtype),
                    (np.array([], dtype=dtype), np.array([])))
        values = np.random.rand(indices.shape[0], *shape[1:]).astype(dtype)
        if data_init is not None:
            values.fill(data_init)
        if modifier_func is not None:
            values = assign_each(values, modifier_func)
        arr = sparse.row_sparse_array((values, indices), shape=shape, dtype=dtype, ctx=ctx)
        return arr, (values, indices)
    if stype == "csr":
        if len(shape) != 2:
            raise ValueError(f"csr arrays are 2-D, got shape {shape}")
        if distribution == "uniform":
            csr = _uniform_csr(shape[0], shape[1], density, dtype, data_init,
                               shuffle_csr_indices, ctx)
        elif distribution == "powerlaw":
            csr = _powerlaw_csr(shape[0], shape[1], density, dtype, ctx)
        else:
            raise ValueError(f"unknown distribution {distribution!r}")
        if modifier_func is not None:
            csr = _modify_csr(csr, modifier_func, ctx)
        return csr, (csr.indptr, csr.indices, csr.data)
    raise ValueError(f"unknown storage type {stype!r}")


def _check_density(num_rows, num_cols, density):
    if not 0 <= density <= 1:
        raise ValueError("density has to be between 0 and 1")
    if num_rows <= 0 or num_cols <= 0:
        raise ValueError("num_rows or num_cols should be greater than 0")


def _uniform_csr(num_rows, num_cols, density, dtype, data_init, shuffle, ctx):
    # exactly int(rows * cols * density) non-zeros at distinct random positions (as scipy)
    from .ndarray import sparse
    _check_density(num_rows, num_cols, density)
    nnz = int(num_rows * num_cols * density)
    flat = np.sort(np.random.choice(num_rows * num_cols, size=nnz, replace=False))
    rows, cols = np.divmod(flat, num_cols)
    values = np.random.rand(nnz).astype(dtype)
    if data_init is not None:
        values.fill(data_init)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=num_rows))])
    if shuffle:
        for r in range(num_rows):
            np.random.shuffle(cols[indptr[r]:indptr[r + 1]])
    return sparse.csr_matrix((values, cols, indptr), shape=(num_rows, num_cols), dtype=dtype,
                             ctx=ctx)


def _powerlaw_csr(num_rows, num_cols, density, dtype, ctx):
    # Row r gets about twice the non-zeros of row r - 1; every row gets at least one.
    from . import ndarray as nd
    _check_density(num_rows, num_cols, density)
    budget = int(num_rows * num_cols * density)
    if budget < 2 * num_rows:
        raise ValueError(f"not supported for this density: {density} for this shape "
                         f"({num_rows}, {num_cols}); keep rows * cols * density >= 2 * rows")
    dense = np.zeros((num_rows, num_cols), dtype=dtype)
    dense[:, 0] = 1 + np.random.uniform(0.001, 2, size=num_rows)
    budget -= num_rows
    width = 2
    for row in range(num_rows):
        if budget <= 0:
            break
        take = min(num_cols, width) - 1
        take = min(take, budget)
        dense[row, 1:1 + take] = 1 + np.random.uniform(0.001, 2, size=take)
        budget -= take
        width *= 2
    return nd.array(dense, dtype=dtype, ctx=ctx).tostype("csr")


def _modify_csr(csr, func, ctx):
    from .ndarray import sparse
    values = assign_each(csr.data.asnumpy(), func)
    return sparse.csr_matrix((values, csr.indices.asnumpy(), csr.indptr.asnumpy()),
                             shape=csr.shape, dtype=csr.dtype, ctx=ctx)


def create_sparse_array(shape, stype, data_init=None, rsp_indices=None, dtype=None,
                        modifier_func=None, density=.5, shuffle_csr_indices=False):
    """A random sparse array (row_sparse indices sorted)."""
    if stype not in ("row_sparse", "csr"):
        raise AssertionError(f"Unknown storage type: {stype}")
    if stype == "row_sparse" and rsp_indices is not None:
        rsp_indices = np.sort(np.asarray(rsp_indices))
    arr, _ = rand_sparse_ndarray(shape, stype, density=density, data_init=data_init,
                                 rsp_indices=rsp_indices if stype == "row_sparse" else None,
                                 dtype=dtype, modifier_func=modifier_func,
                                 shuffle_csr_indices=shuffle_csr_indices)
    return arr


def create_sparse_array_zd(shape, stype, density, data_init=None, rsp_indices=None,
                           dtype=None, modifier_func=None, shuffle_csr_indices=False):
    """``create_sparse_array`` where row_sparse rows come only from ``rsp_indices``."""
    if stype == "row_sparse":
        density = 0.0
    return create_sparse_array(shape, stype, data_init=data_init, rsp_indices=rsp_indices,
                               dtype=dtype, modifier_func=modifier_func, density=density,
                               shuffle_csr_indices=shuffle_csr_indices)


def shuffle_csr_column_indices(csr):
    """Shuffle the column order inside each row of a scipy csr matrix (in place)."""
    for r in range(len(csr.indptr) - 1):
        part = np.array(csr.indices[csr.indptr[r]:csr.indptr[r + 1]])
        np.random.shuffle(part)
        csr.indices[csr.indptr[r]:csr.indptr[r + 1]] = part


def assign_each(the_input, function):
    """float64 array of ``function(x)`` for every element (a copy if ``function`` is None)."""
    if function is None:
        return np.array(the_input)
    src = np.asarray(the_input)
    return np.array([function(x) for x in src.reshape(-1)], dtype=np.float64).reshape(src.shape)


def assign_each2(input1, input2, function):
    """float64 array of ``function(x, y)`` over two same-shape arrays."""
    if function is None:
        return np.array(input1)
    a, b = np.asarray(input1), np.asarray(input2)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    values = [function(x, y) for x, y in zip(a.reshape(-1), b.reshape(-1))]
    return np.array(values, dtype=np.float64).reshape(a.shape)


def np_reduce(dat, axis, keepdims, numpy_reduce_func):
    """Reduce ``dat`` over ``axis`` (int, list or None) one axis at a time."""
    if isinstance(axis, int):
        axis = [axis]
    else:
        axis = list(axis) if axis is not None else list(range(len(dat.shape)))
    ret = dat
    for i in sorted(axis, reverse=True):
        ret = numpy_reduce_func(ret, axis=i)
    if keepdims:
        shape = list(dat.shape)
        for i in axis:
            shape[i] = 1
        ret = np.reshape(ret, shape)
    return ret


def collapse_sum_like(a, shape):
    """Sum ``a`` over the axes that ``shape`` broadcasts (the gradient of a broadcast)."""
    if len(a.shape) < len(shape):
        raise ValueError(f"cannot collapse {a.shape} to {shape}")
    if np.prod(shape) == 0 or a.size == 0:
        return np.zeros(shape, dtype=a.dtype)
    lead = len(a.shape) - len(shape)
    axes = list(range(lead))
    for i, s in enumerate(shape):
        if s != a.shape[i + lead]:
            if s != 1:
                raise ValueError(f"shape {shape} does not broadcast to {a.shape}")
            axes.append(i + lead)
    return np.sum(a, axis=tuple(axes)).reshape(shape)


def create_2d_tensor(rows, columns, dtype=np.int64):
    """(rows, columns) NDArray whose row i is filled with i."""
    from . import ndarray as nd
    column = nd.arange(0, rows, dtype=dtype).reshape(rows, 1)
    return nd.broadcast_to(column, shape=(rows, columns))


def create_vector(size, dtype=np.int64):
    from . import ndarray as nd
    return nd.arange(0, size, dtype=dtype)


def get_identity_mat(size):
    from . import ndarray as nd
    return nd.eye(size)


def get_identity_mat_batch(size):
    from . import ndarray as nd
    eye = np.eye(size, dtype=np.float32)
    return nd.array(np.stack([eye, eye]))


from ._test_checks import (numeric_grad, check_numeric_gradient,  # noqa: E402
                           check_symbolic_forward, check_symbolic_backward, simple_forward,
                           check_consistency, check_speed, gen_buckets_probs_with_ppf,
                           mean_check, var_check, chi_square_check, verify_generator)


# --------------------------------------------------------------------------------------------
# environment and machine
# --------------------------------------------------------------------------------------------


def retry(n):
    """Decorator: rerun a flaky (random) test up to ``n`` times before failing."""
    if n <= 0:
        raise ValueError("retry needs n > 0")

    def decorate(f):
        def wrapper(*args, **kwargs):
            for attempt in range(n):
                try:
                    return f(*args, **kwargs)
                except AssertionError:
                    if attempt == n - 1:
                        raise
        wrapper.__name__ = f.__name__
        wrapper.__doc__ = f.__doc__
        return wrapper
    return decorate


@contextmanager
def environment(*args):
    """``with environment('NAME', 'value'):`` or ``with environment({'A': '1', 'B': None}):``
    sets (None: unsets) environment variables and restores them afterwards."""
    if len(args) == 1 and isinstance(args[0], dict):
        wanted = dict(args[0])
    elif len(args) == 2:
        wanted = {args[0]: args[1]}
    else:
        raise TypeError("environment() takes a dict, or a name and a value")
    saved = {name: os.environ.get(name) for name in wanted}
    _set_environ(wanted)
    try:
        yield
    finally:
        _set_environ(saved)


def _set_environ(values):
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = str(value)


@contextmanager
def discard_stderr():
    """Silence everything written to the stderr file descriptor (C code included)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), fd)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def list_gpus():
    """``range`` over the usable GPUs (empty without CUDA)."""
    return range(_context.num_gpus())


def is_cd_run():
    """True when running as part of a release (CD) job (env ``CD_JOB=1``)."""
    return os.environ.get("CD_JOB", "0") == "1"


def is_aarch64_run():
    return platform.machine() == "aarch64"


def has_tvm_ops():
    """mxtorch has no TVM-generated operators."""
    return False


def is_op_runnable():
    """Every mxtorch operator runs on every device torch supports."""
    return True


# --------------------------------------------------------------------------------------------
# data (no downloads)
# --------------------------------------------------------------------------------------------


def download(url, fname=None, dirname=None, overwrite=False, retries=5):
    """Download ``url`` to a local file and return its path.

    Parameters
    ----------
    url : str
        http(s), ftp or file URL.
    fname : str, optional
        Target file name (default: the URL's last component).
    dirname : str, optional
        Directory for ``fname`` (created if missing).
    overwrite : bool, default False
        Download even when the file exists.
    retries : int, default 5
        Further attempts after a failure.
    """
    if retries < 0:
        raise ValueError(f"download: retries must be >= 0, got {retries}")
    fname = fname or url.split("/")[-1]
    if dirname is None:
        dirname = os.path.dirname(fname)
    else:
        fname = os.path.join(dirname, fname)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    if os.path.exists(fname) and not overwrite:
        logging.info("%s exists, skipping download", fname)
        return fname
    for attempt in range(retries + 1):
        try:
            _fetch(url, fname)
            break
        except OSError as err:
            if attempt == retries:
                raise MXNetError(f"download: could not fetch {url!r} to {fname!r} after "
                                 f"{retries + 1} attempt(s): {err}") from err
            logging.warning("download of %s failed (%s), retrying, %d attempt(s) left", url,
                            err, retries - attempt)
    logging.info("downloaded %s into %s successfully", url, fname)
    return fname


def _fetch(url, fname):
    """Stream ``url`` into ``fname`` through a temporary file (no half-written files)."""
    import urllib.request
    part = f"{fname}.{os.getpid()}.part"
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(part, "wb") as out:
            status = getattr(response, "status", None)
            if status not in (None, 200):
                raise OSError(f"HTTP status {status}")
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                out.write(chunk)
        os.replace(part, fname)
    finally:
        if os.path.exists(part):
            os.remove(part)


_MODEL_URL = "http://data.mxnet.io/models/"


def _default_model_info():
    """MXNet's model-zoo checkpoints: name -> {'symbol': url, 'params': url}."""
    resnets = {f"imagenet1k-{arch}-{depth}": f"imagenet/{arch}/{depth}-layers/{arch}-{depth}"
               for arch, depths in (("resnet", (18, 34, 50, 101, 152)),
                                    ("resnext", (50, 101))) for depth in depths}
    stems = dict(resnets, **{
        "imagenet1k-resnext-101-64x4d": "imagenet/resnext/101-layers/resnext-101-64x4d",
        "imagenet11k-resnet-152": "imagenet-11k/resnet-152/resnet-152",
        "imagenet11k-place365ch-resnet-152": "imagenet-11k-place365-ch/resnet-152",
        "imagenet11k-place365ch-resnet-50": "imagenet-11k-place365-ch/resnet-50"})
    info = {name: {"symbol": f"{_MODEL_URL}{stem}-symbol.json",
                   "params": f"{_MODEL_URL}{stem}-0000.params"} for name, stem in stems.items()}
    info["imagenet1k-inception-bn"] = {
        "symbol": _MODEL_URL + "imagenet/inception-bn/Inception-BN-symbol.json",
        "params": _MODEL_URL + "imagenet/inception-bn/Inception-BN-0126.params"}
    return info


def download_model(model_name, dst_dir="./", meta_info=None):
    """Download a symbol/params checkpoint to ``dst_dir/<model_name>-symbol.json`` and
    ``-0000.params``.

    Parameters
    ----------
    model_name : str
    dst_dir : str, default './'
    meta_info : dict, optional
        ``{model_name: {'symbol': url, 'params': url}}``; default MXNet's model zoo.

    Returns
    -------
    (prefix, epoch) for ``mx.model.load_checkpoint``; ``(None, 0)`` for an unknown model.
    """
    meta_info = dict(_default_model_info() if meta_info is None else meta_info)
    if model_name not in meta_info:
        return None, 0
    meta = dict(meta_info[model_name])
    for key in ("symbol", "params"):
        if key not in meta:
            raise ValueError(f"download_model: meta_info[{model_name!r}] has no {key!r} url")
    os.makedirs(dst_dir, exist_ok=True)
    prefix = os.path.join(dst_dir, model_name)
    download(meta["symbol"], prefix + "-symbol.json")
    download(meta["params"], prefix + "-0000.params")
    return prefix, 0


def get_zip_data(data_dir, url, data_origin_name):
    """Download the zip ``url`` as ``data_dir/data_origin_name`` and extract it into
    ``data_dir``; nothing happens when that zip file is already there."""
    archive = os.path.join(data_dir, data_origin_name)
    if os.path.exists(archive):
        return
    download(url, fname=data_origin_name, dirname=data_dir)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(path=data_dir)


def get_bz2_data(data_dir, data_name, url, data_origin_name):
    """Download the bz2 file ``url`` and decompress it to ``data_dir/data_name`` (the
    compressed file is removed); nothing happens when ``data_name`` already exists."""
    target = os.path.join(data_dir, data_name)
    if os.path.exists(target):
        return
    archive = os.path.join(data_dir, data_origin_name)
    download(url, fname=data_origin_name, dirname=data_dir)
    with bz2.BZ2File(archive, "rb") as packed, open(target, "wb") as out:
        for block in iter(lambda: packed.read(1 << 20), b""):
            out.write(block)
    os.remove(archive)


_DATA_URL = "http://data.mxnet.io/"
_MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")


def _read_idx(path):
    """The array in an IDX file (MNIST's format), gzip-compressed or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        head = f.read(4)
        if len(head) < 4 or head[:3] != b"\x00\x00\x08":
            raise MXNetError(f"{path} is not an unsigned-byte IDX file")
        shape = struct.unpack(f">{head[3]}I", f.read(4 * head[3]))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def get_mnist():
    """MNIST as NumPy arrays, downloading the four ``*-ubyte.gz`` files into the current
    directory unless they are there.

    Returns
    -------
    dict
        ``train_data``/``test_data``: float32 (N, 1, 28, 28) in [0, 1];
        ``train_label``/``test_label``: int8 (N,).
    """
    base = _DATA_URL + "data/mnist/"
    out = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        label = _read_idx(download(f"{base}{prefix}-labels-idx1-ubyte.gz")).astype(np.int8)
        image = _read_idx(download(f"{base}{prefix}-images-idx3-ubyte.gz"))
        out[f"{split}_data"] = image.reshape(len(label), 1, 28, 28).astype(np.float32) / 255
        out[f"{split}_label"] = label
    return out


def get_mnist_pkl():
    """Download ``data/mnist.pkl.gz`` unless it is there."""
    if not os.path.exists(os.path.join("data", "mnist.pkl.gz")):
        download("http://deeplearning.net/data/mnist/mnist.pkl.gz", dirname="data")


def _get_zipped(url, names):
    """Download and extract ``url`` into ``data/`` unless every file of ``names`` is there."""
    if all(os.path.exists(os.path.join("data", n)) for n in names):
        return
    with zipfile.ZipFile(download(url, dirname="data")) as zipped:
        zipped.extractall("data")


def get_mnist_ubyte():
    """Download and extract MNIST's four ``*-ubyte`` files into ``data/`` unless they are
    there."""
    _get_zipped(_DATA_URL + "mxnet/data/mnist.zip", _MNIST_FILES)


def get_cifar10():
    """Download and extract CIFAR-10 (``data/cifar/{train,test}.{rec,lst}``) unless it is
    there."""
    _get_zipped(_DATA_URL + "mxnet/data/cifar10.zip",
                [f"cifar/{split}.{ext}" for split in ("train", "test") for ext in ("rec", "lst")])


def get_mnist_iterator(batch_size, input_shape, num_parts=1, part_index=0):
    """(train, validation) ``mx.io.MNISTIter`` over ``data/*-ubyte`` (fetched if missing);
    ``input_shape`` of length 3 gives images, otherwise flat vectors."""
    get_mnist_ubyte()
    try:
        from .io import MNISTIter
    except ImportError as err:
        raise MXNetError("get_mnist_iterator needs mx.io.MNISTIter, which this mxtorch build "
                         "does not have yet; use get_mnist() for the arrays") from err
    flat = len(input_shape) != 3
    common = dict(input_shape=input_shape, batch_size=batch_size, flat=flat,
                  num_parts=num_parts, part_index=part_index)
    train = MNISTIter(image="data/train-images-idx3-ubyte", label="data/train-labels-idx1-ubyte",
                      shuffle=True, **common)
    val = MNISTIter(image="data/t10k-images-idx3-ubyte", label="data/t10k-labels-idx1-ubyte",
                    **common)
    return train, val


def get_im2rec_path(home_env="MXNET_HOME"):
    """Path of MXNet's ``tools/im2rec.py`` under ``$MXNET_HOME`` (mxtorch ships no copy)."""
    home = os.environ.get(home_env)
    for candidate in ([os.path.join(home, "tools", "im2rec.py")] if home else []):
        if os.path.isfile(candidate):
            return candidate
    raise IOError(f"Could not find path to tools/im2rec.py: set {home_env} to an MXNet source "
                  "tree (mxtorch does not ship the tool)")


def _data_iter_base():
    try:
        from .io import DataIter
        return DataIter
    except ImportError:
        return object


class DummyIter(_data_iter_base()):
    """Repeats the first batch of ``real_iter`` forever (for speed tests)."""

    def __init__(self, real_iter):
        if _data_iter_base() is not object:
            super().__init__()
        self.real_iter = real_iter
        self.provide_data = real_iter.provide_data
        self.provide_label = real_iter.provide_label
        self.batch_size = real_iter.batch_size
        self.the_batch = next(real_iter)

    def __iter__(self):
        return self

    def __next__(self):
        return self.the_batch

    def next(self):
        return self.the_batch

    def reset(self):
        """Nothing to rewind: the same batch comes back every time."""


def compare_optimizer(opt1, opt2, shape, dtype, w_stype="default", g_stype="default",
                      rtol=1e-4, atol=1e-5, compare_states=True, ntensors=1):
    """Run one update of two optimizers on the same random weight/gradient and compare the
    states and weights (``shape`` a list: ``opt2`` updates all tensors at once)."""
    ctx = default_context()
    if isinstance(shape, list):
        _compare_multi(opt1, opt2, shape, dtype, rtol, atol, compare_states, ntensors, ctx)
        return
    w2 = _random_for(shape, w_stype, dtype, ctx, density=1)
    w1 = w2.copyto(ctx).tostype("default")
    g2 = _random_for(shape, g_stype, dtype, ctx)
    g1 = g2.copyto(ctx).tostype("default")
    state1 = opt1.create_state_multi_precision(0, w1)
    state2 = opt2.create_state_multi_precision(0, w2)
    if compare_states:
        compare_ndarray_tuple(state1, state2)
    opt1.update_multi_precision(0, w1, g1, state1)
    opt2.update_multi_precision(0, w2, g2, state2)
    if compare_states:
        compare_ndarray_tuple(state1, state2, rtol=rtol, atol=atol)
    assert_almost_equal(w1, w2, rtol=rtol, atol=atol)


def _random_for(shape, stype, dtype, ctx, density=None):
    from . import ndarray as nd
    if stype == "default":
        return nd.random.uniform(shape=shape, ctx=ctx, dtype=dtype)
    if stype in ("row_sparse", "csr"):
        return rand_ndarray(shape, stype, density=density, dtype=dtype)
    raise ValueError(f"stype {stype!r} is not supported")


def _compare_multi(opt1, opt2, shapes, dtype, rtol, atol, compare_states, ntensors, ctx):
    from . import ndarray as nd
    w1 = [nd.random.uniform(shape=s, ctx=ctx, dtype=dtype) for s in shapes]
    g1 = [nd.random.uniform(shape=s, ctx=ctx, dtype=dtype) for s in shapes]
    w2 = [w.copy() for w in w1]
    g2 = [g.copy() for g in g1]
    state2 = [opt2.create_state_multi_precision(0, w2[i]) for i in range(ntensors)]
    opt2.update_multi_precision(list(range(ntensors)), w2, g2, state2)
    for i in range(ntensors):
        state1 = opt1.create_state_multi_precision(i, w1[i])
        opt1.update_multi_precision(i, w1[i], g1[i], state1)
        if compare_states:
            compare_ndarray_tuple(state1, state2[i], rtol, atol)
        compare_ndarray_tuple(w1[i], w2[i], rtol, atol)



# --------------------------------------------------------------------------------------------
# well-conditioned random matrices (linalg tests)
# --------------------------------------------------------------------------------------------


def new_orthonormal_matrix_2d(n):
    """A random (n, n) orthonormal matrix (float64)."""
    x = np.random.randn(n, n)
    return np.linalg.qr(x.T @ x)[0]


def new_sym_matrix_with_real_eigvals_2d(n):
    """A random symmetric (n, n) matrix with eigenvalues drawn from U(-10, 10)."""
    q = new_orthonormal_matrix_2d(n)
    return q.T @ np.diag(np.random.uniform(-10.0, 10.0, n)) @ q


def new_matrix_with_real_eigvals_2d(n):
    """A random (n, n) matrix with real eigenvalues from U(-10, 10), similar to a diagonal one
    through a well-conditioned (condition number < 3) transform."""
    while True:
        v = np.random.uniform(-1.0, 1.0, (n, 1))
        v /= np.linalg.norm(v, axis=0, keepdims=True)
        householder = np.eye(n) - 2 * (v @ v.T)
        q = householder @ np.diag(np.random.uniform(-1.0, 1.0, n))
        if np.linalg.cond(q, 2) < 3:
            break
    return np.linalg.inv(q) @ np.diag(np.random.uniform(-10.0, 10.0, n)) @ q


def _batched(make_2d, shape):
    count = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return np.array([make_2d(shape[-1]) for _ in range(count)]).reshape(shape)


def new_matrix_with_real_eigvals_nd(shape):
    """A batch (``shape[:-2]``) of ``new_matrix_with_real_eigvals_2d`` matrices."""
    return _batched(new_matrix_with_real_eigvals_2d, shape)


def new_sym_matrix_with_real_eigvals_nd(shape):
    """A batch (``shape[:-2]``) of ``new_sym_matrix_with_real_eigvals_2d`` matrices."""
    return _batched(new_sym_matrix_with_real_eigvals_2d, shape)


# --------------------------------------------------------------------------------------------
# Gluon
# --------------------------------------------------------------------------------------------


def check_gluon_hybridize_consistency(net_builder, data_l, numpy_func=None, test_grad=True,
                                      rtol=1E-4, atol=1E-4):
    """Check that a HybridBlock gives the same outputs (and input gradients) hybridized and
    not, with and without ``autograd.record``, and optionally matches ``numpy_func``.

    Parameters
    ----------
    net_builder : callable
        ``net_builder(prefix=...)`` returns a new HybridBlock; it must not draw random numbers
        in its forward pass. Every block gets the parameter values of the first one.
    data_l : list of NDArray
        Inputs.
    numpy_func : callable, optional
        Ground truth over the inputs' NumPy values.
    test_grad : bool, default True
        Also compare the gradients of the summed outputs w.r.t. the inputs.
    rtol, atol : float, default 1e-4
    """
    from . import autograd
    saved_params, saved_out, saved_grads = None, None, None
    for hybridize in (False, True):
        for use_autograd in ((False, True) if test_grad else (False,)):
            net = net_builder(prefix="net_")
            saved_params = _init_like(net, data_l, saved_params)
            if hybridize:
                net.hybridize()
            inputs = [x.copy() for x in data_l]
            if use_autograd:
                for x in inputs:
                    x.attach_grad()
                with autograd.record():
                    out = net(*inputs)
                autograd.backward(_flat(out))  # head gradients of ones
                grads = [x.grad.asnumpy() for x in inputs]
                if saved_grads is None:
                    saved_grads = grads
                for got, want in zip(grads, saved_grads):
                    assert_almost_equal(got, want, rtol=rtol, atol=atol)
            else:
                out = net(*inputs)
            outs = [o.asnumpy() for o in _flat(out)]
            if saved_out is None:
                saved_out = outs
            for got, want in zip(outs, saved_out):
                assert_almost_equal(got, want, rtol=rtol, atol=atol)
    if numpy_func is not None:
        expected = numpy_func(*[x.asnumpy() for x in data_l])
        for got, want in zip(saved_out, _flat(expected)):
            assert_almost_equal(got, want, rtol=rtol, atol=atol)


def _flat(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _init_like(net, data_l, saved):
    """Initialize ``net`` (a warm-up forward settles deferred shapes), then give it the
    parameter values in ``saved`` (by name); return the values it ends up with."""
    net.initialize()
    net(*[x.copy() for x in data_l])
    params = net.collect_params()
    if saved is None:
        return {name: p.data().asnumpy() for name, p in params.items()}
    for name, p in params.items():
        p.set_data(array(saved[name], dtype=saved[name].dtype))
    return saved
