"""mx.misc (legacy FactorScheduler), mx.notebook (PandasLogger & bokeh charts), mx.rtc and
mx.torch / mx.th, against MXNet 1.9.1 (inline values captured from it; schedules exact)."""
import datetime
import subprocess
import sys
import types

import pytest

import mxtorch as mx
from mxtorch import misc
from mxtorch.notebook import callback as nbc


def test_factor_scheduler_matches_mxnet():
    s = misc.FactorScheduler(3, 0.5)
    assert [s(i) for i in range(11)] == [0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025, 0.0025,
                                         0.0025, 0.00125, 0.00125]
    s = misc.FactorScheduler(2)
    s.base_lr = 1.0
    assert [s(i) for i in (0, 1, 2, 3, 4, 7, 100)] == [
        1.0, 1.0, 0.1, 0.1, 0.010000000000000002, 0.0010000000000000002, 1.0000000000000027e-50]
    with pytest.raises(ValueError, match="greater or equal than 1"):
        misc.FactorScheduler(0)
    with pytest.raises(ValueError, match="less than 1"):
        misc.FactorScheduler(1, 1.0)
    with pytest.raises(NotImplementedError, match="must override"):
        misc.LearningRateScheduler()(1)
    assert vars(misc.LearningRateScheduler()) == {'base_lr': 0.01}


def test_notebook_without_bokeh_and_pandas():
    import mxtorch.notebook as nb
    if not hasattr(nb.bokeh, "__file__"):
        assert nb.bokeh is nb.Bokeh_Failed_To_Import
        with pytest.raises(ImportError, match="bokeh"):
            nbc.LiveLearningCurve("accuracy")
    if nbc.pd is nbc.Pandas_Failed_To_Import:
        with pytest.raises(ImportError, match="pandas"):
            nbc.PandasLogger(batch_size=4)


class _Frame:
    """The slice of pandas.DataFrame PandasLogger uses (columns, new columns, loc rows)."""

    def __init__(self):
        self.columns, self.rows = [], []
        self.loc = self

    def __setitem__(self, key, value):
        if isinstance(key, str):
            self.columns.append(key)
        else:
            assert key == len(self.rows)
            self.rows.append(dict(value))

    def __len__(self):
        return len(self.rows)


class _Param:
    def __init__(self, nbatch, epoch, metric):
        self.nbatch, self.epoch, self.eval_metric = nbatch, epoch, metric


def test_pandas_logger_records(monkeypatch):
    monkeypatch.setattr(nbc, "pd", types.SimpleNamespace(DataFrame=_Frame, __file__="pd"))
    log = nbc.PandasLogger(batch_size=8, frequent=2)
    metric = mx.metric.Accuracy()
    for nbatch in range(5):
        metric.update([mx.nd.array([1, 0])], [mx.nd.array([[0.1, 0.9], [0.8, 0.2]])])
        log.train_cb(_Param(nbatch, 0, metric))
    log.eval_cb(_Param(5, 0, None))
    log.epoch_cb(0, None, {}, {})           # what Module.fit passes
    train = log.train_df.rows
    assert [r['minibatch_count'] for r in train] == [0, 2, 4]
    assert train[0]['accuracy'] == 1.0 and set(log.train_df.columns) >= {
        'accuracy', 'batches_per_sec', 'records_per_sec', 'elapsed', 'epoch'}
    assert train[1]['batches_per_sec'] == pytest.approx(8 * train[1]['records_per_sec'])
    assert isinstance(train[0]['elapsed'], datetime.timedelta)
    assert len(log.eval_df) == 1 and 'accuracy' not in log.eval_df.rows[0]
    assert set(log.epoch_df.rows[0]) == {'elapsed', 'epoch_time'}
    args = nbc.args_wrapper(log, log)
    assert sorted(args) == ['batch_end_callback', 'epoch_end_callback', 'eval_end_callback']
    assert args['batch_end_callback'] == [log.train_cb, log.train_cb]


def test_rtc_like_a_cpu_build():
    with pytest.raises(mx.MXNetError, match="ENABLE_CUDA_RTC"):
        mx.rtc.CudaModule('extern "C" __global__ void f(float *x) {}')
    with pytest.raises(TypeError, match="source must be a str"):
        mx.rtc.CudaModule(3)
    module = object.__new__(mx.rtc.CudaModule)
    kernel = module.get_kernel("axpy", "const float *x, double *y, int alpha")
    assert kernel._is_ndarray == [True, True, False]
    with pytest.raises(TypeError, match="Unsupported kernel argument type float3"):
        module.get_kernel("f", "float3 *x")
    with pytest.raises(ValueError, match="Invalid function prototype"):
        module.get_kernel("f", "const *x")
    with pytest.raises(mx.MXNetError, match="expects 3 arguments"):
        kernel.launch([mx.nd.ones(2)], mx.cpu(), (1, 1, 1), (1, 1, 1))
    with pytest.raises(mx.MXNetError, match="number"):
        kernel.launch([mx.nd.ones(2), mx.nd.ones(2), "a"], mx.cpu(), (1, 1, 1), (1, 1, 1))
    with pytest.raises(mx.MXNetError, match="GPU context"):
        kernel.launch([mx.nd.ones(2), mx.nd.ones(2), 3], mx.cpu(), (1, 1, 1), (1, 1, 1))


def test_torch_module_does_not_shadow_pytorch():
    assert mx.th is mx.torch and mx.th.__name__ == "mxtorch.torch"
    assert {n for n in dir(mx.th) if not n.startswith("_")} == {"NDArray", "py_str", "sys"}
    code = ("import mxtorch, mxtorch.torch\nimport torch\nfrom mxtorch import *\n"
            "assert torch.__name__ == 'torch', torch\nassert th.__name__ == 'mxtorch.torch'\n"
            "assert mxtorch.torch is th\nfrom mxtorch.compat import install\ninstall()\n"
            "import mxnet\nassert mxnet.torch is th and mxnet.th is th\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
