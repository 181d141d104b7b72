"""Contexts: cpu(i)/gpu(i)/cpu_pinned, the current-context stack, 2.x spellings."""
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError


def test_contexts_compare_and_print():
    assert mx.cpu() == mx.cpu(0) == mx.Context("cpu", 0) == mx.Context(mx.cpu())
    assert mx.cpu(1) != mx.cpu(0) and hash(mx.cpu(1)) != hash(mx.cpu(0))
    assert str(mx.gpu(1)) == "gpu(1)" and repr(mx.cpu_pinned()) == "cpu_pinned(0)"
    assert mx.cpu(2).device_type == "cpu" and mx.cpu(2).device_id == 2
    assert mx.Context.devtype2str[2] == "gpu"
    with pytest.raises(MXNetError, match="unknown device type"):
        mx.Context("tpu", 0)


def test_with_changes_default_context():
    assert mx.context.current_context() == mx.cpu()
    with mx.cpu(1):
        assert mx.context.current_context() == mx.cpu(1)
        assert mx.nd.zeros(2).context == mx.cpu(1)
        with mx.cpu(2):
            assert mx.nd.ones(1).context == mx.cpu(2)
        assert mx.Context.default_ctx == mx.cpu(1)
    assert mx.nd.zeros(2).context == mx.cpu()


def test_several_cpu_contexts_are_distinct_devices():
    parts = [mx.nd.ones((2, 2), ctx=mx.cpu(i)) for i in range(3)]
    assert [p.context for p in parts] == [mx.cpu(0), mx.cpu(1), mx.cpu(2)]
    total = sum(p.as_in_context(mx.cpu(0)) for p in parts)
    assert total.asnumpy().sum() == 12
    assert (parts[1] * 2).context == mx.cpu(1)


def test_gpu_without_gpu_is_a_clear_error():
    if mx.context.num_gpus() > 0:
        pytest.skip("this machine has a GPU; the error path needs a machine without one")
    with pytest.raises(MXNetError, match="needs a GPU"):
        mx.nd.zeros(2, ctx=mx.gpu(0))


def test_two_x_spellings():
    assert mx.Device is mx.Context
    assert mx.device.current_device() == mx.cpu()
    assert mx.nd.ones(1).device == mx.cpu()
