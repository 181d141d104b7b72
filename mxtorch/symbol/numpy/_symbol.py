"""``mxnet.symbol.numpy._symbol``: Symbol functions named like ``mx.np``'s, built from the
registry's ``_npi_*``/``_np_*`` operators by the sym door."""
import builtins

from .. import _gen
from ...ops.np_shape import pad_attrs
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


def _argmin(self, axis=None, out=None, keepdims=False):  # noqa: ARG001
    """``np.argmin(self, axis)``."""
    return _sym("_npi_argmin")(self, axis=axis, keepdims=keepdims)


def _round(self, decimals=0):
    """``np.round(self, decimals)``."""
    return _sym("_npi_around")(self, decimals=decimals)


def _argsort(self, axis=-1, kind=None, order=None):  # noqa: ARG001
    """``np.argsort(self, axis)`` (int64)."""
    return _sym("_npi_argsort")(self, axis=axis)


def _as_np(name):
    """The legacy Symbol method ``name`` with its result as a NumPy-semantics _Symbol (as
    MXNet's _Symbol.astype/clip/repeat/swapaxes/take return)."""
    legacy = getattr(Symbol, name)

    def method(self, *args, **kwargs):
        if name == "astype":
            kwargs = {k: v for k, v in kwargs.items() if k == "dtype"}
        out = legacy(self, *args, **kwargs)
        return _Symbol(out._outputs) if isinstance(out, Symbol) else out
    method.__name__ = name
    method.__doc__ = f"``{name}`` of this symbol (NumPy semantics)."
    return method


def _install_shape_methods(cls):
    for name in ("astype", "clip", "repeat", "swapaxes", "take"):
        if name not in cls.__dict__:
            setattr(cls, name, _as_np(name))
    for name, fn in (("reshape", _reshape), ("transpose", _transpose), ("argmax", _argmax),
                     ("squeeze", _squeeze), ("flatten", _flatten), ("argmin", _argmin),
                     ("round", _round), ("argsort", _argsort)):
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


def swapaxes(a, axis1, axis2):
    """Interchange two axes (``_npi_swapaxes``)."""
    return _sym("_npi_swapaxes")(a, dim1=axis1, dim2=axis2)


def tensordot(a, b, axes=2):
    """Sum products over ``axes``: an int (the last/first ``axes`` axes) or two sequences."""
    if isinstance(axes, int):
        return _sym("_npi_tensordot_int_axes")(a, b, axes=axes)
    left, right = ((x,) if isinstance(x, int) else tuple(x) for x in axes)
    if len(left) != len(right):
        raise ValueError(f"tensordot: axes {axes} must name as many axes of a as of b")
    return _sym("_npi_tensordot")(a, b, a_axes_summed=left, b_axes_summed=right)


def einsum(*operands, **kwargs):
    """Einstein summation: ``einsum('ij,jk->ik', a, b)``."""
    optimize = kwargs.pop("optimize", False)
    kwargs.pop("out", None)
    if kwargs:
        raise TypeError(f"einsum: unsupported arguments {sorted(kwargs)}")
    if not operands or not isinstance(operands[0], str):
        raise TypeError("einsum: the first argument must be the subscripts string")
    arrays = operands[1:]
    return _sym("_npi_einsum")(*arrays, num_args=len(arrays), subscripts=operands[0],
                               optimize=int(bool(optimize)))


def full(shape, fill_value, dtype=None, order="C", ctx=None, out=None):  # noqa: ARG001
    """A Symbol of ``shape`` filled with the number ``fill_value``."""
    if isinstance(fill_value, Symbol):
        return _sym("_npi_broadcast_to")(fill_value, shape=shape)
    if dtype is None and isinstance(fill_value, bool):
        dtype = "bool"
    kwargs = {"shape": shape, "value": fill_value}
    if dtype is not None:
        kwargs["dtype"] = dtype
    return _sym("_npi_full")(**kwargs)


def bincount(x, weights=None, minlength=0):
    """Occurrences of each value of a non-negative integer Symbol (weighted sums with
    ``weights``)."""
    if weights is None:
        return _sym("_npi_bincount")(x, minlength=minlength, has_weights=False)
    return _sym("_npi_bincount")(x, weights, minlength=minlength, has_weights=True)


def pad(x, pad_width=None, mode="constant", **kwargs):
    """Pad a Symbol (``constant_values``/``reflect_type`` as NumPy names them)."""
    return _sym("_npi_pad")(x, **pad_attrs(pad_width, mode, kwargs))


def _sorter(op):
    def fn(a, axis=-1, kind=None, order=None):  # noqa: ARG001 - NumPy's signature
        if order is not None:
            raise NotImplementedError(f"{op[5:]}: order= names fields of NumPy structured "
                                      "arrays, which mx.np does not have (as MXNet 1.9.1)")
        return _sym(op)(a, axis=axis)
    fn.__name__ = op[5:]
    fn.__doc__ = "Sorted copy along ``axis``." if op == "_npi_sort" else \
        "Indices that sort ``a`` along ``axis``."
    return fn


sort, argsort = _sorter("_npi_sort"), _sorter("_npi_argsort")


def _atleast(n):
    def fn(*arys):
        node = _sym(f"_np_atleast_{n}d")(*arys, num_args=len(arys))
        return node if len(arys) == 1 else [node[i] for i in range(len(arys))]
    fn.__name__ = f"atleast_{n}d"
    fn.__doc__ = f"Inputs viewed with at least {n} dimensions (a list for several)."
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)


def _spaced(op, name):
    def fn(start, stop, num=50, endpoint=True, *args, dtype=None, axis=0, ctx=None, **kw):
        extra = dict(zip(("retstep", "dtype") if op == "_npi_linspace" else ("base", "dtype"),
                         args))
        dtype = extra.get("dtype", dtype)
        retstep = extra.get("retstep", kw.pop("retstep", False))
        if op == "_npi_logspace":
            kw.setdefault("base", extra.get("base", 10.0))
        if axis not in (0, -1):
            raise ValueError(f"{name}: axis {axis} is out of bounds for the 1-d result of "
                             "scalar start/stop (axis 0 or -1)")
        if dtype is not None:
            kw["dtype"] = dtype
        node = _sym(op)(start=start, stop=stop, num=int(num), endpoint=endpoint, **kw)
        if not retstep:
            return node
        div = (num - 1) if endpoint else num
        return node, ((stop - start) / div if div > 0 else float("nan"))
    fn.__name__ = name
    fn.__doc__ = f"``num`` evenly spaced samples ({name}; scalar start/stop)."
    return fn


linspace = _spaced("_npi_linspace", "linspace")
logspace = _spaced("_npi_logspace", "logspace")


def histogram(a, bins=10, range=None, normed=None, weights=None, density=None):  # noqa: A002
    """Counts of ``a`` in ``bins`` equal bins over ``range`` and the bin edges (a list of two
    Symbols); edges, weights and density need concrete arrays (mx.np.histogram)."""
    if not isinstance(bins, int) or weights is not None or normed or density:
        raise NotImplementedError("histogram of a Symbol takes an int bins and range only "
                                  "(as MXNet 1.9.1)")
    kwargs = {"bin_cnt": bins}
    if range is not None:
        kwargs["range"] = tuple(range)
    node = _sym("_npi_histogram")(a, **kwargs)
    return [node[0], node[1]]


def diff(a, n=1, axis=-1, prepend=None, append=None):  # noqa: A002 - NumPy's names
    """``n``-th discrete difference along ``axis``; ``prepend``/``append`` Symbols are
    concatenated first."""
    parts = [p for p in (prepend, a, append) if p is not None]
    if len(parts) > 1:
        if not all(isinstance(p, Symbol) for p in parts):
            raise TypeError("diff: prepend/append of a Symbol must be Symbols")
        a = _sym("_npi_concatenate")(*parts, axis=axis)
    return _sym("_npi_diff")(a, n=n, axis=axis)


# ---- binary functions taking Python scalars on either side (the _scalar/_rscalar ops) ----
_COMMUTATIVE = {"add", "multiply", "maximum", "minimum", "hypot", "equal", "not_equal",
                "bitwise_and", "bitwise_or", "bitwise_xor", "lcm", "logical_and", "logical_or",
                "logical_xor"}
_MIRRORED = {"greater": "less", "greater_equal": "less_equal", "less": "greater",
             "less_equal": "greater_equal"}


def _is_number(x):
    return isinstance(x, (bool, int, float)) or type(x).__module__ == "numpy" and \
        getattr(x, "ndim", None) == 0


def _scalar_node(target, sym, value, reverse):
    op = f"_npi_r{target}_scalar" if reverse else f"_npi_{target}_scalar"
    if op not in _gen.SYM_FUNCTIONS:
        raise TypeError(f"{target}: a Python scalar on this side is not supported")
    is_int = isinstance(value, (bool, int)) or getattr(value, "dtype", None) is not None and \
        value.dtype.kind in "biu"
    return _sym(op)(sym, scalar=float(value), is_int=bool(is_int))


def _binary_function(name):
    target = _ALIASES.get(name, name)
    tensor_op = _lookup(name)

    def fn(x1, x2, out=None, **kwargs):  # noqa: ARG001 - NumPy's signature
        if isinstance(x1, Symbol) and isinstance(x2, Symbol):
            return tensor_op(x1, x2, **kwargs)
        if isinstance(x1, Symbol) and _is_number(x2):
            return _scalar_node(target, x1, x2, False)
        if isinstance(x2, Symbol) and _is_number(x1):
            if target in _COMMUTATIVE:
                return _scalar_node(target, x2, x1, False)
            if target in _MIRRORED:
                return _scalar_node(_MIRRORED[target], x2, x1, False)
            return _scalar_node(target, x2, x1, True)
        raise TypeError(f"{name}: operands must be Symbols or Python numbers, got "
                        f"{type(x1).__name__} and {type(x2).__name__}")
    fn.__name__ = name
    fn.__doc__ = f"Element-wise ``{name}`` of Symbols and/or Python numbers (broadcasting)."
    return fn


for _name in ("add", "subtract", "multiply", "true_divide", "divide", "mod", "remainder",
              "power", "maximum", "minimum", "arctan2", "hypot", "copysign", "ldexp", "lcm",
              "bitwise_and", "bitwise_or", "bitwise_xor", "equal", "not_equal", "greater",
              "greater_equal", "less", "less_equal", "logical_and", "logical_or",
              "logical_xor"):
    if _lookup(_name) is not None:
        globals()[_name] = _binary_function(_name)


def where(condition, x=None, y=None):
    """Elements of ``x`` where ``condition``, else of ``y`` (Symbols or Python numbers)."""
    if x is None or y is None:
        raise ValueError("where of a Symbol needs both x and y")
    if _is_number(x) and _is_number(y):
        return _sym("_npi_where_scalar2")(condition, x=float(x), y=float(y))
    if _is_number(x):
        return _sym("_npi_where_lscalar")(condition, y, scalar=x)
    if _is_number(y):
        return _sym("_npi_where_rscalar")(condition, x, scalar=y)
    return _sym("_npi_where")(condition, x, y)


def _creator(op):
    def fn(shape, dtype=None, order="C", ctx=None):  # noqa: ARG001
        if order != "C":
            raise NotImplementedError(f"{op[5:]}: only order='C' is supported")
        return _sym(op)(shape=shape, **({} if dtype is None else {"dtype": dtype}))
    fn.__name__ = op[5:]
    fn.__doc__ = f"A Symbol of ``shape`` filled with {'zeros' if 'zeros' in op else 'ones'}."
    return fn


zeros, ones = _creator("_npi_zeros"), _creator("_npi_ones")


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
