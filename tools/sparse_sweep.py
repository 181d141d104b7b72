"""Storage-type sweep: every callable of ``mx.nd`` and ``mx.nd.contrib`` applied to one csr and
one row_sparse array with default arguments, recording the result's storage type ('E' when the
call fails). Finds operators whose storage rule is missing from ``ops/sparse.py`` -- the
differential test (``tools/sparse_diff.py``) then pins the values of what it finds.

Run both sides, then compare::

    ~/mxref/bin/python tools/sparse_sweep.py mxnet /tmp/sweep_mxnet.json
    .venv/bin/python tools/sparse_sweep.py mxtorch /tmp/sweep_mxtorch.json
    python3 tools/sparse_sweep.py compare /tmp/sweep_mxnet.json /tmp/sweep_mxtorch.json

Functions MXNet crashes on (segfaults) or that are not operators are skipped by name.
"""
import inspect
import json
import sys
import warnings

SKIP = {"waitall", "load", "save", "array", "empty", "zeros", "ones", "full", "arange",
        "load_frombuffer", "imdecode", "moveaxis", "onehot_encode", "concatenate", "split_v2",
        "histogram", "reset_arrays", "multi_all_finite", "_sample_multinomial",
        "quantize_asym"}  # quantize_asym segfaults MXNet 1.9.1 on a csr input


def sweep(mx, path):
    import numpy as np
    dense = np.array([[0, 1, 0], [0, 0, 0], [2, 0, 3], [0, -4, 0]], dtype=np.float32)
    names = sorted(n for n in dir(mx.nd) if not n.startswith("__"))
    names += ["contrib." + n for n in sorted(dir(mx.nd.contrib)) if not n.startswith("_")]
    out = {}
    for name in names:
        if name.split(".")[-1] in SKIP:
            continue
        fn = mx.nd
        try:
            for part in name.split("."):
                fn = getattr(fn, part)
        except AttributeError:
            continue
        if not callable(fn) or inspect.isclass(fn) or inspect.ismodule(fn):
            continue
        out[name] = {stype: _stype_of(fn, mx.nd.array(dense).tostype(stype))
                     for stype in ("csr", "row_sparse")}
    with open(path, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
    print(f"{len(out)} functions swept into {path}")


def _stype_of(fn, x):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn(x)
        if isinstance(result, (list, tuple)):
            result = result[0]
        return result.stype
    except Exception:  # noqa: BLE001 - a failure is recorded, not raised
        return "E"


def compare(want_path, got_path):
    with open(want_path) as f:
        want = json.load(f)
    with open(got_path) as f:
        got = json.load(f)
    differ = 0
    for name in sorted(set(want) & set(got)):
        if want[name] != got[name]:
            differ += 1
            print(f"{name}: MXNet {want[name]} mxtorch {got[name]}")
    print(f"{len(set(want) & set(got))} functions, {differ} differ")


def main():
    if sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "mxnet":
        import mxnet as mx
        sweep(mx, sys.argv[2])
    else:
        import mxtorch as mx
        sweep(mx, sys.argv[2])


if __name__ == "__main__":
    main()
