"""``mxnet.numpy_op_fallback``: ``mx.np`` operators that run official NumPy inside a Custom
operator, so they also work in Symbol graphs: ``empty_like_fallback``, ``resize_fallback``,
``unravel_index_fallback`` and ``mvn_fallback`` (multivariate normal). Each is registered with
``mx.operator.register`` and reachable as ``mx.nd.np._internal.<name>`` and
``mx.sym.np._internal.<name>`` (``Custom`` with ``op_type=<name>``). Not differentiable.
"""
import ast
import functools

import numpy as np

from . import operator
from .ndarray.numpy import _internal as _nd_npi
from .symbol.numpy import _internal as _sym_npi

__all__ = ["register"]


def register(op_name, imperative=True, symbolic=True):
    """Class decorator: register a CustomOpProp as ``op_name`` and add ``op_name`` to the
    nd (``imperative``) and sym (``symbolic``) ``numpy._internal`` modules."""
    def helper(prop_cls):
        operator.register(op_name)(prop_cls)
        for wanted, module in ((imperative, _nd_npi), (symbolic, _sym_npi)):
            if wanted:
                if getattr(module, op_name, None) is not None:
                    raise ValueError(f"numpy_op_fallback.register: duplicate name {op_name!r} "
                                     f"in {module.__name__}")
                fn = functools.partial(module.Custom, op_type=op_name)
                setattr(module, op_name, fn)
        return prop_cls
    return helper


def _literal(text, default=None):
    if text is None or text == "None":
        return default
    return ast.literal_eval(text) if isinstance(text, str) else text


def _dtype(text):
    value = _literal(text, None) if text not in ("float32", "float64", "int32", "int64",
                                                 "float16", "uint8", "int8", "bool") else text
    return np.dtype(value) if value is not None else None


class _NumpyOp(operator.CustomOp):
    """Runs ``self.run(*host_inputs)`` and writes the NumPy results to the outputs."""

    def forward(self, is_train, req, in_data, out_data, aux):
        from .ndarray.ndarray import array
        results = self.run(*[x.asnumpy() for x in in_data])
        results = results if isinstance(results, tuple) else (results,)
        for dst, r, value in zip(out_data, req, results):
            self.assign(dst, r, array(np.asarray(value), dtype=dst.dtype, ctx=dst.context))

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        raise NotImplementedError(f"{type(self).__name__}: this NumPy fallback operator has no "
                                  "gradient")


class _Prop(operator.CustomOpProp):
    def __init__(self):
        super().__init__(need_top_grad=False)


class EmptyLike(_NumpyOp):
    """An uninitialised (here: zero) array like the input."""

    def __init__(self, dtype, shape):
        self._dtype, self._shape = dtype, shape

    def run(self, x):
        return np.zeros(self._shape or x.shape, dtype=self._dtype or x.dtype)


@register("empty_like_fallback")
class EmptyLikeProp(_Prop):
    """``np.empty_like(prototype, dtype, order, subok, shape)`` as an operator."""

    def __init__(self, dtype=None, order="C", subok="False", shape=None):
        super().__init__()
        self._dtype, self._shape = _dtype(dtype), _literal(shape)

    def list_arguments(self):
        return ["prototype"]

    def infer_shape(self, in_shape):
        return in_shape, [tuple(self._shape) if self._shape else in_shape[0]], []

    def infer_type(self, in_type):
        return in_type, [self._dtype or in_type[0]], []

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return EmptyLike(self._dtype, self._shape)


class Resize(_NumpyOp):
    """``np.resize`` of the input."""

    def __init__(self, new_shape):
        self._new_shape = new_shape

    def run(self, x):
        return np.resize(x, self._new_shape)


@register("resize_fallback")
class ResizeProp(_Prop):
    """``np.resize(a, new_shape)`` as an operator."""

    def __init__(self, new_shape):
        super().__init__()
        shape = _literal(new_shape)
        self._new_shape = (shape,) if isinstance(shape, int) else tuple(shape)

    def list_arguments(self):
        return ["a"]

    def infer_shape(self, in_shape):
        return in_shape, [self._new_shape], []

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return Resize(self._new_shape)


class Unravel_index(_NumpyOp):  # noqa: N801 - MXNet's class name
    """``np.unravel_index`` of the (integer) input, stacked into one array."""

    def __init__(self, shape):
        self._shape = shape

    def run(self, indices):
        return np.stack(np.unravel_index(indices.astype(np.int64), self._shape))


@register("unravel_index_fallback")
class Unravel_indexProp(_Prop):  # noqa: N801 - MXNet's class name
    """``np.unravel_index(indices, shape)`` as an operator: one row per dimension."""

    def __init__(self, shape):
        super().__init__()
        self._shape = tuple(_literal(shape))

    def list_arguments(self):
        return ["indices"]

    def infer_shape(self, in_shape):
        return in_shape, [(len(self._shape),) + tuple(in_shape[0])], []

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return Unravel_index(self._shape)


class MultivariateNormal(_NumpyOp):
    """Multivariate normal samples drawn by NumPy."""

    def __init__(self, size, check_valid, tol):
        self._size, self._check_valid, self._tol = size, check_valid, tol

    def run(self, mean, cov):
        from .ndarray import random as nd_random
        if self._check_valid != "ignore":
            psd = np.allclose(cov, cov.T, atol=self._tol) and \
                np.linalg.eigvalsh(cov).min() >= -self._tol
            if not psd and self._check_valid == "raise":
                raise ValueError("multivariate_normal: cov must be symmetric and positive "
                                 "semi-definite")
        u, s, _ = np.linalg.svd(cov)
        shape = (self._size or ()) + mean.shape[-1:]
        z = nd_random.normal(shape=shape, dtype="float64").asnumpy() if all(shape) else \
            np.zeros(shape)
        return mean + z @ (u * np.sqrt(s)).T


@register("mvn_fallback")
class MultivariateNormalProp(_Prop):
    """``np.random.multivariate_normal(mean, cov, size, check_valid, tol)`` as an operator."""

    def __init__(self, size=None, check_valid=None, tol=None):
        super().__init__()
        size = _literal(size)
        self._size = (size,) if isinstance(size, int) else (tuple(size) if size else None)
        self._check_valid = _literal(check_valid, "warn") if check_valid not in (
            "warn", "raise", "ignore") else check_valid
        self._tol = float(_literal(tol, 1e-8))

    def list_arguments(self):
        return ["mean", "cov"]

    def infer_shape(self, in_shape):
        return in_shape, [(self._size or ()) + tuple(in_shape[0][-1:])], []

    def create_operator(self, ctx, in_shapes, in_dtypes):
        return MultivariateNormal(self._size, self._check_valid, self._tol)
