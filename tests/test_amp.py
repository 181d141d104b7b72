"""mx.contrib.amp against MXNet 1.9.1: converted graphs node by node (amp_cast / amp_multicast
names, inputs, dtypes; tests/fixtures/amp_convert.json from tools/gen_amp_fixtures.py over the
networks of tests/amp_cases.py), parameter dtypes of convert_model, the op lists, the loss
scaler's schedule, and (in a child process, since amp.init patches mx.nd / mx.sym for good)
the wrapped functions and bfloat16 Gluon training."""
import json
import logging
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.contrib import amp

sys.path.insert(0, os.path.dirname(__file__))
import amp_cases  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = json.load(open(os.path.join(ROOT, "tests", "fixtures", "amp_convert.json")))
logging.getLogger().setLevel(logging.WARNING)


def _id(case):
    extra = "-" + "-".join(sorted(case["kwargs"])) if case["kwargs"] else ""
    return "%s-%s%s" % (case["case"], case["target"], extra)


@pytest.mark.parametrize("case", FIX["conversions"], ids=_id)
def test_convert_symbol_matches_mxnet(case):
    sym = amp_cases.build(mx, case["case"])
    conv = amp.convert_symbol(sym, target_dtype=case["target"], **case["kwargs"])
    if "error" in case:   # MXNet's type check rejects the result; mxtorch does not check
        pytest.skip("MXNet 1.9.1 raises here: " + case["error"][:80])
    nodes, heads = amp_cases.summary(conv.tojson(remove_amp_cast=False))
    assert nodes == case["nodes"]
    assert heads == case["heads"]
    # the default JSON drops the casts inside the graph (those at the outputs stay)
    assert amp_cases.summary(conv.tojson())[0] == case["plain"]


ZOO = json.load(open(os.path.join(ROOT, "tests", "fixtures", "amp_zoo.json")))


@pytest.mark.parametrize("target", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", sorted(ZOO))
def test_model_zoo_graphs_match_mxnet(name, target):
    """Gluon model-zoo networks exported by MXNet: the same casts in the same places."""
    sym = mx.sym.load_json(ZOO[name]["json"])
    conv = amp.convert_symbol(sym, target_dtype=target, data_names=["data"])
    nodes, _ = amp_cases.summary(conv.tojson(remove_amp_cast=False))
    want = ZOO[name]["converted"][target]
    assert len(nodes) == want["nodes"]
    got = [[n[0], n[1], [nodes[i][1] for i, _ in n[2]], n[3]] for n in nodes
           if n[0] in ("amp_cast", "amp_multicast") or "__dtype__" in n[3]]
    assert got == want["casts"]


def test_original_symbol_untouched():
    sym = amp_cases.build(mx, "convnet")
    before = sym.tojson()
    amp.convert_symbol(sym, target_dtype="bfloat16", data_names=["data", "softmax_label"],
                       cast_optional_params=True)
    assert sym.tojson() == before and "__dtype__" not in before


@pytest.mark.parametrize("optional", [False, True])
def test_convert_model_param_dtypes(optional):
    sym = amp_cases.build(mx, "convnet")
    shapes = sym.infer_shape(data=(2, 3, 8, 8))
    args = {k: mx.nd.ones(s) for k, s in zip(sym.list_arguments(), shapes[0])
            if k not in ("data", "softmax_label")}
    aux = {k: mx.nd.ones(s) for k, s in zip(sym.list_auxiliary_states(), shapes[2])}
    conv, a, x = amp.convert_model(sym, args, aux, target_dtype="float16",
                                   cast_optional_params=optional)
    got = {k: np.dtype(v.dtype).name for k, v in {**a, **x}.items()}
    assert got == FIX["model_dtypes"][str(optional)]
    ex = conv.simple_bind(mx.cpu(), data=(2, 3, 8, 8), softmax_label=(2,))
    for name, arr in {**a, **x}.items():
        (ex.arg_dict if name in ex.arg_dict else ex.aux_dict)[name][:] = arr
    ex.forward(data=mx.nd.ones((2, 3, 8, 8)))
    assert ex.outputs[0].dtype == np.float32 and ex.outputs[0].shape == (2, 10)


def test_converted_graph_runs_and_stays_close():
    sym = amp_cases.build(mx, "resblock")
    x = mx.nd.random.uniform(shape=(2, 3, 5, 5))
    shapes = dict(zip(sym.list_arguments(), sym.infer_shape(data=x.shape)[0]))
    args = {k: mx.nd.random.uniform(-1, 1, shape=s) for k, s in shapes.items() if k != "data"}
    aux = dict(zip(sym.list_auxiliary_states(),
                   [mx.nd.zeros(s) if "mean" in n else mx.nd.ones(s) for n, s in
                    zip(sym.list_auxiliary_states(), sym.infer_shape(data=x.shape)[2])]))
    want = sym.bind(mx.cpu(), {"data": x, **args}, aux_states=dict(aux)).forward()[0]
    conv = amp.convert_symbol(sym, target_dtype="bfloat16")
    got = conv.bind(mx.cpu(), {"data": x, **args}, aux_states=dict(aux)).forward()[0]
    assert got.dtype == np.float32
    np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=0.05, atol=0.05)


def test_lists_and_errors():
    assert amp.list_lp16_ops("float16") == ["Convolution", "Deconvolution", "FullyConnected",
                                            "RNN"]
    assert amp.list_lp16_ops("bfloat16") == ["Convolution", "FullyConnected"]
    assert ("Activation", "act_type", ["softrelu"]) in amp.list_conditional_fp32_ops("float16")
    assert amp.list_lp16_use_fp32_params("float16") is None
    assert "BatchNorm" in amp.list_lp16_use_fp32_params("bfloat16")
    assert "SoftmaxOutput" in amp.list_loss_output_functions("bfloat16")
    assert "elemwise_add" in amp.list_widest_type_cast(amp.amp.bfloat16)
    sym = amp_cases.build(mx, "mlp")
    with pytest.raises(AssertionError, match="float16 and bfloat16"):
        amp.convert_symbol(sym, target_dtype="float64")
    with pytest.raises(AssertionError, match="two or more lists"):
        amp.convert_symbol(sym, target_dtype_ops=["FullyConnected"],
                           fp32_ops=["FullyConnected"])
    with pytest.raises(AssertionError, match="none of them"):
        amp.convert_symbol(sym, target_dtype_ops=["NoSuchOp"])
    with pytest.raises(mx.MXNetError, match="not inputs"):
        amp.convert_symbol(sym, data_names=["nope"])
    with pytest.raises(AssertionError, match="should be Symbol"):
        amp.convert_symbol(mx.nd.ones(2))
    with pytest.raises(TypeError, match="Gluon Trainer"):
        amp.unscale(mx.optimizer.SGD())


def test_convert_hybrid_block_needs_a_run():
    net = mx.gluon.nn.HybridSequential()
    net.add(mx.gluon.nn.Dense(4))
    net.initialize()
    with pytest.raises(RuntimeError, match="hybridize"):
        amp.convert_hybrid_block(net, ctx=mx.cpu())
    net.hybridize()
    x = mx.nd.random.uniform(shape=(3, 5))
    want = net(x)
    conv = amp.convert_hybrid_block(net, target_dtype="bfloat16", ctx=mx.cpu())
    got = conv(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=0.02, atol=0.02)


class _Param:
    def __init__(self, value):
        self._grad = [mx.nd.array(value)]


def test_loss_scaler_schedule():
    scaler = amp.loss_scaler.LossScaler()
    assert scaler.loss_scale == 2.0 ** 16
    assert scaler.has_overflow([_Param([1.0, np.inf])])
    assert scaler.loss_scale == 2.0 ** 16          # the new scale applies from the next step
    assert not scaler.has_overflow([_Param([1.0])])
    assert scaler.loss_scale == 2.0 ** 15
    for _ in range(1999):
        assert not scaler.has_overflow([_Param([1.0]), _Param([np.nan] * 0 + [2.0])])
    assert scaler.loss_scale == 2.0 ** 15
    scaler.has_overflow([_Param([0.0])])
    assert scaler.loss_scale == 2.0 ** 16
    scaler._loss_scale = scaler._next_loss_scale = 2.0 ** 24
    scaler._unskipped = 1999
    scaler.has_overflow([_Param([0.0])])
    scaler.has_overflow([_Param([0.0])])
    assert scaler.loss_scale == 2.0 ** 24          # capped
    assert scaler.has_overflow([_Param([np.nan])])


CHILD = r"""
import json, logging
import numpy as np
import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch.contrib import amp
logging.disable(logging.CRITICAL)
out = {}
early = gluon.nn.Dense(2)
early.initialize()
try:
    amp.init_trainer(gluon.Trainer(early.collect_params(), 'sgd'))
except AssertionError as err:
    out['before_init'] = str(err)
amp.init(target_dtype='bfloat16')
with mx.name.NameManager():
    d = mx.sym.var('data')
    h = mx.sym.Activation(mx.sym.FullyConnected(d, num_hidden=4, name='fc1'),
                          act_type='relu', name='relu1')
    s = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(h, num_hidden=2, name='fc2') + d,
                             name='softmax')
out['sym'] = s.tojson(remove_amp_cast=False)
x = mx.nd.ones((2, 3))
fc = mx.nd.FullyConnected(x, mx.nd.ones((4, 3)), mx.nd.zeros(4), num_hidden=4)
out['nd'] = {'fc': fc.dtype, 'softmax_of_fc': mx.nd.softmax(fc).dtype,
             'add_fc_fp32': mx.nd.elemwise_add(fc, mx.nd.ones((2, 4))).dtype,
             'add_fc_fc': mx.nd.elemwise_add(fc, fc).dtype, 'relu_fc': mx.nd.relu(fc).dtype}
out['nd'] = {k: str(v) for k, v in out['nd'].items()}
with mx.name.NameManager():
    fluent = mx.sym.var('d').sum(axis=1).exp()
out['fluent_sym'] = [n['op'] for n in json.loads(fluent.tojson(remove_amp_cast=False))['nodes']]
out['fluent_nd'] = [str(fc.sum().dtype), str(fc.exp().dtype), str(fc.relu().dtype),
                    str(fc.reshape((8,)).dtype)]
mx.random.seed(0)
net = gluon.nn.HybridSequential()
net.add(gluon.nn.Dense(16, activation='relu'), gluon.nn.Dense(2))
net.initialize()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
try:
    with amp.scale_loss(1.0, trainer):
        pass
except AssertionError as err:
    out['no_scaler'] = str(err)
amp.init_trainer(trainer)
lossf = gluon.loss.SoftmaxCrossEntropyLoss()
X = mx.nd.random.uniform(shape=(64, 5))
Y = (X.sum(axis=1) > 2.5)
losses = []
for hybrid in (False, True):
    if hybrid:
        net.hybridize()
    for _ in range(15):
        with autograd.record():
            loss = lossf(net(X), Y)
            with amp.scale_loss(loss, trainer) as scaled:
                autograd.backward(scaled)
        trainer.step(64)
        losses.append(float(loss.mean().asscalar()))
out['losses'] = losses
out['param_dtype'] = str(net[0].weight.data().dtype)
out['out_dtype'] = str(net(X).dtype)
with autograd.record():
    loss = lossf(net(X), Y)
    with amp.scale_loss([loss, loss], trainer) as scaled:
        autograd.backward(scaled)
grad = net[1].weight.grad().asnumpy().copy()
amp.unscale(trainer)
out['unscale_ratio'] = float(np.abs(grad).sum() / np.abs(net[1].weight.grad().asnumpy()).sum())
out['scale_after_unscale'] = trainer._scale
x = mx.nd.array([[1.0, 2.0, 0.5]])
x.attach_grad()
with autograd.record():
    y = mx.nd.SoftmaxOutput(x, mx.nd.array([1]))
y.backward()
plain = y.asnumpy() - np.array([[0.0, 1.0, 0.0]])
out['softmax_grad_ratio'] = float((x.grad.asnumpy() / plain).mean())
out['global_scale'] = amp.amp._state['scaler'].loss_scale
print('RESULT' + json.dumps(out))
"""


@pytest.fixture(scope="module")
def child():
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT")][0]
    return json.loads(line[len("RESULT"):])


def test_init_wraps_symbol_functions_like_mxnet(child):
    want = FIX["after_init"]
    assert list(amp_cases.summary(child["sym"])) == [want["nodes"], want["heads"]]


def test_init_wraps_ndarray_functions_like_mxnet(child):
    assert child["nd"] == FIX["after_init"]["nd_dtypes"]


def test_init_wraps_fluent_methods_like_mxnet(child):
    # MXNet 1.9.1 (bfloat16): amp_cast before sum and exp; sum/exp give float32, relu and the
    # native reshape keep bfloat16
    assert child["fluent_sym"] == ['null', 'amp_cast', 'sum', 'amp_cast', 'exp']
    bf16 = "[('bfloat16', '<u2')]"
    assert child["fluent_nd"] == ["<class 'numpy.float32'>", "<class 'numpy.float32'>", bf16,
                                  bf16]


def test_bfloat16_training_with_loss_scaling(child):
    losses = child["losses"]
    assert losses[-1] < 0.95 * losses[0], losses
    assert child["param_dtype"] == "<class 'numpy.float32'>"
    assert "bfloat16" in child["out_dtype"]
    assert child["unscale_ratio"] == pytest.approx(2.0 ** 16, rel=1e-3)
    assert child["scale_after_unscale"] == 1.0
    assert "amp.init()" in child["before_init"]
    assert "init_trainer" in child["no_scaler"]


def test_loss_output_functions_scale_their_gradient(child):
    # MXNet multiplies grad_scale of SoftmaxOutput & co by the (global) loss scale
    assert child["softmax_grad_ratio"] == pytest.approx(child["global_scale"], rel=1e-5)


def test_convert_bucketing_module():
    def sym_gen(key):
        fc = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc')
        return mx.sym.SoftmaxOutput(fc, name='softmax'), ('data',), ('softmax_label',)

    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=4, context=mx.cpu())
    mod.bind(data_shapes=[('data', (2, 4))], label_shapes=[('softmax_label', (2,))],
             for_training=False)
    mod.init_params()
    conv = amp.amp.convert_bucketing_module(mod, target_dtype='bfloat16')
    assert isinstance(conv, mx.mod.BucketingModule) and list(conv._buckets) == [4]
    ops = [n.op.name for n in conv._buckets[4]._symbol._order() if n.op]
    assert ops == ['amp_cast', 'amp_cast', 'amp_cast', 'FullyConnected', 'amp_cast',
                   'SoftmaxOutput']
    assert set(conv._curr_module._arg_params) == {'fc_weight', 'fc_bias'}
    with pytest.raises(AssertionError, match="bucketing module"):
        amp.amp.convert_bucketing_module(mod._curr_module)
