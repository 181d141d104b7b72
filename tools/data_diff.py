"""Differential test of the data stack against real MXNet 1.9.1 (needs the oracle; not CI).

Runs the same cases under MXNet (``~/mxref/bin/python``) and mxtorch (this interpreter) and
compares every result: samplers (numpy-seeded shuffles included), Dataset views, DataLoader
batches (num_workers 0 and 2, every last_batch mode, shuffle), default batchify dtypes,
RecordIO bytes (random payloads with aligned and unaligned magic numbers, indexed files),
mx.image functions on random images and arguments, and the deterministic transforms.

    .venv/bin/python tools/data_diff.py [--oracle ~/mxref/bin/python] [--cases N]

Bicubic resizing may differ by one grey level (MXNet ships OpenCV 3.4.2); that is the
tolerance for uint8 image results, 1e-4 for float ones, exact for everything else.
"""
import argparse
import hashlib
import os
import pickle
import random
import subprocess
import sys
import tempfile

import numpy as np


def _np(x):
    if isinstance(x, (list, tuple)):
        return [_np(v) for v in x]
    return x.asnumpy() if hasattr(x, "asnumpy") else x


def sampler_cases(mx, out):
    gd = mx.gluon.data
    seq = gd.SequentialSampler(13, 2)
    out["seq"] = list(seq)
    np.random.seed(0)
    out["random"] = [int(i) for i in gd.RandomSampler(17)]
    for mode in ("keep", "discard", "rollover"):
        b = gd.BatchSampler(gd.SequentialSampler(11), 4, mode)
        out["batch_" + mode] = [(list(b), len(b)) for _ in range(3)]
    ds = gd.SimpleDataset(list(range(23)))
    out["filter_sampler"] = list(gd.FilterSampler(lambda x: x % 3 == 0, ds))
    out["shards"] = [list(ds.shard(5, i)) for i in range(5)]
    out["take"] = list(ds.take(4)), len(ds.take(100))
    out["filter"] = list(ds.filter(lambda x: x > 17))
    out["transform"] = list(ds.transform(lambda x: x * 3, lazy=False))


def loader_cases(mx, out):
    gd = mx.gluon.data
    rng = np.random.RandomState(1)
    images = rng.randint(0, 256, size=(37, 6, 5, 3)).astype("uint8")
    labels = rng.randint(0, 9, size=(37,)).astype("int32")
    datasets = {
        "arrays": gd.ArrayDataset(mx.nd.array(images, dtype="uint8"), labels),
        "numpy": gd.ArrayDataset(images.astype("float64"), labels.astype("float32")),
        "scalars": gd.SimpleDataset([(i, float(i) / 3, (i % 2 == 0)) for i in range(37)]),
        "nested": gd.SimpleDataset([(np.ones(2) * i, (i, np.int8(i))) for i in range(37)]),
    }
    for name, ds in datasets.items():
        for last in ("keep", "discard", "rollover"):
            for workers in (0, 2):
                loader = gd.DataLoader(ds, 8, last_batch=last, num_workers=workers)
                out["loader/%s/%s/%d" % (name, last, workers)] = [
                    _np(b) for _ in range(2) for b in loader]
        np.random.seed(5)
        out["loader/%s/shuffle" % name] = [_np(b) for b in gd.DataLoader(ds, 10, shuffle=True)]
    out["dtypes"] = [str(_np(b).dtype) for b in gd.dataloader.default_batchify_fn(
        [(1, 2.0, np.float16(1), np.uint8(3), True)] * 3)]


def recordio_cases(mx, out, cases):
    rng = np.random.RandomState(2)
    magic = (0xced7230a).to_bytes(4, "little")
    payloads = []
    for _ in range(cases):
        body = bytearray(rng.randint(0, 256, size=rng.randint(0, 40)).astype("uint8").tobytes())
        for _ in range(rng.randint(0, 4)):
            at = rng.randint(0, len(body) + 1)
            body[at:at] = magic
        payloads.append(bytes(body))
    folder = tempfile.mkdtemp()
    rec, idx = os.path.join(folder, "x.rec"), os.path.join(folder, "x.idx")
    w = mx.recordio.MXIndexedRecordIO(idx, rec, "w")
    for key, body in enumerate(payloads):
        w.write_idx(key * 7 % cases, body)
    w.close()
    out["rec_sha"] = hashlib.sha256(open(rec, "rb").read()).hexdigest()
    out["idx_text"] = open(idx).read()
    r = mx.recordio.MXIndexedRecordIO(idx, rec, "r")
    out["rec_read"] = [r.read_idx(k) == p for k, p in zip(r.keys, payloads)]
    header = mx.recordio.IRHeader(0, [1.5, -2.0], 3, 4)
    out["pack"] = mx.recordio.pack(header, b"body")
    out["unpack"] = str(mx.recordio.unpack(out["pack"]))


def image_cases(mx, out, cases):
    rng = np.random.RandomState(3)
    for k in range(cases):
        h, w = rng.randint(3, 40, size=2)
        img = mx.nd.array(rng.randint(0, 256, size=(h, w, 3)), dtype="uint8")
        nw, nh = (int(v) for v in rng.randint(1, 50, size=2))
        interp = int(rng.randint(0, 5))
        out["imresize/%d" % k] = mx.image.imresize(img, nw, nh, interp=interp).asnumpy()
        size = (int(rng.randint(2, 30)), int(rng.randint(2, 30)))
        out["center_crop/%d" % k] = mx.image.center_crop(img, size, interp)[0].asnumpy()
        out["resize_short/%d" % k] = mx.image.resize_short(img, int(rng.randint(2, 30)),
                                                           interp).asnumpy()
        random.seed(k)
        crop, box = mx.image.random_size_crop(img, size, (0.2, 1.0), (0.5, 2.0), interp)
        out["random_size_crop/%d" % k] = (crop.asnumpy(), box)
        chw = img.astype("float32").transpose((2, 0, 1)) / 255
        out["imrotate/%d" % k] = mx.image.imrotate(chw, float(rng.uniform(-180, 180))).asnumpy()


def transform_cases(mx, out, cases):
    T = mx.gluon.data.vision.transforms
    rng = np.random.RandomState(4)
    for k in range(cases):
        h, w = (int(v) for v in rng.randint(4, 30, size=2))
        img = mx.nd.array(rng.randint(0, 256, size=(h, w, 3)), dtype="uint8")
        size = (int(rng.randint(2, 25)), int(rng.randint(2, 25)))
        interp = int(rng.randint(0, 5))
        pipe = T.Compose([T.Resize(size, keep_ratio=bool(k % 2), interpolation=interp),
                          T.CenterCrop((2, 2)), T.ToTensor(),
                          T.Normalize((0.1, 0.2, 0.3), (0.5, 0.6, 0.7))])
        out["transforms/%d" % k] = pipe(img).asnumpy()


def dump(framework, path, cases):
    import importlib
    mx = importlib.import_module(framework)
    out = {}
    for fn in (sampler_cases, loader_cases):
        fn(mx, out)
    recordio_cases(mx, out, cases)
    image_cases(mx, out, cases)
    transform_cases(mx, out, cases)
    with open(path, "wb") as f:
        pickle.dump(out, f)


def same(a, b, key):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, key) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        tol = 1 if a.dtype == np.uint8 else (1e-4 if a.dtype.kind == "f" else 0)
        return a.size == 0 or np.abs(a.astype(np.float64) - b.astype(np.float64)).max() <= tol
    return a == b


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--oracle", default=os.path.expanduser("~/mxref/bin/python"))
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    parser.add_argument("--framework", default="mxtorch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        return dump(args.framework, args.dump, args.cases)
    folder = tempfile.mkdtemp()
    ref, got = os.path.join(folder, "mxnet.pkl"), os.path.join(folder, "mxtorch.pkl")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    for python, framework, path in ((args.oracle, "mxnet", ref),
                                    (sys.executable, "mxtorch", got)):
        subprocess.run([python, __file__, "--dump", path, "--framework", framework,
                        "--cases", str(args.cases)], check=True, env=env,
                       stderr=subprocess.DEVNULL)
    want, have = pickle.load(open(ref, "rb")), pickle.load(open(got, "rb"))
    bad = [k for k in want if k not in have or not same(want[k], have[k], k)]
    for key in bad:
        print("DIFFERS", key)
    print("%d cases, %d differ" % (len(want), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
