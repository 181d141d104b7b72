"""``mx.npx`` operator names: MXNet registers most ``_npx_*`` names as aliases of legacy
operators (``_npx_relu``'s canonical op is ``_npx_relu``, ``_npx_activation``'s is
``Activation``...). Aliases are added to the existing OpDefs here; the few ops MXNet defines
anew (``_npx_relu``, ``_npx_sigmoid``, ``_npx_nonzero``, ``_npx_reshape``,
``_npx_constraint_check``) are defined once below.
"""
import torch

from ..base import DTypeError, MXNetError
from ._attrs import BOOL, SHAPE, STR
from ._registry import REGISTRY, Attr, defop

ALIASES = {
    "_npx_activation": "Activation", "_npx_arange_like": "_contrib_arange_like",
    "_npx_batch_dot": "batch_dot", "_npx_batch_flatten": "Flatten",
    "_npx_batch_norm": "BatchNorm", "_npx_cast": "Cast", "_npx_convolution": "Convolution",
    "_npx_deconvolution": "Deconvolution", "_npx_dropout": "Dropout",
    "_npx_embedding": "Embedding", "_npx_erf": "erf", "_npx_erfinv": "erfinv",
    "_npx_fully_connected": "FullyConnected", "_npx_gamma": "gamma",
    "_npx_gammaln": "gammaln", "_npx_gather_nd": "gather_nd", "_npx_layer_norm": "LayerNorm",
    "_npx_leaky_relu": "LeakyReLU", "_npx_log_softmax": "log_softmax",
    "_npx_multibox_detection": "_contrib_MultiBoxDetection",
    "_npx_multibox_prior": "_contrib_MultiBoxPrior",
    "_npx_multibox_target": "_contrib_MultiBoxTarget", "_npx_one_hot": "one_hot",
    "_npx_pick": "pick", "_npx_pooling": "Pooling", "_npx_reshape_like": "reshape_like",
    "_npx_rnn": "RNN", "_npx_roi_pooling": "ROIPooling", "_npx_sequence_mask": "SequenceMask",
    "_npx_shape_array": "shape_array", "_npx_slice": "slice", "_npx_smooth_l1": "smooth_l1",
    "_npx_softmax": "softmax", "_npx_topk": "topk", "_np_repeat": "repeat",
}
for _image in ("adjust_lighting", "crop", "flip_left_right", "flip_top_bottom", "normalize",
               "random_brightness", "random_color_jitter", "random_contrast",
               "random_flip_left_right", "random_flip_top_bottom", "random_hue",
               "random_lighting", "random_saturation", "resize", "to_tensor"):
    ALIASES[f"_npx__image_{_image}"] = f"_image_{_image}"


def _add_aliases():
    for alias, canonical in ALIASES.items():
        op = REGISTRY.get(canonical)
        if op is None or alias in REGISTRY:
            continue
        op.aliases = tuple(op.aliases) + (alias,)
        REGISTRY[alias] = op


_add_aliases()


@defop("_npx_relu", shape_rule="same")
def npx_relu(data):
    """max(x, 0) (``mx.npx.relu``)."""
    return torch.relu(data)


@defop("_npx_sigmoid", shape_rule="same")
def npx_sigmoid(data):
    """1 / (1 + exp(-x)) (``mx.npx.sigmoid``)."""
    return torch.sigmoid(data)


@defop("_npx_nonzero", inputs=("x",), shape_rule="value")
def npx_nonzero(x):
    """Indices of non-zero elements as an (n, ndim) int64 array."""
    return torch.nonzero(x.reshape(1) if x.dim() == 0 else x)


class ConstraintError(MXNetError, ValueError):
    """``npx.constraint_check`` found a false element."""


@defop("_npx_constraint_check", inputs=("input",), attrs=(
        Attr("msg", STR, "Constraint violated!", "Error message"),))
def npx_constraint_check(input, msg):  # noqa: A002 - MXNet's input name
    """True when every element of the bool ``input`` is true, else a ValueError carrying
    ``msg`` (as MXNet 1.9.1)."""
    if input.dtype != torch.bool:
        raise DTypeError(f"constraint_check: input must be a bool array, got "
                         f"{str(input.dtype).replace('torch.', '')}")
    if not bool(input.all()):
        raise ConstraintError(f"constraint_check: {msg}")
    return torch.ones((), dtype=torch.bool, device=input.device)


def npx_reshape_target(shape, newshape, reverse):
    """The shape ``npx.reshape`` gives: -1 infers, -2 copies a dim, -3 drops a size-1 dim,
    -4 copies all remaining dims, -5 merges two dims, -6 splits one dim into the next two."""
    src = list(shape)[::-1] if reverse else list(shape)
    codes = list(newshape)[::-1] if reverse else list(newshape)
    out, i, k, infer = [], 0, 0, None
    while k < len(codes):
        c = codes[k]
        if c >= 0:
            out.append(c)
            i += 1
        elif c == -1:
            infer = len(out)
            out.append(-1)
            i += 1
        elif c == -2:
            out.append(src[i])
            i += 1
        elif c == -3:
            if src[i] != 1:
                raise MXNetError(f"npx.reshape: -3 drops a dim of size 1, got {src[i]}")
            i += 1
        elif c == -4:
            out.extend(src[i:])
            i = len(src)
        elif c == -5:
            out.append(src[i] * src[i + 1])
            i += 2
        elif c == -6:
            a, b = codes[k + 1], codes[k + 2]
            a = src[i] // b if a == -1 else a
            b = src[i] // a if b == -1 else b
            out.extend([a, b])
            i += 1
            k += 2
        else:
            raise MXNetError(f"npx.reshape: invalid code {c} in {tuple(newshape)}")
        k += 1
    if infer is not None:
        known = 1
        for j, d in enumerate(out):
            if j != infer:
                known *= d
        total = 1
        for d in shape:
            total *= d
        out[infer] = total // known if known else 0
    return tuple(out[::-1] if reverse else out)


@defop("_npx_reshape", inputs=("a",), attrs=(Attr("newshape", SHAPE),
                                             Attr("reverse", BOOL, False),
                                             Attr("order", STR, "C")))
def npx_reshape(a, newshape, reverse, order):
    """Reshape with MXNet 2's special codes (see ``npx_reshape_target``)."""
    target = npx_reshape_target(tuple(a.shape), newshape, reverse)
    try:
        return a.reshape(target)
    except RuntimeError:
        raise MXNetError(f"npx.reshape: cannot reshape an array of shape {tuple(a.shape)} to "
                         f"{target} (codes {tuple(newshape)})") from None
