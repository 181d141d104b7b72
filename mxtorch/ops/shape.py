"""Shape and layout operators: Reshape (with MXNet's special codes), Flatten, transpose,
expand_dims, SwapAxis...

Reshape codes (MXNet legacy ``shape`` attribute):
  0 copy the input dim, -1 infer from the rest, -2 copy all remaining input dims,
  -3 merge two consecutive input dims, -4 split one input dim into the next two values
  (either may be -1). ``reverse=True`` matches codes from the right.
"""
import math


from ..base import ShapeError
from ._attrs import BOOL, INT, SHAPE, Optional
from ._registry import Attr, defop


def infer_reshape(src, codes, reverse=False, op_name="Reshape"):
    """Target shape of reshaping ``src`` with MXNet's special ``codes``."""
    src = tuple(src)
    codes = tuple(codes)
    if reverse:
        out = _reshape_forward(src[::-1], _reverse_codes(codes), op_name, src, codes)
        return tuple(out[::-1])
    return tuple(_reshape_forward(src, codes, op_name, src, codes))


def _reverse_codes(codes):
    # -4 takes the two following values; keep each group's inner order when reversing.
    groups, i = [], 0
    while i < len(codes):
        if codes[i] == -4:
            groups.append((codes[i], codes[i + 1], codes[i + 2]))
            i += 3
        else:
            groups.append((codes[i],))
            i += 1
    out = []
    for g in reversed(groups):
        out.extend((g[0], g[2], g[1]) if len(g) == 3 else g)
    return tuple(out)


def _reshape_forward(src, codes, op_name, orig_src, orig_codes):
    def fail(why):
        raise ShapeError(f"{op_name}: cannot reshape array of shape {orig_src} with shape="
                         f"{orig_codes}: {why}")
    out, infer_at, i, j = [], None, 0, 0
    while i < len(codes):
        code = codes[i]
        if code > 0 or (code == 0 and j >= len(src)):
            if code == 0:
                fail("code 0 refers to an input dim that does not exist")
            out.append(code)
            j += 1
        elif code == 0:
            out.append(src[j])
            j += 1
        elif code == -1:
            if infer_at is not None:
                fail("more than one -1")
            infer_at = len(out)
            out.append(-1)
            j += 1
        elif code == -2:
            out.extend(src[j:])
            j = len(src)
        elif code == -3:
            if j + 1 >= len(src):
                fail("-3 needs two input dims to merge")
            out.append(src[j] * src[j + 1])
            j += 2
        elif code == -4:
            if i + 2 >= len(codes) or j >= len(src):
                fail("-4 must be followed by two values and refer to an input dim")
            a, b = codes[i + 1], codes[i + 2]
            if a == -1 and b == -1:
                fail("-4 cannot split into two unknown (-1) dims")
            if a == -1:
                a = src[j] // b if b else 0
            if b == -1:
                b = src[j] // a if a else 0
            if a * b != src[j]:
                fail(f"-4 split of dim {src[j]} into ({codes[i + 1]}, {codes[i + 2]})")
            out.extend((a, b))
            j += 1
            i += 2
        else:
            fail(f"unknown special code {code}")
        i += 1
    total = math.prod(src)
    if infer_at is not None:
        known = math.prod(d for k, d in enumerate(out) if k != infer_at)
        if known == 0 or total % known:
            fail(f"cannot infer -1 from {total} elements")
        out[infer_at] = total // known
    if math.prod(out) != total:
        fail(f"target {tuple(out)} has {math.prod(out)} elements, the input has {total}")
    return out


def _reshape_shape(a, in_shapes):
    data = in_shapes[0]
    if data is None:
        return in_shapes, None
    return in_shapes, [infer_reshape(data, a["shape"], a["reverse"])]


@defop("Reshape", aliases=("reshape",), inputs=("data",),
       attrs=(Attr("shape", SHAPE, (), "Target shape with special codes 0/-1/-2/-3/-4"),
              Attr("reverse", BOOL, False, "Match special codes from the right"),
              Attr("target_shape", SHAPE, (), "Deprecated: use shape"),
              Attr("keep_highest", BOOL, False, "Deprecated: use shape")),
       infer_shape=_reshape_shape)
def reshape(data, shape, reverse, target_shape, keep_highest):
    """Reshape ``data``; the element count must not change (MXNet's codes are supported)."""
    if not shape and target_shape:
        shape = ((data.shape[0],) + tuple(target_shape)) if keep_highest else tuple(target_shape)
        shape = tuple(d if d != 0 else -1 for d in shape) if 0 in shape else shape
    return data.reshape(infer_reshape(data.shape, shape, reverse))


@defop("Flatten", aliases=("flatten",), inputs=("data",))
def flatten(data):
    """Collapse all axes but the first: (d0, d1, ..., dk) -> (d0, d1*...*dk)."""
    if data.dim() == 0:
        return data.reshape(1, 1)
    return data.reshape(data.shape[0], -1)


@defop("transpose", inputs=("data",), attrs=(Attr("axes", SHAPE, (), "Target axis order"),))
def transpose(data, axes):
    """Permute axes; with no ``axes`` reverse them."""
    if not axes:
        return data.permute(*reversed(range(data.dim())))
    if len(axes) != data.dim():
        raise ShapeError(f"transpose: axes {axes} must list each of the {data.dim()} axes once")
    return data.permute(*axes)


@defop("expand_dims", inputs=("data",), attrs=(Attr("axis", INT, doc="Position of the new axis"),))
def expand_dims(data, axis):
    """Insert a size-1 axis at ``axis`` (negative counts from the end of the result)."""
    ndim = data.dim() + 1
    if not -ndim <= axis < ndim:
        raise ShapeError(f"expand_dims: axis {axis} out of range for a result of {ndim} dims")
    return data.unsqueeze(axis)


@defop("SwapAxis", aliases=("swapaxes",), inputs=("data",),
       attrs=(Attr("dim1", INT, 0, "First axis"), Attr("dim2", INT, 0, "Second axis")))
def swap_axis(data, dim1, dim2):
    """Exchange two axes."""
    return data.transpose(dim1, dim2).contiguous()


@defop("squeeze", inputs=("data",), attrs=(Attr("axis", Optional(SHAPE), None, "Axes to drop"),))
def squeeze(data, axis):
    """Drop size-1 axes (all, or those in ``axis``); never returns a 0-d array (legacy shape)."""
    if axis is None:
        out = data.squeeze()
    else:
        for ax in axis:
            if data.shape[ax] != 1:
                raise ShapeError(f"squeeze: axis {ax} has size {data.shape[ax]}, expected 1")
        out = data.squeeze(tuple(axis))
    return out.reshape(1) if out.dim() == 0 else out

