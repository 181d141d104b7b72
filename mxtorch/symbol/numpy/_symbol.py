"""``mxnet.symbol.numpy._symbol``: Symbol functions named like ``mx.np``'s, built from the
registry's ``_npi_*``/``_np_*`` operators by the sym door."""
import builtins

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
        return _index(self, key)

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


# ---- indexing ---------------------------------------------------------------------------------
# ops whose outputs are boolean: a Symbol key made by one of them is a mask, others are indices
_BOOL_OPS = {f"_npi_{n}{s}" for n in ("equal", "not_equal", "greater", "greater_equal", "less",
                                       "less_equal", "logical_and", "logical_or", "logical_xor")
             for s in ("", "_scalar")} | {"_npi_logical_not", "_np_logical_not", "_npi_isnan",
                                          "_npi_isinf", "_npi_isfinite", "_npi_isposinf",
                                          "_npi_isneginf"}


def _is_int(k):
    import numbers
    return isinstance(k, numbers.Integral) and not isinstance(k, bool)


def _constant_index(k):
    """A list/NumPy/mx.np index as a 1-d list of ints (bool masks give their positions)."""
    import numpy as onp
    arr = onp.asarray(k.asnumpy() if hasattr(k, "asnumpy") else k)
    if arr.dtype == bool:
        if arr.ndim != 1:
            raise IndexError("_Symbol.__getitem__: a constant boolean index must be 1-d; use a "
                             "Symbol mask (x[x > 0]) or np.where")
        arr = onp.nonzero(arr)[0]
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise IndexError(f"_Symbol.__getitem__: constant array indices must be 1-d integers, "
                         f"got shape {arr.shape} and dtype {arr.dtype}; use a Symbol index")
    return [int(i) for i in arr]


def _advanced(k):
    return isinstance(k, (list, Symbol)) or hasattr(k, "shape") and not _is_int(k)


def _index(sym, key):
    """``sym[key]`` with NumPy's rules for ints, slices (any step), None, Ellipsis, and one
    advanced index (a Symbol, a list or a constant array); a boolean Symbol key selects
    elements where it is true (x[x > 0])."""
    items = list(key) if isinstance(key, tuple) else [key]
    if len(items) == 1 and isinstance(items[0], Symbol) and _is_mask(items[0]):
        flat = _np_sym("_npx_reshape")(sym, newshape=(-1,))
        mask = _np_sym("_npx_reshape")(items[0], newshape=(-1,))
        return _np_sym("_contrib_boolean_mask")(flat, mask)
    for k in items:
        if isinstance(k, bool) or not (k is None or k is Ellipsis or _is_int(k) or
                                       isinstance(k, slice) or _advanced(k)):
            raise IndexError(f"_Symbol.__getitem__: unsupported index {k!r}; use ints, slices, "
                             "None, Ellipsis or one integer array/Symbol")
    adv = [i for i, k in enumerate(items) if _advanced(k)]
    if len(adv) > 1:
        raise IndexError("_Symbol.__getitem__: only one array index is supported on a Symbol; "
                         "combine several with npx.gather_nd")
    if not adv:
        return _basic(sym, items)
    pos = adv[0]
    index = items[pos]
    items[pos] = slice(None)
    out = _basic(sym, items)
    if _separated(items, pos):
        raise IndexError("_Symbol.__getitem__: an array index separated from int indices by a "
                         "slice (NumPy moves the result axes first) is not supported on a Symbol")
    return _take(out, index, _axis_of(items, pos))


def _separated(items, pos):
    """Whether ints and the array index at ``pos`` have a slice/None between them."""
    spots = [i for i, k in enumerate(items) if _is_int(k)] + [pos]
    return builtins.any(not _is_int(items[i]) and i != pos
                        for i in range(builtins.min(spots), builtins.max(spots) + 1))


def _is_mask(key):
    heads = key._outputs
    return len(heads) == 1 and getattr(heads[0][0], "op", None) is not None and \
        heads[0][0].op.name in _BOOL_OPS


def _axis_of(items, pos):
    """The output axis of item ``pos`` after basic indexing (negative after an Ellipsis)."""
    if Ellipsis in items and items.index(Ellipsis) < pos:
        after = [k for k in items[pos + 1:] if not _is_int(k)]
        return -len(after) - 1
    return builtins.sum(1 for k in items[:pos] if k is None or isinstance(k, slice))


def _take(sym, index, axis):
    if isinstance(index, Symbol):
        return _np_sym("_npi_take")(sym, index, axis=axis)
    parts = [_np_sym("slice_axis")(sym, axis=axis, begin=i, end=None if i == -1 else i + 1)
             for i in _constant_index(index)]
    if len(parts) == 1:
        return parts[0]
    return _np_sym("_npi_concatenate")(*parts, axis=axis)


def _basic(sym, items):
    """Basic indexing: one ``slice`` node for the axes before an Ellipsis (ints are width-1
    slices), per-axis slices for the axes after it, ``_npx_reshape`` dropping the int axes
    (``reverse=True`` for the part after the Ellipsis), then ``_npi_expand_dims`` per None."""
    if items.count(Ellipsis) > 1:
        raise IndexError("_Symbol.__getitem__: an index can only have a single ellipsis ('...')")
    cut = items.index(Ellipsis) if Ellipsis in items else len(items)
    pre, post = items[:cut], items[cut + 1:]
    out = _slice_leading(sym, [k for k in pre if k is not None])
    out = _slice_trailing(out, [k for k in post if k is not None])
    pre_codes = [-3 if _is_int(k) else -2 for k in pre if k is not None]
    post_codes = [-3 if _is_int(k) else -2 for k in post if k is not None]
    if -3 in pre_codes:
        out = _np_sym("_npx_reshape")(out, newshape=tuple(pre_codes) + (-4,))
    if -3 in post_codes:
        out = _np_sym("_npx_reshape")(out, newshape=(-4,) + tuple(post_codes), reverse=True)
    kept = [k for k in pre if not _is_int(k)]
    for axis, k in enumerate(kept):
        if k is None:
            out = _np_sym("_npi_expand_dims")(out, axis=axis)
    kept = [k for k in post if not _is_int(k)]
    for r, k in enumerate(reversed(kept)):
        if k is None:
            out = _np_sym("_npi_expand_dims")(out, axis=-r - 1)
    return out


def _bounds(k):
    if _is_int(k):
        return k, (None if k == -1 else k + 1), 1
    return k.start, k.stop, k.step


def _slice_leading(sym, keys):
    if not keys or builtins.all(isinstance(k, slice) and k == slice(None) for k in keys):
        return sym
    begin, end, step = zip(*[_bounds(k) for k in keys])
    extra = {"step": list(step)} if builtins.any(isinstance(k, slice) for k in keys) else {}
    return _Symbol(_sym("slice")(sym, begin=list(begin), end=list(end), **extra)._outputs)


def _slice_trailing(sym, keys):
    for j, k in enumerate(keys):
        if isinstance(k, slice) and k == slice(None):
            continue
        axis = j - len(keys)
        begin, end, step = _bounds(k)
        if step in (None, 1):
            sym = _np_sym("slice_axis")(sym, axis=axis, begin=begin or 0, end=end)
        else:
            sym = _np_sym("_npi_swapaxes")(sym, dim1=0, dim2=axis)
            sym = _np_sym("slice")(sym, begin=[begin], end=[end], step=[step])
            sym = _np_sym("_npi_swapaxes")(sym, dim1=0, dim2=axis)
    return sym


def _np_sym(name):
    def build(*args, **kwargs):
        return _Symbol(_sym(name)(*args, **kwargs)._outputs)
    return build


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
        from ...numpy._functions import split_args
        return _sym("_npi_split")(ary, axis=axis, **split_args(indices_or_sections))
    return fn


vsplit, hsplit, dsplit = _splitter(0), _splitter(1), _splitter(2)


def split(ary, indices_or_sections, axis=0):
    """Split a Symbol along ``axis`` into equal sections or at indices."""
    return _splitter(axis)(ary, indices_or_sections)


def array_split(ary, indices_or_sections, axis=0):
    """Split a Symbol along ``axis`` into nearly equal sections or at indices."""
    return _splitter(axis)(ary, indices_or_sections)


def row_stack(arrays):
    """Stack Symbols row-wise."""
    return _sym("_npi_vstack")(*arrays)


def average(a, axis=None, weights=None, returned=False, out=None):  # noqa: ARG001
    """Weighted average over ``axis`` (one ``_npi_average`` node; without ``weights`` the node
    has a single input and ``weighted=False``); with ``returned`` also the sum of weights."""
    weighted = weights is not None
    node = _sym("_npi_average")(*((a, weights) if weighted else (a,)), axis=axis,
                                returned=returned, weighted=weighted)
    return [node[0], node[1]] if returned else node[0]


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
              "hsplit", "dsplit", "split", "array_split", "row_stack", "append", "insert",
              "delete", "ediff1d",
              "nan_to_num", "polyval", "hanning", "hamming", "blackman", "diag_indices_from",
              "inner", "vdot", "shares_memory", "may_share_memory", "quantile", "percentile",
              "resize", "unravel_index"):
    if _name not in __all__:
        __all__.append(_name)

_install_np_methods(_Symbol)
_install_shape_methods(_Symbol)
