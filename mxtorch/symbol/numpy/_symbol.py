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
        return super().__getitem__(key)

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


for _name in ("ravel", "zeros_like", "ones_like", "empty_like", "flipud", "fliplr", "vsplit",
              "hsplit", "dsplit", "row_stack", "append"):
    if _name not in __all__:
        __all__.append(_name)
