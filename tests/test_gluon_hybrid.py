"""HybridBlock: imperative == hybridized (values and gradients), signature cache, nested
inputs/outputs, deferred shape inference, export, op hooks, 2.x forward blocks, errors.

Parameters are set from seeded numpy values (``_load_init``), so these tests do not depend on
mx.init; tolerances are float32 round-off (rtol 1e-5, atol 1e-6) since both paths run the same
kernels.
"""
import json
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch.base import MXNetError

RTOL, ATOL = 1e-5, 1e-6


class Dense(gluon.HybridBlock):
    """A 1.x FullyConnected layer (deferred in_units when 0)."""

    def __init__(self, units, in_units=0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(units, in_units),
                                          allow_deferred_init=True)
            self.bias = self.params.get("bias", shape=(units,))

    def hybrid_forward(self, F, x, weight, bias):
        return F.FullyConnected(x, weight, bias, num_hidden=self.units, name="fwd")


class MLP(gluon.HybridBlock):
    def __init__(self, in_units=5, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.d1 = Dense(8, in_units)
            self.d2 = Dense(3, 8)

    def hybrid_forward(self, F, x):
        return self.d2(F.relu(self.d1(x)))


class BN(gluon.HybridBlock):
    """BatchNorm with auxiliary moving statistics."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.gamma = self.params.get("gamma", shape=(channels,))
            self.beta = self.params.get("beta", shape=(channels,))
            self.running_mean = self.params.get("running_mean", shape=(channels,),
                                                grad_req="null")
            self.running_var = self.params.get("running_var", shape=(channels,),
                                               grad_req="null")

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.BatchNorm(x, gamma, beta, running_mean, running_var, fix_gamma=False,
                           name="fwd")


class TwoWay(gluon.HybridBlock):
    """Nested inputs (a list and an optional None) and nested outputs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.d = Dense(4, 3)

    def hybrid_forward(self, F, x, pair, extra=None):
        a, b = pair
        y = self.d(x) + a
        out = [y, (y * b, F.sum(y))]
        if extra is not None:
            out.append(extra * 2)
        return out


def _fill(block, seed=0):
    """Give every parameter with a known shape seeded values."""
    rng = np.random.RandomState(seed)
    for p in block.collect_params().values():
        if p.shape and all(p.shape):
            value = rng.uniform(0.5, 1.5, p.shape) if "var" in p.name else \
                rng.uniform(-0.5, 0.5, p.shape)
            p._load_init(mx.nd.array(value, dtype=p.dtype), mx.cpu())
    return block


def _x(*shape, seed=1):
    return mx.nd.array(np.random.RandomState(seed).randn(*shape))


def _grads(block):
    return {k: p.grad().asnumpy().copy() for k, p in block.collect_params().items()
            if p.grad_req != "null"}


def _run(block, *inputs, train=True):
    with autograd.record(train_mode=train):
        out = block(*inputs)
        loss = out.sum() if isinstance(out, mx.nd.NDArray) else sum(o.sum() for o in out)
    loss.backward()
    return out


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


# ---- values and gradients --------------------------------------------------------------------

def test_hybridized_equals_imperative_values_and_grads():
    net = _fill(MLP())
    x = _x(4, 5)
    y0 = _run(net, x).asnumpy()
    g0 = _grads(net)
    net.hybridize()
    y1 = _run(net, x).asnumpy()
    _close(y1, y0)
    for k, g in _grads(net).items():
        _close(g, g0[k])
    assert net._cached_op is not None


def test_grad_req_add_accumulates_and_null_skips():
    net = _fill(MLP())
    net.hybridize()
    x = _x(4, 5)
    _run(net, x)
    once = net.d1.weight.grad().asnumpy().copy()
    net.d1.weight.grad_req = "add"
    net.d2.weight.grad_req = "null"
    _run(net, x)
    _run(net, x)
    _close(net.d1.weight.grad().asnumpy(), 2 * once)
    assert net.d2.weight.grad_req == "null"


def test_input_gradient_flows_through_compiled_graph():
    net = _fill(MLP())
    x = _x(2, 5)
    x.attach_grad()
    _run(net, x)
    g0 = x.grad.asnumpy().copy()
    net.hybridize()
    _run(net, x)
    _close(x.grad.asnumpy(), g0)


def test_batchnorm_aux_states_update_in_place_in_training():
    x = _x(6, 3, seed=3)
    imp = _fill(BN(3, prefix="bn_"))
    hyb = _fill(BN(3, prefix="bn_"))
    hyb.hybridize()
    for block in (imp, hyb):
        _run(block, x)
    _close(hyb.running_mean.data().asnumpy(), imp.running_mean.data().asnumpy())
    _close(hyb.running_var.data().asnumpy(), imp.running_var.data().asnumpy())
    assert not np.allclose(hyb.running_mean.data().asnumpy(), 0)
    before = hyb.running_mean.data().asnumpy().copy()
    hyb(x)  # inference: statistics unchanged
    _close(hyb.running_mean.data().asnumpy(), before)


def test_symbol_input_composes_a_graph():
    net = MLP(prefix="mlp_")
    out = net(mx.sym.var("data"))
    assert isinstance(out, mx.sym.Symbol)
    assert out.list_arguments() == ["data", "mlp_dense0_weight", "mlp_dense0_bias",
                                    "mlp_dense1_weight", "mlp_dense1_bias"]
    assert out.name == "mlp_dense1_fwd"


# ---- cache ---------------------------------------------------------------------------------

def test_graph_cached_per_signature():
    net = _fill(MLP())
    net.hybridize()
    net(_x(4, 5))
    net(_x(4, 5, seed=2))
    cache = net._cached_op
    assert (cache.misses, cache.hits) == (1, 1)
    net(_x(7, 5))
    assert (cache.misses, cache.hits) == (2, 1)
    net(mx.nd.array(np.ones((4, 5)), dtype="float64").astype("float32"))
    assert cache.hits == 2
    net.hybridize()  # clear=True re-traces
    assert net._cached_op is None


def test_hybridize_off_runs_eagerly_again():
    net = _fill(MLP())
    net.hybridize()
    y1 = net(_x(2, 5)).asnumpy()
    net.hybridize(False)
    assert net._active is False and net.d1._active is False
    _close(net(_x(2, 5)).asnumpy(), y1)


def test_hybridize_accepts_mxnet_flags():
    net = _fill(MLP())
    net.hybridize(static_alloc=True, static_shape=True, inline_limit=4, forward_bulk_size=8,
                  backward_bulk_size=8, partition_if_dynamic=True)
    assert ("static_alloc", True) in net._flags and ("forward_bulk_size", 8) in net._flags
    assert net(_x(2, 5)).shape == (2, 3)


# ---- nested structure ----------------------------------------------------------------------

def test_nested_inputs_outputs_and_none():
    x, a, b = _x(2, 3), _x(2, 4, seed=2), _x(2, 4, seed=3)
    net = _fill(TwoWay())
    ref = net(x, [a, b])
    net.hybridize()
    out = net(x, [a, b])
    assert isinstance(out, list) and len(out) == 2 and len(out[1]) == 2
    _close(out[0].asnumpy(), ref[0].asnumpy())
    _close(out[1][0].asnumpy(), ref[1][0].asnumpy())
    _close(out[1][1].asnumpy(), ref[1][1].asnumpy())
    assert net._in_format == [0, [0, 0]]
    assert net._out_format == [0, [0, 0]]
    out2 = net(x, [a, b], None)  # a trailing None (the default) is accepted
    _close(out2[0].asnumpy(), ref[0].asnumpy())


def test_changed_input_structure_raises():
    x, a, b = _x(2, 3), _x(2, 4, seed=2), _x(2, 4, seed=3)
    net = _fill(TwoWay())
    net.hybridize()
    net(x, [a, b])
    with pytest.raises(ValueError, match="argument structure"):
        net(x, [a, b, b])
    with pytest.raises(ValueError, match="argument structure"):
        net(x, [a, b], x)


# ---- errors --------------------------------------------------------------------------------

def test_mixed_ndarray_and_symbol_inputs_raise():
    net = _fill(TwoWay())
    with pytest.raises(ValueError, match="NDArrays or all Symbols"):
        net(_x(2, 3), [mx.sym.var("a"), _x(2, 4)])


def test_non_hybrid_child_raises():
    class Holder(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.child = gluon.Block()

    with pytest.raises(ValueError, match="Children of HybridBlock must also be HybridBlock"):
        Holder()


def test_multiple_contexts_raise_when_hybridized():
    net = _fill(TwoWay())
    net.hybridize()
    x = _x(2, 3)
    with pytest.raises(ValueError, match="one context"):
        net(x, [_x(2, 4).as_in_context(mx.cpu(1)), _x(2, 4)])


def test_export_before_forward_raises():
    with pytest.raises(RuntimeError, match="hybridize"):
        MLP().export("/nonexistent/x")


def test_all_none_inputs_raise():
    net = _fill(TwoWay())
    net.hybridize()
    with pytest.raises(ValueError):
        net._get_graph(None)


# ---- shape/type inference --------------------------------------------------------------------

def test_infer_shape_fills_unknown_parameter_dims():
    net = MLP(in_units=0)
    assert net.d1.weight.shape == (8, 0)
    net.infer_shape(_x(4, 11))
    assert net.d1.weight.shape == (8, 11)
    assert net.d2.weight.shape == (3, 8)


def test_infer_type_checks_parameter_dtypes():
    net = MLP()
    net.infer_type(_x(2, 5))
    assert all(np.dtype(p.dtype) == np.float32 for p in net.collect_params().values())
    with pytest.raises(MXNetError, match="weight"):  # MXNet: incompatible attr, as here
        net.infer_type(_x(2, 5).astype("float64"))


def test_uninferable_shape_error_names_parameter_and_inputs():
    class Free(gluon.HybridBlock):
        def __init__(self):
            super().__init__(prefix="free_")
            with self.name_scope():
                self.w = self.params.get("w", shape=(0, 0), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w):
            return F.broadcast_add(F.sum(x), F.sum(w))

    with pytest.raises(MXNetError) as info:
        Free().infer_shape(_x(2, 3))
    text = str(info.value)
    assert "free_w" in text and "(2, 3)" in text and "in_units" in text


# ---- export ----------------------------------------------------------------------------------

def test_export_writes_mxnet_files(tmp_path):
    net = _fill(MLP(prefix="mlp_"))
    bn = _fill(BN(3, prefix="bn_"))
    for block in (net, bn):
        block.hybridize()
    net(_x(2, 5))
    bn(_x(2, 3))
    net.export(str(tmp_path / "m"), epoch=3)
    bn.export(str(tmp_path / "b"))
    graph = json.load(open(tmp_path / "m-symbol.json"))
    ops = [n["op"] for n in graph["nodes"]]
    assert ops == ["null", "null", "null", "FullyConnected", "relu", "null", "null",
                   "FullyConnected"]
    assert graph["attrs"]["mxnet_version"][0] == "int"
    saved = mx.nd.load(str(tmp_path / "m-0003.params"))
    assert sorted(saved) == ["arg:mlp_dense0_bias", "arg:mlp_dense0_weight",
                             "arg:mlp_dense1_bias", "arg:mlp_dense1_weight"]
    _close(saved["arg:mlp_dense0_weight"].asnumpy(), net.d1.weight.data().asnumpy())
    assert sorted(mx.nd.load(str(tmp_path / "b-0000.params"))) == [
        "arg:bn_beta", "arg:bn_gamma", "aux:bn_running_mean", "aux:bn_running_var"]


def test_export_import_round_trip(tmp_path):
    net = _fill(MLP())
    net.hybridize()
    x = _x(3, 5)
    y = net(x).asnumpy()
    net.export(str(tmp_path / "net"))
    back = gluon.SymbolBlock.imports(str(tmp_path / "net-symbol.json"), ["data"],
                                     str(tmp_path / "net-0000.params"))
    _close(back(x).asnumpy(), y)


def test_multi_input_names_data0_data1(tmp_path):
    net = _fill(TwoWay())
    net.hybridize()
    net(_x(2, 3), [_x(2, 4), _x(2, 4)])
    data, sym = net._cached_graph
    assert [d.name for d in data] == ["data0", "data1", "data2"]
    assert len(sym.list_outputs()) == 3


# ---- hooks, optimize_for ---------------------------------------------------------------------

def test_register_op_hook_reports_outputs_and_inputs():
    net = _fill(MLP(prefix="mlp_"))
    net.hybridize()
    seen = []
    net.register_op_hook(lambda name, op, arr: seen.append((name, op, arr.shape)))
    net(_x(2, 5))
    assert seen == [("mlp_dense0_fwd_output", "FullyConnected", (2, 8)),
                    ("mlp_relu0_0", "relu", (2, 8)),  # relu names no outputs in MXNet
                    ("mlp_dense1_fwd_output", "FullyConnected", (2, 3))]
    seen.clear()
    net.register_op_hook(lambda name, op, arr: seen.append(name), monitor_all=True)
    net(_x(2, 5))
    assert seen[:4] == ["mlp_dense0_fwd_data", "mlp_dense0_fwd_weight", "mlp_dense0_fwd_bias",
                        "mlp_dense0_fwd_output"]


def test_optimize_for_builds_without_running():
    net = _fill(MLP())
    with pytest.raises(ValueError, match="backend"):
        net.optimize_for(_x(2, 5))
    net.optimize_for(_x(2, 5), backend="MKLDNN")
    assert net._cached_op is not None and net._cached_op.misses == 0
    assert net(_x(2, 5)).shape == (2, 3)


# ---- 2.x forward blocks ----------------------------------------------------------------------

class V2(gluon.HybridBlock):
    """2.x style: ``forward`` over arrays, a hybridized 1.x child, a parameter of its own."""

    def __init__(self):
        super().__init__(prefix="v2_")
        with self.name_scope():
            self.dense = Dense(4, 3)
            self.scale = self.params.get("scale", shape=(4,))

    def forward(self, x):
        y = mx.nd.relu(self.dense(x)) * self.scale.data() + 1
        return mx.nd.tanh(y), y.sum(axis=1)


def test_v2_forward_block_imperative_equals_hybridized():
    net = _fill(V2())
    x = _x(2, 3)
    ref = _run(net, x)
    g0 = _grads(net)
    net.hybridize()
    out = _run(net, x)
    for a, b in zip(out, ref):
        _close(a.asnumpy(), b.asnumpy())
    for k, g in _grads(net).items():
        _close(g, g0[k])
    sym = net._cached_graph[1]
    assert sym.list_arguments() == ["data", "v2_dense0_weight", "v2_dense0_bias", "v2_scale"]


def test_v2_forward_block_exports(tmp_path):
    net = _fill(V2())
    net.hybridize()
    x = _x(2, 3)
    ref = net(x)
    net.export(str(tmp_path / "v2"))
    back = gluon.SymbolBlock.imports(str(tmp_path / "v2-symbol.json"), ["data"],
                                     str(tmp_path / "v2-0000.params"))
    for a, b in zip(back(x), ref):
        _close(a.asnumpy(), b.asnumpy())


def test_v2_untraceable_constant_raises():
    class Const(gluon.HybridBlock):
        def forward(self, x):
            return x + mx.nd.array(np.ones((2, 3)))

    net = Const()
    net.hybridize()
    with pytest.raises(MXNetError, match="neither an input"):
        net(_x(2, 3))


def test_unused_input_warns():
    class Ignore(gluon.HybridBlock):
        def hybrid_forward(self, F, x, y):
            return x * 2

    net = Ignore()
    net.hybridize()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net(_x(2), _x(2))
    assert any("1-th input" in str(w.message) for w in caught)


def test_optimize_for_torch_compile_backend():
    net = _fill(MLP())
    x = _x(2, 5)
    ref = net(x).asnumpy()
    with pytest.raises(MXNetError, match="torch.compile"):
        net.optimize_for(x, backend="no_such_backend")
    net.optimize_for(x, backend="eager")
    _close(net(x).asnumpy(), ref)


@pytest.mark.parametrize("hybridize", [False, True])
def test_deferred_init_on_first_forward(hybridize):
    net = MLP(in_units=0)
    net.initialize()
    if hybridize:
        net.hybridize()
    assert net(_x(4, 7)).shape == (4, 3)
    assert net.d1.weight.shape == (8, 7) and net.d1.weight.data().shape == (8, 7)


@pytest.mark.parametrize("hybridize", [False, True])
def test_deferred_init_failure_names_parameter_and_fix(hybridize):

    class Bad(gluon.HybridBlock):
        def __init__(self):
            super().__init__(prefix="bad_")
            with self.name_scope():
                self.w = self.params.get("w", shape=(3, 0), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w):
            return F.sum(x) + F.sum(w)

    net = Bad()
    net.initialize()
    if hybridize:
        net.hybridize()
    with pytest.raises(ValueError, match=r"Deferred initialization failed") as info:
        net(_x(2, 2))
    assert "bad_w" in str(info.value) and "data=(2, 2)" in str(info.value)
    assert "in_units" in str(info.value)


class Indexing(gluon.HybridBlock):
    """2.x block using basic indexing and an in-place update (recorded as slice/squeeze/
    expand_dims nodes and a rebinding)."""

    def __init__(self):
        super().__init__(prefix="ix_")
        with self.name_scope():
            self.d = Dense(4, 3)

    def forward(self, x):
        y = self.d(x[:, 1:4])
        z = y[0] + y[:, None, 2:].sum()
        w = y[..., ::-1]
        w += 1
        return z, w, x[1, 2], y[-1]


def test_v2_basic_indexing_and_inplace_are_traced():
    net = _fill(Indexing())
    xs = [_x(5, 6, seed=5), _x(7, 6, seed=7)]
    refs = [net(x) for x in xs]
    net.hybridize()
    for x, ref in zip(xs, refs):  # traced once at batch 5; negative/open indices generalise
        for a, b in zip(net(x), ref):
            assert a.shape == b.shape
            _close(a.asnumpy(), b.asnumpy())
    assert net._cached_op.misses == 2
    ops = [n.op.name for n in net._cached_graph[1]._order() if not n.is_variable]
    assert {"slice", "squeeze", "expand_dims", "Reshape"} <= set(ops)


def test_v2_advanced_indexing_raises():
    class Adv(gluon.HybridBlock):
        def forward(self, x):
            return x[mx.nd.array([0, 1])] * 2

    net = Adv()
    net.hybridize()
    with pytest.raises(MXNetError, match="advanced index"):
        net(_x(3, 2))


def test_shape_inference_leaves_the_random_stream_alone():
    """Deferred init draws the same numbers hybridized or not: inference probes (Pooling runs
    on small CPU tensors) use their own generator."""
    mx.random.seed(0)
    a = mx.nd.random.uniform(shape=(3,)).asnumpy()
    mx.random.seed(0)
    mx.sym.Pooling(mx.sym.var("data"), kernel=(2, 2)).infer_shape_partial(data=(2, 3, 8, 8))
    np.testing.assert_array_equal(mx.nd.random.uniform(shape=(3,)).asnumpy(), a)


def test_nn_stack_hybridized_matches_imperative():
    nn = mx.gluon.nn

    def build():
        net = nn.HybridSequential(prefix="m_")
        with net.name_scope():
            net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                    nn.MaxPool2D(), nn.Flatten(), nn.Dense(10), nn.Dense(3))
        return net

    x = _x(2, 3, 8, 8)
    results = []
    for hybridize in (False, True):
        mx.random.seed(0)
        net = build()
        net.initialize()
        if hybridize:
            net.hybridize()
        y = _run(net, x)
        results.append((y.asnumpy(), _grads(net), net[1].running_mean.data().asnumpy()))
    (y0, g0, m0), (y1, g1, m1) = results
    _close(y1, y0)
    _close(m1, m0)
    for k in g0:
        _close(g1[k], g0[k])


class V2Deferred(gluon.HybridBlock):
    """2.x layer with an unknown input size, resolved by its own infer_shape."""

    def __init__(self):
        super().__init__(prefix="lazy_")
        with self.name_scope():
            self.weight = self.params.get("weight", shape=(3, 0), allow_deferred_init=True)

    def infer_shape(self, x):
        self.weight.shape = (3, x.shape[1])

    def forward(self, x):
        return mx.nd.dot(x, self.weight.data(), transpose_b=True)


@pytest.mark.parametrize("hybridize", [False, True])
def test_v2_deferred_init_uses_the_blocks_infer_shape(hybridize):
    net = V2Deferred()
    net.initialize()
    if hybridize:
        net.hybridize()
    x = _x(2, 5)
    y = net(x)
    assert net.weight.shape == (3, 5)
    _close(y.asnumpy(), x.asnumpy() @ net.weight.data().asnumpy().T)


def test_json_versions_count_writes_to_aux_variables(tmp_path):
    """MXNet 1.9.1 (oracle): each trace that composes BatchNorm with a moving-stat variable
    bumps the version written in JSON inputs ([node, output, version]); loading keeps it."""
    def versions(text):
        return [[e[2] for e in n["inputs"][3:]] for n in json.loads(text)["nodes"]
                if n["op"] == "BatchNorm"]

    x, m, v = mx.sym.var("x"), mx.sym.var("m"), mx.sym.var("v")
    two = mx.sym.BatchNorm(mx.sym.BatchNorm(x, moving_mean=m, moving_var=v),
                           moving_mean=m, moving_var=v)
    assert versions(two.tojson()) == [[1, 1], [2, 2]]
    assert versions(mx.sym.load_json(two.tojson()).tojson()) == [[1, 1], [2, 2]]
    net = _fill(BN(3))
    seen = []
    for _ in range(3):
        net.hybridize()
        net(_x(2, 3))
        net.export(str(tmp_path / "bn"))
        seen.append(versions(open(tmp_path / "bn-symbol.json").read()))
    assert seen == [[[1, 1]], [[2, 2]], [[3, 3]]]


def test_v2_block_on_mx_np_arrays_keeps_their_class():

    class NP(gluon.HybridBlock):
        def forward(self, x):
            return mx.npx.relu(mx.np.tanh(x) * 2 + mx.np.sum(x, axis=1, keepdims=True))

    net = NP()
    x = mx.np.array(np.random.RandomState(0).randn(2, 3))
    ref = net(x)
    net.hybridize()
    out = net(x)
    assert type(out) is type(x)
    _close(out.asnumpy(), ref.asnumpy())


def test_shape_errors_name_the_hybridized_block_and_inputs():
    net = _fill(MLP(prefix="named_"))
    net.hybridize()
    net(_x(2, 5))
    with pytest.raises(MXNetError) as info:
        net(_x(2, 7))
    text = str(info.value)
    assert "hybridized block 'named'" in text and "(2, 7)" in text and "FullyConnected" in text


def test_deferred_shape_error_names_block_and_inputs():
    net = MLP(prefix="late_")
    net.d2 = Dense(3, 0, prefix="late_dense9_")  # deferred, so the first call infers shapes
    net.initialize()
    net.hybridize()
    with pytest.raises(ValueError) as info:
        net(_x(2, 7))
    text = str(info.value)
    assert text.startswith("Deferred initialization failed because shape cannot be inferred.")
    assert "Block 'late'" in text and "(2, 7)" in text and "late_dense0_fwd" in text
    assert net(_x(2, 5)).shape == (2, 3)  # a failed first call leaves no half-built cache


def test_numpy_mode_hybridize_export_import(tmp_path):
    nn = mx.gluon.nn
    mx.npx.set_np()
    try:
        net = nn.HybridSequential()
        net.add(nn.Dense(4, activation="relu"), nn.BatchNorm(), nn.Dense(2))
        net.initialize()
        x = mx.np.array(np.random.RandomState(0).randn(3, 5).astype("float32"))
        ref = net(x)
        net.hybridize()
        out = net(x)
        assert type(out) is type(x)
        _close(out.asnumpy(), ref.asnumpy())
        net.export(str(tmp_path / "np"))
        graph = json.load(open(tmp_path / "np-symbol.json"))
        assert graph["attrs"]["is_np_shape"] == ["int", 1]
        back = gluon.SymbolBlock.imports(str(tmp_path / "np-symbol.json"), ["data"],
                                         str(tmp_path / "np-0000.params"))
        _close(back(x).asnumpy(), ref.asnumpy())
    finally:
        mx.npx.reset_np()
