"""Bisect YOLOv3 training-step gradients between MXNet 1.9.1 (oracle) and mxtorch (not CI).

    PYTHONPATH=/work/libs/gluoncv/site:tools/libs/gluoncv ~/mxref/bin/python \
        tools/libs/gluoncv/bisect_yolo.py oracle
    PYTHONPATH=/work/libs/gluoncv/site:tools/libs/gluoncv .venv/bin/python \
        tools/libs/gluoncv/bisect_yolo.py mxtorch

Each run stores, for one step of drive_api.train_yolo, every block output (fwd*), the loss
inputs (arg*), their gradients (lossgrad*) and all parameter gradients (pgrad*) into
/tmp/gcvb/<mode>_<dtype>_<size>.npz (env YOLO_DTYPE=float32|float64, YOLO_SIZE=64).
Compare two runs (max |a-b| / max |b| per array; YOLO_KEYS=prefix filters)::

    PYTHONPATH=... python tools/libs/gluoncv/bisect_yolo.py cmp A.npz B.npz
"""
import os
import sys

import drive_api as D  # noqa: E402  (handles the mxtorch/torch-version set-up)
import numpy as np

nd, autograd = D.nd, D.autograd
SIZE = int(os.environ.get("YOLO_SIZE", "64"))  # input side; 64 -> 2x2 deepest maps
DTYPE = os.environ.get("YOLO_DTYPE", "float32")
OUT = "/tmp/gcvb/%s_%s_%d.npz" % (D.MODE, DTYPE, SIZE)


def run():
    from gluoncv import model_zoo
    rs = D._seed()
    net = model_zoo.get_model("yolo3_mobilenet0.25_voc", pretrained=False,
                              pretrained_base=False)
    net.initialize()
    x = nd.array(rs.uniform(-1, 1, (1, 3, SIZE, SIZE)))
    net(x)
    D._set_params(net, rs)
    net.cast(DTYPE)
    x = x.astype(DTYPE)
    gt = D._boxes(rs, 2, SIZE, SIZE)
    gt_boxes = nd.array(gt[None, :, :4])
    gt_ids = nd.array(gt[None, :, 4:5])
    out = {}
    loss_fn = net._loss
    captured = []
    cls = type(loss_fn)
    orig = cls.__call__

    def spy(self, *args):
        # YOLOV3Loss casts its normaliser to float32: give it float32 inputs
        args = tuple(a.astype("float32") for a in args)
        captured.append(args)
        return orig(self, *args)
    cls.__call__ = spy
    gt_boxes, gt_ids = gt_boxes.astype(DTYPE), gt_ids.astype(DTYPE)
    targets = [t.astype(DTYPE) for t in D._yolo_targets(net, x, gt_boxes, gt_ids)]
    order = []

    def hook(block, inputs, output):
        outs = output if isinstance(output, (list, tuple)) else [output]
        for j, o in enumerate(outs):
            if isinstance(o, nd.NDArray):
                key = "fwd%03d/%s.%d" % (len(order), block.name, j)
                order.append(key)
                out[key] = o.asnumpy()
    for blk in _blocks(net):
        blk.register_forward_hook(hook)
    with autograd.record():
        losses = net(x, gt_boxes, *targets)
        total = sum(losses)
    total.backward()
    for k, p in sorted(net.collect_params().items()):
        if p.grad_req != "null":
            out["pgrad/" + k] = p.grad().asnumpy()
    cls.__call__ = orig
    args = captured[0]
    for i, a in enumerate(args):
        out["arg%d" % i] = a.asnumpy()
    # loss part alone on detached predictions
    leaves = [a.copy() for a in args]
    for a in leaves[:4]:
        a.attach_grad()
    with autograd.record():
        total = sum(loss_fn(*leaves))
    total.backward()
    for i in range(4):
        out["lossgrad%d" % i] = leaves[i].grad.asnumpy()
    return out


def _blocks(b):
    yield b
    for c in b._children.values():
        c = c() if callable(c) and not hasattr(c, "_children") else c
        yield from _blocks(c)


def main():
    if len(sys.argv) > 3:  # compare two saved runs: bisect_yolo.py cmp A.npz B.npz
        out, ref = dict(np.load(sys.argv[2])), dict(np.load(sys.argv[3]))
    else:
        np.savez(OUT, **run())
        return
    worst = {}
    for k in sorted(ref):
        if not k.startswith(os.environ.get("YOLO_KEYS", "")):
            continue
        g, r = out[k], ref[k]
        d = np.abs(g.astype("f8") - r.astype("f8")).max() / (np.abs(r).max() + 1e-12)
        print("%-70s %.3g %s" % (k, d, "" if d < 1e-4 else "<<<"))
        worst[k.split("/")[0].rstrip("0123456789")] = max(d, worst.get(k.split("/")[0].rstrip("0123456789"), 0))
    print("worst per group:", {k: float("%.3g" % v) for k, v in worst.items()})


if __name__ == "__main__":
    main()
