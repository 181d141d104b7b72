"""Build the ``nd.*`` functions from the operator registry (closures with real signatures).

Names land in namespaces by MXNet's prefix rule: ``_contrib_X`` -> ``nd.contrib.X``,
``_linalg_X`` -> ``nd.linalg.X``, ``_random_X`` -> ``nd.random.X``, ``_image_X`` ->
``nd.image.X``, ``_sparse_X`` -> ``nd.sparse.X``, other ``_X`` -> ``nd._internal._X``, the rest
-> ``nd.X``. Positional arguments fill the op's inputs first, then its attributes in MXNet's
declared order (so ``nd.one_hot(idx, 10)`` and ``nd.clip(x, 0, 1)`` work).
"""
import inspect

from ..autograd import STATE
from ..base import MXNetError, _Null
from ..ops import REGISTRY
from ..ops._invoke import KERNEL_ERRORS, diagnose
from . import ndarray as _nd_module
from .ndarray import DEFERRED, NDArray, _grad_enabled, _set_grad_enabled, _wrap, apply_op

PREFIXES = (("_contrib_", "contrib"), ("_linalg_", "linalg"), ("_random_", "random"),
            ("_image_", "image"), ("_sparse_", "sparse"))

def namespace_of(name):
    """(namespace, python name) of a registered op name, by MXNet's prefix rule."""
    if name.startswith("_random_") and not name.endswith("_like"):
        return "_internal", name  # MXNet's nd.random functions are Python wrappers of these
    for prefix, namespace in PREFIXES:
        if name.startswith(prefix):
            return namespace, name[len(prefix):]
    if name.startswith("_"):
        return "_internal", name
    return "", name


def signature_of(op):
    """The Python signature MXNet generates: inputs=None, attrs=_Null, out=None, name=None."""
    P = inspect.Parameter
    if op.variadic:
        params = [P("data", P.VAR_POSITIONAL)]
    else:
        params = [P(n, P.POSITIONAL_OR_KEYWORD, default=None) for n in op.all_inputs]
        params += [P(a.name, P.POSITIONAL_OR_KEYWORD, default=_Null) for a in op.attrs]
        params += [P("out", P.POSITIONAL_OR_KEYWORD, default=None),
                   P("name", P.POSITIONAL_OR_KEYWORD, default=None)]
    params.append(P("kwargs", P.VAR_KEYWORD))
    return inspect.Signature(params)


def docstring_of(op, door="NDArray"):
    """Generated numpydoc: the op's summary, its inputs and attributes, ``out``."""
    lines = [(op.doc or f"The {op.name} operator.").strip(), "", "Parameters", "----------"]
    if op.variadic:
        lines += [f"*data : {door}[]", "    Input arrays."]
    for name in op.all_inputs:
        lines += [f"{name} : {door}", f"    Input ``{name}``."]
    for a in op.attrs:
        default = "required" if a.default is inspect.Parameter.empty else f"default={a.default!r}"
        lines += [f"{a.name} : {a.kind.name}, {default}"]
        if a.doc:
            lines.append(f"    {a.doc}")
    if door == "NDArray":
        lines += ["out : NDArray, optional", "    The output array.", "", "Returns", "-------",
                  "out : NDArray or list of NDArrays"]
    else:
        lines += ["name : str, optional", "    Name of the resulting symbol.", "", "Returns",
                  "-------", "Symbol"]
    return "\n".join(lines)


def split_arguments(op, args, kwargs):
    """Sort a front-door call into ({input name: value}, {attr: raw value}).

    Shared by the nd and sym doors: positional values fill inputs first, then attributes.
    """
    inputs, raw = {}, {}
    all_inputs = op.all_inputs
    n_in = len(all_inputs)
    for i, value in enumerate(args):
        if i < n_in:
            if value is not None:
                inputs[all_inputs[i]] = value
        elif i - n_in < len(op.attrs):
            raw[op.attrs[i - n_in].name] = value
        else:
            raise TypeError(f"{op.name}() takes at most {n_in + len(op.attrs)} positional "
                            f"arguments ({len(args)} given)")
    for key, value in kwargs.items():
        if key in all_inputs:
            if value is not None:
                inputs[key] = value
        elif value is not _Null:
            raw[key] = value
    return inputs, raw


def order_inputs(op, given, attrs, kind="NDArray"):
    """Input values in the op's order for ``attrs``; errors name what is missing or extra."""
    names = op.input_names(attrs)
    if op.static_inputs is None and set(given) != set(names) and len(given) == len(names):
        # NOTE: MXNet matches inputs to the op's active input list in order, whatever slot
        # they were passed in: nd.RNN(x, params, state, seq_len, mode='gru', ...) is legal.
        return [given[n] for n in op.all_inputs if n in given]
    values = []
    for name in names:
        value = given.pop(name, None)
        if value is None:
            raise MXNetError(f"{op.name}: required input {name!r} is missing; the op takes "
                             f"{list(names)}")
        values.append(value)
    if given:
        raise MXNetError(f"{op.name}: input(s) {sorted(given)} are not used with these "
                         f"attributes (the op takes {list(names)} here)")
    return values


def variadic_arguments(op, args, kwargs, array_type):
    """Inputs and parsed attributes of a variadic call (``Concat(a, b, dim=1)``).

    Inputs come positionally (or as one list); ops whose inputs have names
    (``Custom(data=x, op_type=...)``) also take them as keywords, placed by name.
    """
    arrays = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) \
        else list(args)
    named = {k: v for k, v in kwargs.items() if isinstance(v, array_type)}
    raw = {k: v for k, v in kwargs.items() if v is not _Null and k not in named}
    if op.num_args and op.num_args not in raw and op.num_args in op.attr_map:
        raw[op.num_args] = len(arrays) + len(named)
    attrs = op.parse_attrs(raw)
    if named:
        names = op.input_names(attrs, len(arrays) + len(named))
        slots = dict(zip(names, arrays))
        unknown = sorted(set(named) - set(names))
        if unknown:
            raise MXNetError(f"{op.name}: unknown input(s) {unknown}; inputs are {list(names)}")
        slots.update(named)
        arrays = [slots[n] for n in names if n in slots]
    return arrays, attrs


def nd_call(op, args, kwargs):
    """The generic nd door: sort arguments, parse attributes, run through ``invoke``."""
    out = kwargs.pop("out", None)
    kwargs.pop("name", None)
    if op.variadic:
        arrays, attrs = variadic_arguments(op, args, kwargs, NDArray)
    else:
        given, raw = split_arguments(op, args, kwargs)
        attrs = op.parse_attrs(raw)
        arrays = order_inputs(op, given, attrs)
    for i, a in enumerate(arrays):
        if not isinstance(a, NDArray):
            names = op.input_names(attrs, len(arrays))
            label = names[i] if i < len(names) else f"arg{i}"
            raise TypeError(f"{op.name}: input {label!r} must be an NDArray, got "
                            f"{type(a).__name__}; wrap data with mx.nd.array(...)")
    return apply_op(op, arrays, attrs, out)


_SLOW = None  # a call plan marker: "sort this call's arguments with nd_call"
_MAX_PLANS = 256


def _call_plan(op, kwargs):
    """(parsed attrs, input names) of a call whose keywords are all attributes, else None.

    Plans are cached per op and per keyword items (values and their types), so a call that
    repeats in a loop (``F.FullyConnected(x, w, b, num_hidden=10)``) parses nothing."""
    raw = {}
    for key, value in kwargs.items():
        if key in op.all_inputs or key == "out" and value is not None:
            return _SLOW
        if key != "name" and key != "out" and value is not _Null:
            raw[key] = value
    attrs = op.parse_attrs(raw)
    names = op.input_names(attrs)
    if op.static_inputs is None and names != op.all_inputs[:len(names)]:
        return _SLOW  # inputs that skip a slot (RNN's modes) are sorted by order_inputs
    return attrs, names


def _plan_key(kwargs):
    return tuple(kwargs.items()) + tuple(map(type, kwargs.values()))


def _make_general(op):
    """The nd function of a non-variadic op: calls whose arrays are all positional inputs and
    whose keywords are attributes run a cached plan; anything else goes through nd_call."""
    if op.variadic:
        def op_function(*args, **kwargs):
            return nd_call(op, args, kwargs)
        return op_function
    plans = {}
    n_in = len(op.all_inputs)

    def op_function(*args, **kwargs):
        if len(args) > n_in:  # attributes given positionally: sort them with nd_call
            return nd_call(op, args, kwargs)
        out = kwargs.pop("out", None) if "out" in kwargs else None
        try:
            key = _plan_key(kwargs)
            plan = plans[key]
        except KeyError:
            plan = _call_plan(op, kwargs)
            if plan is not _SLOW:
                if len(plans) >= _MAX_PLANS:
                    plans.clear()
                plans[key] = plan
        except TypeError:  # unhashable attribute values (lists): parse this call
            plan = _SLOW
        if plan is not _SLOW:
            attrs, names = plan
            k = len(names)
            arrays = args if len(args) == k else args[:k]
            for a in arrays:
                if not isinstance(a, NDArray):
                    break
            else:
                if len(arrays) == k and (len(args) == k or _all_none(args[k:])):
                    return apply_op(op, arrays, attrs, out)
        if out is not None:
            kwargs["out"] = out
        return nd_call(op, args, kwargs)
    return op_function


def _all_none(values):
    for v in values:
        if v is not None:
            return False
    return True


def _make_unary_fast(op):
    """``nd.relu(x)``-style ops (one input, no attributes): skip argument sorting."""
    compute = op.compute

    def op_function(data=None, out=None, name=None, **kwargs):
        if out is None and not kwargs and type(data) is NDArray:
            t = data._t
            try:
                if t.requires_grad and not STATE.recording:
                    prev = _grad_enabled()
                    _set_grad_enabled(False)
                    try:
                        r = compute(t)
                    finally:
                        _set_grad_enabled(prev)
                else:
                    r = compute(t)
                if r.data_ptr() == t.data_ptr():
                    r = r.clone()  # e.g. BlockGrad: MXNet returns a new array
                if STATE.recording and not r.requires_grad:
                    r._mx_recorded = True
            except MXNetError:
                raise
            except KERNEL_ERRORS as err:
                raise diagnose(op, [t], {}, None, err) from err
            if DEFERRED[0] is not None:
                DEFERRED[0](op, [t], {}, r)
            return _wrap(r, data._ctx)
        return nd_call(op, (data,), dict(kwargs, out=out))
    return op_function


def make_nd_function(op, py_name):
    """The public nd function for ``op`` under ``py_name``."""
    fast = (op.static_inputs == ("data",) and not op.attrs and not op.train_aware
            and op.static_num_outputs == 1)
    fn = _make_unary_fast(op) if fast else _make_general(op)
    fn.__name__ = py_name
    fn.__qualname__ = py_name
    fn.__signature__ = signature_of(op)
    fn.__doc__ = docstring_of(op)
    fn.__module__ = "mxtorch.ndarray"
    return fn


def build_namespaces(make_function):
    """One function per registered name, sorted into namespaces by MXNet's prefix rule.

    Returns ({registered name: function}, {namespace: {python name: function}}); shared by
    the nd and sym doors so both expose exactly the same names.
    """
    by_name, spaces = {}, {}
    for reg_name, op in REGISTRY.items():
        namespace, py_name = namespace_of(reg_name)
        fn = make_function(op, py_name)
        by_name[reg_name] = fn
        spaces.setdefault(namespace, {})[py_name] = fn
    return by_name, spaces


def populate_from(spaces, module_globals, namespace):
    """Put the generated functions of ``namespace`` into a module's globals (hand-written
    helpers already there win)."""
    for py_name, fn in spaces.get(namespace, {}).items():
        module_globals.setdefault(py_name, fn)


def populate(module_globals, namespace):
    populate_from(SPACES, module_globals, namespace)


ND_FUNCTIONS, SPACES = build_namespaces(make_nd_function)
_nd_module.ND_FUNCTIONS.update(ND_FUNCTIONS)
