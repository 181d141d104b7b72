"""The operator table: every golden case MXNet 1.9.1 produced, plus runners per front door.

Cases come from ``tests/fixtures/mxnet-1.9.1/ops`` (index.json + one .npz per op): inputs,
outputs, head gradients, input gradients of ``sum(out_i * head_i)`` and in-place updates, with
MXNet's tolerances. ``KNOWN_DEVIATIONS`` lists the cases where mxtorch deliberately differs
(documented in COMPAT.md); each is a strict xfail, so fixing one fails the suite until the
entry is removed.
"""
import json
import os
from dataclasses import dataclass, field

import numpy as np

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "mxnet-1.9.1")
OPS_DIR = os.path.join(FIXTURES, "ops")

# "op/case" -> reason. Keep each reason a sentence a user would accept.
DEVIATIONS_DIR = os.path.join(os.path.dirname(__file__), "deviations")


def _load_deviations():
    """Read ``tests/deviations/*.txt``: lines ``op/case[:forward|:gradient]: reason``."""
    table = {}
    for fname in sorted(os.listdir(DEVIATIONS_DIR)):
        if not fname.endswith(".txt"):
            continue
        with open(os.path.join(DEVIATIONS_DIR, fname)) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    key, reason = line.split(" ", 1)
                    table[key.rstrip(":")] = reason.strip()
    return table


KNOWN_DEVIATIONS = _load_deviations()


@dataclass
class Case:
    op: str                 # path under mx.nd ("FullyConnected", "linalg.gemm", "_internal._zeros")
    name: str
    meta: dict
    data: dict = field(repr=False)

    @property
    def id(self):
        return f"{self.op}/{self.name}"

    def inputs(self):
        return [self.data[f"{self.name}/in/{n}"] for n in self.meta["inputs"]]

    def outputs(self):
        return [self.data[f"{self.name}/out/{i}"] for i in range(self.meta["outputs"])
                if f"{self.name}/out/{i}" in self.data]

    def heads(self):
        return [self.data[f"{self.name}/head/{i}"] for i in self.meta["head_outputs"]]

    def grad(self, input_name):
        return self.data[f"{self.name}/grad/{input_name}"]

    def after(self, input_name):
        return self.data[f"{self.name}/after/{input_name}"]

    def tol(self, dtype, kind="tol"):
        table = self.meta[kind]
        if not table:
            return 0.0, 0.0  # integer results: exact
        key = str(dtype)
        if key not in table:
            key = next(iter(table))
        return table[key]


def load_cases():
    with open(os.path.join(OPS_DIR, "index.json")) as f:
        index = json.load(f)
    files = {}
    cases = []
    for meta in index["cases"]:
        path = os.path.join(OPS_DIR, meta["file"])
        if path not in files:
            files[path] = dict(np.load(path))
        cases.append(Case(meta["op"], meta["case"], meta, files[path]))
    return cases


CASES = load_cases()


def resolve_nd(mx, path):
    """The nd function for a fixture's op path ("linalg.gemm" -> mx.nd.linalg.gemm)."""
    obj = mx.nd
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def call_nd(mx, case, arrays):
    """Call the op through the nd door the way the fixture generator called MXNet."""
    fn = resolve_nd(mx, case.op)
    kwargs = dict(case.meta["kwargs"])
    if case.meta["call"] == "positional":
        return fn(*arrays, **kwargs)
    return fn(**dict(zip(case.meta["inputs"], arrays)), **kwargs)


def resolve_sym(mx, path):
    obj = mx.sym
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def build_symbol(mx, case):
    """The op as a Symbol over variables named like the fixture's inputs."""
    fn = resolve_sym(mx, case.op)
    kwargs = dict(case.meta["kwargs"])
    variables = [mx.sym.var(n) for n in case.meta["inputs"]]
    if case.meta["call"] == "positional":
        return fn(*variables, name="node", **kwargs)
    return fn(**dict(zip(case.meta["inputs"], variables)), name="node", **kwargs)


def bind_symbol(mx, case, symbol, grads=()):
    """Bind the case's inputs (arguments and auxiliary states by name)."""
    values = dict(zip(case.meta["inputs"], case.inputs()))
    args = {n: mx.nd.array(values[n], dtype=values[n].dtype) for n in symbol.list_arguments()}
    aux = {n: mx.nd.array(values[n], dtype=values[n].dtype)
           for n in symbol.list_auxiliary_states()}
    arg_grads = {n: mx.nd.zeros(a.shape, dtype=a.dtype) for n, a in args.items() if n in grads}
    reqs = {n: ("write" if n in grads else "null") for n in args}
    executor = symbol.bind(mx.cpu(), args, args_grad=arg_grads or None, grad_req=reqs,
                           aux_states=aux)
    return executor, args, aux, arg_grads


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def assert_close(got, want, rtol, atol, what):
    got = np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != expected {want.shape}"
    if want.dtype == bool or np.issubdtype(want.dtype, np.integer):
        np.testing.assert_array_equal(got, want, err_msg=what)
    else:
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64),
                                   rtol=rtol, atol=atol, err_msg=what, equal_nan=True)
