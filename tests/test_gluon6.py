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
