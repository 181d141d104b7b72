"""Random sampling operators of ``mx.np.random`` / ``mx.npx.random`` (``_npi_uniform``,
``_npi_normal``, ``_npi_random_randint``, ``_npi_choice``, ``_npi_shuffle``...).

Each distribution parameter is a scalar attribute or, when that attribute is None, an array
input (``input1``, ``input2`` in parameter order), as in MXNet 1.9.1; array parameters
broadcast against each other and against ``size``. Gradients flow into array parameters along
the sampling path (normal, exponential, weibull...), except for uniform and gamma, where MXNet
1.9.1 gives none. Every draw uses the device's
torch generator (``mx.random.seed``/``npx.random.seed``). ``size=None`` gives a 0-d sample.
"""
import math

import torch

from ..base import MXNetError
from .._torch import rng
from .._torch.dtypes import NAME_TO_TORCH
from ._attrs import BOOL, CTX, INT, OPT_DTYPE, OPT_FLOAT, OPT_SHAPE
from .np_reduce import LITERAL
from ._registry import Attr, defop
from .creation import device_of

_CTX = Attr("ctx", CTX, None, "Device")
_SIZE = Attr("size", OPT_SHAPE, None, "Output shape (None: one value, 0-d)")
_DTYPE = Attr("dtype", OPT_DTYPE, None, "Output dtype (None: float32)")


def _prepare(size, ctx, dtype, default="float32"):
    shape = () if size is None else tuple(size)
    if any(d < 0 for d in shape):
        raise MXNetError(f"random: negative dimensions are not allowed in size {shape}")
    device = device_of(ctx)
    return shape, device, NAME_TO_TORCH[dtype or default], rng.generator_for(device)


def _work(dtype):
    return torch.float64 if dtype == torch.float64 else torch.float32


def _std_uniform(shape, device, dtype, gen):
    return torch.rand(shape, dtype=_work(dtype), device=device, generator=gen)


def _std_normal(shape, device, dtype, gen):
    return torch.randn(shape, dtype=_work(dtype), device=device, generator=gen)


def _std_exponential(shape, device, dtype, gen):
    return torch.empty(shape, dtype=_work(dtype), device=device).exponential_(1.0, generator=gen)


def _param_inputs(names):
    """Input names of a sampler: one ``inputN`` per parameter given as an array (attr None)."""
    def inputs(at):
        count = sum(at[n] is None for n in names)
        return tuple(f"input{i + 1}" for i in range(count))
    return inputs


def _out_shape(name, size, params):
    """``size`` (every parameter must broadcast to it) or the parameters' broadcast shape."""
    shapes = [tuple(p.shape) for p in params if isinstance(p, torch.Tensor)]
    try:
        full = torch.broadcast_shapes(*shapes) if shapes else ()
        if size is None:
            return tuple(full)
        if tuple(torch.broadcast_shapes(tuple(size), full)) != tuple(size):
            raise RuntimeError
    except RuntimeError:
        raise MXNetError(f"random.{name}: parameters of shapes {shapes} do not broadcast to "
                         f"{'one shape' if size is None else f'size {tuple(size)}'}") from None
    return tuple(size)


def _register(name, params, draw, doc, check=None, grad=True, ctx=True):
    """A sampler op ``_npi_<name>``: each parameter is a scalar attribute or, when that
    attribute is None, the next array input (MXNet's convention: ``input1``, ``input2``).
    ``check(value)`` returns an error for invalid parameters; ``grad=False`` stops gradients
    into array parameters (MXNet has none for uniform and gamma)."""
    names = [p for p, _ in params]
    attrs = tuple(Attr(p, OPT_FLOAT, d, f"Distribution parameter {p} (None: an input)")
                  for p, d in params) + (_SIZE,) + ((_CTX,) if ctx else ()) + (_DTYPE,)

    def compute(*arrays, size, ctx=None, dtype=None, **kw):
        tensors = iter(arrays)
        t = NAME_TO_TORCH[dtype or "float32"]
        device = arrays[0].device if arrays else device_of(ctx)
        values = {}
        for n in names:
            v = kw[n] if kw[n] is not None else next(tensors).to(_work(t))
            values[n] = v if grad or not isinstance(v, torch.Tensor) else v.detach()
            if check is not None:
                _check(name, n, values[n], check)
        shape = _out_shape(name, size, list(values.values()))
        if any(d < 0 for d in shape):
            raise MXNetError(f"random: negative dimensions are not allowed in size {shape}")
        return draw(shape, device, t, rng.generator_for(device), *values.values()).to(t)
    compute.__doc__ = doc
    defop(f"_npi_{name}", inputs=_param_inputs(names),
          all_inputs=tuple(f"input{i + 1}" for i in range(len(names))), attrs=attrs,
          same_dtype=())(compute)


def _check(name, param, value, rule):
    if isinstance(value, torch.Tensor) and value.device.type == "meta":
        return  # shape inference: no values to check
    bad = bool((~rule(value)).any()) if isinstance(value, torch.Tensor) else not rule(value)
    if bad:
        raise ValueError(f"random.{name}: invalid {param} (got "
                         f"{value.tolist() if isinstance(value, torch.Tensor) else value})")


def _uniform(shape, device, t, gen, low, high):
    return low + (high - low) * _std_uniform(shape, device, t, gen)


def _normal(shape, device, t, gen, loc, scale):
    return loc + scale * _std_normal(shape, device, t, gen)


def _exponential(shape, device, t, gen, scale):
    return scale * _std_exponential(shape, device, t, gen)


def _gamma(shape, device, t, gen, alpha, scale):
    alpha = torch.as_tensor(alpha, dtype=_work(t), device=device).expand(shape)
    return scale * torch._standard_gamma(alpha.contiguous(), generator=gen)


def _gumbel(shape, device, t, gen, loc, scale):
    u = _std_uniform(shape, device, t, gen).clamp_min(1e-20)
    return loc - scale * torch.log(-torch.log(u))


def _logistic(shape, device, t, gen, loc, scale):
    u = _std_uniform(shape, device, t, gen).clamp(1e-7, 1 - 1e-7)
    return loc + scale * torch.log(u / (1 - u))


def _rayleigh(shape, device, t, gen, scale):
    u = _std_uniform(shape, device, t, gen)
    return scale * torch.sqrt(-2.0 * torch.log1p(-u))


def _weibull(shape, device, t, gen, a):
    return _std_exponential(shape, device, t, gen).pow(1.0 / a)


def _pareto(shape, device, t, gen, a):
    return torch.expm1(_std_exponential(shape, device, t, gen) / a)


def _powerd(shape, device, t, gen, a):
    return (-torch.expm1(-_std_exponential(shape, device, t, gen))).pow(1.0 / a)


def _positive(v):
    return v > 0


def _non_negative(v):
    return v >= 0


_register("uniform", (("low", 0.0), ("high", 1.0)), _uniform, "Uniform samples in [low, high).",
          grad=False)
_register("normal", (("loc", 0.0), ("scale", 1.0)), _normal, "Normal samples.")
_register("exponential", (("scale", 1.0),), _exponential, "Exponential samples (mean scale).")
_register("gamma", (("shape", 1.0), ("scale", 1.0)), _gamma, "Gamma samples (shape, scale).",
          check=_non_negative, grad=False)
_register("gumbel", (("loc", 0.0), ("scale", 1.0)), _gumbel, "Gumbel samples.")
_register("logistic", (("loc", 0.0), ("scale", 1.0)), _logistic, "Logistic samples.")
_register("rayleigh", (("scale", 1.0),), _rayleigh, "Rayleigh samples.")
_register("weibull", (("a", 1.0),), _weibull, "Weibull samples with shape a.",
          check=_positive)
_register("pareto", (("a", 1.0),), _pareto, "Pareto II (Lomax) samples with shape a.",
          check=_positive)
_register("powerd", (("a", 1.0),), _powerd, "Power-distribution samples with exponent a.",
          check=_positive, ctx=False)


def _bernoulli_inputs(at):
    given = at["logit"] if at["is_logit"] else at["prob"]
    return ("input1",) if given is None else ()


@defop("_npi_bernoulli", inputs=_bernoulli_inputs, all_inputs=("input1",),
       attrs=(Attr("prob", OPT_FLOAT, None), Attr("logit", OPT_FLOAT, None), _SIZE, _CTX,
              _DTYPE, Attr("is_logit", BOOL, False)))
def np_bernoulli(*arrays, prob, logit, size, ctx, dtype, is_logit):
    """1 with probability ``prob`` (or ``sigmoid(logit)`` when ``is_logit``), else 0; the
    parameter is an attribute or, when None, the input."""
    t = NAME_TO_TORCH[dtype or "float32"]
    device = arrays[0].device if arrays else device_of(ctx)
    p = arrays[0].detach().to(_work(t)) if arrays else (logit if is_logit else prob)
    if is_logit:
        p = torch.sigmoid(p) if isinstance(p, torch.Tensor) else 1.0 / (1.0 + math.exp(-p))
    else:
        _check("bernoulli", "prob", p, lambda v: (v >= 0) & (v <= 1) if isinstance(
            v, torch.Tensor) else 0 <= v <= 1)
    shape = _out_shape("bernoulli", size, [p])
    u = _std_uniform(shape, device, t, rng.generator_for(device))
    return (u < p).to(t)


@defop("_npi_random_randint", inputs=(), attrs=(Attr("low", INT, 0), Attr("high", INT),
                                                _SIZE, _CTX, _DTYPE))
def np_randint(low, high, size, ctx, dtype):
    """Integers drawn uniformly from [low, high) (int64 by default)."""
    if high <= low:
        raise MXNetError(f"randint: low >= high ({low} >= {high})")
    shape, device, t, gen = _prepare(size, ctx, dtype, "int64")
    return torch.randint(low, high, shape, device=device, generator=gen).to(t)


@defop("_npi_choice", inputs=lambda at: ("p",) if at["weighted"] else (), all_inputs=("p",),
       attrs=(Attr("a", INT), _SIZE, _CTX, Attr("replace", BOOL, True),
              Attr("weighted", BOOL, False)))
def np_choice(p=None, *, a, size, ctx, replace, weighted):
    """Samples of ``range(a)``, with probabilities ``p`` when ``weighted``."""
    shape, device, _, gen = _prepare(size, ctx, None)
    n = 1
    for d in shape:
        n *= d
    if not replace and n > a:
        raise MXNetError(f"choice: cannot take a larger sample ({n}) than the population ({a}) "
                         "when replace=False")
    probs = p.to(torch.float64) if weighted else torch.ones(a, dtype=torch.float64,
                                                              device=device)
    if n == 0:
        return torch.zeros(shape, dtype=torch.int64, device=device)
    out = torch.multinomial(probs, n, replacement=replace, generator=gen)
    return out.reshape(shape)


@defop("_npi_multinomial", inputs=("pvals",), attrs=(Attr("n", INT), _SIZE, _CTX))
def np_multinomial(pvals, n, size, ctx):
    """Counts of ``n`` draws over categories with probabilities ``pvals`` (int64)."""
    shape, device, _, gen = _prepare(size, ctx, None)
    k = pvals.shape[-1]
    total = 1
    for d in shape:
        total *= d
    draws = torch.multinomial(pvals.to(torch.float64).expand(total, k), n, replacement=True,
                              generator=gen) if n else torch.zeros((total, 0), dtype=torch.int64)
    counts = torch.zeros((total, k), dtype=torch.int64, device=device)
    counts.scatter_add_(1, draws, torch.ones_like(draws))
    return counts.reshape(shape + (k,))


@defop("_npi_shuffle", inputs=("data",), shape_rule="same")
def np_shuffle(data):
    """A copy with the first axis permuted randomly."""
    if data.dim() == 0 or data.shape[0] < 2:
        return data.clone()
    perm = torch.randperm(data.shape[0], device=data.device,
                          generator=rng.generator_for(data.device))
    return data[perm]


@defop("_npi_permutation_like", inputs=(), attrs=(Attr("n", INT), _CTX,
                                                  Attr("dtype", LITERAL, "int64")))
def np_permutation(n, ctx, dtype):
    """A random permutation of ``range(n)``."""
    device = device_of(ctx)
    return torch.randperm(n, device=device, generator=rng.generator_for(device))
