"""Round-6 Gluon conformance fixes (expected values read from MXNet 1.9.1; no MXNet needed)."""
import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon.data.vision import transforms as T


def _pattern(channels):
    a = ((np.arange(4 * 6 * 3).reshape(4, 6, 3) * 37) % 256).astype("uint8")
    return a[:, :, :channels]


@pytest.mark.parametrize("interp", [1, 3])
def test_resize_uint8_exact_half_rounds_up_for_3_channels(interp):
    # OpenCV's 2x2 shortcut (1/3/4 channels) rounds (sum + 2) >> 2, i.e. halves upwards
    out = mx.nd.image.resize(mx.nd.array(_pattern(3), dtype="uint8"), size=(3, 2), interp=interp)
    assert out.asnumpy().tolist() == [[[69, 106, 143], [163, 72, 109], [129, 166, 75]],
                                      [[121, 158, 131], [87, 124, 161], [181, 90, 127]]]


def test_resize_uint8_half_one_and_two_channels():
    one = mx.nd.image.resize(mx.nd.array(_pattern(1), dtype="uint8"), size=(3, 2))
    assert one.asnumpy()[:, :, 0].tolist() == [[69, 163, 129], [121, 87, 181]]
    # two channels take OpenCV's generic area path: float average, halves to even
    two = mx.nd.image.resize(mx.nd.array(_pattern(2), dtype="uint8"), size=(3, 2))
    assert two.asnumpy().tolist() == [[[68, 106], [162, 72], [128, 166]],
                                      [[120, 158], [86, 124], [180, 90]]]


def test_transforms_resize_batch_uint8_2x():
    out = T.Resize((3, 2))(mx.nd.array(_pattern(3)[None], dtype="uint8"))
    assert out.shape == (1, 2, 3, 3)
    assert out.asnumpy()[0, :, :, 0].tolist() == [[69, 163, 129], [121, 87, 181]]


# ---- op hook names (MXNet 1.9.1: ops without registered names report input<i> / <i>) --------

def _hook_names(block, x, monitor_all=True):
    names = []
    block.register_op_hook(lambda n, o, arr: names.append((mx.base.py_str(n), mx.base.py_str(o))), monitor_all)
    block(x)
    return names


def test_op_hook_names_dense_relu_static_alloc():
    model = mx.gluon.nn.HybridSequential("dense_")
    with model.name_scope():
        model.add(mx.gluon.nn.Dense(2), mx.gluon.nn.Activation("relu"))
    model.initialize()
    want = [("dense_dense0_fwd_data", "FullyConnected"), ("dense_dense0_fwd_weight", "FullyConnected"),
            ("dense_dense0_fwd_bias", "FullyConnected"), ("dense_dense0_fwd_output", "FullyConnected"),
            ("dense_relu0_fwd_input0", "Activation"), ("dense_relu0_fwd_output", "Activation")]
    for kwargs in ({}, {"static_alloc": True}):
        model.hybridize(**kwargs)
        assert _hook_names(model, mx.nd.ones((2, 3, 4))) == want
    assert _hook_names(model, mx.nd.ones((2, 3, 4)), False) == [want[3], want[5]]


def test_op_hook_names_unnamed_ops():
    swish = mx.gluon.nn.Swish()
    swish.hybridize()
    assert [n for n, _ in _hook_names(swish, mx.nd.ones((2, 3)))] == [
        "swish0__mulscalar0_input0", "swish0__mulscalar0_0", "swish0_fwd_input0", "swish0_fwd_0",
        "swish0__mul0_lhs", "swish0__mul0_rhs", "swish0__mul0_0"]
    lam = mx.gluon.nn.HybridLambda(lambda F, x: F.relu(x) + F.exp(x) - 1, prefix="lam_")
    lam.hybridize()
    assert [n for n, _ in _hook_names(lam, mx.nd.ones((2, 3)))] == [
        "lam_relu0_input0", "lam_relu0_0", "lam_exp0_input0", "lam_exp0_0", "lam__plus0_lhs",
        "lam__plus0_rhs", "lam__plus0_output", "lam__minusscalar0_input0", "lam__minusscalar0_0"]
    flat = mx.gluon.nn.Flatten(prefix="f_")
    flat.hybridize()
    assert _hook_names(flat, mx.nd.ones((2, 3, 4))) == [("f_flatten0_input0", "Flatten"),
                                                        ("f_flatten0_0", "Flatten")]


# ---- gluon.utils.download goes through requests.get, as MXNet 1.9.1 (mocks apply) ----------

class _FakeResponse:
    def __init__(self, status=200, body=b"hello " * 50):
        self.status_code, self._body = status, body

    def iter_content(self, chunk_size=1024):
        yield self._body
        yield b""


def test_download_uses_requests_get(tmp_path):
    import requests  # a test dependency (pyproject [test]); MXNet 1.9.1 depends on it
    from unittest import mock
    with mock.patch("requests.get", mock.Mock(return_value=_FakeResponse())) as get:
        got = mx.gluon.utils.download("https://example.com/x/README.md", path=str(tmp_path))
    assert got == str(tmp_path / "README.md") and (tmp_path / "README.md").stat().st_size == 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
    assert get.call_args[1]["stream"] is True and get.call_args[1]["verify"] is True
    assert requests is not None


def test_download_requests_errors_keep_their_type(tmp_path):
    import requests  # a test dependency (pyproject [test]); MXNet 1.9.1 depends on it
    from unittest import mock
    with mock.patch("requests.get", mock.Mock(side_effect=requests.exceptions.ConnectionError)):
        with pytest.raises(requests.exceptions.ConnectionError) as info:
            mx.gluon.utils.download("http://doesnotexist.notfound", path=str(tmp_path), retries=2)
    assert isinstance(info.value, mx.gluon.utils.DownloadError)
    with mock.patch("requests.get", mock.Mock(return_value=_FakeResponse(404))):
        with pytest.raises(RuntimeError, match="Failed downloading url|could not fetch"):
            mx.gluon.utils.download("https://example.com/y.bin", path=str(tmp_path), retries=1)
    assert list(tmp_path.iterdir()) == []
