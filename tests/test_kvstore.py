"""mx.kv: create/name matching, init/push/pull/pushpull/broadcast/row_sparse_pull, updaters,
optimizer states, 2bit compression, errors. Expected values were printed by real MXNet 1.9.1
(tools/trainer_diff.py re-checks them); exact float32 arithmetic unless a tolerance is given.
"""
import pickle
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError


def _np(x):
    return x.asnumpy().tolist()


@pytest.mark.parametrize("name,kind", [("local", "local"), ("device", "device"),
                                       ("Local", "local"), ("local_allreduce_cpu", None),
                                       ("foo", None), ("nccl", None), ("horovod", None)])
def test_create_types(name, kind):
    kv = mx.kv.create(name)
    assert isinstance(kv, mx.kv.KVStore) and isinstance(kv, mx.kv.KVStoreBase)
    assert kv.type == (kind or name.lower()) and kv.rank == 0 and kv.num_workers == 1


@pytest.mark.parametrize("name", ["dist_async", "Dist_Async"])  # more: test_dist_*.py
def test_create_dist_async_single_process(name, monkeypatch):
    for var in ("RANK", "WORLD_SIZE", "DMLC_NUM_WORKER"):
        monkeypatch.delenv(var, raising=False)
    kv = mx.kv.create(name)
    assert type(kv).__name__ == "AsyncKVStore" and kv.type == "dist_async"


def test_create_errors_and_teststore():
    with pytest.raises(TypeError, match="name must be a string"):
        mx.kv.create(3)
    ts = mx.kv.create("teststore")
    assert type(ts).__name__ == "TestStore" and ts.type == "teststore"
    vals = [mx.nd.ones(2), mx.nd.ones(2) * 2]
    ts.pushpull(0, vals)
    assert [_np(v) for v in vals] == [[3, 3], [3, 3]]
    assert ts.is_capable("optimizer") is False
    with pytest.raises(NotImplementedError):
        ts.set_optimizer(mx.optimizer.SGD())


def test_register_custom_store():
    @mx.kv.KVStoreBase.register
    class MyTestKVStore(mx.kv.KVStoreBase):
        pass
    try:
        assert type(mx.kv.create("mytestkvstore")) is MyTestKVStore
        with pytest.warns(UserWarning, match="overriding"):
            mx.kv.KVStoreBase.register(MyTestKVStore)
        with pytest.raises(AssertionError):
            mx.kv.KVStoreBase.register(3)
    finally:
        mx.kv.KVStoreBase.kv_registry.pop("mytestkvstore", None)


def test_init_push_pull_sum():
    kv = mx.kv.create("local")
    kv.init(3, mx.nd.ones((2, 3)))
    out = mx.nd.zeros((2, 3))
    kv.pull(3, out=out)
    assert _np(out) == [[1] * 3] * 2
    kv.push(3, [mx.nd.ones((2, 3)) * 2, mx.nd.ones((2, 3)) * 3])
    kv.pull(3, out=out)
    assert _np(out) == [[5] * 3] * 2


def test_lists_nested_and_duplicate_keys():
    kv = mx.kv.create("local")
    kv.init([20, 21], [mx.nd.ones(2), mx.nd.ones(3) * 2])
    outs = [[mx.nd.zeros(2), mx.nd.zeros(2)], [mx.nd.zeros(3)]]
    kv.push([20, 21], [[mx.nd.ones(2), mx.nd.ones(2) * 5], [mx.nd.ones(3)]])
    kv.pull([20, 21], out=outs)
    assert [[_np(y) for y in x] for x in outs] == [[[6, 6], [6, 6]], [[1, 1, 1]]]
    kv.push([20, 20], [mx.nd.ones(2), mx.nd.ones(2) * 10])
    kv.pull(20, out=outs[0])
    assert _np(outs[0][1]) == [11, 11]


def test_str_keys_and_mixing_errors():
    kv = mx.kv.create("local")
    kv.init("a", mx.nd.ones(2) * 7)
    out = mx.nd.zeros(2)
    kv.pull("a", out=out)
    assert _np(out) == [7, 7]
    with pytest.raises(MXNetError, match="mixed key types"):
        kv.init(4, mx.nd.ones(1))
    with pytest.raises(AssertionError, match="inconsistent types of keys"):
        mx.kv.create("local").init([5, "a"], [mx.nd.ones(1), mx.nd.ones(1)])


def test_argument_errors():
    kv = mx.kv.create("local")
    kv.init(3, mx.nd.ones((2, 3)))
    with pytest.raises(MXNetError, match="duplicate init of key 3"):
        kv.init(3, mx.nd.ones((2, 3)))
    with pytest.raises(MXNetError, match="key 9 has not been initialized"):
        kv.push(9, mx.nd.ones((2, 3)))
    with pytest.raises(MXNetError, match="key 9 has not been initialized"):
        kv.pull(9, out=mx.nd.zeros((2, 3)))
    with pytest.raises(MXNetError, match=r"holds \(2, 3\) float32, the pushed value 0 is \(3, 3\)"):
        kv.push(3, mx.nd.ones((3, 3)))
    with pytest.raises(MXNetError, match=r"the output array is \(3, 3\)"):
        kv.pull(3, out=mx.nd.zeros((3, 3)))
    with pytest.raises(AssertionError, match="out is required"):
        kv.pull(3)
    with pytest.raises(AssertionError, match="unexpected type for keys"):
        kv.init(3.5, mx.nd.ones(1))
    with pytest.raises(AssertionError, match="2 keys need 2 values"):
        kv.init([10, 11], [mx.nd.ones(1)])
    with pytest.raises(AssertionError, match="must be an NDArray"):
        kv.init(12, np.ones(1))


def test_updater_order_and_arguments():
    kv = mx.kv.create("local")
    kv.init([1, 2], [mx.nd.ones(2), mx.nd.ones(2)])
    seen = []

    def upd(key, inp, stored):
        seen.append((key, _np(inp), _np(stored)))
        stored += inp * 2

    kv._set_updater(upd)
    kv.push(1, [mx.nd.ones(2, ctx=mx.cpu(1)), mx.nd.ones(2, ctx=mx.cpu(2))])
    kv.push([2, 1], [mx.nd.ones(2) * 3, mx.nd.ones(2)])
    assert seen == [(1, [2, 2], [1, 1]), (1, [1, 1], [5, 5]), (2, [3, 3], [1, 1])]
    out = mx.nd.zeros(2)
    kv.pull(1, out=out)
    assert _np(out) == [7, 7]


def test_pushpull_and_broadcast():
    kv = mx.kv.create("local")
    kv.init(1, mx.nd.ones(2))
    vals = [mx.nd.ones(2), mx.nd.ones(2) * 3]
    kv.pushpull(1, vals)
    assert [_np(v) for v in vals] == [[4, 4], [4, 4]]
    out = mx.nd.zeros(2)
    kv.pushpull(1, mx.nd.ones(2) * 4, out=out)
    assert _np(out) == [4, 4]
    outs = [mx.nd.zeros(2), mx.nd.zeros(2, ctx=mx.cpu(1))]
    kv.broadcast(7, mx.nd.ones(2) * 6, out=outs)
    assert [_np(o) for o in outs] == [[6, 6], [6, 6]] and outs[1].context == mx.cpu(1)
    with pytest.raises(MXNetError, match="duplicate init of key 7"):
        kv.broadcast(7, mx.nd.ones(2) * 8, out=outs)
    nested = [[mx.nd.zeros(2)], [mx.nd.zeros(3), mx.nd.zeros(3)]]
    kv.broadcast([5, 6], [mx.nd.ones(2), mx.nd.ones(3) * 2], out=nested)
    assert [[_np(y) for y in x] for x in nested] == [[[1, 1]], [[2, 2, 2], [2, 2, 2]]]


def test_set_optimizer_sgd_and_states(tmp_path):
    kv = mx.kv.create("local")
    kv.init(0, mx.nd.ones(2))
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9))
    kv.push(0, mx.nd.ones(2))
    out = mx.nd.zeros(2)
    kv.pull(0, out=out)
    np.testing.assert_allclose(out.asnumpy(), [0.9, 0.9], rtol=1e-7)
    fname = str(tmp_path / "kv.states")
    kv.save_optimizer_states(fname, dump_optimizer=True)
    kv.push(0, mx.nd.ones(2))  # momentum state moves on
    kv.load_optimizer_states(fname)
    mom = kv._updater.states[0]
    np.testing.assert_allclose(mom.asnumpy(), [-0.1, -0.1], rtol=1e-6)
    assert isinstance(kv._updater.optimizer, mx.optimizer.SGD)
    with pytest.raises(AssertionError, match="no optimizer"):
        mx.kv.create("local").save_optimizer_states(fname)


def test_load_optimizer_states_refuses_unsafe_pickle(tmp_path):
    kv = mx.kv.create("local")
    kv.set_optimizer(mx.optimizer.SGD())
    fname = tmp_path / "evil.states"
    fname.write_bytes(pickle.dumps(warnings.warn))
    with pytest.raises(MXNetError, match="warn"):
        kv.load_optimizer_states(str(fname))


def test_capabilities():
    kv = mx.kv.create("device")
    assert kv.is_capable("optimizer") and kv.is_capable("OPTIMIZER")
    with pytest.raises(ValueError, match="Unknown capability: foo"):
        kv.is_capable("foo")


def test_gradient_compression_2bit():
    kv = mx.kv.create("device")
    kv.set_gradient_compression({"type": "2bit", "threshold": 0.5})
    kv.init(0, mx.nd.zeros(4))
    out = mx.nd.zeros(4)
    for _ in range(2):  # residual [0.1,-0.2,0.2,0.8] carries into the second push
        kv.push(0, mx.nd.array([0.6, -0.7, 0.2, 1.3]))
        kv.pull(0, out=out)
        assert _np(out) == [0.5, -0.5, 0.0, 0.5]
    kv.push(0, mx.nd.array([0.0, 0.0, 0.2, 0.0]))
    kv.pull(0, out=out)
    np.testing.assert_allclose(out.asnumpy(), [0.0, 0.0, 0.5, 0.5], atol=1e-7)
    kv.init(1, mx.nd.zeros(3))  # each pushed array is quantized with its own residual
    kv.push(1, [mx.nd.array([0.3, 0.6, -0.5]), mx.nd.array([0.3, 0.1, -0.6])])
    kv.pull(1, out=out[:3])
    np.testing.assert_allclose(out[:3].asnumpy(), [0.0, 0.5, -1.0], atol=1e-7)


def test_gradient_compression_errors():
    with pytest.raises(MXNetError, match="not supported for this type of kvstore"):
        mx.kv.create("local").set_gradient_compression({"type": "2bit"})
    with pytest.raises(MXNetError, match="Unknown type for gradient compression 3bit"):
        mx.kv.create("device").set_gradient_compression({"type": "3bit"})
    with pytest.raises(AssertionError, match="param_dict"):
        mx.kv.create("device").set_gradient_compression("2bit")


def _rsp_store():
    kv = mx.kv.create("local")
    kv.init("e", mx.nd.arange(12).reshape((4, 3)).tostype("row_sparse"))
    return kv


def test_row_sparse_pull_rows():
    kv = _rsp_store()
    out = mx.nd.sparse.zeros("row_sparse", (4, 3))
    kv.row_sparse_pull("e", out=out, row_ids=mx.nd.array([2, 0, 2]))
    assert _np(out.indices) == [0, 2] and _np(out.data) == [[0, 1, 2], [6, 7, 8]]
    o2, o3 = (mx.nd.sparse.zeros("row_sparse", (4, 3)) for _ in range(2))
    kv.row_sparse_pull("e", out=[o2, o3], row_ids=[mx.nd.array([1]), mx.nd.array([3, 1])])
    assert _np(o2.indices) == [1] and _np(o3.indices) == [1, 3]
    assert _np(o3.data) == [[3, 4, 5], [9, 10, 11]]
    o4, o5 = (mx.nd.sparse.zeros("row_sparse", (4, 3)) for _ in range(2))
    kv.row_sparse_pull("e", out=[o4, o5], row_ids=mx.nd.array([3]))
    assert _np(o5.indices) == [3] and _np(o5.data) == [[9, 10, 11]]


def test_row_sparse_pull_errors_and_pull_ignore_sparse():
    kv = _rsp_store()
    out = mx.nd.sparse.zeros("row_sparse", (4, 3))
    with pytest.raises(MXNetError, match="expected row_sparse storage type"):
        kv.row_sparse_pull("e", out=mx.nd.zeros((4, 3)), row_ids=mx.nd.array([1]))
    with pytest.raises(AssertionError, match="row_ids are required|both out and row_ids"):
        kv.row_sparse_pull("e", out=out)
    with pytest.raises(AssertionError, match="number of row_ids"):
        kv.row_sparse_pull("e", out=[out, out], row_ids=[mx.nd.array([1])] * 3)
    kv.pull("e", out=out)  # ignored: row_sparse into row_sparse
    assert _np(out.indices) == []
    dense = mx.nd.zeros((4, 3))
    kv.pull("e", out=dense)
    assert _np(dense)[3] == [9, 10, 11]
    kv.pull("e", out=out, ignore_sparse=False)
    assert _np(out.indices) == [0, 1, 2, 3]
    kd = mx.kv.create("local")
    kd.init(0, mx.nd.ones((4, 3)))
    with pytest.raises(MXNetError, match="needs a row_sparse one"):
        kd.row_sparse_pull(0, out=out, row_ids=mx.nd.array([1]))


def test_push_row_sparse_replaces_value():
    kv = _rsp_store()
    kv.push("e", mx.nd.sparse.row_sparse_array((np.ones((1, 3)), [1]), shape=(4, 3)))
    out = mx.nd.sparse.zeros("row_sparse", (4, 3))
    kv.row_sparse_pull("e", out=out, row_ids=mx.nd.arange(4))
    assert _np(out.indices) == [0, 1, 2, 3]
    assert _np(out.data) == [[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0]]


def test_kvstore_server_needs_the_rendezvous(monkeypatch):
    monkeypatch.delenv("DMLC_PS_ROOT_PORT", raising=False)
    server = mx.kv.KVStoreServer(mx.kv.create("local"))
    with pytest.raises(MXNetError, match="DMLC_PS_ROOT_PORT"):
        server.run()


def test_push_other_dtype_is_an_error():
    kv = mx.kv.create("local")
    kv.init(0, mx.nd.zeros(2, dtype="float16"))
    with pytest.raises(MXNetError, match=r"holds \(2,\) float16, the pushed value 1 is \(2,\) "
                                         r"float32"):
        kv.push(0, [mx.nd.ones(2, dtype="float16"), mx.nd.ones(2)])
