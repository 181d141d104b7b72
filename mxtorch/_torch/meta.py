"""Shape/dtype inference by running an op's compute on ``meta`` tensors (no data, no math).

Used by symbol/_infer.py for complete inputs, for partial inputs (probe sizes standing in for
unknown dims) and to learn whether an op's outputs take its inputs' dtype.

Ops whose kernels have no meta implementation fall back to small real tensors on the CPU.
Results are cached per (op, attributes, input shapes, input dtypes).
"""
import torch

from ..base import MXNetError
from ..ops._invoke import invoke

_CACHE = {}
_CACHE_LIMIT = 4096
_FALLBACK_LIMIT = 1 << 22  # elements; beyond this a CPU dry run is too costly


def run_meta(op, attrs, shapes, dtypes):
    """(output shapes, output torch dtypes) of ``op`` for the given input shapes/dtypes.

    Unknown dtypes are taken as float32; if the op rejects that (an index or length input),
    unknown non-leading inputs are retried as int32.
    """
    guess = [d if d is not None else torch.float32 for d in dtypes]
    try:
        return _run_cached(op, attrs, shapes, guess)
    except MXNetError:
        if all(d is not None for d in dtypes[1:]):
            raise
    guess = [d if d is not None else (torch.float32 if i == 0 else torch.int32)
             for i, d in enumerate(dtypes)]
    return _run_cached(op, attrs, shapes, guess)


def _run_cached(op, attrs, shapes, dtypes):
    key = _key(op, attrs, shapes, dtypes)
    hit = _CACHE.get(key) if key is not None else None
    if hit is not None:
        return hit
    result = _run(op, attrs, shapes, dtypes, "meta")
    if result is None:
        if sum(_numel(s) for s in shapes) > _FALLBACK_LIMIT:
            raise MXNetError(f"{op.name}: cannot infer the output shape without running the op "
                             f"on inputs of shapes {shapes}")
        result = _run(op, attrs, shapes, dtypes, "cpu")
    if key is not None:
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = result
    return result


def _numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _key(op, attrs, shapes, dtypes):
    try:
        return (op.name, tuple(sorted(attrs.items())), tuple(map(tuple, shapes)), tuple(dtypes))
    except TypeError:
        return None


# > 0 while an op runs only to learn its output shapes (ops/random.py defers no errors then)
INFERRING = [0]


def _run(op, attrs, shapes, dtypes, device):
    tensors = [_make(s, d, device) for s, d in zip(shapes, dtypes)]
    INFERRING[0] += 1
    try:
        with torch.no_grad():
            out = invoke(op, tensors, attrs, is_train=False)
    except (NotImplementedError, RuntimeError) as err:
        if device == "meta":
            return None
        raise MXNetError(str(err)) from err
    except MXNetError:
        if device == "meta":
            return None
        raise
    finally:
        INFERRING[0] -= 1
    outs = [out] if isinstance(out, torch.Tensor) else list(out)
    return [tuple(o.shape) for o in outs], [o.dtype for o in outs]


def _make(shape, dtype, device):
    if device == "meta":
        return torch.empty(shape, dtype=dtype, device="meta")
    if dtype.is_floating_point:  # own generator: inference must not move the user's RNG
        return torch.rand(shape, dtype=dtype, generator=_probe_generator()) + 0.5
    return torch.zeros(shape, dtype=dtype)


def _probe_generator():
    global _GENERATOR
    if _GENERATOR is None:
        _GENERATOR = torch.Generator().manual_seed(0)
    return _GENERATOR


_GENERATOR = None


def output_dtypes_on_probe_shapes(op, attrs, dtypes):
    """Output dtypes of ``op`` run on ``dtypes`` inputs of a few small shapes (as in
    ``output_follows_input_dtype``); None when no attempt runs."""
    count = len(dtypes)
    for shape in ((2, 3), (2, 3, 4, 4), (4,)):
        shapes = [shape] * count
        try:
            if op.infer_shape is not None:
                filled = op.infer_shape(attrs, [shape] + [None] * (count - 1))[0]
                shapes = [tuple(s) if s else shape for s in filled]
            return list(run_meta(op, attrs, shapes, dtypes)[1])
        except (MXNetError, TypeError, ValueError, IndexError, RuntimeError):
            continue
    return None


def output_follows_input_dtype(op, attrs, count):
    """True when ``op`` with ``attrs`` gives float16 outputs for ``count`` float16 inputs.

    Tried on a few small shapes (inputs the op's shape rule fills, like weights, get their
    shapes from it); False when no attempt runs.
    """
    dtypes = output_dtypes_on_probe_shapes(op, attrs, [torch.float16] * count)
    return dtypes is not None and all(d == torch.float16 for d in dtypes)
