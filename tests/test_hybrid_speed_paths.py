"""Speed paths of hybridized execution keep the numbers of the plain path: channels-last
memory inside graphs with depthwise convolutions (symbol/compiler.py), tested against the
same block run imperatively."""
import numpy as np

import mxtorch as mx
from mxtorch.gluon import nn


def _depthwise_net():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3, padding=1, in_channels=3), nn.BatchNorm(in_channels=8),
            nn.Activation("relu"),
            nn.Conv2D(8, 3, padding=1, groups=8, in_channels=8, use_bias=False),
            nn.BatchNorm(in_channels=8), nn.Activation("relu"),
            nn.Conv2D(16, 1, in_channels=8), nn.MaxPool2D(2), nn.Flatten(), nn.Dense(5))
    net.initialize(mx.init.Xavier())
    return net


def _run(net, x, train):
    params = net.collect_params()
    with mx.autograd.record(train_mode=train):
        out = net(x)
        loss = (out * out).sum()
    loss.backward()
    found = {k: p.grad().asnumpy() for k, p in params.items() if p.grad_req != "null"}
    found.update({k: p.data().asnumpy() for k, p in params.items() if "running" in k})
    return out.asnumpy(), found


def test_depthwise_graph_runs_channels_last_with_the_plain_numbers():
    x = mx.nd.array(np.random.RandomState(0).randn(4, 3, 10, 10))
    net = _depthwise_net()
    net(x)
    saved = {k: p.data().copy() for k, p in net.collect_params().items()}
    for train in (True, False):
        for k, p in net.collect_params().items():
            p.set_data(saved[k])
        net.hybridize(active=False)
        want, want_grads = _run(net, x, train)
        for k, p in net.collect_params().items():
            p.set_data(saved[k])
        net.hybridize(static_alloc=True, static_shape=True)
        got, got_grads = _run(net, x, train)
        graph = next(iter(net._cached_op.graphs.values()))
        assert graph.memory_format is not None  # the grouped conv switched the graph
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        for k in want_grads:
            np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-3, atol=1e-4,
                                       err_msg=k)
    out = net(x)
    assert out._t.is_contiguous()
    assert all(p.grad()._t.is_contiguous() for p in net.collect_params().values()
               if p.grad_req != "null")


def test_conv_output_head_is_contiguous_and_imperative_conv_is_untouched():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, 3, groups=3, in_channels=3))
    net.initialize()
    x = mx.nd.array(np.random.RandomState(1).randn(2, 3, 7, 7))
    want = net(x).asnumpy()
    net.hybridize()
    out = net(x)
    assert out._t.is_contiguous()
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-5, atol=1e-6)
    plain = mx.nd.Convolution(x, net[0].weight.data(), net[0].bias.data(), kernel=(3, 3),
                              num_filter=6, num_group=3)
    assert plain._t.is_contiguous()


def test_plain_conv_graph_stays_channels_first():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, in_channels=3), nn.Conv2D(4, 3, in_channels=4))
    net.initialize()
    net.hybridize()
    net(mx.nd.ones((1, 3, 8, 8)))
    assert next(iter(net._cached_op.graphs.values())).memory_format is None
