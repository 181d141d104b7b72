"""``mxnet.symbol.numpy._symbol``: Symbol functions named like ``mx.np``'s, built from the
registry's ``_npi_*``/``_np_*`` operators by the sym door."""
from .. import _gen
from ..symbol import Group, Symbol  # noqa: F401 - part of MXNet's module namespace

__all__ = []
_ALIASES = {"divide": "true_divide", "remainder": "mod", "fabs": "abs", "invert": "bitwise_not",
            "rad2deg": "degrees", "deg2rad": "radians", "product": "prod", "amax": "max",
            "amin": "min", "alltrue": "all", "sometrue": "any", "round": "around",
            "round_": "around", "repeat": "repeats", "random": None}


def _lookup(name):
    target = _ALIASES.get(name, name)
    if target is None:
        return None
    for prefix in ("_npi_", "_np_"):
        fn = _gen.SYM_FUNCTIONS.get(prefix + target)
        if fn is not None:
            return fn
    return None


def _export(names):
    for name in names:
        fn = _lookup(name)
        if fn is not None:
            globals()[name] = fn
            __all__.append(name)


def _np_names():
    from ... import numpy as mxnp
    return [n for n in mxnp.__all__ if callable(getattr(mxnp, n, None))
            and not isinstance(getattr(mxnp, n), type)]


_export(_np_names())


class _Symbol(Symbol):
    """A Symbol with NumPy semantics, as ``Symbol.as_np_ndarray`` returns; it shares the graph
    of the symbol it came from."""
    __slots__ = ()

    def as_np_ndarray(self):
        """This symbol (it already has NumPy semantics)."""
        return self

    def as_nd_ndarray(self):
        """The same graph as a legacy ``mx.sym.Symbol``; no copy is made."""
        return Symbol(self._outputs)

    def __repr__(self):
        return "<_" + super().__repr__()[1:]

    __str__ = __repr__

    def __getitem__(self, key):
        if isinstance(key, str) or len(self._outputs) > 1:
            return super().__getitem__(key)
        return _basic_index(self, key)

    def __setitem__(self, key, value):
        raise NotImplementedError("a Symbol cannot be assigned to: build a new one (e.g. with "
                                  "np.where) instead")

    @property
    def num_outputs(self):
        """How many outputs the symbol has."""
        return len(self.list_outputs())

    @property
    def T(self):
        """The transposed symbol (axes reversed)."""
        return _sym("_np_transpose")(self)

    def dot(self, b, out=None):  # noqa: ARG002 - NumPy's signature
        """``np.dot(self, b)``."""
        return _sym("_np_dot")(self, b)

    def cumsum(self, axis=None, dtype=None, out=None):  # noqa: ARG002
        """``np.cumsum(self, axis, dtype)``."""
        return _sym("_np_cumsum")(self, axis=axis, dtype=dtype)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):  # noqa: ARG002
        """``np.std(self, axis, dtype, ddof, keepdims)``."""
        return _sym("_npi_std")(self, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):  # noqa: ARG002
        """``np.var(self, axis, dtype, ddof, keepdims)``."""
        return _sym("_npi_var")(self, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


# ---- NumPy-semantics operators and methods of _Symbol (what hybridize traces in np mode) ----
_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
           "mod": "mod", "pow": "power", "eq": "equal", "ne": "not_equal", "gt": "greater",
           "ge": "greater_equal", "lt": "less", "le": "less_equal"}
_SWAPPED = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}


def _binary_method(name, reverse=False):
    def method(self, other):
        if isinstance(other, Symbol):
            pair = (other, self) if reverse else (self, other)
            return _sym(f"_npi_{name}")(*pair)
        if isinstance(other, (bool, int, float)):
            swapped = reverse and f"_npi_r{name}_scalar" in _gen.SYM_FUNCTIONS
            op = f"_npi_r{name}_scalar" if swapped else f"_npi_{name}_scalar"
            return _sym(op)(self, scalar=float(other), is_int=isinstance(other, int))
        return NotImplemented
    return method


def _reducer(op):
    def method(self, axis=None, dtype=None, out=None, keepdims=False):  # noqa: ARG001
        kwargs = {"axis": axis, "keepdims": keepdims}
        if dtype is not None:
            kwargs["dtype"] = dtype
        return _sym(op)(self, **kwargs)
    method.__doc__ = f"``{op}`` of this symbol (NumPy's reduction signature)."
    return method


def _basic_index(sym, key):
    """``sym[key]`` for ints and slices: a ``slice`` node, then ``_npx_reshape`` dropping the
    axes indexed by ints (as MXNet builds it)."""
    begin, end, step, newshape = [], [], [], []
    for k in key if isinstance(key, tuple) else (key,):
        if isinstance(k, slice):
            begin.append(k.start), end.append(k.stop), step.append(k.step), newshape.append(-2)
        elif isinstance(k, int) and not isinstance(k, bool):
            begin.append(k), end.append(None if k == -1 else k + 1), step.append(1)
            newshape.append(-3)
        else:
            raise IndexError(f"_Symbol.__getitem__: only ints and slices can index a NumPy "
                             f"symbol, got {k!r}; use np.take or npx.gather_nd instead")
    steps = {} if -2 not in newshape else {"step": step}
    out = _Symbol(_sym("slice")(sym, begin=begin, end=end, **steps)._outputs)
    if -3 in newshape:
        out = _sym("_npx_reshape")(out, newshape=tuple(newshape) + (-4,))
    return out


def _install_np_methods(cls):
    for dunder, name in _BINARY.items():
        setattr(cls, f"__{dunder}__", _binary_method(name))
        if dunder in _SWAPPED:
            continue
        if dunder not in ("eq", "ne"):
            setattr(cls, f"__r{dunder}__", _binary_method(name, reverse=True))
    cls.__hash__ = Symbol.__hash__
    cls.__neg__ = lambda self: _sym("_npi_multiply_scalar")(self, scalar=-1.0, is_int=False)
    for method, op in (("sum", "_np_sum"), ("mean", "_npi_mean"), ("max", "_np_max"),
                       ("min", "_np_min"), ("prod", "_np_prod")):
        setattr(cls, method, _reducer(op))


def _reshape(self, *shape, order="C"):
    """``np.reshape(self, shape)``; the shape may be given as separate ints."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return _sym("_np_reshape")(self, newshape=tuple(shape), order=order)


def _transpose(self, *axes):
    """``np.transpose(self, axes)``; the axes may be given as separate ints."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return _sym("_np_transpose")(self, axes=tuple(axes) if axes else None)


def _argmax(self, axis=None, out=None, keepdims=False):  # noqa: ARG001
    """``np.argmax(self, axis)``."""
    return _sym("_npi_argmax")(self, axis=axis, keepdims=keepdims)


def _squeeze(self, axis=None):
    """``np.squeeze(self, axis)``."""
    return _sym("_np_squeeze")(self, axis=axis)


def _flatten(self, order="C"):
    """The flattened symbol, as ``np.ndarray.flatten``."""
    return _sym("_np_reshape")(self, newshape=(-1,), order=order)


def _install_shape_methods(cls):
    for name, fn in (("reshape", _reshape), ("transpose", _transpose), ("argmax", _argmax),
                     ("squeeze", _squeeze), ("flatten", _flatten)):
        if name not in cls.__dict__:
            setattr(cls, name, fn)


# names MXNet builds from other operators
def _sym(name):
    return _gen.SYM_FUNCTIONS[name]


def ravel(x, order="C", name=None):
    """The flattened Symbol (``_np_reshape`` to (-1,))."""
    return _sym("_np_reshape")(x, newshape=(-1,), order=order, name=name)


def _like(value):
    def fn(a, dtype=None, order="C", ctx=None, out=None, name=None):  # noqa: ARG001
        kwargs = {"fill_value": value, "name": name}
        if dtype is not None:
            kwargs["dtype"] = dtype
        return _sym("_npi_full_like")(a, **kwargs)
    return fn


zeros_like, ones_like = _like(0), _like(1)


def empty_like(prototype, dtype=None, order="C", subok=False, shape=None):  # noqa: ARG001
    """Zeros like ``prototype`` (a Symbol)."""
    return zeros_like(prototype, dtype=dtype)


def flipud(m):
    """Flip along axis 0."""
    return _sym("_npi_flip")(m, axis=0)


def fliplr(m):
    """Flip along axis 1."""
    return _sym("_npi_flip")(m, axis=1)


def _splitter(axis):
    def fn(ary, indices_or_sections):
        if isinstance(indices_or_sections, int):
            return _sym("_npi_split")(ary, indices=(), sections=indices_or_sections, axis=axis)
        return _sym("_npi_split")(ary, indices=tuple(indices_or_sections), axis=axis)
    return fn


vsplit, hsplit, dsplit = _splitter(0), _splitter(1), _splitter(2)


def row_stack(arrays):
    """Stack Symbols row-wise."""
    return _sym("_npi_vstack")(*arrays)


def append(arr, values, axis=None):
    """``values`` appended to ``arr`` along ``axis`` (flattened when None)."""
    return _sym("_npi_concatenate")(arr, values, axis=axis)


def _is_sym(x):
    return isinstance(x, Symbol)


def insert(arr, obj, values, axis=None):
    """``arr`` with ``values`` inserted before ``obj`` (an int, a slice or an index Symbol)
    along ``axis`` (flattened when None)."""
    from ...numpy._extra import insert_plan
    op, extra, attrs = insert_plan(obj, values, axis, _is_sym)
    return _sym(op)(arr, *extra, **attrs)


def delete(arr, obj, axis=None):
    """``arr`` without the entries at ``obj`` (an int, a slice or an index Symbol)."""
    from ...numpy._extra import delete_plan
    op, extra, attrs = delete_plan(obj, axis, _is_sym)
    return _sym(op)(arr, *extra, **attrs)


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive elements of the flattened ``ary`` with optional ends."""
    from ...numpy._extra import ediff1d_plan
    extra, attrs = ediff1d_plan(to_end, to_begin)
    return _sym("_npi_ediff1d")(ary, *extra, **attrs)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None, **kwargs):  # noqa: ARG001
    """NaN and infinities of ``x`` replaced (see ``mx.np.nan_to_num``)."""
    return _sym("_npi_nan_to_num")(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)


def polyval(p, x):
    """The polynomial with coefficients ``p`` evaluated at ``x`` (Symbols)."""
    return _sym("_npi_polyval")(p, x)


def _window(name):
    def window(M, dtype="float32", ctx=None):
        from ..._torch.dtypes import dtype_name
        extra = {} if ctx is None else {"ctx": ctx}
        return _sym(f"_npi_{name}")(M=int(M), dtype=dtype_name(dtype), **extra)
    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"The {name} window of ``M`` points as a Symbol (float32 by default)."
    return window


hanning, hamming, blackman = _window("hanning"), _window("hamming"), _window("blackman")


def diag_indices_from(arr):
    """The main-diagonal indices of ``arr`` as one ``(ndim, n)`` int64 Symbol."""
    return _sym("_npi_diag_indices_from")(arr)


def inner(a, b):
    """Sum product over the last axes of ``a`` and ``b``."""
    return _sym("_npi_tensordot")(a, b, a_axes_summed=(-1,), b_axes_summed=(-1,))


def vdot(a, b):
    """Dot product of the flattened Symbols."""
    return _sym("_np_dot")(ravel(a), ravel(b))


def shares_memory(a, b, max_work=None):  # noqa: ARG001
    """Whether ``a`` and ``b`` overlap in memory (a 0-d bool Symbol)."""
    return _sym("_npi_share_memory")(a, b)


may_share_memory = shares_memory


def quantile(a, q, axis=None, out=None, overwrite_input=None,  # noqa: ARG001
             interpolation="linear", keepdims=False):
    """``q``-th quantiles (0..1; a number or a Symbol) of ``a`` along ``axis``."""
    attrs = {"axis": axis, "interpolation": interpolation, "keepdims": keepdims}
    if isinstance(q, Symbol):
        q100 = _sym("_npi_multiply_scalar")(q, scalar=100.0, is_int=False)
        return _sym("_npi_percentile")(a, q100, **attrs)
    return _sym("_npi_percentile")(a, q_scalar=float(q) * 100.0, **attrs)


def percentile(a, q, axis=None, out=None, overwrite_input=None,  # noqa: ARG001
               interpolation="linear", keepdims=False):
    """``q``-th percentiles (0..100; a number or a Symbol) of ``a`` along ``axis``."""
    attrs = {"axis": axis, "interpolation": interpolation, "keepdims": keepdims}
    if isinstance(q, Symbol):
        return _sym("_npi_percentile")(a, q, **attrs)
    return _sym("_npi_percentile")(a, q_scalar=float(q), **attrs)


def resize(a, new_shape):
    """``a`` repeated to fill ``new_shape`` (a NumPy-fallback Custom operator)."""
    from . import _internal
    new_shape = (new_shape,) if isinstance(new_shape, int) else tuple(new_shape)
    return _internal.resize_fallback(a, new_shape=new_shape)


def unravel_index(indices, shape, order="C"):
    """Coordinates of flat ``indices`` in an array of ``shape``: one row per dimension."""
    if order != "C":
        raise NotImplementedError("unravel_index: only order='C' is supported (as MXNet)")
    from . import _internal
    return _internal.unravel_index_fallback(indices, shape=tuple(shape))


for _name in ("ravel", "zeros_like", "ones_like", "empty_like", "flipud", "fliplr", "vsplit",
              "hsplit", "dsplit", "row_stack", "append", "insert", "delete", "ediff1d",
              "nan_to_num", "polyval", "hanning", "hamming", "blackman", "diag_indices_from",
              "inner", "vdot", "shares_memory", "may_share_memory", "quantile", "percentile",
              "resize", "unravel_index"):
    if _name not in __all__:
        __all__.append(_name)

_install_np_methods(_Symbol)
_install_shape_methods(_Symbol)
