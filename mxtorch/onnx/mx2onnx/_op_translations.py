"""One converter per MXNet operator: ``CONVERTERS[name](g, n)`` emits ONNX (opset 14) nodes.

``g`` is the graph being built (``_export._Graph``: ``node``, ``const``, ``fail``) and ``n`` the
MXNet node (``_export._Node``: ``name``, parsed ``attrs``, ONNX ``inputs`` names, inferred
``in_shapes``/``out_shapes``/``in_dtypes``, ``outputs`` names to produce). Converters are keyed
by the canonical MXNet op name; aliases (``_Plus``, ``Softmax``...) resolve through the registry.
"""
import numpy as np

OPSET = 14  # BatchNormalization: training_mode=0 is explicit from 14
CONVERTERS = {}
_INT64_MAX = np.iinfo(np.int64).max


def converts(*names):
    """Register the decorated function as the converter of the MXNet ops ``names``."""
    def register(fn):
        for name in names:
            CONVERTERS[name] = fn
        return fn
    return register


def _out(n):
    return n.outputs[0]


def _ndim(n, i=0):
    return len(n.in_shapes[i])


# ---- element-wise ---------------------------------------------------------------------------
_UNARY = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "exp": "Exp", "log": "Log",
          "sqrt": "Sqrt", "abs": "Abs", "negative": "Neg", "reciprocal": "Reciprocal",
          "floor": "Floor", "ceil": "Ceil", "sin": "Sin", "cos": "Cos", "tan": "Tan",
          "arcsin": "Asin", "arccos": "Acos", "arctan": "Atan", "erf": "Erf",
          "softsign": "Softsign", "sign": "Sign", "round": "Round",
          "identity": "Identity", "_copy": "Identity", "BlockGrad": "Identity",
          "Dropout": "Identity", "make_loss": "Identity", "MakeLoss": "Identity"}

_BINARY = {"elemwise_add": "Add", "elemwise_sub": "Sub", "elemwise_mul": "Mul",
           "elemwise_div": "Div", "broadcast_add": "Add", "broadcast_sub": "Sub",
           "broadcast_mul": "Mul", "broadcast_div": "Div", "broadcast_maximum": "Max",
           "broadcast_minimum": "Min", "broadcast_power": "Pow", "_maximum": "Max",
           "_minimum": "Min", "_power": "Pow", "_plus": "Add", "_minus": "Sub", "_mul": "Mul",
           "_div": "Div"}

# scalar op -> (ONNX op, scalar goes first)
_SCALAR = {"_plus_scalar": ("Add", False), "_minus_scalar": ("Sub", False),
           "_rminus_scalar": ("Sub", True), "_mul_scalar": ("Mul", False),
           "_div_scalar": ("Div", False), "_rdiv_scalar": ("Div", True),
           "_power_scalar": ("Pow", False), "_rpower_scalar": ("Pow", True),
           "_maximum_scalar": ("Max", False), "_minimum_scalar": ("Min", False)}


def _unary(n, g):
    if n.op == "Dropout" and n.attrs.get("mode") == "always":
        g.fail(n, "Dropout(mode='always') is random at inference; only mode='training' "
                  "(identity at inference) exports")
    g.node(_UNARY[n.op], n.inputs[:1], n.outputs)


def _binary(n, g):
    g.node(_BINARY[n.op], n.inputs, n.outputs)


def _scalar(n, g):
    op_type, first = _SCALAR[n.op]
    c = g.const(n.attrs["scalar"], n.in_dtypes[0], n.name + "_scalar")
    g.node(op_type, [c, n.inputs[0]] if first else [n.inputs[0], c], n.outputs)


for _name in _UNARY:
    CONVERTERS[_name] = _unary
for _name in _BINARY:
    CONVERTERS[_name] = _binary
for _name in _SCALAR:
    CONVERTERS[_name] = _scalar


@converts("add_n")
def _add_n(n, g):
    g.node("Sum", n.inputs, n.outputs)


@converts("square")
def _square(n, g):
    g.node("Mul", [n.inputs[0], n.inputs[0]], n.outputs)


@converts("clip")
def _clip(n, g):
    lo = g.const(n.attrs["a_min"], n.in_dtypes[0], n.name + "_min")
    hi = g.const(n.attrs["a_max"], n.in_dtypes[0], n.name + "_max")
    g.node("Clip", [n.inputs[0], lo, hi], n.outputs)


@converts("Cast")
def _cast(n, g):
    g.node("Cast", n.inputs, n.outputs, to=g.onnx_dtype(n.attrs["dtype"]))


# ---- activations ------------------------------------------------------------------------------
_ACT = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus",
        "softsign": "Softsign"}


@converts("Activation")
def _activation(n, g):
    act = n.attrs["act_type"]
    if act not in _ACT:
        g.fail(n, f"act_type={act!r} has no converter; supported: {sorted(_ACT)}")
    g.node(_ACT[act], n.inputs, n.outputs)


def _gelu(n, g):
    x = n.inputs[0]
    dt = n.in_dtypes[0]
    scaled = g.node("Div", [x, g.const(np.sqrt(2.0), dt, n.name + "_sqrt2")])
    one_plus = g.node("Add", [g.node("Erf", [scaled]), g.const(1.0, dt, n.name + "_one")])
    half_x = g.node("Mul", [x, g.const(0.5, dt, n.name + "_half")])
    g.node("Mul", [half_x, one_plus], n.outputs)


def _channel_param(n, g, name, index=1, axis=1):
    """``n.inputs[index]`` (shape (C,)) reshaped to broadcast along ``axis`` of input 0."""
    trailing = _ndim(n) - 1 - (axis % _ndim(n))
    if trailing == 0:
        return n.inputs[index]
    shape = g.const([-1] + [1] * trailing, np.int64, n.name + "_" + name + "_shape")
    return g.node("Reshape", [n.inputs[index], shape])


@converts("LeakyReLU")
def _leaky_relu(n, g):
    act, a = n.attrs["act_type"], n.attrs
    outs = n.outputs[:1]
    if act == "leaky":
        g.node("LeakyRelu", n.inputs[:1], outs, alpha=float(a["slope"]))
    elif act == "rrelu":  # inference: the mean slope
        slope = (a["lower_bound"] + a["upper_bound"]) / 2.0
        g.node("LeakyRelu", n.inputs[:1], outs, alpha=float(slope))
    elif act == "elu":
        g.node("Elu", n.inputs[:1], outs, alpha=float(a["slope"]))
    elif act == "selu":
        g.node("Selu", n.inputs[:1], outs)
    elif act == "prelu":
        g.node("PRelu", [n.inputs[0], _channel_param(n, g, "gamma")], outs)
    else:
        _gelu(n, g)


@converts("softmax", "log_softmax")
def _softmax(n, g):
    if n.attrs.get("use_length"):
        g.fail(n, "use_length=True has no ONNX equivalent in this exporter")
    x = n.inputs[0]
    temp = n.attrs.get("temperature")
    if temp is not None and temp != 1.0:
        x = g.node("Div", [x, g.const(temp, n.in_dtypes[0], n.name + "_temperature")])
    op_type = "Softmax" if n.op == "softmax" else "LogSoftmax"
    g.node(op_type, [x], n.outputs, axis=int(n.attrs["axis"]))


@converts("SoftmaxOutput")
def _softmax_output(n, g):
    a, nd = n.attrs, _ndim(n)
    if a["multi_output"]:
        g.node("Softmax", n.inputs[:1], n.outputs, axis=1)
    elif a["preserve_shape"] or nd <= 2:
        g.node("Softmax", n.inputs[:1], n.outputs, axis=-1)
    else:  # softmax over everything but the batch axis, shape kept
        flat = g.node("Flatten", n.inputs[:1], axis=1)
        soft = g.node("Softmax", [flat], axis=-1)
        shape = g.const(n.in_shapes[0], np.int64, n.name + "_shape")
        g.node("Reshape", [soft, shape], n.outputs)


# ---- layers -----------------------------------------------------------------------------------
@converts("FullyConnected")
def _fully_connected(n, g):
    x, w = n.inputs[0], n.inputs[1]
    bias = [] if n.attrs["no_bias"] else [n.inputs[2]]
    if n.attrs["flatten"]:
        if _ndim(n) != 2:
            x = g.node("Flatten", [x], axis=1)
        g.node("Gemm", [x, w] + bias, n.outputs, transB=1)
        return
    wt = g.node("Transpose", [w], perm=[1, 0])
    if not bias:
        g.node("MatMul", [x, wt], n.outputs)
        return
    g.node("Add", [g.node("MatMul", [x, wt])] + bias, n.outputs)


def _spatial(n, g, key, fill):
    value = tuple(n.attrs.get(key) or ())
    dims = len(n.attrs["kernel"])
    return [int(v) for v in value] if value else [fill] * dims


def _check_layout(n, g):
    layout = n.attrs.get("layout")
    if layout not in (None, "None", "NCW", "NCHW", "NCDHW"):
        g.fail(n, f"layout={layout!r}; only channels-first layouts (NCW/NCHW/NCDHW) export")


def _conv_attrs(n, g):
    _check_layout(n, g)
    pad = _spatial(n, g, "pad", 0)
    return dict(kernel_shape=[int(k) for k in n.attrs["kernel"]],
                strides=_spatial(n, g, "stride", 1), dilations=_spatial(n, g, "dilate", 1),
                pads=pad + pad, group=int(n.attrs["num_group"]))


@converts("Convolution")
def _convolution(n, g):
    ins = n.inputs[:2] if n.attrs["no_bias"] else n.inputs[:3]
    g.node("Conv", ins, n.outputs, **_conv_attrs(n, g))


@converts("Deconvolution")
def _deconvolution(n, g):
    if any(n.attrs.get("target_shape") or ()):
        g.fail(n, "target_shape is not exported; give pad/adj instead")
    ins = n.inputs[:2] if n.attrs["no_bias"] else n.inputs[:3]
    attrs = _conv_attrs(n, g)
    adj = _spatial(n, g, "adj", 0)
    if any(adj):
        attrs["output_padding"] = adj
    g.node("ConvTranspose", ins, n.outputs, **attrs)


@converts("BatchNorm")
def _batch_norm(n, g):
    if n.attrs["axis"] % _ndim(n) != 1:
        g.fail(n, f"axis={n.attrs['axis']}; ONNX BatchNormalization normalises axis 1")
    gamma = n.inputs[1]
    if n.attrs["fix_gamma"]:
        gamma = g.const(np.ones(n.in_shapes[1]), n.in_dtypes[1], n.name + "_fixed_gamma")
    g.node("BatchNormalization", [n.inputs[0], gamma] + n.inputs[2:5], n.outputs[:1],
           epsilon=float(n.attrs["eps"]))  # no momentum: some runtimes read it as training


@converts("LayerNorm")
def _layer_norm(n, g):
    x, dt, axis = n.inputs[0], n.in_dtypes[0], int(n.attrs["axis"])
    mean = g.node("ReduceMean", [x], axes=[axis], keepdims=1)
    centred = g.node("Sub", [x, mean])
    var = g.node("ReduceMean", [g.node("Mul", [centred, centred])], axes=[axis], keepdims=1)
    std = g.node("Sqrt", [g.node("Add", [var, g.const(n.attrs["eps"], dt, n.name + "_eps")])])
    normed = g.node("Div", [centred, std])
    gamma = _channel_param(n, g, "gamma", 1, axis)
    beta = _channel_param(n, g, "beta", 2, axis)
    g.node("Add", [g.node("Mul", [normed, gamma]), beta], n.outputs[:1])


@converts("Pooling")
def _pooling(n, g):
    a = n.attrs
    _check_layout(n, g)
    kind = a["pool_type"]
    if a["global_pool"]:
        _global_pool(n, g, kind)
        return
    if a["pooling_convention"] == "same":
        g.fail(n, "pooling_convention='same' has no ONNX equivalent; use 'valid' or 'full'")
    pad = _spatial(n, g, "pad", 0)
    attrs = dict(kernel_shape=[int(k) for k in a["kernel"]], strides=_spatial(n, g, "stride", 1),
                 pads=pad + pad, ceil_mode=int(a["pooling_convention"] == "full"))
    if kind == "max":
        g.node("MaxPool", n.inputs, n.outputs, **attrs)
    elif kind == "lp":
        attrs.pop("ceil_mode")
        g.node("LpPool", n.inputs, n.outputs, p=int(a["p_value"]), **attrs)
    else:
        include = 1 if a["count_include_pad"] is None else int(a["count_include_pad"])
        if kind == "sum":
            include = 1
        avg = g.node("AveragePool", n.inputs, [] if kind == "sum" else n.outputs,
                     count_include_pad=include, **attrs)
        if kind == "sum":
            size = g.const(float(np.prod(a["kernel"])), n.in_dtypes[0], n.name + "_window")
            g.node("Mul", [avg, size], n.outputs)


def _global_pool(n, g, kind):
    if kind == "max":
        g.node("GlobalMaxPool", n.inputs, n.outputs)
    elif kind == "avg":
        g.node("GlobalAveragePool", n.inputs, n.outputs)
    elif kind == "lp":
        g.node("GlobalLpPool", n.inputs, n.outputs, p=int(n.attrs["p_value"]))
    else:
        axes = g.const(list(range(2, _ndim(n))), np.int64, n.name + "_axes")
        g.node("ReduceSum", [n.inputs[0], axes], n.outputs, keepdims=1)


@converts("Embedding")
def _embedding(n, g):
    idx = g.node("Cast", n.inputs[:1], to=g.onnx_dtype(np.int64))
    g.node("Gather", [n.inputs[1], idx], n.outputs, axis=0)


# ---- shape ------------------------------------------------------------------------------------
@converts("Flatten")
def _flatten(n, g):
    g.node("Flatten", n.inputs, n.outputs, axis=1)


@converts("Reshape")
def _reshape(n, g):
    shape = tuple(n.attrs["shape"])
    plain = not n.attrs["reverse"] and all(s >= -1 for s in shape) and shape.count(-1) <= 1
    target = shape if plain else n.out_shapes[0]  # 0 and -1 mean the same in ONNX
    g.node("Reshape", [n.inputs[0], g.const(target, np.int64, n.name + "_shape")], n.outputs)


@converts("Concat")
def _concat(n, g):
    g.node("Concat", n.inputs, n.outputs, axis=int(n.attrs["dim"]))


@converts("transpose")
def _transpose(n, g):
    axes = list(n.attrs["axes"] or ()) or list(range(_ndim(n)))[::-1]
    g.node("Transpose", n.inputs, n.outputs, perm=[int(x) for x in axes])


@converts("expand_dims")
def _expand_dims(n, g):
    axes = g.const([n.attrs["axis"]], np.int64, n.name + "_axes")
    g.node("Unsqueeze", [n.inputs[0], axes], n.outputs)


@converts("slice_axis")
def _slice_axis(n, g):
    a = n.attrs
    end = _INT64_MAX if a["end"] is None else a["end"]
    consts = [g.const([v], np.int64, n.name + suffix)
              for v, suffix in ((a["begin"], "_begin"), (end, "_end"), (a["axis"], "_axis"))]
    g.node("Slice", [n.inputs[0]] + consts, n.outputs)


# ---- reductions -------------------------------------------------------------------------------
_REDUCE = {"mean": "ReduceMean", "sum": "ReduceSum", "max": "ReduceMax", "min": "ReduceMin",
           "prod": "ReduceProd"}


def _reduce_axes(n):
    nd = _ndim(n)
    axis = n.attrs.get("axis")
    axes = [] if axis is None else ([axis] if isinstance(axis, int) else list(axis))
    axes = sorted({int(x) % nd for x in axes}) if axes else list(range(nd))
    if n.attrs.get("exclude") and axis is not None:
        axes = [d for d in range(nd) if d not in axes]
    return axes


@converts(*_REDUCE)
def _reduce(n, g):
    axes, keep = _reduce_axes(n), int(n.attrs["keepdims"])
    to_scalar = not keep and len(axes) == _ndim(n)  # MXNet gives shape (1,), ONNX ()
    outs = [] if to_scalar else n.outputs
    if not axes:
        out = g.node("Identity", n.inputs[:1], outs)
    elif n.op == "sum":  # ReduceSum takes its axes as an input from opset 13
        out = g.node("ReduceSum", [n.inputs[0], g.const(axes, np.int64, n.name + "_axes")],
                     outs, keepdims=keep)
    else:
        out = g.node(_REDUCE[n.op], n.inputs[:1], outs, axes=axes, keepdims=keep)
    if to_scalar:
        g.node("Reshape", [out, g.const([1], np.int64, n.name + "_shape")], n.outputs)
