"""``invoke``: the one place every front door runs an operator.

The hot path is: dtype rule, call ``compute``. Diagnosis (which input is wrong, what was
expected) runs only after a failure, so it costs nothing when things go right.
"""
from ..base import DTypeError, MXNetError, ShapeError
from .._torch.dtypes import TORCH_TO_NAME


def invoke(op, inputs, attrs, is_train=False, node=None):
    """Run ``op`` on torch tensors ``inputs`` with parsed ``attrs``.

    Returns a tensor (single-output ops) or a tuple of tensors.
    """
    if op.same_dtype and len(inputs) > 1:
        first = inputs[0].dtype
        for t in inputs:
            if t.dtype is not first:  # only a mismatch needs the op's dtype groups
                check_same_dtype(op, inputs, attrs, node)
                break
    try:
        if op.train_aware:
            return op.compute(*inputs, is_train=is_train, **attrs)
        return op.compute(*inputs, **attrs)
    except MXNetError as err:
        if op.name not in str(err):  # a shared kernel named its sibling (Convolution_v1...)
            err.args = (f"{where(op, node)}: {err}",) + err.args[1:]
        raise
    except KERNEL_ERRORS as err:
        raise diagnose(op, inputs, attrs, node, err) from err


# What a compute may raise on inputs it cannot handle; the door turns each into an MXNetError
# naming the op (ZeroDivisionError from a zero stride, OverflowError from a huge attribute...).
KERNEL_ERRORS = (RuntimeError, ValueError, IndexError, TypeError, ArithmeticError, KeyError,
                 NotImplementedError, MemoryError)


def check_same_dtype(op, inputs, attrs, node=None):
    """MXNet never promotes: inputs covered by ``op.same_dtype`` must share one dtype."""
    names = op.input_names(attrs, len(inputs))
    if op.same_dtype == "all":
        checked = range(len(inputs))
    else:
        checked = [i for i, n in enumerate(names) if n in op.same_dtype]
        if len(checked) < 2:
            return
    first = None
    for i in checked:
        dtype = inputs[i].dtype
        if first is None:
            first = i
        elif dtype != inputs[first].dtype:
            want = TORCH_TO_NAME.get(inputs[first].dtype, inputs[first].dtype)
            got = TORCH_TO_NAME.get(dtype, dtype)
            raise DTypeError(
                f"{where(op, node)}: input {_name(names, i)!r} has dtype {got}, expected {want} "
                f"like input {_name(names, first)!r}; MXNet does not mix dtypes in one operator, "
                f"cast first, e.g. x.astype('{want}')")


def _name(names, i):
    return names[i] if i < len(names) else f"arg{i}"


def where(op, node=None):
    return op.name + (f" (node {node!r})" if node else "")


def describe_inputs(op, inputs, attrs):
    names = op.input_names(attrs, len(inputs))
    parts = []
    for i, t in enumerate(inputs):
        dtype = TORCH_TO_NAME.get(getattr(t, "dtype", None), getattr(t, "dtype", "?"))
        parts.append(f"{_name(names, i)}={tuple(getattr(t, 'shape', ()))} {dtype}")
    return ", ".join(parts) or "none"


def describe_attrs(attrs):
    return ", ".join(f"{k}={v!r}" for k, v in attrs.items()) or "none"


def diagnose(op, inputs, attrs, node, err):
    """Turn a torch failure into an MXNetError naming the op, the inputs and the attributes."""
    detail = _shape_mismatch(op, inputs, attrs)
    reason = detail or str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    message = (f"{where(op, node)}: {reason}\n  inputs: {describe_inputs(op, inputs, attrs)}"
               f"\n  attributes: {describe_attrs(attrs)}")
    cls = ShapeError if (detail or _looks_like_shape_error(err)) else MXNetError
    if isinstance(err, TypeError) and cls is MXNetError:
        cls = DTypeError if "dtype" in str(err).lower() else MXNetError
    return cls(message)


def _looks_like_shape_error(err):
    text = str(err).lower()
    return any(word in text for word in ("shape", "size", "dimension", "mat1", "broadcast",
                                         "expected input", "out of range", "out of bounds"))


def _shape_mismatch(op, inputs, attrs):
    """Use the op's shape rule to name the first input whose shape is not what it expects."""
    if op.infer_shape is None:
        return None
    given = [tuple(t.shape) for t in inputs]
    try:
        op.infer_shape(attrs, list(given))  # the op's own rule may name the problem
    except MXNetError as err:
        text = str(err)
        return text.split(": ", 1)[1] if text.startswith(op.name + ":") else text
    except Exception:  # noqa: BLE001 - a rule that cannot judge these shapes says nothing
        pass
    try:
        expected, _ = op.infer_shape(attrs, [given[0]] + [None] * (len(given) - 1))
    except Exception:  # the rule itself may reject the data shape; fall back to torch's text
        return None
    names = op.input_names(attrs, len(inputs))
    for i, (have, want) in enumerate(zip(given, expected)):
        if want is not None and tuple(want) != have:
            return f"input {_name(names, i)!r} has shape {have}, expected {tuple(want)}"
    return None
