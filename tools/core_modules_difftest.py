"""Differential test of the small core modules against real MXNet 1.9.1 (needs the oracle venv).

Runs the same probes under MXNet 1.9.1 and under mxtorch (``import mxnet`` redirected) and
compares the JSON results: ``util.np_ufunc_legal_option`` and the ``wrap_np_*`` keyword checks,
``base.build_param_doc``, ``mx.error`` registrations, ``mx.registry`` create/alias/error types,
``mx.log`` line prefixes, ``operator.get_operator_arguments`` names for every operator both
have, profiler operator names, and the names ``from mxnet.test_utils import *`` gives. Not run
in CI.

    cd /work/main && .venv/bin/python tools/core_modules_difftest.py [--oracle ~/mxref/bin/python]

Prints one line per probe group (cases, differences) and the differences; exit status 1 when
any remain.
"""
import argparse
import json
import os
import subprocess
import sys

PROBES = r'''
import json, re, sys, io, logging, warnings
import numpy as np
warnings.simplefilter("ignore")
if TARGET == "mxtorch":
    import mxtorch.compat
    mxtorch.compat.install()
import mxnet as mx
from mxnet import util, base, registry, log, error, operator, profiler

out = {}

def outcome(fn):
    try:
        return ["ok", repr(fn())]
    except Exception as e:  # noqa: BLE001
        return ["raise", type(e).__name__, str(e).split("\n")[0][:80]]

# util ufunc options
cases = {}
for key in ("where", "casting", "order", "dtype", "subok", "out", "foo"):
    for value in (True, False, 1, 0, None, "same_kind", "unsafe", "no", "K", "C", "X",
                  "float32", "int16", "int64", "bool"):
        cases[f"{key}={value!r}"] = util.np_ufunc_legal_option(key, value)
for name in ("float16", "float32", "float64", "int8", "uint8", "int32", "int64", "bool_",
             "uint16"):
    cases[f"dtype=np.{name}"] = util.np_ufunc_legal_option("dtype", getattr(np, name))
cases["dtype=np.dtype(float32)"] = util.np_ufunc_legal_option("dtype", np.dtype("float32"))
out["ufunc_legal_option"] = cases

def unary(x, out=None):
    return "called"
def binary(x1, x2, out=None):
    return "called"
wu, wb = util.wrap_np_unary_func(unary), util.wrap_np_binary_func(binary)
cases = {}
for kw in ({}, {"where": True}, {"where": False}, {"casting": "same_kind"},
           {"casting": "unsafe"}, {"casting": "bad"}, {"order": "K"}, {"order": "C"},
           {"dtype": None}, {"dtype": "float32"}, {"subok": True}, {"subok": False},
           {"foo": 1}):
    r = outcome(lambda: wu(1, **kw))
    cases["unary" + repr(kw)] = r[:2]
    r = outcome(lambda: wb(1, 2, **kw))
    cases["binary" + repr(kw)] = r[:2]
out["wrap_np"] = cases

out["build_param_doc"] = {
    "dup": base.build_param_doc(["a", "b", "a"], ["int", "NDArray", "x"], ["d1", "d2", "d3"]),
    "keep": base.build_param_doc(["a", "a"], ["int", "x"], ["d1", "d2"], remove_dup=False),
    "empty": base.build_param_doc([], [], []),
    "nodesc": base.build_param_doc(["a"], ["int"], [""]),
}
out["error_types"] = sorted(base.error_types)
out["internal_error"] = str(error.InternalError("boom")).split("\n")[0]

class Thing:
    def __init__(self, a=1, b=2):
        self.a, self.b = a, b
reg = registry.get_register_func(Thing, "thing")
alias = registry.get_alias_func(Thing, "thing")
create = registry.get_create_func(Thing, "thing")
@alias("f1", "F2")
@reg
class Foo(Thing):
    pass
cases = {"registry": sorted(registry.get_registry(Thing))}
for label, fn in {"name": lambda: vars(create("foo", 5)), "upper": lambda: vars(create("FOO")),
                  "alias": lambda: vars(create("f2", b=3)),
                  "json_list": lambda: vars(create('["foo", {"a": 9}]')),
                  "json_dict": lambda: vars(create('{"thing": "foo", "a": 10}')),
                  "kw": lambda: vars(create(thing="foo", a=4)),
                  "unknown": lambda: create("nope"), "int": lambda: create(3),
                  "inst_args": lambda: create(Foo(), 1), "bad_reg": lambda: reg(int)}.items():
    r = outcome(fn)
    cases[label] = r[:2] if r[0] == "ok" else ["raise", isinstance(sys.exc_info()[1], Exception)]
    if r[0] == "raise":
        try:
            fn()
        except AssertionError:
            cases[label] = ["raise", "AssertionError-compatible"]
        except Exception as e:  # noqa: BLE001
            cases[label] = ["raise", type(e).__name__]
out["registry"] = cases

stream = io.StringIO()
logger = log.get_logger("difftest_logger", level=log.DEBUG)
logger.handlers[0].stream = stream
for level in (10, 15, 20, 30, 40, 50):
    logger.log(level, "msg")
out["log_prefixes"] = [re.sub(r"\d{4} \d\d:\d\d:\d\d \d+ .*\]", "<date pid file>]", line)
                       for line in stream.getvalue().splitlines()]

from mxnet.ops import REGISTRY as _R  if TARGET == "mxtorch" else None
'''

# mxtorch has no mxnet.ops; the line above is replaced per target below.
OPS_PROBE = r'''
names = {}
for op in OP_NAMES:
    try:
        names[op] = operator.get_operator_arguments(op).names
    except Exception as e:  # noqa: BLE001
        names[op] = None
out["operator_arguments"] = names

profiler.set_config(profile_imperative=True, aggregate_stats=True,
                    filename="/tmp/core_modules_difftest_profile.json")
profiler.set_state("run")
a = mx.nd.ones((4, 4))
b = mx.nd.dot(a, a) + a
c = mx.nd.relu(b) * 2
d = mx.nd.zeros((2,))
e = mx.nd.full((2,), 3)
mx.nd.waitall()
profiler.set_state("stop")
table = profiler.dumps(reset=True)
section = table.split("\noperator\n", 1)[1] if "\noperator\n" in table else ""
out["profiler_ops"] = sorted(line.split()[0] for line in section.splitlines()[3:]
                             if line.strip() and not line.startswith("Resource")
                             and not line.startswith(("WaitForVar", "DeleteVariable")))
ns = {}
exec("from mxnet.test_utils import *", ns)
out["test_utils_star"] = sorted(k for k in ns if not k.startswith("__"))
print(json.dumps(out))
'''


def run(python, target, op_names):
    code = PROBES.replace('from mxnet.ops import REGISTRY as _R  if TARGET == "mxtorch" else None',
                          "")
    code = f"TARGET = {target!r}\nOP_NAMES = {op_names!r}\n" + code + OPS_PROBE
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env,
                          cwd="/tmp")
    if done.returncode:
        sys.exit(f"{target} probes failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def op_names(python_mxtorch):
    code = ("import mxtorch\nfrom mxtorch.ops import REGISTRY\n"
            "print(sorted(set(o.name for o in REGISTRY.values())))")
    done = subprocess.run([python_mxtorch, "-c", code], capture_output=True, text=True,
                          check=True)
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own output


def compare(a, b, path=""):
    """[(path, oracle, mxtorch)] where the results differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        diffs = []
        for key in sorted(set(a) | set(b)):
            diffs += compare(a.get(key), b.get(key), f"{path}.{key}")
        return diffs
    return [] if a == b else [(path, a, b)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oracle", default=os.path.expanduser("~/mxref/bin/python"))
    ap.add_argument("--mxtorch", default=sys.executable)
    args = ap.parse_args()
    names = op_names(args.mxtorch)
    ref = run(args.oracle, "mxnet", names)
    got = run(args.mxtorch, "mxtorch", names)
    # operators MXNet does not know are not comparable
    ref_ops = ref["operator_arguments"]
    for key in [k for k, v in ref_ops.items() if v is None]:
        ref_ops.pop(key)
        got["operator_arguments"].pop(key, None)
    # test_utils: MXNet's names must all be there; extras are listed apart
    ref_star, got_star = set(ref.pop("test_utils_star")), set(got.pop("test_utils_star"))
    total, failures = 0, 0
    for group in sorted(ref):
        diffs = compare(ref[group], got.get(group), group)
        cases = len(ref[group]) if isinstance(ref[group], (dict, list)) else 1
        total += cases
        failures += len(diffs)
        print(f"{group:24s} cases {cases:4d}  differences {len(diffs)}")
        for path, a, b in diffs[:20]:
            print(f"    {path}: mxnet={a!r} mxtorch={b!r}")
    missing = sorted(ref_star - got_star)
    print(f"{'test_utils_star':24s} cases {len(ref_star):4d}  differences {len(missing)}"
          f"  (mxtorch extras: {len(got_star - ref_star)})")
    if missing:
        print("    missing:", ", ".join(missing))
    total += len(ref_star)
    failures += len(missing)
    print(f"total: {total} cases, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
