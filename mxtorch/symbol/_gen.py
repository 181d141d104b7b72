"""Build the ``sym.*`` functions from the operator registry (same names and signatures as nd).

``mx.sym.FullyConnected(data=x, num_hidden=4, name='fc1')`` creates node ``fc1`` and, for the
inputs not given, variables ``fc1_weight``/``fc1_bias``. Unnamed nodes are named from the
function's name (``mx.sym.Activation`` -> ``activation0``).
"""
from ..base import _Null
from ..ndarray._gen import (build_namespaces, docstring_of, populate_from, signature_of,
                            split_arguments, variadic_arguments)
from .symbol import Symbol, create


def sym_call(op, hint, args, kwargs):
    name = kwargs.pop("name", None)
    attr = kwargs.pop("attr", None)
    kwargs.pop("out", None)
    if op.variadic:
        symbols, _ = variadic_arguments(op, args, kwargs, Symbol)
        raw = {k: v for k, v in kwargs.items() if v is not _Null and not isinstance(v, Symbol)}
        if op.num_args and op.num_args not in raw and op.num_args in op.attr_map:
            raw[op.num_args] = len(symbols)
        return create(op, hint, symbols, raw, name, attr)
    given, raw = split_arguments(op, args, kwargs)
    return create(op, hint, given, raw, name, attr)


def make_sym_function(op, py_name):
    hint = py_name.lower()

    def op_function(*args, **kwargs):
        return sym_call(op, hint, args, kwargs)
    op_function.__name__ = op_function.__qualname__ = py_name
    op_function.__signature__ = signature_of(op)
    op_function.__doc__ = docstring_of(op, door="Symbol")
    op_function.__module__ = "mxtorch.symbol"
    return op_function


def populate(module_globals, namespace):
    populate_from(SPACES, module_globals, namespace)


SYM_FUNCTIONS, SPACES = build_namespaces(make_sym_function)
