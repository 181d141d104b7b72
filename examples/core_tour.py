"""mxtorch core tour: NDArray, autograd, Symbol and Executor (MXNet 1.x code on PyTorch).

1. NDArray + autograd: fit a linear model with plain MXNet imperative code.
2. Symbol + Executor: build an MLP symbolically, train it with MXNet's sgd_mom_update kernel,
   save an MXNet checkpoint and load it back.
3. A real model exported by MXNet 1.9.1 (ResNet-18 structure) runs and matches MXNet's outputs.

Run: python examples/core_tour.py
"""
import os
import tempfile

import numpy as np

import mxtorch as mx

nd, autograd = mx.nd, mx.autograd
HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "tests", "fixtures", "mxnet-1.9.1", "models")


def imperative_linear_regression():
    print("== 1. NDArray + autograd: linear regression ==")
    mx.random.seed(0)
    true_w, true_b = nd.array([[2.0, -3.4]]), 4.2
    X = nd.random.normal(shape=(256, 2))
    y = nd.dot(X, true_w.T) + true_b + nd.random.normal(scale=0.01, shape=(256, 1))
    w, b = nd.random.normal(scale=0.01, shape=(1, 2)), nd.zeros((1,))
    w.attach_grad()
    b.attach_grad()
    for epoch in range(30):
        with autograd.record():
            loss = ((nd.dot(X, w.T) + b - y) ** 2).mean()
        loss.backward()
        w[:] = w - 0.1 * w.grad
        b[:] = b - 0.1 * b.grad
        if epoch % 10 == 9:
            print(f"epoch {epoch + 1:2d}  loss {loss.asscalar():.6f}")
    print("learned w", w.asnumpy().round(3), "b", b.asnumpy().round(3))


def symbolic_mlp():
    print("\n== 2. Symbol + Executor: a 2-layer MLP classifier ==")
    rng = np.random.RandomState(1)
    centers = rng.randn(3, 10) * 3
    labels = rng.randint(0, 3, size=512)
    data = (centers[labels] + rng.randn(512, 10)).astype("float32")

    x = mx.sym.var("data")
    h = mx.sym.Activation(mx.sym.FullyConnected(x, num_hidden=32, name="fc1"), act_type="relu")
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(h, num_hidden=3, name="fc2"), name="softmax")
    mx.viz.print_summary(out, shape={"data": (64, 10)})

    exe = out.simple_bind(mx.cpu(), data=(64, 10), softmax_label=(64,))
    for name, arr in exe.arg_dict.items():
        if name.endswith("weight"):
            arr[:] = nd.random.uniform(-0.1, 0.1, shape=arr.shape)
    moms = {n: nd.zeros(a.shape) for n, a in exe.arg_dict.items() if n.startswith("fc")}
    for epoch in range(5):
        correct = 0
        for i in range(0, 512, 64):
            probs = exe.forward(is_train=True, data=data[i:i + 64],
                                softmax_label=labels[i:i + 64].astype("float32"))[0]
            exe.backward()
            for name, mom in moms.items():
                nd.sgd_mom_update(exe.arg_dict[name], exe.grad_dict[name], mom,
                                  out=exe.arg_dict[name], lr=0.1, momentum=0.9,
                                  rescale_grad=1 / 64)
            correct += int((probs.asnumpy().argmax(1) == labels[i:i + 64]).sum())
        print(f"epoch {epoch + 1}  train accuracy {correct / 512:.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "mlp")
        args = {n: a for n, a in exe.arg_dict.items() if n.startswith("fc")}
        mx.model.save_checkpoint(prefix, 1, out, args, {})
        sym2, args2, _ = mx.model.load_checkpoint(prefix, 1)
        same = all(np.array_equal(args[k].asnumpy(), args2[k].asnumpy()) for k in args)
        print("checkpoint files:", sorted(os.listdir(tmp)), "round trip exact:", same)


def mxnet_exported_model():
    print("\n== 3. A model exported by real MXNet 1.9.1 ==")
    prefix = os.path.join(MODELS, "resnet18_v1_slim")
    if not os.path.exists(prefix + "-symbol.json"):
        print("(fixture not found, skipped)")
        return
    symbol, arg_params, aux_params = mx.model.load_checkpoint(prefix, 0)
    io = np.load(prefix + "-io.npz")
    exe = symbol.simple_bind(mx.cpu(), grad_req="null", data=io["in/data"].shape)
    exe.copy_params_from(arg_params, aux_params)
    out = exe.forward(data=io["in/data"])[0].asnumpy()
    err = np.abs(out - io["out/0"]).max()
    print(f"resnet18_v1_slim: {len(symbol.list_arguments())} arguments, output {out.shape}, "
          f"max |mxtorch - MXNet| = {err:.2e}")


if __name__ == "__main__":
    imperative_linear_regression()
    symbolic_mlp()
    mxnet_exported_model()
