"""Round-5: every argument check MXNet 1.9.1's gluon makes with ``assert`` must be catchable
as AssertionError (tests in MXNet's suite use ``assertRaises(AssertionError, ...)``).

Run through ``tools/unittest_style/run.py --only gluon5`` (real MXNet 1.9.1 and mxtorch).
Each test runs a table of calls and fails naming every call that did not raise AssertionError.
"""
import os
import tempfile

import numpy as np

import mxnet as mx
from mxnet import autograd, gluon
from mxnet.gluon import nn
from mxnet.test_utils import *  # noqa: F401,F403
from common import with_seed
from _harness import main


def _expect_assert(cases):
    missing = []
    for label, fn in cases:
        try:
            fn()
        except AssertionError:
            continue
        except Exception as err:  # noqa: BLE001 - reported below
            missing.append("%s -> %s" % (label, type(err).__name__))
            continue
        missing.append("%s -> no error" % label)
    assert not missing, "; ".join(missing)


@with_seed()
def test_nn_layer_asserts():
    _expect_assert([
        ("LeakyReLU(-1)", lambda: nn.LeakyReLU(-1)),
        ("Lambda(bad)", lambda: nn.Lambda("no_such_function_x")),
        ("HybridLambda(bad)", lambda: nn.HybridLambda("no_such_function_x")),
        ("Conv1D layout", lambda: nn.Conv1D(2, 3, layout="NWC")),
        ("Conv1D kernel", lambda: nn.Conv1D(2, (3, 3))),
        ("Conv2D layout", lambda: nn.Conv2D(2, 3, layout="NCW")),
        ("Conv2D kernel", lambda: nn.Conv2D(2, (3, 3, 3))),
        ("Conv3D layout", lambda: nn.Conv3D(2, 3, layout="NCHW")),
        ("Conv3D kernel", lambda: nn.Conv3D(2, (3, 3))),
        ("Conv1DT layout", lambda: nn.Conv1DTranspose(2, 3, layout="NWC")),
        ("Conv2DT outpad", lambda: nn.Conv2DTranspose(2, 3, output_padding=(1, 1, 1))),
        ("Conv3DT kernel", lambda: nn.Conv3DTranspose(2, (3, 3))),
        ("MaxPool1D layout", lambda: nn.MaxPool1D(layout="NCHW")),
        ("MaxPool2D size", lambda: nn.MaxPool2D((2, 2, 2))),
        ("MaxPool3D layout", lambda: nn.MaxPool3D(layout="NCHW")),
        ("AvgPool1D size", lambda: nn.AvgPool1D((2, 2))),
        ("AvgPool2D layout", lambda: nn.AvgPool2D(layout="NCW")),
        ("AvgPool3D size", lambda: nn.AvgPool3D((2, 2))),
        ("GlobalMaxPool1D layout", lambda: nn.GlobalMaxPool1D(layout="NCHW")),
        ("GlobalMaxPool2D layout", lambda: nn.GlobalMaxPool2D(layout="NCW")),
        ("GlobalMaxPool3D layout", lambda: nn.GlobalMaxPool3D(layout="NCW")),
        ("GlobalAvgPool1D layout", lambda: nn.GlobalAvgPool1D(layout="NCHW")),
        ("GlobalAvgPool2D layout", lambda: nn.GlobalAvgPool2D(layout="NCW")),
        ("GlobalAvgPool3D layout", lambda: nn.GlobalAvgPool3D(layout="NCW")),
        ("ReflectionPad2D len", lambda: nn.ReflectionPad2D((1, 2))),
        ("PixelShuffle2D factors", lambda: mx.gluon.contrib.nn.PixelShuffle2D((2, 2, 2))),
        ("PixelShuffle3D factors", lambda: mx.gluon.contrib.nn.PixelShuffle3D((2, 2))),
    ])


@with_seed()
def test_loss_asserts():
    _expect_assert([
        ("CTCLoss layout", lambda: gluon.loss.CTCLoss(layout="NCT")),
        ("CTCLoss label_layout", lambda: gluon.loss.CTCLoss(label_layout="NC")),
    ])


@with_seed()
def test_parameter_asserts():
    def bad_req():
        p = gluon.Parameter("w", shape=(2,))
        p.grad_req = "bad"

    def bad_shape():
        p = gluon.Parameter("w", shape=(2, 3))
        p.shape = (2, 4)

    def set_data_wrong_ctx():
        p = gluon.Parameter("w", shape=(2,))
        p.initialize(ctx=mx.cpu(0))
        p._load_init(mx.nd.ones((2,)), [mx.cpu(1)])

    def load_init_shape():
        p = gluon.Parameter("w", shape=(2, 3))
        p._load_init(mx.nd.ones((2, 4)), mx.cpu())

    def load_init_dtype():
        p = gluon.Parameter("w", shape=(2,), dtype="float32")
        p._load_init(mx.nd.ones((2,), dtype="float64"), mx.cpu())

    def load_init_source():
        p = gluon.Parameter("w", shape=(2,))
        p._load_init(mx.nd.ones((2,)), mx.cpu(), cast_dtype=True, dtype_source="bad")

    def var_unknown():
        p = gluon.Parameter("w", shape=(0, 2))
        p.initialize()
        p._finish_deferred_init() if False else p.data()

    def dict_attr_conflict():
        d = gluon.ParameterDict("p_")
        d.get("w", shape=(2,), lr_mult=1.0)
        d.get("w", lr_mult=2.0)

    def const_conflict():
        d = gluon.ParameterDict("p_")
        d.get("c", shape=(2,))
        d.get_constant("c", [1, 2])

    def const_shape():
        d = gluon.ParameterDict("p_")
        d.get_constant("c", [1, 2])
        d.get_constant("c", [1, 2, 3])

    def update_conflict():
        a = gluon.ParameterDict("p_")
        a.get("w", shape=(2,))
        b = gluon.ParameterDict("p_")
        b.get("w", shape=(2,))
        a.update(b)

    def load_restore_prefix():
        d = gluon.ParameterDict("p_")
        d.get("w", shape=(2,))
        d.initialize()
        f = os.path.join(tempfile.mkdtemp(), "x.params")
        d.save(f)
        e = gluon.ParameterDict("q_")
        e.get("w", shape=(2,))
        e.load(f, restore_prefix="r_")

    def load_missing():
        d = gluon.ParameterDict("p_")
        d.get("w", shape=(2,))
        d.initialize()
        f = os.path.join(tempfile.mkdtemp(), "x.params")
        d.save(f)
        e = gluon.ParameterDict("p_")
        e.get("w", shape=(2,))
        e.get("v", shape=(2,))
        e.load(f)

    def load_extra():
        d = gluon.ParameterDict("p_")
        d.get("w", shape=(2,))
        d.get("v", shape=(2,))
        d.initialize()
        f = os.path.join(tempfile.mkdtemp(), "x.params")
        d.save(f)
        e = gluon.ParameterDict("p_")
        e.get("w", shape=(2,))
        e.load(f)

    def reinit_ctx_mismatch():
        p = gluon.Parameter("w", shape=(0, 2), allow_deferred_init=True)
        p.initialize(ctx=[mx.cpu(0)])
        p.set_data(mx.nd.ones((3, 2)))

    _expect_assert([
        ("Parameter stype", lambda: gluon.Parameter("w", stype="bad")),
        ("Parameter grad_stype", lambda: gluon.Parameter("w", grad_stype="bad")),
        ("grad_req bad", bad_req),
        ("shape change", bad_shape),
        ("_load_init ctx", set_data_wrong_ctx),
        ("_load_init shape", load_init_shape),
        ("_load_init dtype", load_init_dtype),
        ("_load_init dtype_source", load_init_source),
        ("ParameterDict.get attr conflict", dict_attr_conflict),
        ("get_constant on non-constant", const_conflict),
        ("update conflict", update_conflict),
        ("load restore_prefix", load_restore_prefix),
        ("load missing", load_missing),
        ("load extra", load_extra),
    ])


@with_seed()
def test_trainer_asserts():
    def mk():
        p = gluon.Parameter("w", shape=(2,))
        p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
        return p

    def opt_params_with_instance():
        gluon.Trainer([mk()], mx.optimizer.SGD(), {"learning_rate": 0.1})

    def ctx_mismatch():
        p = mk()
        q = gluon.Parameter("v", shape=(2,))
        q.initialize(ctx=mx.cpu(2))
        gluon.Trainer([p, q], "sgd")

    def allreduce_on_kv():
        p = mk()
        t = gluon.Trainer([p], "sgd", kvstore="device", update_on_kvstore=True)
        with autograd.record():
            y = sum(p.data(c).sum() for c in p.list_ctx()) if False else p.data(mx.cpu(0)).sum()
        y.backward()
        t._init_kvstore()
        t.allreduce_grads()

    def update_on_kv():
        p = mk()
        t = gluon.Trainer([p], "sgd", kvstore="device", update_on_kvstore=True)
        t._init_kvstore()
        t.update(1)

    def save_uninit():
        p = gluon.Parameter("w", shape=(0,), allow_deferred_init=True)
        p.initialize()
        t = gluon.Trainer([p], "sgd")
        t.save_states(os.path.join(tempfile.mkdtemp(), "t.states"))

    _expect_assert([
        ("optimizer_params with Optimizer", opt_params_with_instance),
        ("contexts differ", ctx_mismatch),
        ("allreduce_grads with update_on_kvstore", allreduce_on_kv),
        ("update with update_on_kvstore", update_on_kv),
    ])


@with_seed()
def test_utils_and_data_asserts():
    ds = gluon.data.SimpleDataset(list(range(10)))
    _expect_assert([
        ("clip_global_norm empty", lambda: gluon.utils.clip_global_norm([], 1.0)),
        ("download retries", lambda: gluon.utils.download("http://x/y.bin", retries=-1)),
        ("download no name", lambda: gluon.utils.download("http://x/", retries=0)),
        ("shard index", lambda: ds.shard(3, 3)),
        ("shard num", lambda: ds.shard(0, 0)),
        ("shard negative", lambda: ds.shard(4, -1)),
        ("ArrayDataset empty", lambda: gluon.data.ArrayDataset()),
        ("ArrayDataset lengths", lambda: gluon.data.ArrayDataset(np.ones(3), np.ones(4))),
        ("IntervalSampler", lambda: gluon.contrib.data.IntervalSampler(3, 5)),
        ("DataLoader timeout", lambda: gluon.data.DataLoader(ds, batch_size=2, num_workers=1,
                                                             timeout=0)),
    ])


@with_seed()
def test_model_zoo_asserts():
    from mxnet.gluon.model_zoo import vision
    _expect_assert([
        ("resnet layers", lambda: vision.get_resnet(1, 19)),
        ("resnet version", lambda: vision.get_resnet(3, 18)),
        ("squeezenet version", lambda: vision.SqueezeNet("2.0")),
        ("vgg layers", lambda: vision.VGG([1, 2], [64])),
        ("resnet v1 channels", lambda: vision.ResNetV1(vision.BasicBlockV1, [2, 2], [64, 64])),
    ])


main(globals())
