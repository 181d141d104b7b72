"""Small MXNet modules that scripts and MXNet's own tests import: runtime, util, engine,
executor, base helpers."""
import os

import pytest

import mxtorch as mx


def test_runtime_features():
    features = mx.runtime.Features()
    names = [f.name for f in mx.runtime.feature_list()]
    assert names[:5] == ["CUDA", "CUDNN", "NCCL", "CUDA_RTC", "TENSORRT"] and len(names) == 32
    assert features.is_enabled("CUDA") == (mx.context.num_gpus() > 0)
    assert features.is_enabled("int64_tensor_size")
    with pytest.raises(RuntimeError, match="unknown"):
        features.is_enabled("WARP_DRIVE")
    assert repr(features["CUDA"]).endswith("CUDA")


def test_util_environment_and_np_switches():
    mx.util.setenv("MXTORCH_TEST_VAR", "1")
    assert mx.util.getenv("MXTORCH_TEST_VAR") == "1" and os.environ["MXTORCH_TEST_VAR"] == "1"
    mx.util.setenv("MXTORCH_TEST_VAR", None)
    assert mx.util.getenv("MXTORCH_TEST_VAR") is None
    assert not mx.util.is_np_array() and not mx.util.is_np_shape()
    assert mx.util.set_np_shape(False) is False
    with mx.util.np_shape(False):
        assert not mx.util.is_np_shape()  # the switches themselves: tests/test_np_shape.py


def test_engine_and_executor_and_base():
    assert mx.engine.set_bulk_size(4) == 15
    with mx.engine.bulk(8):
        assert mx.engine.set_bulk_size(8) == 8
    mx.engine.set_bulk_size(15)
    assert mx.executor.Executor is mx.sym.Executor
    assert mx.base.py_str(b"abc") == "abc" and mx.base._as_list(3) == [3]
    assert mx.base.data_dir().endswith(".mxnet") or "MXNET_HOME" in os.environ
