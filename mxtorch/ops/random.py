"""Random sampling operators: ``_random_*`` (scalar parameters), their ``_like`` forms,
``_sample_*`` (one distribution per element of parameter arrays), ``_shuffle`` and the
differentiable densities ``_random_pdf_*``.

Every draw uses torch's generator of the output's device, so ``mx.random.seed`` (see
``_torch/rng.py``) makes results reproducible. MXNet rules encoded here (checked on 1.9.1):
- ``dtype='None'`` means float32 (int32 for ``randint``); ``_sample_*`` outputs are float32
  whatever the parameter dtype unless ``dtype`` says otherwise.
- ``_random_*`` without ``shape`` draw one value, shape ``(1,)``; ``_sample_*`` outputs have
  shape ``param.shape + shape``.
- Samples carry no gradient to their parameters (MXNet gives zeros); the densities do.
- Parameterisations: ``gamma(alpha, beta)`` samples with *scale* beta (mean alpha*beta) while
  ``pdf_gamma`` reads beta as a *rate*; ``exponential``/``pdf_exponential`` take the rate
  ``lam``; ``negative_binomial(k, p)`` counts failures before k successes;
  ``generalized_negative_binomial(mu, alpha)`` has mean mu and variance mu + alpha*mu^2.
"""
import math

import torch

from ..base import MXNetError
from .._torch import rng
from .._torch.meta import INFERRING
from .._torch.dtypes import NAME_TO_TORCH, dtype_name
from ._attrs import BOOL, CTX, FLOAT, INT, OPT_SHAPE, SHAPE, Kind
from ._registry import Attr, defop
from .creation import device_of


class DTypeChoice(Kind):
    """A dtype restricted to MXNet's choices; ``None``/'None' allowed when ``optional``."""

    def __init__(self, *choices, optional=True):
        self.choices = choices
        self.optional = optional
        self.name = "{" + ", ".join(("'None'",) * optional + tuple(repr(c) for c in choices)) + "}"

    def parse(self, value):
        if value is None or (isinstance(value, str) and value.strip() == "None"):
            if self.optional:
                return None
            raise ValueError(f"expected one of {self.name}, got None")
        name = dtype_name(value)
        if name not in self.choices:
            raise ValueError(f"expected one of {self.name}, got {name!r}")
        return name

    def format(self, value):
        return "None" if value is None else value


FLOAT_DTYPE = DTypeChoice("float16", "float32", "float64")
INT_DTYPE = DTypeChoice("int32", "int64")
_COMPUTE = {torch.float16: torch.float32, torch.bfloat16: torch.float32}


def _out_dtype(dtype, default="float32"):
    return NAME_TO_TORCH[dtype or default]


def _legacy_shape(shape):
    # NOTE: an unset (or empty) shape draws one value; legacy arrays are never 0-d.
    return tuple(shape) if shape else (1,)


def _gen(device):
    return rng.generator_for(device)


# --------------------------------------------------------------------------------------------
# samplers on torch tensors of parameters (already broadcast to the output shape)
# --------------------------------------------------------------------------------------------


def _uniform(low, high, gen):
    u = torch.rand(low.shape, dtype=low.dtype, device=low.device, generator=gen)
    return low + (high - low) * u


def _normal(loc, scale, gen):
    z = torch.randn(loc.shape, dtype=loc.dtype, device=loc.device, generator=gen)
    return loc + scale * z


def _gamma(alpha, beta, gen):
    return torch._standard_gamma(alpha, generator=gen) * beta


def _exponential(lam, gen):
    e = torch.empty_like(lam).exponential_(1.0, generator=gen)
    return e / lam


def _poisson(lam, gen):
    return torch.poisson(lam, generator=gen)


def _negative_binomial(k, p, gen):
    # A Poisson draw whose rate is Gamma(k, (1-p)/p) distributed.
    rate = torch._standard_gamma(k, generator=gen) * ((1 - p) / p)
    return torch.poisson(rate, generator=gen)


def _generalized_negative_binomial(mu, alpha, gen):
    safe = torch.where(alpha > 0, alpha, torch.ones_like(alpha))
    rate = torch._standard_gamma(1.0 / safe, generator=gen) * (safe * mu)
    # NOTE: alpha == 0 is the Poisson limit.
    return torch.poisson(torch.where(alpha > 0, rate, mu), generator=gen)


# name: (sampler, (parameter attribute, MXNet default)...)
_DISTRIBUTIONS = {
    "uniform": (_uniform, (("low", 0.0), ("high", 1.0))),
    "normal": (_normal, (("loc", 0.0), ("scale", 1.0))),
    "gamma": (_gamma, (("alpha", 1.0), ("beta", 1.0))),
    "exponential": (_exponential, (("lam", 1.0),)),
    "poisson": (_poisson, (("lam", 1.0),)),
    "negative_binomial": (_negative_binomial, (("k", 1), ("p", 1.0))),
    "generalized_negative_binomial": (_generalized_negative_binomial,
                                      (("mu", 1.0), ("alpha", 1.0))),
}
_SAMPLE_INPUTS = {"uniform": ("low", "high"), "normal": ("mu", "sigma"),
                  "gamma": ("alpha", "beta"), "exponential": ("lam",), "poisson": ("lam",),
                  "negative_binomial": ("k", "p"),
                  "generalized_negative_binomial": ("mu", "alpha")}
_ALIASES = {"uniform": ("random_uniform", "uniform"), "normal": ("normal", "random_normal")}


def _draw(sampler, values, shape, dtype, device):
    """Draw ``shape`` samples with scalar parameters ``values``, returned as ``dtype``."""
    work = _COMPUTE.get(dtype, dtype)
    params = [torch.full(shape, float(v), dtype=work, device=device) for v in values]
    out = sampler(*params, _gen(device))
    return out if out.dtype == dtype else out.to(dtype)


# name -> (check on the scalar parameters, MXNet's message when it fails)
_CHECKS = {
    "normal": (lambda loc, scale: scale > 0, "Check failed: param.scale > 0: scale parameter "
               "in gaussian has to be positive"),
    "uniform": (lambda low, high: high >= low, "Check failed: param.high >= param.low: low "
                "must be less or equal to high in uniform distribution"),
    "gamma": (lambda alpha, beta: alpha > 0, "Check failed: param.alpha > 0: alpha parameter "
              "in gamma distribution has to be positive"),
    "exponential": (lambda lam: lam > 0, "Check failed: param.lam > 0: lambda parameter in "
                    "exponential distribution has to be positive"),
    "poisson": (lambda lam: lam >= 0, "Check failed: param.lam >= 0: lambda parameter in "
                "poisson distribution has to be non-negative"),
}


def _checked_draw(op, name, values, shape, dtype, device):
    """Draw; invalid scalar parameters fail as in MXNet, inside the kernel: the error surfaces
    when the result is read (``engine.defer_error``). Shape inference is not a run."""
    rule = _CHECKS.get(name)
    sampler = _DISTRIBUTIONS[name][0]
    if rule is None or rule[0](*values):
        return _draw(sampler, values, shape, dtype, device)
    out = _draw(sampler, [d for _, d in _DISTRIBUTIONS[name][1]], shape, dtype, device)
    if device.type != "meta" and not INFERRING[0]:
        from ..engine import defer_error
        args = ", ".join(f"{n}={v}" for (n, _), v in zip(_DISTRIBUTIONS[name][1], values))
        defer_error(f"{op}: {rule[1]} (got {args})", out)
    return out


def _make_random(name, sampler, names):
    def compute(*args, **attrs):
        shape = _legacy_shape(attrs["shape"])
        return _checked_draw(f"_random_{name}", name, [attrs[n] for n in names], shape,
                             _out_dtype(attrs["dtype"]), device_of(attrs["ctx"]))
    compute.__name__ = f"random_{name}"
    compute.__doc__ = f"Samples of the {name.replace('_', ' ')} distribution (scalar parameters)."
    return compute


def _make_like(name, sampler, names):
    def compute(data, **attrs):
        dtype = data.dtype if data.is_floating_point() else torch.float32
        out = _checked_draw(f"_random_{name}_like", name, [attrs[n] for n in names],
                            tuple(data.shape), dtype, data.device)
        return out if out.dtype == data.dtype else out.to(data.dtype)
    compute.__name__ = f"random_{name}_like"
    compute.__doc__ = (f"Samples of the {name.replace('_', ' ')} distribution with the shape, "
                       "dtype and device of the input.")
    return compute


def _make_sample(name, sampler, inputs):
    def compute(*params, shape, dtype):
        for label, p in zip(inputs[1:], params[1:]):
            if p.shape != params[0].shape:
                raise MXNetError(f"_sample_{name}: input {label!r} has shape {tuple(p.shape)}, "
                                 f"expected {tuple(params[0].shape)} like input {inputs[0]!r}")
        extra = tuple(shape)
        if any(d < 0 for d in extra):
            raise MXNetError(f"_sample_{name}: shape={extra} has a negative dimension; the "
                             "sample shape must be given in full")
        full = tuple(params[0].shape) + extra
        work = params[0].dtype if params[0].dtype == torch.float64 else torch.float32
        # NOTE: samples carry no gradient to their parameters, as in MXNet.
        expanded = [p.detach().to(work).reshape(tuple(p.shape) + (1,) * len(extra)).expand(full)
                    for p in params]
        out = sampler(*expanded, _gen(params[0].device))
        return out.to(_out_dtype(dtype))
    compute.__name__ = f"sample_{name}"
    compute.__doc__ = (f"Samples of the {name.replace('_', ' ')} distribution, one "
                       "distribution per element of the parameter arrays "
                       "(output shape: parameter shape + ``shape``).")
    return compute


def _sample_types(op):
    """infer_type rule of ``_sample_*``: parameters share one dtype; the samples are ``dtype``
    (float32 when None) once a parameter dtype is known, unknown before (as MXNet 1.9.1)."""
    def rule(attrs, in_dtypes):
        known = [d for d in in_dtypes if d is not None]
        if not known:
            return list(in_dtypes), [None]
        if any(d != known[0] for d in known):
            raise MXNetError(f"{op}: the parameter inputs must share one dtype, got "
                             f"{[dtype_name(d) if d is not None else None for d in in_dtypes]}")
        return [known[0]] * len(in_dtypes), [attrs["dtype"] or "float32"]
    return rule


def _register():
    for name, (sampler, params) in _DISTRIBUTIONS.items():
        kinds = [Attr(p, INT if isinstance(d, int) else FLOAT, d) for p, d in params]
        defop(f"_random_{name}", inputs=(), aliases=_ALIASES.get(name, (f"random_{name}",)),
              attrs=tuple(kinds) + (Attr("shape", OPT_SHAPE, None, "Output shape"),
                                    Attr("ctx", CTX, None, "Device, e.g. 'cpu(0)'"),
                                    Attr("dtype", FLOAT_DTYPE, None, "Output dtype")))(
            _make_random(name, sampler, [p for p, _ in params]))
        defop(f"_random_{name}_like", inputs=("data",), attrs=tuple(kinds), shape_rule="same")(
            _make_like(name, sampler, [p for p, _ in params]))
        inputs = _SAMPLE_INPUTS[name]
        defop(f"_sample_{name}", inputs=inputs, aliases=(f"sample_{name}",),
              attrs=(Attr("shape", SHAPE, (), "Samples per parameter element"),
                     Attr("dtype", FLOAT_DTYPE, None, "Output dtype (None: float32)")),
              infer_type=_sample_types(f"_sample_{name}"))(_make_sample(name, sampler, inputs))


_register()


@defop("_random_randint", aliases=("random_randint",), inputs=(),
       attrs=(Attr("low", INT, doc="Lower bound (inclusive)"),
              Attr("high", INT, doc="Upper bound (exclusive)"),
              Attr("shape", OPT_SHAPE, None, "Output shape"),
              Attr("ctx", CTX, None, "Device"),
              Attr("dtype", INT_DTYPE, None, "Output dtype (None: int32)")))
def random_randint(low, high, shape, ctx, dtype):
    """Uniform integers in [low, high)."""
    if high <= low:
        raise MXNetError(f"_random_randint: high ({high}) must be greater than low ({low})")
    device = device_of(ctx)
    return torch.randint(low, high, _legacy_shape(shape), dtype=_out_dtype(dtype, "int32"),
                         device=device, generator=_gen(device))


@defop("_sample_multinomial", aliases=("sample_multinomial",), inputs=("data",),
       attrs=(Attr("shape", SHAPE, (), "Samples per distribution"),
              Attr("get_prob", BOOL, False, "Also return the log-probability of each sample"),
              Attr("dtype", DTypeChoice("float16", "float32", "float64", "int32", "uint8",
                                        optional=False), "int32", "Dtype of the samples")),
       num_outputs=lambda a: 2 if a["get_prob"] else 1,
       infer_type=lambda a, d: (list(d), [None] * (1 + a["get_prob"]) if d[0] is None else
                                [a["dtype"], d[0]][:1 + a["get_prob"]]))
def sample_multinomial(data, shape, get_prob, dtype):
    """Category indices drawn from the distributions on the last axis of ``data``.

    With ``get_prob`` the log-probabilities of the draws come second; their gradient is the
    REINFORCE-style gradient of ``log p[sample]``.
    """
    k = data.shape[-1]
    extra = tuple(shape) or ((1,) if data.dim() == 1 else ())  # one draw keeps a (1,) axis
    count = math.prod(extra)
    rows = data.detach().reshape(-1, k).float()
    idx = torch.multinomial(rows, count, replacement=True, generator=_gen(data.device)) \
        if rows.shape[0] else rows.new_zeros((0, count), dtype=torch.int64)
    idx = idx.reshape(tuple(data.shape[:-1]) + extra)
    samples = idx.to(NAME_TO_TORCH[dtype])
    if not get_prob:
        return samples
    flat = data.reshape(data.shape[:-1] + (1,) * len(extra) + (k,))
    picked = torch.gather(flat.expand(tuple(idx.shape) + (k,)), -1, idx.unsqueeze(-1))
    return samples, torch.log(picked.squeeze(-1))


@defop("_sample_unique_zipfian", inputs=(),
       attrs=(Attr("range_max", INT, doc="Classes are drawn from [0, range_max)"),
              Attr("shape", OPT_SHAPE, None, "(batch_size, num_sampled)")),
       num_outputs=2, output_names=("output", "num_tries"))
def sample_unique_zipfian(range_max, shape):
    """Unique samples from the log-uniform (Zipfian) distribution over [0, range_max), per row,
    and the number of draws each row needed (int64)."""
    shape = _legacy_shape(shape)
    if len(shape) != 2:
        raise MXNetError(f"_sample_unique_zipfian: shape must be (batch_size, num_sampled), "
                         f"got {shape}")
    batch, num = shape
    if num > range_max:
        raise MXNetError(f"_sample_unique_zipfian: cannot draw {num} unique classes out of "
                         f"range_max={range_max}")
    return _unique_log_uniform(range_max, batch, num, _gen(torch.device("cpu")))


def _unique_log_uniform(range_max, batch, num, gen):
    """Per row, ``num`` distinct log-uniform classes in order of first appearance, and the
    number of draws that took (all rows at once; more draws are appended until every row
    has enough distinct values)."""
    log_range = math.log(range_max + 1.0)
    draws = torch.empty((batch, 0), dtype=torch.int64)
    chunk = max(2 * num, 16)
    while True:
        u = torch.rand((batch, chunk), dtype=torch.float64, generator=gen)
        # NOTE: MXNet rounds (not floors) exp(u * log(range_max + 1)), so P(0) = log(1.5)/L.
        new = (torch.exp(u * log_range).round().long() - 1).clamp_(0, range_max - 1)
        draws = torch.cat([draws, new], dim=1)
        first = _first_occurrences(draws)[:, :num]
        if num == 0 or bool((first[:, -1] < draws.shape[1]).all()):
            break
    tries = first[:, -1] + 1 if num else torch.zeros(batch, dtype=torch.int64)
    return torch.gather(draws, 1, first), tries


def _first_occurrences(draws):
    """Sorted positions of each row's first occurrences; the rest of a row is filled with the
    row length (a sentinel past the end)."""
    length = draws.shape[1]
    values, order = torch.sort(draws, dim=1, stable=True)
    is_first = torch.ones_like(values, dtype=torch.bool)
    is_first[:, 1:] = values[:, 1:] != values[:, :-1]
    positions = torch.where(is_first, order, torch.full_like(order, length))
    return torch.sort(positions, dim=1).values


@defop("_shuffle", aliases=("shuffle",), inputs=("data",), shape_rule="same")
def shuffle(data):
    """A random permutation of the input along its first axis."""
    perm = torch.randperm(data.shape[0], device=data.device, generator=_gen(data.device))
    return data[perm]


# --------------------------------------------------------------------------------------------
# densities (differentiable w.r.t. the sample of continuous laws and every parameter)
# --------------------------------------------------------------------------------------------


def _log_uniform(x, low, high):
    inside = (x >= low) & (x <= high)
    # NOTE: MXNet returns 1/(high-low) even outside [low, high]; we return density 0 there
    # (see compat/linalg_random_update.md).
    value = -torch.log(high - low) + 0 * x
    return torch.where(inside, value, torch.full_like(value, -math.inf))


def _log_normal(x, mu, sigma):
    z = (x - mu) / sigma
    return -0.5 * z * z - torch.log(sigma) - 0.5 * math.log(2 * math.pi)


def _log_gamma(x, alpha, beta):
    return alpha * torch.log(beta) + (alpha - 1) * torch.log(x) - beta * x - torch.lgamma(alpha)


def _log_exponential(x, lam):
    return torch.log(lam) - lam * x


def _log_poisson(x, lam):
    x = x.detach()  # NOTE: discrete laws: MXNet gives the sample a zero gradient
    return x * torch.log(lam) - lam - torch.lgamma(x + 1)


def _log_negative_binomial(x, k, p):
    x = x.detach()
    return (torch.lgamma(x + k) - torch.lgamma(k) - torch.lgamma(x + 1)
            + k * torch.log(p) + x * torch.log1p(-p))


def _log_generalized_negative_binomial(x, mu, alpha):
    k = 1.0 / alpha
    p = 1.0 / (1.0 + alpha * mu)
    return _log_negative_binomial(x, k, p)


_DENSITIES = {
    "uniform": (_log_uniform, ("low", "high")),
    "normal": (_log_normal, ("mu", "sigma")),
    "gamma": (_log_gamma, ("alpha", "beta")),
    "exponential": (_log_exponential, ("lam",)),
    "poisson": (_log_poisson, ("lam",)),
    "negative_binomial": (_log_negative_binomial, ("k", "p")),
    "generalized_negative_binomial": (_log_generalized_negative_binomial, ("mu", "alpha")),
}


def _make_pdf(name, log_density):
    def compute(sample, *params, is_log):
        base = params[0].dim()
        if tuple(sample.shape[:base]) != tuple(params[0].shape):
            raise MXNetError(f"_random_pdf_{name}: input 'sample' has shape "
                             f"{tuple(sample.shape)}; its leading dimensions must equal the "
                             f"parameter shape {tuple(params[0].shape)}")
        tail = (1,) * (sample.dim() - base)
        expanded = [p.reshape(tuple(p.shape) + tail) for p in params]
        out = log_density(sample, *expanded)
        return out if is_log else torch.exp(out)
    compute.__name__ = f"pdf_{name}"
    compute.__doc__ = (f"Density (``is_log``: log-density) of the {name.replace('_', ' ')} "
                       "distribution at each sample; the leading sample dimensions index the "
                       "parameters.")
    return compute


def _register_pdf():
    for name, (log_density, params) in _DENSITIES.items():
        defop(f"_random_pdf_{name}", aliases=(f"random_pdf_{name}",),
              inputs=("sample",) + params,
              attrs=(Attr("is_log", BOOL, False, "Return the log-density"),))(
            _make_pdf(name, log_density))


_register_pdf()


@defop("_random_pdf_dirichlet", aliases=("random_pdf_dirichlet",), inputs=("sample", "alpha"),
       attrs=(Attr("is_log", BOOL, False, "Return the log-density"),))
def pdf_dirichlet(sample, alpha, is_log):
    """Dirichlet density of vectors on the last axis of ``sample`` (alpha: (..., k), sample:
    (..., n, k) with the same leading dimensions)."""
    base = alpha.dim() - 1
    if tuple(sample.shape[:base]) != tuple(alpha.shape[:-1]) or sample.shape[-1] != alpha.shape[-1]:
        raise MXNetError(f"_random_pdf_dirichlet: input 'sample' has shape {tuple(sample.shape)}"
                         f", incompatible with alpha of shape {tuple(alpha.shape)}")
    a = alpha.reshape(tuple(alpha.shape[:-1]) + (1,) * (sample.dim() - alpha.dim())
                      + (alpha.shape[-1],))
    out = (torch.lgamma(a.sum(-1)) - torch.lgamma(a).sum(-1)
           + ((a - 1) * torch.log(sample)).sum(-1))
    return out if is_log else torch.exp(out)
