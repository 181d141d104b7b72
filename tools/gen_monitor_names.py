"""Find which MXNet 1.9.1 operators name their inputs/outputs in monitor callbacks.

MXNet's op hooks (``HybridBlock.register_op_hook``) and executor monitors call an input
``<node>_<name>`` when the operator registers input names and ``<node>_input<i>`` otherwise; a
cached op names an output ``<node>_<name>`` when the operator registers output names and
``<node>_<i>`` otherwise. This script runs every operator mxtorch defines (that also exists in
MXNet) on float inputs of shape (2, 3) in a hooked SymbolBlock and prints the two sets of
operators without names, as Python literals for ``mxtorch/ops/_monitor_names.py``.

Run from the repository root (needs the oracle)::

    .venv/bin/python tools/gen_monitor_names.py --dump > /tmp/ops.json
    ~/mxref/bin/python tools/gen_monitor_names.py /tmp/ops.json
"""
import json
import re
import sys


def dump():
    from mxtorch.ops._registry import REGISTRY
    rows = []
    for name, op in sorted(REGISTRY.items()):
        if op.name != name or op.variadic:
            continue
        try:
            rows.append([name, list(op.input_names({}))])
        except Exception:  # noqa: BLE001 - ops whose inputs depend on attributes
            continue
    json.dump(rows, sys.stdout)


# operators that need attributes or other shapes: (name, input shapes, attributes)
CASES = [
    ("Activation", [(2, 3)], dict(act_type="relu")),
    ("LeakyReLU", [(2, 3)], dict(act_type="leaky")),
    ("LeakyReLU", [(2, 3, 4), (3,)], dict(act_type="prelu")),
    ("Reshape", [(2, 3)], dict(shape=(-1,))),
    ("expand_dims", [(2, 3)], dict(axis=0)),
    ("clip", [(2, 3)], dict(a_min=0, a_max=1)),
    ("slice", [(2, 3)], dict(begin=(0,), end=(1,))),
    ("slice_axis", [(2, 3)], dict(axis=0, begin=0, end=1)),
    ("SliceChannel", [(2, 4)], dict(num_outputs=2)),
    ("Pooling", [(2, 3, 4)], dict(kernel=(2,), pool_type="max")),
    ("Cast", [(2, 3)], dict(dtype="float64")),
    ("repeat", [(2, 3)], dict(repeats=2)),
    ("tile", [(2, 3)], dict(reps=(2,))),
    ("one_hot", [(2, 3)], dict(depth=3)),
    ("Embedding", [(2, 3), (4, 2)], dict(input_dim=4, output_dim=2)),
    ("Dropout", [(2, 3)], dict(p=0.5)),
    ("BatchNorm", [(2, 3), (3,), (3,), (3,), (3,)], {}),
    ("LayerNorm", [(2, 3), (3,), (3,)], {}),
    ("InstanceNorm", [(2, 3, 4), (3,), (3,)], {}),
    ("FullyConnected", [(2, 3), (2, 3), (2,)], dict(num_hidden=2)),
    ("Convolution", [(2, 3, 4), (2, 3, 1), (2,)], dict(kernel=(1,), num_filter=2)),
    ("Deconvolution", [(2, 3, 4), (3, 2, 1), (2,)], dict(kernel=(1,), num_filter=2)),
    ("softmax", [(2, 3)], {}),
    ("SoftmaxOutput", [(2, 3), (2,)], {}),
    ("swapaxes", [(2, 3)], dict(dim1=0, dim2=1)),
    ("reverse", [(2, 3)], dict(axis=0)),
    ("Concat", [(2, 3), (2, 3)], dict(num_args=2)),
    ("stack", [(2, 3), (2, 3)], dict(num_args=2)),
    ("add_n", [(2, 3), (2, 3)], dict(num_args=2)),
    ("broadcast_to", [(1, 3)], dict(shape=(2, 3))),
    ("dot", [(2, 3), (3, 2)], {}),
    ("batch_dot", [(2, 3, 4), (2, 4, 3)], {}),
    ("pick", [(2, 3), (2,)], {}),
    ("L2Normalization", [(2, 3)], {}),
    ("UpSampling", [(2, 3, 4, 4)], dict(scale=2, sample_type="nearest", num_args=1)),
    ("sort", [(2, 3)], {}),
    ("SequenceMask", [(2, 3, 4), (3,)], dict(use_sequence_length=True)),
    ("Pad", [(2, 3, 4, 4)], dict(mode="constant", pad_width=(0, 0, 0, 0, 1, 1, 1, 1))),
    ("RNN", [(2, 3, 4), (40,), (1, 3, 2)], dict(state_size=2, num_layers=1, mode="rnn_tanh")),
    ("elemwise_add", [(2, 3), (2, 3)], {}),
    ("_plus", [(2, 3), (2, 3)], {}),
    ("_mul", [(2, 3), (2, 3)], {}),
    ("_minus", [(2, 3), (2, 3)], {}),
    ("_div", [(2, 3), (2, 3)], {}),
    ("linalg_gemm2", [(2, 3), (3, 2)], {}),
    ("log_softmax", [(2, 3)], {}),
    ("GroupNorm", [(2, 4, 3), (1,), (1,)], dict(num_groups=1)),
    ("where", [(2, 3), (2, 3), (2, 3)], {}),
    ("squeeze", [(2, 1)], {}),
    ("_contrib_div_sqrt_dim", [(2, 3)], {}),
    ("erf", [(2, 3)], {}),
    ("Flatten", [(2, 3, 1)], {}),
    ("zeros_like", [(2, 3)], {}),
    ("MakeLoss", [(2, 3)], {}),
    ("space_to_depth", [(1, 1, 2, 2)], dict(block_size=2)),
    ("depth_to_space", [(1, 4, 1, 1)], dict(block_size=2)),
    ("_contrib_interleaved_matmul_selfatt_qk", [(2, 1, 6)], dict(heads=1)),
    ("norm", [(2, 3)], dict(ord=2)),
    ("Crop", [(1, 1, 4, 4)], dict(num_args=1, h_w=(2, 2))),
    ("ROIPooling", [(1, 1, 4, 4), (1, 5)], dict(pooled_size=(2, 2), spatial_scale=1.0)),
    ("SoftmaxActivation", [(2, 3)], {}),
    ("IdentityAttachKLSparseReg", [(2, 3)], {}),
    ("argmax_channel", [(2, 3)], {}),
    ("khatri_rao", [(2, 3), (2, 3)], dict(num_args=2)),
    ("SwapAxis", [(2, 3)], dict(dim1=0, dim2=1)),
    ("_contrib_arange_like", [(2, 3)], {}),
    ("gather_nd", [(2, 3), (1, 2)], {}),
    ("scatter_nd", [(2,), (1, 2)], dict(shape=(3,))),
    ("softmax_cross_entropy", [(2, 3), (2,)], {}),
    ("Correlation", [(1, 1, 4, 4), (1, 1, 4, 4)], dict(kernel_size=1, max_displacement=1)),
    ("BilinearSampler", [(1, 1, 4, 4), (1, 2, 4, 4)], {}),
    ("GridGenerator", [(1, 6)], dict(transform_type="affine", target_shape=(2, 2))),
    ("SpatialTransformer", [(1, 1, 4, 4), (1, 6)], dict(transform_type="affine",
                                                         sampler_type="bilinear",
                                                         target_shape=(2, 2))),
    ("_contrib_BilinearResize2D", [(1, 1, 4, 4)], dict(height=2, width=2)),
    ("_contrib_AdaptiveAvgPooling2D", [(1, 1, 4, 4)], dict(output_size=(2,))),
    ("moments", [(2, 3)], dict(axes=(0,))),
    ("amp_cast", [(2, 3)], dict(dtype="float16")),
    ("cast_storage", [(2, 3)], dict(stype="default")),
    ("_contrib_quadratic", [(2, 3)], {}),
    ("LRN", [(1, 3, 2, 2)], dict(nsize=3)),
    ("CTCLoss", [(4, 2, 3), (2, 2)], {}),
    ("SequenceLast", [(2, 3, 4)], {}),
    ("SequenceReverse", [(2, 3, 4)], {}),
    ("diag", [(3, 3)], {}),
    ("ravel_multi_index", [(2, 3)], dict(shape=(4, 4))),
    ("batch_take", [(2, 3), (2,)], {}),
]


def _hook_names(mx, fn, shapes, attrs):
    vars_ = [mx.sym.var("v%d" % i) for i in range(len(shapes))]
    sym = fn(*vars_, name="n", **attrs)
    block = mx.gluon.SymbolBlock(sym, vars_)
    block.hybridize()
    got = []
    block.register_op_hook(lambda n, o, a: got.append(n.decode()), True)
    block(*[mx.nd.ones(s) * 0.5 for s in shapes])
    mx.nd.waitall()
    return [g[2:] for g in got if g.startswith("n_")]


def probe(rows):
    import mxnet as mx
    no_in, no_out, seen = set(), set(), set()
    jobs = [(name, [(2, 3)] * len(inputs), {}) for name, inputs in rows if inputs]
    for name, shapes, attrs in jobs + CASES:
        fn = getattr(mx.sym, name, None) or getattr(mx.sym._internal, name, None)
        if fn is None:
            continue
        try:
            mine = _hook_names(mx, fn, shapes, attrs)
        except Exception:  # noqa: BLE001 - needs attributes or other shapes: unknown
            continue
        if not mine:
            continue
        seen.add(name)
        if any(re.fullmatch(r"input\d+", m) for m in mine):
            no_in.add(name)
        if any(m.isdigit() for m in mine):
            no_out.add(name)
    print("# %d operators probed" % len(seen))
    print("NO_INPUT_NAMES =", sorted(no_in))
    print("NO_OUTPUT_NAMES =", sorted(no_out))


if __name__ == "__main__":
    if sys.argv[1:] == ["--dump"]:
        dump()
    else:
        probe(json.load(open(sys.argv[1])))
