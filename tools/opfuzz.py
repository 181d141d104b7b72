#!/usr/bin/env python
"""Operator fuzzer: no input may kill the interpreter.

Every operator in ``mxtorch.ops.REGISTRY`` is called through the nd door, forward and backward
(under ``autograd.record()``), over inputs and attributes a careless or adversarial user could
pass: zero-size and 0-d arrays, huge and negative values, NaN/inf, integer dtypes, out-of-range
indices, axes, kernel sizes and other attribute values, and attribute values of the wrong type.
Each case ends as one of

    ok       the call worked
    clean    an MXNetError (or subclass) whose message names the operator
    unnamed  an MXNetError that does not name the operator
    other    any other exception type leaked out (TypeError, ZeroDivisionError, ...)
    crash    the process died (signal: SIGSEGV, SIGFPE, SIGABRT, or killed for memory)
    hang     the case ran past the time limit

``ok`` and ``clean`` are the only acceptable outcomes. Seeds come from the golden MXNet 1.9.1
cases in ``tests/fixtures`` (valid inputs and attributes per op); ops without a golden case get
generated seeds (the first shape that runs). Cases run in child processes, a batch of ops per
child; when a child dies the parent records the case it was running (each case is announced
before it starts), confirms it alone in a fresh process, and resumes the batch after it.
Children run with one thread and an address-space limit, so huge allocations fail cleanly
instead of taking the machine.

Run (no MXNet needed)::

    .venv/bin/python tools/opfuzz.py                 # every op, every variant (a few minutes)
    .venv/bin/python tools/opfuzz.py --quick         # a fast subset (what CI runs)
    .venv/bin/python tools/opfuzz.py --ops BatchNorm,take --show all
    .venv/bin/python tools/opfuzz.py --json out.json # machine-readable results
    .venv/bin/python tools/opfuzz.py --door sym      # through Symbol bind/forward/backward

Exit status 1 when any case is ``unnamed``, ``other``, ``crash`` or ``hang``.
"""
import argparse
import json
import math
import os
import select
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BAD = ("unnamed", "other", "crash", "hang")
INDEX_NAMES = {"indices", "index", "label", "sequence_length", "h", "s", "bins", "marks",
               "lags", "valid_length", "matches", "rois", "anchors", "data_lengths",
               "label_lengths", "sequence_length", "shape_like"}
SKIP_OPS = {"Custom"}  # needs a user-registered CustomOpProp; covered by tests/test_operator.py
MEMORY_LIMIT = 6 << 30  # address space of a child, bytes


# =========================================================================== child side

def _child_setup():
    import resource
    soft = MEMORY_LIMIT
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ValueError, OSError):
        pass
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.path.insert(0, ROOT)
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import warnings
    warnings.simplefilter("ignore")
    import torch
    torch.set_num_threads(1)


class Seed:
    """Valid-looking arguments for one op: the nd function, named inputs, attributes."""

    def __init__(self, op, fn, inputs, kwargs, is_train, source, variadic=False):
        self.op, self.fn, self.inputs, self.kwargs = op, fn, inputs, kwargs
        self.is_train, self.source, self.variadic = is_train, source, variadic

    def call(self, mx, arrays, kwargs):
        if self.variadic:
            return self.fn(*arrays, **kwargs)
        return self.fn(**dict(zip(self.inputs, arrays)), **kwargs)


def _fixture_seeds(mx, limit):
    """{canonical op name: [Seed]} from the golden cases."""
    import optable
    from mxtorch.ndarray._gen import ND_FUNCTIONS
    from mxtorch.ops import REGISTRY
    by_fn = {id(f): n for n, f in ND_FUNCTIONS.items()}
    seeds = {}
    for case in optable.CASES:
        fn = optable.resolve_nd(mx, case.op)
        reg = by_fn.get(id(fn))
        if reg is None:
            last = case.op.split(".")[-1]
            reg = next((p + last for p in ("", "_contrib_", "_linalg_", "_image_", "_")
                        if p + last in REGISTRY), None)
            if reg is None:
                continue
        op = REGISTRY[reg]
        bucket = seeds.setdefault(op.name, [])
        if len(bucket) >= limit:
            continue
        names = list(case.meta["inputs"])
        arrays = dict(zip(names, case.inputs()))
        variadic = case.meta["call"] == "positional"
        bucket.append(Seed(op, fn, arrays, dict(case.meta["kwargs"]), case.meta["is_train"],
                           f"fixture {case.id}", variadic))
    return seeds


_ATTR_GUESS = {"shape": (2, 3), "lr": 0.1, "lrs": (0.1,), "wds": (0.0,), "etas": (1.0,),
               "learning_rates": (0.1,), "step_count": (1,), "begin": (0,), "end": (1,),
               "stype": "default", "key": "fuzz", "range_max": 10, "low": 0, "high": 5,
               "x": 0, "y": 0, "width": 1, "height": 1, "eta": 1.0, "eps": 1e-5, "t": 1,
               "wd": 0.0, "alpha": 0.1, "min_factor": 0.5, "max_factor": 1.5,
               "brightness": 0.1, "contrast": 0.1, "saturation": 0.1, "hue": 0.1,
               "kernel": (1, 1), "num_filter": 2, "pooled_size": (1, 1), "spatial_scale": 1.0,
               "output_dim": 2, "input_dim": 4, "out_dim": 4, "threshold": 0.5}


def _guess_attr(a):
    from mxtorch.ops import _attrs as K
    kind = a.kind.inner if isinstance(a.kind, K.OptionalKind) else a.kind
    if a.name in _ATTR_GUESS:
        guess = _ATTR_GUESS[a.name]
        if isinstance(guess, tuple) and isinstance(kind, (K.IntKind, K.FloatKind)):
            return guess[0]
        return guess
    if isinstance(kind, K.EnumKind):
        return kind.choices[0]
    return {K.IntKind: 1, K.FloatKind: 0.5, K.BoolKind: False, K.TupleKind: (1,),
            K.DTypeKind: "float32"}.get(type(kind), "1")


def _generated_seed(mx, op, fn):
    """The first of a few generic argument sets that runs forward, else the first one."""
    import numpy as np
    rng = np.random.RandomState(0)
    attrs = {a.name: _guess_attr(a) for a in op.attrs if a.name in op.required}
    shapes = [(2, 3, 4, 5), (2, 3), (4, 5, 3), (4,), (1,)]
    counts = [2, 3, 4, 1] if op.variadic else [None]
    first = None
    for count in counts:
        kw = dict(attrs)
        if op.variadic and op.num_args and op.num_args in op.attr_map:
            kw[op.num_args] = count
        if op.variadic and "num_outputs" in op.attr_map:
            kw["num_outputs"] = count
        names = (op.input_names(op.parse_attrs(kw, strict=False), count)
                 if not op.variadic else [f"arg{i}" for i in range(count)])
        for shape in shapes:
            inputs = {n: (rng.randint(0, 2, shape).astype("float32") if n in INDEX_NAMES
                          else rng.uniform(0.1, 1.0, shape).astype("float32")) for n in names}
            seed = Seed(op, fn, inputs, kw, False, "generated", op.variadic)
            first = first or seed
            try:
                seed.call(mx, [mx.nd.array(x, dtype=x.dtype) for x in inputs.values()], kw)
                return seed
            except Exception:  # noqa: BLE001 - try the next guess
                continue
    first.source = "generated (no working guess)"
    return first


def seeds_for(mx, name, limit, _cache={}):
    from mxtorch.ndarray._gen import ND_FUNCTIONS
    from mxtorch.ops import REGISTRY
    if "fixture" not in _cache:
        _cache["fixture"] = _fixture_seeds(mx, limit)
    op = REGISTRY[name]
    found = _cache["fixture"].get(name)
    return found if found else [_generated_seed(mx, op, ND_FUNCTIONS[name])]


# --------------------------------------------------------------------------- variants

def _is_index(name, x):
    return name in INDEX_NAMES or x.dtype.kind in "iub"


def _fill(np, x, value):
    return np.full(x.shape, value, dtype=x.dtype)


def _value_variants(np, quick):
    """name -> function(input name, array) -> array (None leaves the input unchanged)."""
    def floats(value):
        return lambda n, x: _fill(np, x, value) if x.dtype.kind == "f" else None

    def huge(n, x):
        if x.dtype.kind == "f":
            return _fill(np, x, np.finfo(x.dtype).max / 2)
        if x.dtype.kind in "iu":
            return _fill(np, x, np.iinfo(x.dtype).max)
        return None

    def negative(n, x):
        if x.dtype.kind in "fi":
            return (-np.abs(x) - 1).astype(x.dtype)
        return None

    def out_of_range(n, x):
        if not _is_index(n, x) or x.dtype.kind == "b":
            return None
        big = 10 ** 6 if x.dtype.itemsize >= 4 or x.dtype.kind == "f" else 100
        return _fill(np, x, big if x.dtype.kind != "f" else 1e6)

    def neg_index(n, x):
        if not _is_index(n, x) or x.dtype.kind in "bu":
            return None
        return _fill(np, x, -7)

    def float_huge_index(n, x):
        return _fill(np, x, 1e38) if _is_index(n, x) and x.dtype.kind == "f" else None

    table = {"nan": floats(np.nan), "inf": floats(np.inf), "-inf": floats(-np.inf),
             "huge": huge, "negative": negative, "index_oob": out_of_range,
             "index_neg": neg_index}
    if not quick:
        table["index_1e38"] = float_huge_index
        table["-huge"] = lambda n, x: (_fill(np, x, -np.finfo(x.dtype).max / 2)
                                       if x.dtype.kind == "f" else None)
        table["zero_values"] = lambda n, x: np.zeros_like(x)
    return table


def _shape_variants(np, quick):
    """name -> function(list of arrays) -> list of arrays."""
    def resize(x, shape):
        return np.resize(x, shape).astype(x.dtype) if x.size else np.zeros(shape, x.dtype)

    def zero_dim(axis, which="all"):
        def apply(arrays):
            out = []
            for i, x in enumerate(arrays):
                if x.ndim and (which == "all" or i == 0):
                    shape = list(x.shape)
                    shape[axis] = 0
                    x = np.zeros(shape, x.dtype)
                out.append(x)
            return out
        return apply

    def scalar(which="all"):
        return lambda arrays: [np.asarray(x.reshape(-1)[0] if x.size else 0, x.dtype)
                               if (which == "all" or i == 0) else x
                               for i, x in enumerate(arrays)]

    def more_dims(arrays):
        return [x[None] if i == 0 else x for i, x in enumerate(arrays)]

    def fewer_dims(arrays):
        return [x.reshape(-1) if i == 0 and x.ndim > 1 else
                (x.reshape(-1)[:1].reshape(()) if i == 0 else x) for i, x in enumerate(arrays)]

    def huge_dim(arrays):
        return [np.zeros((0, 2 ** 31 + 7), x.dtype) if i == 0 else x
                for i, x in enumerate(arrays)]

    def large(arrays):  # ~1M elements along the first axis of the first input
        x = arrays[0]
        if not x.ndim or not x.size:
            return arrays
        reps = max(1, (1 << 20) // x.size)
        return [np.repeat(x, reps, axis=0)] + list(arrays[1:])

    table = {"zero_batch": zero_dim(0), "zero_first": zero_dim(0, "first"),
             "zero_last": zero_dim(-1), "scalar": scalar(), "scalar_first": scalar("first")}
    if not quick:
        table.update({"ndim+1": more_dims, "ndim-1": fewer_dims, "zero_hugedim": huge_dim,
                      "large": large,
                      "bigger": lambda arrays: [resize(x, tuple(2 * s + 1 for s in x.shape))
                                                if i == 0 else x for i, x in enumerate(arrays)]})
    return table


def _dtype_variants(np, quick):
    if quick:
        return {"int32": "int32"}
    return {"int32": "int32", "float16": "float16", "float64": "float64", "uint8": "uint8",
            "int64": "int64"}


def _attr_values(a, current, quick):
    """Out-of-range and wrong-type values for attribute ``a``."""
    from mxtorch.ops import _attrs as K
    kind = a.kind.inner if isinstance(a.kind, K.OptionalKind) else a.kind
    if isinstance(kind, K.IntKind):
        vals = [-1, 0, 10 ** 6, -(10 ** 6), 2 ** 31, 2 ** 63 - 1, "x", 1.5]
        quick_vals = [-1, 0, 10 ** 6]
    elif isinstance(kind, K.FloatKind):
        vals = [0.0, -1.0, float("nan"), float("inf"), -1e38, 1e38, "x"]
        quick_vals = [0.0, -1.0, float("nan")]
    elif isinstance(kind, K.TupleKind):
        n = len(current) if isinstance(current, (tuple, list)) and current else 2
        vals = [(), (0,) * n, (-1,) * n, (10 ** 6,) * n, (2 ** 31,) * n, (-(10 ** 6),) * n,
                (1,) * (n + 3), "(1,", [[1]]]
        quick_vals = [(), (0,) * n, (-1,) * n, (10 ** 6,) * n]
    elif isinstance(kind, K.BoolKind):
        vals = quick_vals = [not bool(current), "maybe"]
    elif isinstance(kind, K.EnumKind):
        vals = list(kind.choices) + ["bogus"]
        quick_vals = list(kind.choices)
    elif isinstance(kind, K.DTypeKind):
        vals = ["int8", "uint8", "float16", "int64", "bool", "bogus"]
        quick_vals = ["int32", "bogus"]
    elif isinstance(kind, K.StrKind):
        vals = quick_vals = ["", "bogus"]
    else:
        vals = quick_vals = []
    vals = quick_vals if quick else vals
    if isinstance(a.kind, K.OptionalKind) and not quick:
        vals = [None] + vals
    return vals


def cases_for(mx, name, quick):
    """Every (label, seed, input arrays, kwargs, dtype) case for op ``name``, in fixed order."""
    import numpy as np
    out = []
    for si, seed in enumerate(seeds_for(mx, name, 1 if quick else 2)):
        base = list(seed.inputs.values())
        names = list(seed.inputs)
        tag = f"s{si}:"
        out.append((tag + "seed", seed, base, seed.kwargs))
        for label, fn in _value_variants(np, quick).items():
            changed = [fn(n, x) for n, x in zip(names, base)]
            if any(c is not None for c in changed):
                out.append((tag + label, seed,
                            [x if c is None else c for x, c in zip(base, changed)], seed.kwargs))
        for label, fn in _shape_variants(np, quick).items():
            if base:
                out.append((tag + label, seed, fn(base), seed.kwargs))
        for label, dt in _dtype_variants(np, quick).items():
            if any(x.dtype.kind == "f" for x in base):
                out.append((tag + label, seed, [x.astype(dt) if x.dtype.kind == "f" else x
                                                for x in base], seed.kwargs))
        for a in seed.op.attrs:
            if a.name in ("ctx", "out_type") or (seed.variadic and a.name == seed.op.num_args):
                continue
            current = seed.kwargs.get(a.name, seed.op.defaults.get(a.name))
            for value in _attr_values(a, current, quick):
                out.append((f"{tag}{a.name}={value!r}", seed, base,
                            dict(seed.kwargs, **{a.name: value})))
        if not quick:  # attribute garbage and unknown attributes through the door
            out.append((tag + "unknown_attr", seed, base, dict(seed.kwargs, fuzz_bogus=1)))
    return out


def _names_of(op):
    from mxtorch.ndarray._gen import namespace_of
    names = {op.name, namespace_of(op.name)[1]} | set(op.aliases)
    return names


def run_case(mx, case, train):
    """Run one case: forward under record() and backward. Returns (outcome, detail)."""
    label, seed, arrays_np, kwargs = case
    from mxtorch.base import MXNetError
    try:
        arrays = [mx.nd.array(x, dtype=x.dtype) for x in arrays_np]
    except Exception as err:  # noqa: BLE001 - the fuzzer's own input could not be built
        return "skip", f"input: {type(err).__name__}: {err}"
    import numpy as np
    for a in arrays:
        if np.dtype(a.dtype).kind == "f":
            a.attach_grad()
    try:
        with mx.autograd.record(train_mode=train):
            outs = seed.call(mx, arrays, dict(kwargs))
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        heads = [o for o in outs if isinstance(o, mx.nd.NDArray) and np.dtype(o.dtype).kind == "f"]
        if heads:
            try:
                mx.autograd.backward(heads)
            except MXNetError as err:
                if "not recorded" in str(err) or "does not require" in str(err) \
                        or "no gradient" in str(err).lower():
                    pass
                else:
                    raise
        for a in arrays:
            if a.grad is not None and 0 not in a.grad.shape:
                a.grad.asnumpy()
        for o in outs:
            if isinstance(o, mx.nd.NDArray):
                o.wait_to_read() if 0 in o.shape else o.asnumpy()
    except MXNetError as err:
        text = str(err)
        named = any(n in text for n in _names_of(seed.op))
        return ("clean" if named else "unnamed"), f"{type(err).__name__}: {_first(text)}"
    except Exception as err:  # noqa: BLE001 - this is what the fuzzer looks for
        return "other", f"{type(err).__name__}: {_first(str(err))}"
    return "ok", ""


def _sym_call(mx, case, train):
    """The case through the Symbol door: bind over variables, forward, backward."""
    import numpy as np
    from mxtorch.symbol._gen import SYM_FUNCTIONS
    label, seed, arrays_np, kwargs = case
    fn = SYM_FUNCTIONS[seed.op.name]
    names = [f"v{i}_{n}" for i, n in enumerate(seed.inputs)]
    variables = [mx.sym.var(n) for n in names]
    if seed.variadic:
        sym = fn(*variables, **dict(kwargs))
    else:
        sym = fn(**dict(zip(seed.inputs, variables)), **dict(kwargs))
    given = {n: mx.nd.array(x, dtype=x.dtype) for n, x in zip(names, arrays_np)}
    args = {n: given[n] for n in sym.list_arguments() if n in given}
    aux = {n: given[n] for n in sym.list_auxiliary_states() if n in given}
    grads = {n: mx.nd.zeros(a.shape, dtype=a.dtype) for n, a in args.items()
             if np.dtype(a.dtype).kind == "f"}
    ex = sym.bind(mx.cpu(), args=args, args_grad=grads, grad_req="write", aux_states=aux)
    outs = ex.forward(is_train=train)
    if grads and all(np.dtype(o.dtype).kind == "f" for o in outs):
        ex.backward([mx.nd.ones(o.shape, dtype=o.dtype) for o in outs])
    for o in list(outs) + list(grads.values()):
        o.wait_to_read() if 0 in o.shape else o.asnumpy()


def run_case_sym(mx, case, train):
    """``run_case`` through the Symbol/Executor door."""
    from mxtorch.base import MXNetError
    try:
        _sym_call(mx, case, train)
    except MXNetError as err:
        text = str(err)
        # Symbol errors may name the node instead ("bilinearresize2d3_like")
        named = any(n in text or n.lower() in text for n in _names_of(case[1].op))
        return ("clean" if named else "unnamed"), f"{type(err).__name__}: {_first(text)}"
    except Exception as err:  # noqa: BLE001
        return "other", f"{type(err).__name__}: {_first(str(err))}"
    return "ok", ""


def _first(text):
    return (text.strip().splitlines() or [""])[0][:300]


def child_main(ops, quick, resume, door="nd"):
    """Run the cases of ``ops`` in order; print one START and one RESULT line per case."""
    _child_setup()
    import mxtorch as mx
    from mxtorch.ops import REGISTRY
    started = resume is None
    for name in ops:
        op = REGISTRY[name]
        key = f"{name}#-1#1"
        if not started:
            started = key == resume
            if started:
                continue  # the seeds of this op hung or crashed: skip the op
        print("START", key, json.dumps("<seeds>"), flush=True)
        try:
            cases = cases_for(mx, name, quick)
        except Exception as err:  # noqa: BLE001
            _emit({"op": name, "case": "<seeds>", "key": key, "outcome": "other",
                   "detail": f"fuzzer: {type(err).__name__}: {err}"})
            continue
        print("SEEDED", flush=True)
        modes = (False, True) if op.train_aware else (True,)
        for i, case in enumerate(cases):
            for train in modes:
                key = f"{name}#{i}#{int(train)}"
                if not started:
                    started = key == resume
                    continue
                label = case[0] + ("" if len(modes) == 1 else (" train" if train else " predict"))
                print("START", key, json.dumps(label), flush=True)
                runner = run_case_sym if door == "sym" else run_case
                outcome, detail = runner(mx, case, train)
                _emit({"op": name, "case": label, "key": key, "outcome": outcome,
                       "detail": detail, "seed": case[1].source})
    print("DONE", flush=True)


def _emit(record):
    print("RESULT " + json.dumps(record), flush=True)


# =========================================================================== parent side

DOOR = ["nd"]  # the door the children use (set by main)


def _spawn(ops, quick, resume=None):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", ",".join(ops),
           "--door", DOOR[0]]
    if quick:
        cmd.append("--quick")
    if resume:
        cmd += ["--resume", resume]
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONFAULTHANDLER="")
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            cwd=ROOT, bufsize=0)


class _Lines:
    """Lines from a child's stdout with a timeout (unbuffered: select sees every byte)."""

    def __init__(self, proc):
        self.fd, self.buf = proc.stdout.fileno(), b""

    def read(self, timeout):
        """One line, '' at EOF, None on timeout."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                line, self.buf = self.buf, b""
                return line.decode(errors="replace")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode(errors="replace") + "\n"


def _kill(proc):
    try:
        proc.kill()
    except OSError:
        pass
    proc.wait()


def run_batch(ops, quick, case_timeout, startup_timeout=300):
    """Run a batch of ops in children until every case has a result. Yields result records."""
    resume, starts = None, 0
    while True:
        proc = _spawn(ops, quick, resume)
        lines = _Lines(proc)
        current, timeout, labels = None, startup_timeout, {}
        while True:
            line = lines.read(timeout)
            if line is None:  # hang
                _kill(proc)
                if current is None:
                    starts += 1
                    if starts < 2:
                        break  # a loaded machine can stall a start: try once more
                    yield {"op": ",".join(ops), "case": "<child start>", "outcome": "hang",
                           "detail": f"no output in {timeout}s"}
                    return
                yield _failure(current, labels, "hang", f"no result in {case_timeout}s")
                resume = current
                break
            if line == "":  # the child ended
                rc = proc.wait()
                if current is None:
                    if rc != 0:
                        yield {"op": ",".join(ops), "case": "<child>", "outcome": "crash",
                               "detail": _rc_text(rc)}
                    return
                yield _failure(current, labels, "crash", _rc_text(rc))
                resume = current
                break
            if line.startswith("START "):
                _, current, label = line.rstrip("\n").split(" ", 2)
                labels[current], timeout = json.loads(label), case_timeout
            elif line.startswith("RESULT "):
                current, timeout = None, case_timeout
                yield json.loads(line[7:])
            elif line.startswith("SEEDED"):
                current, timeout = None, case_timeout
            elif line.startswith("DONE"):
                proc.wait()
                return


def _failure(key, labels, outcome, detail):
    return {"op": key.split("#")[0], "case": labels.get(key, key), "key": key,
            "outcome": outcome, "detail": detail}


def _rc_text(rc):
    if rc < 0:
        try:
            return f"signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"signal {-rc}"
    return f"exit status {rc}"


def all_op_names():
    sys.path.insert(0, ROOT)
    from mxtorch.ops import REGISTRY
    names = []
    for op in REGISTRY.values():
        if op.name not in names and op.name not in SKIP_OPS:
            names.append(op.name)
    return sorted(names)


def run_all(ops, quick=False, jobs=2, batch=25, case_timeout=30.0, progress=None):
    """Fuzz ``ops`` with ``jobs`` children at a time; returns the list of result records."""
    batches = [ops[i:i + batch] for i in range(0, len(ops), batch)]
    results = []
    gens = []
    pending = list(batches)
    # children run one batch each; simple round-robin over up to ``jobs`` live generators
    import threading
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                chunk = pending.pop(0)
            for record in run_batch(chunk, quick, case_timeout):
                with lock:
                    results.append(record)
                    if progress and record["outcome"] in BAD:
                        progress(record)
    threads = [threading.Thread(target=worker) for _ in range(max(1, jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    del gens
    return results


def confirm(record, quick, case_timeout):
    """Re-run a crashed/hung case's op alone from that case, to name it without neighbours."""
    for again in run_batch([record["op"]], quick, case_timeout):
        if again.get("key") == record.get("key") or again["case"].startswith("<"):
            return again["outcome"]
    return "not reproduced"


def _order(record):
    parts = record.get("key", "##").split("#")
    return record["op"], int(parts[1] or -1), parts[2]


def summarize(results, show):
    from collections import Counter
    total = Counter(r["outcome"] for r in results)
    per_op = {}
    for r in results:
        per_op.setdefault(r["op"], Counter())[r["outcome"]] += 1
    lines = [f"cases: {sum(total.values())}  ops: {len(per_op)}  "
             + "  ".join(f"{k}: {v}" for k, v in sorted(total.items()))]
    bad_ops = sorted(n for n, c in per_op.items() if any(c[b] for b in BAD))
    lines.append(f"ops with unacceptable outcomes: {len(bad_ops)}")
    for r in results:
        if show == "all" or r["outcome"] in BAD:
            lines.append(f"  {r['outcome']:8s} {r['op']} [{r['case']}] {r.get('detail', '')}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast subset of the variants")
    parser.add_argument("--ops", default="", help="comma-separated op names (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="child processes at a time")
    parser.add_argument("--batch", type=int, default=25, help="ops per child process")
    parser.add_argument("--case-timeout", type=float, default=30.0, help="seconds per case")
    parser.add_argument("--show", choices=("bad", "all"), default="bad")
    parser.add_argument("--door", choices=("nd", "sym"), default="nd",
                        help="call ops through mx.nd (default) or Symbol bind/forward/backward")
    parser.add_argument("--json", help="write every result record to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--resume", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child_main(args.child.split(","), args.quick, args.resume, args.door)
        return 0
    DOOR[0] = args.door
    ops = [o for o in args.ops.split(",") if o] or all_op_names()
    start = time.time()
    results = run_all(ops, args.quick, args.jobs, args.batch, args.case_timeout)
    for r in results:
        if r["outcome"] in ("crash", "hang") and not r["case"].startswith("<"):
            r["alone"] = confirm(r, args.quick, args.case_timeout)
            r["detail"] += f" (alone: {r['alone']})"
    results.sort(key=_order)
    print(summarize(results, args.show))
    print(f"time: {time.time() - start:.1f}s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if any(r["outcome"] in BAD for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
