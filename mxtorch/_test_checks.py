"""Gradient and Symbol checks of ``mx.test_utils`` (imported from there; see its docs).

``check_numeric_gradient`` compares backward gradients with central finite differences of
``sum(output * proj)``; it drives either a bound Executor (Symbol) or autograd (a callable
over NDArrays), through two small adapters with the same interface.
"""
import time
import traceback

import numpy as np

from .test_utils import assert_almost_equal, default_context, default_numeric_eps, \
    get_tolerance

# --------------------------------------------------------------------------------------------
# gradient and symbol checks
# --------------------------------------------------------------------------------------------

_FLOAT_TYPES = (np.float16, np.float32, np.float64)


def _check_dtype(dtype, allow_asnumpy=False):
    if (allow_asnumpy and dtype == "asnumpy") or dtype in _FLOAT_TYPES:
        return
    extra = " or 'asnumpy'" if allow_asnumpy else ""
    raise ValueError(f"dtype must be np.float16, np.float32 or np.float64{extra}, got "
                     f"{dtype!r}")


def _as_nd(value, ctx, dtype):
    """NDArray of a numpy array (in ``dtype``, or its own for 'asnumpy'); NDArrays pass."""
    from . import ndarray as nd
    if isinstance(value, nd.NDArray):
        return value
    value = np.asarray(value)
    return nd.array(value, ctx=ctx, dtype=value.dtype if dtype == "asnumpy" else dtype)


def _by_name(names, values, what):
    """{name: value} from a list (in ``names`` order) or a dict with exactly ``names``."""
    if isinstance(values, dict):
        if set(values) != set(names):
            raise ValueError(f"the names of the given {what} {sorted(values)} do not match the "
                             f"symbol's {list(names)}")
        return {n: values[n] for n in names}
    values = list(values)
    if len(values) != len(names):
        raise ValueError(f"{len(values)} {what} given for the symbol's {list(names)}")
    return dict(zip(names, values))


def _parse_location(sym, location, ctx, dtype=np.float32):
    """The symbol's arguments as {name: NDArray} from a list or dict of arrays."""
    _check_dtype(dtype, allow_asnumpy=True)
    location = _by_name(sym.list_arguments(), location, "locations")
    return {k: _as_nd(v, ctx, dtype) for k, v in location.items()}


def _parse_aux_states(sym, aux_states, ctx, dtype=np.float32):
    if aux_states is None:
        return None
    aux = _by_name(sym.list_auxiliary_states(), aux_states, "auxiliary states")
    return {k: _as_nd(v, ctx, dtype) for k, v in aux.items()}


def _is_symbol(obj):
    from .symbol import Symbol
    return isinstance(obj, Symbol)


def _finite_differences(evaluate, location, eps, dtype):
    """Central differences of the scalar ``evaluate({name: numpy array})`` for every float
    element of every array in ``location`` (a dict of numpy arrays, restored afterwards)."""
    grads = {}
    for name, value in location.items():
        grads[name] = np.zeros(value.shape, dtype=dtype)
        if value.dtype.kind != "f":
            continue
        flat = value.reshape(-1)
        out = grads[name].reshape(-1)
        for i in range(flat.size):
            keep = flat[i]
            flat[i] = keep + eps / 2.0
            plus = evaluate(location)
            flat[i] = keep - eps / 2.0
            minus = evaluate(location)
            flat[i] = keep
            out[i] = (plus - minus) / eps
    return grads


def numeric_grad(executor, location, aux_states=None, eps=1e-4, use_forward_train=True,
                 dtype=np.float32):
    """Finite-difference gradient of ``sum(executor.outputs[0])`` w.r.t. every argument in
    ``location`` (dict name -> numpy array), computed by re-running ``executor``."""
    _check_dtype(dtype)
    location = {k: np.array(v, dtype=dtype, order="C") for k, v in location.items()}

    def evaluate(values):
        for key, val in values.items():
            executor.arg_dict[key][:] = val
        for key, val in (aux_states or {}).items():
            executor.aux_dict[key][:] = val
        executor.forward(is_train=use_forward_train)
        return float(executor.outputs[0].asnumpy().astype(np.float64).sum())

    grads = _finite_differences(evaluate, location, eps, dtype)
    for key, val in location.items():
        executor.arg_dict[key][:] = val
    return grads


def _grad_requests(grad_nodes, names):
    if grad_nodes is None:
        return {k: "write" for k in names}
    if isinstance(grad_nodes, dict):
        return dict(grad_nodes)
    if isinstance(grad_nodes, (list, tuple)):
        return {k: "write" for k in grad_nodes}
    raise ValueError(f"grad_nodes must be None, a list or a dict, got {type(grad_nodes)}")


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=np.float32):
    """Compare backward gradients with finite differences.

    ``sym`` is a Symbol (``location``: its arguments, list or dict of numpy arrays) or any
    callable taking NDArrays (``location``: a list of positional arrays or a dict of keyword
    arrays) and returning an NDArray. The checked scalar is ``sum(output * proj)`` for a random
    projection ``proj``, so every output element matters.
    """
    _check_dtype(dtype)
    ctx = ctx or default_context()
    if _is_symbol(sym):
        model = _SymbolModel(sym, location, aux_states, grad_nodes, ctx, dtype,
                             grad_stype_dict)
    elif callable(sym):
        model = _CallableModel(sym, location, grad_nodes, ctx, dtype)
    else:
        raise TypeError(f"check_numeric_gradient needs a Symbol or a callable, got "
                        f"{type(sym).__name__}")
    output = model.forward(use_forward_train)
    eps = get_tolerance(output, numeric_eps, default_numeric_eps())
    if dtype in (np.float16, np.float32) and eps < 1e-5:
        raise ValueError(f"numeric_eps={eps} is too small for {np.dtype(dtype).name} "
                         "finite differences (use at least 1e-5)")
    proj = np.random.rand(*output.shape) + 0.1  # not too small: keeps precision
    analytic = model.gradients(proj)
    numeric = _finite_differences(lambda v: model.evaluate(v, proj, use_forward_train),
                                  model.location_np(), eps, dtype)
    for name, req in model.grad_req.items():
        names = (f"NUMERICAL_{name}", f"BACKWARD_{name}")
        if req == "write":
            assert_almost_equal(numeric[name], analytic[name], rtol, atol, names)
        elif req == "add":
            assert_almost_equal(numeric[name], analytic[name] - model.initial_grad[name],
                                rtol, atol, names)
        elif req == "null":
            assert_almost_equal(model.initial_grad[name], analytic[name], rtol, atol, names)
        else:
            raise ValueError(f"Invalid grad_req {req} for argument {name}")


class _SymbolModel:
    """check_numeric_gradient through a bound Executor."""

    def __init__(self, sym, location, aux_states, grad_nodes, ctx, dtype, grad_stype_dict):
        from . import ndarray as nd
        self.ctx, self.dtype = ctx, dtype
        self.args = _parse_location(sym, location, ctx, dtype)
        self.aux = _parse_aux_states(sym, aux_states, ctx, dtype)
        self.aux_np = None if self.aux is None else {k: v.asnumpy() for k, v in self.aux.items()}
        self.grad_req = _grad_requests(grad_nodes, sym.list_arguments())
        self.initial_grad = {k: np.random.normal(0, 0.01, size=self.args[k].shape)
                             for k in self.grad_req}
        grads = {k: nd.array(v, ctx=ctx, dtype=dtype) for k, v in self.initial_grad.items()}
        for name, stype in (grad_stype_dict or {}).items():
            if name in grads and stype not in (None, "default"):
                grads[name] = nd.sparse.zeros(stype, grads[name].shape, ctx=ctx, dtype=dtype)
                self.initial_grad[name] = np.zeros(grads[name].shape)
        self.exe = sym.bind(ctx, args=dict(self.args), args_grad=grads,
                            grad_req=self.grad_req, aux_states=self.aux)
        if len(self.exe.outputs or sym.list_outputs()) != 1:
            raise ValueError("check_numeric_gradient needs a symbol with one output")
        self.location = {k: v.asnumpy() for k, v in self.args.items()}

    def location_np(self):
        return {k: np.array(v, dtype=self.dtype, order="C") for k, v in self.location.items()}

    def forward(self, is_train):
        self.exe.forward(is_train=True)
        return self.exe.outputs[0]

    def gradients(self, proj):
        from . import ndarray as nd
        self.exe.backward([nd.array(proj, ctx=self.ctx, dtype=self.dtype)])
        return {k: self.exe.grad_dict[k].asnumpy() for k in self.grad_req}

    def evaluate(self, values, proj, is_train):
        for key, val in values.items():
            self.exe.arg_dict[key][:] = val
        for key, val in (self.aux_np or {}).items():
            self.exe.aux_dict[key][:] = val
        self.exe.forward(is_train=is_train)
        out = self.exe.outputs[0].asnumpy().astype(np.float64)
        return float((out * proj).sum())


class _CallableModel:
    """check_numeric_gradient through autograd on a Python function of NDArrays."""

    def __init__(self, fn, location, grad_nodes, ctx, dtype):
        self.fn, self.ctx, self.dtype = fn, ctx, dtype
        self.keyword = isinstance(location, dict)
        items = location.items() if self.keyword else enumerate(location)
        self.location = {k: _as_nd(v, ctx, dtype).asnumpy() for k, v in items}
        self.grad_req = _grad_requests(grad_nodes, list(self.location))
        self.initial_grad = {k: np.zeros(v.shape) for k, v in self.location.items()}

    def location_np(self):
        return {k: np.array(v, dtype=v.dtype, order="C") for k, v in self.location.items()}

    def _call(self, arrays):
        if self.keyword:
            out = self.fn(**arrays)
        else:
            out = self.fn(*[arrays[i] for i in range(len(arrays))])
        return out[0] if isinstance(out, (list, tuple)) else out

    def _arrays(self, values):
        from . import ndarray as nd
        return {k: nd.array(v, ctx=self.ctx, dtype=v.dtype) for k, v in values.items()}

    def forward(self, is_train):
        from . import autograd
        with autograd.train_mode() if is_train else autograd.predict_mode():
            return self._call(self._arrays(self.location))

    def gradients(self, proj):
        from . import autograd, ndarray as nd
        arrays = self._arrays(self.location)
        for key, req in self.grad_req.items():
            arrays[key].attach_grad(req)
        with autograd.record():
            out = self._call(arrays)
        out.backward(nd.array(proj, ctx=self.ctx, dtype=out.dtype))
        return {k: (arrays[k].grad.asnumpy() if arrays[k].grad is not None
                    else np.zeros(arrays[k].shape)) for k in self.grad_req}

    def evaluate(self, values, proj, is_train):
        from . import autograd
        with autograd.train_mode() if is_train else autograd.predict_mode():
            out = self._call(self._arrays(values)).asnumpy().astype(np.float64)
        return float((out * proj).sum())


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None,
                           ctx=None, equal_nan=False, dtype=np.float32):
    """Run ``sym`` forward (inference) at ``location``; compare with ``expected`` (a list in
    output order or a dict by output name). Returns the outputs."""
    ctx = ctx or default_context()
    args = _parse_location(sym, location, ctx, dtype)
    aux = _parse_aux_states(sym, aux_states, ctx, dtype)
    if isinstance(expected, dict):
        expected = [expected[k] for k in sym.list_outputs()]
    exe = sym.bind(ctx, args=args, aux_states=aux)
    exe.forward(is_train=False)
    for name, want, got in zip(sym.list_outputs(), expected, exe.outputs):
        assert_almost_equal(want, got, rtol, atol, (f"EXPECTED_{name}", f"FORWARD_{name}"),
                            equal_nan=equal_nan)
    return exe.outputs


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None,
                            aux_states=None, grad_req="write", ctx=None, grad_stypes=None,
                            equal_nan=False, dtype=np.float32):
    """Run forward (training) and backward with ``out_grads``; compare the argument gradients
    with ``expected`` (list in argument order or dict). Gradient buffers start random, so
    'add' is checked as ``grad - start`` and 'null' as unchanged. Returns the gradients."""
    from . import ndarray as nd
    ctx = ctx or default_context()
    names = sym.list_arguments()
    args = _parse_location(sym, location, ctx, dtype)
    aux = _parse_aux_states(sym, aux_states, ctx, dtype)
    if isinstance(expected, (list, tuple)):
        expected = dict(zip(names, expected))
    start = {k: np.random.normal(size=np.shape(v)) for k, v in sorted(expected.items())}
    grads = {}
    for k, v in start.items():
        want = np.asarray(expected[k]).dtype if dtype == "asnumpy" else dtype
        stype = (grad_stypes or {}).get(k)
        if stype not in (None, "default"):
            grads[k] = nd.sparse.zeros(stype, v.shape, ctx=ctx, dtype=want)
            start[k] = np.zeros(v.shape)
        else:
            grads[k] = nd.array(v, ctx=ctx, dtype=want)
    if isinstance(grad_req, str):
        grad_req = {k: grad_req for k in names}
    elif isinstance(grad_req, (list, tuple)):
        grad_req = dict(zip(names, grad_req))
    exe = sym.bind(ctx, args=args, args_grad=grads, aux_states=aux, grad_req=grad_req)
    exe.forward(is_train=True)
    exe.backward(_out_grads(out_grads, sym, ctx, dtype))
    for name in expected:
        got = grads[name].asnumpy()
        labels = (f"EXPECTED_{name}", f"BACKWARD_{name}")
        req = grad_req.get(name, "null")
        if req == "write":
            assert_almost_equal(expected[name], got, rtol, atol, labels, equal_nan=equal_nan)
        elif req == "add":
            assert_almost_equal(expected[name], got - start[name], rtol, atol, labels,
                                equal_nan=equal_nan)
        elif req == "null":
            assert_almost_equal(start[name], got, rtol, atol, labels, equal_nan=equal_nan)
        else:
            raise ValueError(f"Invalid grad_req {req} for argument {name}")
    return grads


def _out_grads(out_grads, sym, ctx, dtype):
    if out_grads is None:
        return None
    if isinstance(out_grads, dict):
        out_grads = [out_grads[k] for k in sym.list_outputs()]
    return [_as_nd(g, ctx, dtype) for g in out_grads]


def simple_forward(sym, ctx=None, is_train=False, **inputs):
    """Outputs (numpy; one array if single) of ``sym`` on numpy ``inputs`` by name."""
    from . import ndarray as nd
    ctx = ctx or default_context()
    exe = sym.bind(ctx, args={k: nd.array(v) for k, v in inputs.items()})
    exe.forward(is_train=is_train)
    outputs = [x.asnumpy() for x in exe.outputs]
    return outputs[0] if len(outputs) == 1 else outputs


def check_speed(sym, location=None, ctx=None, N=20, grad_req=None, typ="whole",  # noqa: N803
                **kwargs):
    """Seconds per forward+backward ('whole') or per forward ('forward') of ``sym``."""
    from . import ndarray as nd
    ctx = ctx or default_context()
    grad_req = grad_req or "write"
    if location is None:
        exe = sym.simple_bind(ctx=ctx, grad_req=grad_req, **kwargs)
        location = {k: np.random.normal(size=a.shape) for k, a in exe.arg_dict.items()}
    else:
        exe = sym.simple_bind(ctx=ctx, grad_req=grad_req,
                              **{k: v.shape for k, v in location.items()})
    for name, value in location.items():
        exe.arg_dict[name][:] = np.asarray(value).astype(exe.arg_dict[name].dtype)
    if typ not in ("whole", "forward"):
        raise ValueError('typ can only be "whole" or "forward".')
    train = typ == "whole"

    def step():
        exe.forward(is_train=train)
        if train:
            exe.backward(out_grads=exe.outputs)

    step()
    nd.waitall()
    tic = time.time()
    for _ in range(N):
        step()
    nd.waitall()
    return (time.time() - tic) / N


def check_consistency(sym, ctx_list, scale=1.0, grad_req="write", arg_params=None,
                      aux_params=None, rtol=None, atol=None, raise_on_err=True,
                      ground_truth=None, equal_nan=False, use_uniform=False,
                      rand_type=np.float64):
    """Run ``sym`` (or one symbol per entry) under every ``ctx_list`` entry (a dict of
    ``simple_bind`` arguments: ctx, input shapes, type_dict) on the same random data and
    compare outputs and gradients with the most precise run. Returns the ground truth."""
    from . import ndarray as nd
    if len(ctx_list) < 2:
        raise ValueError("check_consistency needs at least two configurations")
    syms = sym if isinstance(sym, (list, tuple)) else [sym] * len(ctx_list)
    output_names, arg_names = syms[0].list_outputs(), syms[0].list_arguments()
    exes = [s.simple_bind(grad_req=grad_req, **spec) for s, spec in zip(syms, ctx_list)]
    arg_params = dict(arg_params or {})
    aux_params = dict(aux_params or {})
    for name, arr in sorted(exes[0].arg_dict.items()):
        if name not in arg_params:
            draw = (np.random.uniform(-0.92 * scale, 0.92 * scale, size=arr.shape)
                    if use_uniform else np.random.normal(size=arr.shape, scale=scale))
            arg_params[name] = draw.astype(rand_type)
    for name in exes[0].aux_dict:
        aux_params.setdefault(name, 0)
    for exe in exes:
        for name, arr in exe.arg_dict.items():
            arr[:] = np.asarray(arg_params[name]).astype(arr.dtype) \
                if not np.isscalar(arg_params[name]) else arg_params[name]
        for name, arr in exe.aux_dict.items():
            arr[:] = aux_params[name]
        if grad_req == "add":
            for arr in exe.grad_arrays:
                if arr is not None:
                    arr[:] = 0
    for exe in exes:
        exe.forward(is_train=False)
    precision = [np.dtype(exe.outputs[0].dtype).itemsize for exe in exes]
    best = int(np.argmax(precision))
    truth = ground_truth
    if truth is None:
        truth = {n: o.copy() for n, o in zip(output_names, exes[best].outputs)}

    def compare(kind, i, name, got, want):
        try:
            assert_almost_equal(got, want, rtol=rtol, atol=atol, equal_nan=equal_nan)
        except AssertionError as err:
            print(f"{kind} Err: ctx {i} vs ctx {best} at {name}")
            traceback.print_exc()
            if raise_on_err:
                raise err

    for i, exe in enumerate(exes):
        if i != best:
            for name, out in zip(output_names, exe.outputs):
                compare("Predict", i, name, out, truth[name])
    if grad_req == "null":
        return truth
    for exe in exes:
        exe.forward(is_train=True)
    cheapest = [min((exe.outputs[k].dtype for exe in exes), key=lambda d: np.dtype(d).itemsize)
                for k in range(len(output_names))]
    heads = [exes[0].outputs[k].astype(cheapest[k]).asnumpy() for k in range(len(cheapest))]
    for exe in exes:
        exe.backward([nd.array(h, ctx=exe.outputs[k].context, dtype=exe.outputs[k].dtype)
                      for k, h in enumerate(heads)])
    if ground_truth is None:
        truth.update({n: g.copy() for n, g in exes[best].grad_dict.items() if g is not None})
    for i, exe in enumerate(exes):
        if i == best:
            continue
        for name, arr in zip(output_names + arg_names, exe.outputs + exe.grad_arrays):
            if arr is None or truth.get(name) is None:
                continue
            compare("Train", i, name, arr, truth[name])
    return truth


# --------------------------------------------------------------------------------------------
# random generator checks (statistics; no scipy needed)
# --------------------------------------------------------------------------------------------


def gen_buckets_probs_with_ppf(ppf, nbuckets):
    """``nbuckets`` equal-probability buckets ``(ppf(i/n), ppf((i+1)/n))`` and their probs."""
    if nbuckets <= 0:
        raise ValueError("nbuckets must be positive")
    probs = [1.0 / nbuckets] * nbuckets
    buckets = [(ppf(i / float(nbuckets)), ppf((i + 1) / float(nbuckets)))
               for i in range(nbuckets)]
    return buckets, probs


def mean_check(generator, mu, sigma, nsamples=1000000):
    """True if the mean of ``generator(nsamples)`` lies within mu +- 3 sigma / sqrt(n)."""
    mean = np.asarray(generator(nsamples)).mean()
    bound = 3 * sigma / np.sqrt(nsamples)
    return bool(mu - bound < mean < mu + bound)


def var_check(generator, sigma, nsamples=1000000):
    """True if the sample variance lies within sigma^2 +- 3 sqrt(2 sigma^4 / (n - 1))."""
    var = np.asarray(generator(nsamples)).var(ddof=1)
    bound = 3 * np.sqrt(2 * sigma ** 4 / (nsamples - 1))
    return bool(sigma ** 2 - bound < var < sigma ** 2 + bound)


def chi_square_check(generator, buckets, probs, nsamples=1000000):
    """Pearson chi-square test of ``generator(nsamples)`` against bucket probabilities.

    ``buckets``: ascending, disjoint ``(low, high)`` ranges (continuous) or the possible values
    (discrete). Returns ``(p value, observed counts, expected counts)``.
    """
    if not isinstance(buckets, list) or len(probs) != len(buckets):
        raise ValueError("buckets must be a list with one probability per bucket")
    samples = np.asarray(generator(nsamples))
    expected = (nsamples * np.asarray(probs, dtype=np.float32)).astype(np.int32)
    observed = np.zeros(len(buckets), dtype=np.int64)
    if isinstance(buckets[0], (list, tuple)):
        edges = np.asarray(buckets, dtype=np.float32).reshape(-1)
        if np.any(np.diff(edges) < 0):
            raise ValueError("continuous buckets must be ascending and must not overlap")
        ids = np.searchsorted(edges, samples, side="right")
        for i in range(len(buckets)):
            observed[i] = np.count_nonzero(ids == 2 * i + 1)
    else:
        for i, value in enumerate(buckets):
            observed[i] = np.count_nonzero(samples == value)
    # scipy.stats.chisquare rescales nothing: it uses the given expected counts
    stat = float(np.sum((observed - expected) ** 2 / expected.astype(np.float64)))
    return _chi2_survival(stat, len(buckets) - 1), observed, expected


def _chi2_survival(x, dof):
    """P(X > x) for a chi-square variable with ``dof`` degrees of freedom: Q(dof/2, x/2)."""
    return _upper_gamma_q(dof / 2.0, x / 2.0) if x > 0 else 1.0


def _upper_gamma_q(a, x):
    """Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction
    above, as in standard numerical practice)."""
    import math
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _ in range(1000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return math.exp(log_front) * h


def verify_generator(generator, buckets, probs, nsamples=1000000, nrepeat=5, success_rate=0.2,
                     alpha=0.05):
    """Repeat ``chi_square_check`` ``nrepeat`` times; AssertionError unless at least
    ``success_rate`` of the runs have p > ``alpha``. Returns the p values."""
    results = [chi_square_check(generator, buckets, probs, nsamples) for _ in range(nrepeat)]
    p_values = [r[0] for r in results]
    if sum(p > alpha for p in p_values) < nrepeat * success_rate:
        raise AssertionError(f"Generator test fails, Chi-square p={p_values}, "
                             f"obs_freq={[r[1].tolist() for r in results]}, "
                             f"expected_freq={[r[2].tolist() for r in results]}\n"
                             f"buckets={buckets}, probs={probs}")
    return p_values
