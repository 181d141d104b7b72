"""mx.viz: MXNet's print_summary table layout and plot_network."""
import pytest

import mxtorch as mx
from mxtorch.base import MXNetError


def _net():
    with mx.name.NameManager():
        x = mx.sym.var("x")
        y = mx.sym.var("y")
        return mx.sym.FullyConnected(x + y, num_hidden=2, name="fc")


def test_print_summary_matches_mxnet_layout(capsys):
    mx.viz.print_summary(_net(), shape={"x": (2, 3), "y": (2, 3)}, line_length=80,
                         positions=[.4, .6, .75, 1.])
    lines = capsys.readouterr().out.splitlines()
    # from MXNet 1.9.1 (trailing blanks stripped)
    expected = [
        "_" * 80,
        "Layer (type)                    Output Shape    Param #     Previous Layer",
        "=" * 80,
        "x(null)                         3               0",
        "_" * 80,
        "_plus0(elemwise_add)            3               0           x",
        "_" * 80,
        "fc(FullyConnected)              2               8           _plus0",
        "=" * 80,
        "Total params: 8",
        "_" * 80,
    ]
    assert [line.rstrip() for line in lines] == expected


def test_print_summary_counts_parameters_of_every_layer(capsys):
    data = mx.sym.var("data")
    img = mx.sym.var("img")
    conv = mx.sym.Convolution(img, kernel=(3, 3), num_filter=8, name="conv")
    net = mx.sym.Concat(mx.sym.FullyConnected(data, num_hidden=4, name="fc1"),
                        mx.sym.Flatten(conv), dim=1)
    mx.viz.print_summary(net, shape={"data": (2, 3), "img": (2, 1, 8, 8)})
    out = capsys.readouterr().out
    assert "Total params: 96" in out  # fc1: 4*3+4, conv: 8*1*3*3+8 (MXNet prints 24 here)


def test_plot_network():
    try:
        import graphviz  # noqa: F401
    except ImportError:
        with pytest.raises(MXNetError, match="graphviz"):
            mx.viz.plot_network(_net())
        return
    dot = mx.viz.plot_network(_net(), shape={"x": (2, 3), "y": (2, 3)})
    source = dot.source
    assert "FullyConnected" in source and "fc_weight" not in source
    full = mx.viz.plot_network(_net(), hide_weights=False).source
    assert "fc_weight" in full
