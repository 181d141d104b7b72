"""ONNX -> MXNet symbol graph: one importer per ONNX op type (the ops ``mx.onnx`` writes).

``IMPORTERS[op_type](b, node)`` returns the Symbol(s) of the node's outputs; ``b`` is the
``_Builder`` (``sym(name)`` gives an input as a Symbol, ``value(name)`` as a constant numpy
array, ``attrs(node)`` the node attributes as Python values).
"""
import numpy as np

from ...base import MXNetError

IMPORTERS = {}
_INT64_MAX = np.iinfo(np.int64).max


def imports(*op_types):
    def register(fn):
        for op_type in op_types:
            IMPORTERS[op_type] = fn
        return fn
    return register


def _sym():
    from ... import symbol
    return symbol


class _Builder:
    """Symbols of the ONNX tensors seen so far; initializers become variables on first use."""

    def __init__(self, onnx, graph):
        self.onnx = onnx
        self.consts = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
        self.params = {}
        self.tensors = {i.name: _sym().var(i.name) for i in graph.input
                        if i.name not in self.consts}

    def sym(self, name):
        if name not in self.tensors:
            if name not in self.consts:
                raise MXNetError(f"mx.contrib.onnx.import_model: tensor {name!r} is used before "
                                 "any node produces it")
            self.params[name] = self.consts[name]
            self.tensors[name] = _sym().var(name, shape=self.consts[name].shape)
        return self.tensors[name]

    def value(self, name, node):
        if name not in self.consts:
            fail(node, f"input {name!r} must be a constant (an initializer)")
        return self.consts[name]

    def attrs(self, node):
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}


def fail(node, message):
    raise MXNetError(f"mx.contrib.onnx.import_model: {node.op_type} node "
                     f"{node.name or node.output[0]!r}: {message}")


def _name(node):
    return node.name or node.output[0]


def _symmetric(node, pads):
    pads = list(pads or ())
    half = len(pads) // 2
    if pads[:half] != pads[half:]:
        fail(node, f"asymmetric pads {pads} have no MXNet equivalent")
    return tuple(pads[:half])


# ---- element-wise ---------------------------------------------------------------------------
_UNARY = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Exp": "exp", "Log": "log",
          "Sqrt": "sqrt", "Abs": "abs", "Neg": "negative", "Reciprocal": "reciprocal",
          "Floor": "floor", "Ceil": "ceil", "Erf": "erf", "Softsign": "softsign",
          "Sin": "sin", "Cos": "cos", "Identity": "identity", "Dropout": "identity"}


@imports(*_UNARY)
def _unary(b, node):
    return getattr(_sym(), _UNARY[node.op_type])(b.sym(node.input[0]), name=_name(node))


@imports("Softplus")
def _softplus(b, node):
    return _sym().Activation(b.sym(node.input[0]), act_type="softrelu", name=_name(node))


_BINARY = {"Add": ("broadcast_add", "__add__", "__radd__"),
           "Sub": ("broadcast_sub", "__sub__", "__rsub__"),
           "Mul": ("broadcast_mul", "__mul__", "__rmul__"),
           "Div": ("broadcast_div", "__truediv__", "__rtruediv__"),
           "Pow": ("broadcast_power", "__pow__", "__rpow__"),
           "Max": ("broadcast_maximum", None, None), "Min": ("broadcast_minimum", None, None)}


def _scalar(b, name):
    value = b.consts.get(name)
    return float(value) if value is not None and value.size == 1 and value.ndim == 0 else None


@imports(*_BINARY)
def _binary(b, node):
    full, left, right = _BINARY[node.op_type]
    if len(node.input) != 2:
        fail(node, f"expected 2 inputs, got {len(node.input)}")
    x, y = node.input
    sx, sy = _scalar(b, x), _scalar(b, y)
    if sy is not None and sx is None:
        if left is None:
            return getattr(_sym(), node.op_type.lower() + "imum")(b.sym(x), sy)
        return getattr(b.sym(x), left)(sy)
    if sx is not None and sy is None:
        if right is None:
            return getattr(_sym(), node.op_type.lower() + "imum")(b.sym(y), sx)
        return getattr(b.sym(y), right)(sx)
    return getattr(_sym(), full)(b.sym(x), b.sym(y), name=_name(node))


@imports("Sum")
def _sum(b, node):
    return _sym().add_n(*[b.sym(i) for i in node.input], name=_name(node))


@imports("Clip")
def _clip(b, node):
    lo = float(b.value(node.input[1], node)) if len(node.input) > 1 and node.input[1] else -np.inf
    hi = float(b.value(node.input[2], node)) if len(node.input) > 2 and node.input[2] else np.inf
    return _sym().clip(b.sym(node.input[0]), lo, hi, name=_name(node))


@imports("Cast")
def _cast(b, node):
    to = b.onnx.helper.tensor_dtype_to_np_dtype(b.attrs(node)["to"])
    return _sym().Cast(b.sym(node.input[0]), dtype=np.dtype(to).name, name=_name(node))


# ---- activations ----------------------------------------------------------------------------
@imports("LeakyRelu", "Elu", "Selu")
def _leaky(b, node):
    a = b.attrs(node)
    act = {"LeakyRelu": "leaky", "Elu": "elu", "Selu": "selu"}[node.op_type]
    slope = a.get("alpha", 0.01 if act == "leaky" else 1.0)
    return _sym().LeakyReLU(b.sym(node.input[0]), act_type=act, slope=slope, name=_name(node))


@imports("PRelu")
def _prelu(b, node):
    x, slope = b.sym(node.input[0]), b.sym(node.input[1])
    neg = _sym().broadcast_mul(slope, _sym().relu(-x))
    return _sym().broadcast_sub(_sym().relu(x), neg, name=_name(node))


@imports("Softmax", "LogSoftmax")
def _softmax(b, node):
    op = "softmax" if node.op_type == "Softmax" else "log_softmax"
    axis = b.attrs(node).get("axis", -1)
    return getattr(_sym(), op)(b.sym(node.input[0]), axis=axis, name=_name(node))


# ---- layers ---------------------------------------------------------------------------------
@imports("Gemm")
def _gemm(b, node):
    a = b.attrs(node)
    if a.get("transA", 0) or a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0:
        fail(node, "only Gemm with transA=0, alpha=1, beta=1 imports")
    w = node.input[1]
    weight = b.sym(w)
    num_hidden = b.consts[w].shape[0 if a.get("transB", 0) else 1] if w in b.consts else None
    if not a.get("transB", 0):
        weight = _sym().transpose(weight)
    if num_hidden is None:
        fail(node, "the weight must be an initializer")
    bias = b.sym(node.input[2]) if len(node.input) > 2 and node.input[2] else None
    return _sym().FullyConnected(b.sym(node.input[0]), weight, bias, num_hidden=num_hidden,
                                 no_bias=bias is None, flatten=True, name=_name(node))


@imports("MatMul")
def _matmul(b, node):
    return _sym().dot(b.sym(node.input[0]), b.sym(node.input[1]), name=_name(node))


def _conv_kwargs(b, node):
    a = b.attrs(node)
    w = b.value(node.input[1], node)
    kernel = tuple(a.get("kernel_shape") or w.shape[2:])
    dims = len(kernel)
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        fail(node, f"auto_pad={a['auto_pad']!r}; give explicit pads")
    return w, dict(kernel=kernel, stride=tuple(a.get("strides") or (1,) * dims),
                   dilate=tuple(a.get("dilations") or (1,) * dims),
                   pad=_symmetric(node, a.get("pads") or (0,) * 2 * dims),
                   num_group=a.get("group", 1), name=_name(node))


@imports("Conv")
def _conv(b, node):
    w, kw = _conv_kwargs(b, node)
    bias = b.sym(node.input[2]) if len(node.input) > 2 and node.input[2] else None
    return _sym().Convolution(b.sym(node.input[0]), b.sym(node.input[1]), bias,
                              num_filter=w.shape[0], no_bias=bias is None, **kw)


@imports("ConvTranspose")
def _conv_transpose(b, node):
    w, kw = _conv_kwargs(b, node)
    a = b.attrs(node)
    if a.get("output_shape"):
        fail(node, "output_shape is not imported; give pads/output_padding")
    adj = tuple(a.get("output_padding") or (0,) * len(kw["kernel"]))
    bias = b.sym(node.input[2]) if len(node.input) > 2 and node.input[2] else None
    return _sym().Deconvolution(b.sym(node.input[0]), b.sym(node.input[1]), bias, adj=adj,
                                num_filter=w.shape[1] * kw["num_group"], no_bias=bias is None,
                                **kw)


@imports("BatchNormalization")
def _batch_norm(b, node):
    a = b.attrs(node)
    if a.get("training_mode", 0):
        fail(node, "training_mode=1 is not imported")
    ins = [b.sym(i) for i in node.input[:5]]
    return _sym().BatchNorm(*ins, eps=a.get("epsilon", 1e-5), fix_gamma=False,
                            name=_name(node))


_POOL = {"MaxPool": "max", "AveragePool": "avg", "LpPool": "lp", "GlobalMaxPool": "max",
         "GlobalAveragePool": "avg", "GlobalLpPool": "lp"}


@imports(*_POOL)
def _pool(b, node):
    a, kind = b.attrs(node), _POOL[node.op_type]
    x = b.sym(node.input[0])
    extra = {"p_value": a.get("p", 2)} if kind == "lp" else {}
    if node.op_type.startswith("Global"):
        return _sym().Pooling(x, kernel=(1, 1), global_pool=True, pool_type=kind,
                              name=_name(node), **extra)
    kernel = tuple(a["kernel_shape"])
    if kind == "avg":
        extra["count_include_pad"] = bool(a.get("count_include_pad", 0))
    if len(node.output) > 1 or any(d != 1 for d in a.get("dilations", ())):
        fail(node, "indices outputs and dilations are not imported")
    return _sym().Pooling(x, kernel=kernel, pool_type=kind,
                          stride=tuple(a.get("strides") or (1,) * len(kernel)),
                          pad=_symmetric(node, a.get("pads") or (0,) * 2 * len(kernel)),
                          pooling_convention="full" if a.get("ceil_mode", 0) else "valid",
                          name=_name(node), **extra)


@imports("Gather")
def _gather(b, node):
    axis = b.attrs(node).get("axis", 0)
    return _sym().take(b.sym(node.input[0]), b.sym(node.input[1]), axis=axis, name=_name(node))


# ---- shape ----------------------------------------------------------------------------------
@imports("Flatten")
def _flatten(b, node):
    axis = b.attrs(node).get("axis", 1)
    x = b.sym(node.input[0])
    if axis != 1:
        fail(node, f"axis={axis}: only axis=1 (MXNet's Flatten) imports")
    return _sym().Flatten(x, name=_name(node))


@imports("Reshape")
def _reshape(b, node):
    if b.attrs(node).get("allowzero", 0):
        fail(node, "allowzero=1 is not imported")
    shape = tuple(int(v) for v in b.value(node.input[1], node))
    return _sym().Reshape(b.sym(node.input[0]), shape=shape, name=_name(node))


@imports("Concat")
def _concat(b, node):
    return _sym().Concat(*[b.sym(i) for i in node.input], dim=b.attrs(node)["axis"],
                         name=_name(node))


@imports("Transpose")
def _transpose(b, node):
    perm = b.attrs(node).get("perm")
    return _sym().transpose(b.sym(node.input[0]), axes=tuple(perm or ()), name=_name(node))


@imports("Unsqueeze")
def _unsqueeze(b, node):
    x = b.sym(node.input[0])
    for axis in sorted(int(a) for a in b.value(node.input[1], node)):
        x = _sym().expand_dims(x, axis=axis)
    return x


@imports("Squeeze")
def _squeeze(b, node):
    axes = tuple(int(a) for a in b.value(node.input[1], node)) if len(node.input) > 1 else None
    return _sym().squeeze(b.sym(node.input[0]), axis=axes, name=_name(node))


@imports("Slice")
def _slice(b, node):
    starts, ends = (b.value(node.input[k], node) for k in (1, 2))
    axes = b.value(node.input[3], node) if len(node.input) > 3 else range(len(starts))
    if len(node.input) > 4 and np.any(b.value(node.input[4], node) != 1):
        fail(node, "steps other than 1 are not imported")
    x = b.sym(node.input[0])
    for axis, start, end in zip(axes, starts, ends):
        end = None if int(end) >= _INT64_MAX // 2 else int(end)
        x = _sym().slice_axis(x, axis=int(axis), begin=int(start), end=end)
    return x


# ---- reductions -----------------------------------------------------------------------------
_REDUCE = {"ReduceMean": "mean", "ReduceSum": "sum", "ReduceMax": "max", "ReduceMin": "min",
           "ReduceProd": "prod"}


@imports(*_REDUCE)
def _reduce(b, node):
    a = b.attrs(node)
    axes = a.get("axes")
    if len(node.input) > 1 and node.input[1]:
        axes = b.value(node.input[1], node)
    axis = None if axes is None or len(axes) == 0 else tuple(int(v) for v in axes)
    return getattr(_sym(), _REDUCE[node.op_type])(b.sym(node.input[0]), axis=axis,
                                                  keepdims=bool(a.get("keepdims", 1)),
                                                  name=_name(node))


def import_graph(onnx, model):
    """(sym, arg_params, aux_params) of an ONNX ModelProto."""
    from ... import ndarray as nd
    graph = model.graph
    missing = sorted({n.op_type for n in graph.node if n.op_type not in IMPORTERS})
    if missing:
        raise MXNetError(f"mx.contrib.onnx.import_model: no importer for ONNX op(s) {missing}; "
                         f"supported: {', '.join(sorted(IMPORTERS))}")
    b = _Builder(onnx, graph)
    for node in graph.node:
        outs = IMPORTERS[node.op_type](b, node)
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        for name, out in zip(node.output, outs):
            b.tensors[name] = out
    heads = [b.sym(o.name) for o in graph.output]
    sym = heads[0] if len(heads) == 1 else _sym().Group(heads)
    args, aux = set(sym.list_arguments()), set(sym.list_auxiliary_states())
    arg_params = {k: nd.array(v, dtype=v.dtype) for k, v in b.params.items() if k in args}
    aux_params = {k: nd.array(v, dtype=v.dtype) for k, v in b.params.items() if k in aux}
    return sym, arg_params, aux_params
