"""Inception V3 (Szegedy et al. 2015) for 299x299 inputs."""
from .... import base  # noqa: F401 - MXNet's module namespace
from ....context import cpu
from ...block import HybridBlock
from ... import nn
from ...contrib.nn import HybridConcurrent
from ._common import DEFAULT_ROOT, load_pretrained

__all__ = ["Inception3", "inception_v3"]

_SETTING_NAMES = ("channels", "kernel_size", "strides", "padding")


def _basic_conv(**kwargs):
    out = nn.HybridSequential(prefix="")
    out.add(nn.Conv2D(use_bias=False, **kwargs))
    out.add(nn.BatchNorm(epsilon=0.001))
    out.add(nn.Activation("relu"))
    return out


def _branch(use_pool, *conv_settings):
    """A sequence of an optional pooling and basic convolutions given as (channels, kernel,
    strides, padding) tuples (None = the Conv2D default)."""
    out = nn.HybridSequential(prefix="")
    if use_pool == "avg":
        out.add(nn.AvgPool2D(pool_size=3, strides=1, padding=1))
    elif use_pool == "max":
        out.add(nn.MaxPool2D(pool_size=3, strides=2))
    for setting in conv_settings:
        out.add(_basic_conv(**{name: value for name, value in zip(_SETTING_NAMES, setting)
                               if value is not None}))
    return out


def _concurrent(prefix, *branches):
    out = HybridConcurrent(axis=1, prefix=prefix)
    with out.name_scope():
        for make in branches:
            out.add(make())
    return out


def _make_A(pool_features, prefix):
    return _concurrent(
        prefix,
        lambda: _branch(None, (64, 1, None, None)),
        lambda: _branch(None, (48, 1, None, None), (64, 5, None, 2)),
        lambda: _branch(None, (64, 1, None, None), (96, 3, None, 1), (96, 3, None, 1)),
        lambda: _branch("avg", (pool_features, 1, None, None)))


def _make_B(prefix):
    return _concurrent(
        prefix,
        lambda: _branch(None, (384, 3, 2, None)),
        lambda: _branch(None, (64, 1, None, None), (96, 3, None, 1), (96, 3, 2, None)),
        lambda: _branch("max"))


def _make_C(channels_7x7, prefix):
    c7 = channels_7x7
    return _concurrent(
        prefix,
        lambda: _branch(None, (192, 1, None, None)),
        lambda: _branch(None, (c7, 1, None, None), (c7, (1, 7), None, (0, 3)),
                        (192, (7, 1), None, (3, 0))),
        lambda: _branch(None, (c7, 1, None, None), (c7, (7, 1), None, (3, 0)),
                        (c7, (1, 7), None, (0, 3)), (c7, (7, 1), None, (3, 0)),
                        (192, (1, 7), None, (0, 3))),
        lambda: _branch("avg", (192, 1, None, None)))


def _make_D(prefix):
    return _concurrent(
        prefix,
        lambda: _branch(None, (192, 1, None, None), (320, 3, 2, None)),
        lambda: _branch(None, (192, 1, None, None), (192, (1, 7), None, (0, 3)),
                        (192, (7, 1), None, (3, 0)), (192, 3, 2, None)),
        lambda: _branch("max"))


def _split_pair(first=None):
    """A sequence of an optional branch and a concurrent (1x3 | 3x1) pair of 384 channels."""
    seq = nn.HybridSequential(prefix="")
    if first is not None:
        seq.add(first)
    split = HybridConcurrent(axis=1, prefix="")
    split.add(_branch(None, (384, (1, 3), None, (0, 1))))
    split.add(_branch(None, (384, (3, 1), None, (1, 0))))
    seq.add(split)
    return seq


def _make_E(prefix):
    return _concurrent(
        prefix,
        lambda: _branch(None, (320, 1, None, None)),
        lambda: _split_pair(_branch(None, (384, 1, None, None))),
        lambda: _split_pair(_branch(None, (448, 1, None, None), (384, 3, None, 1))),
        lambda: _branch("avg", (192, 1, None, None)))


def make_aux(classes):
    """The auxiliary classifier head of Inception V3 (not used by Inception3's forward)."""
    out = nn.HybridSequential(prefix="")
    out.add(nn.AvgPool2D(pool_size=5, strides=3))
    out.add(_basic_conv(channels=128, kernel_size=1))
    out.add(_basic_conv(channels=768, kernel_size=5))
    out.add(nn.Flatten())
    out.add(nn.Dense(classes))
    return out


class Inception3(HybridBlock):
    """Inception V3 (inputs of 3x299x299).

    Parameters
    ----------
    classes : int
    """

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            features = self.features
            features.add(_basic_conv(channels=32, kernel_size=3, strides=2))
            features.add(_basic_conv(channels=32, kernel_size=3))
            features.add(_basic_conv(channels=64, kernel_size=3, padding=1))
            features.add(nn.MaxPool2D(pool_size=3, strides=2))
            features.add(_basic_conv(channels=80, kernel_size=1))
            features.add(_basic_conv(channels=192, kernel_size=3))
            features.add(nn.MaxPool2D(pool_size=3, strides=2))
            features.add(_make_A(32, "A1_"))
            features.add(_make_A(64, "A2_"))
            features.add(_make_A(64, "A3_"))
            features.add(_make_B("B_"))
            features.add(_make_C(128, "C1_"))
            features.add(_make_C(160, "C2_"))
            features.add(_make_C(160, "C3_"))
            features.add(_make_C(192, "C4_"))
            features.add(_make_D("D_"))
            features.add(_make_E("E1_"))
            features.add(_make_E("E2_"))
            features.add(nn.AvgPool2D(pool_size=8))
            features.add(nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def inception_v3(pretrained=False, ctx=cpu(), root=DEFAULT_ROOT, **kwargs):
    """Inception V3; ``pretrained`` loads ``inceptionv3`` from the model store."""
    net = Inception3(**kwargs)
    if pretrained:
        load_pretrained(net, "inceptionv3", ctx, root)
    return net
