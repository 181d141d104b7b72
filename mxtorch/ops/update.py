"""Optimizer update kernels (``sgd_update``, ``adam_update``, ``multi_*``...), as MXNet's
optimizers call them: ``sgd_mom_update(weight, grad, mom, out=weight, lr=...)``.

Contract shared by every kernel here:
- The new weight is the op's output; the weight input is never written (the nd door copies
  the result into ``out=``). Optimizer states (mom, mean, var, n, z, weight32...) are updated
  in place and declared in ``mutate``.
- Nothing is tracked by autograd: kernels run under ``torch.no_grad()``.
- The gradient is preprocessed as ``clip(rescale_grad * grad, clip_gradient)`` (no clipping
  when ``clip_gradient < 0``); whether weight decay is added before or after clipping, and
  whether it enters the state or the step, follows each MXNet kernel (noted per op).
- ``mp_*`` kernels keep a float32 master copy ``weight32`` and return it cast to the weight's
  dtype (float16).
- Row-sparse gradients (``sparse_compute``, see the end of this module): with
  ``lazy_update`` (and the storage types MXNet's sparse kernels accept) only the gradient's
  stored rows of the weight and of the states change, in place; other combinations take the
  standard update on the densified gradient.
- ``multi_*`` kernels take their arrays grouped per weight (``w0, g0, [states0], w1, g1...``)
  and return one new weight per group; ``preloaded_*`` take ``lrs``/``wds`` as two trailing
  arrays instead of attributes.
"""
import dataclasses
import functools

import numpy as np
import torch

from ..base import MXNetError, ShapeError
from ._attrs import BOOL, FLOAT, FLOATS, INT, SHAPE
from ._registry import REGISTRY, Attr, SparseParts, VARIADIC, defop


def _kernel(fn):
    """Run an update kernel with autograd off (states are written in place)."""
    @functools.wraps(fn)
    def compute(*args, **kwargs):
        with torch.no_grad():
            out = fn(*args, **kwargs)
        # multi-weight kernels return a tuple; with one weight the op has one output (a tensor)
        return out[0] if type(out) is tuple and len(out) == 1 else out
    return compute


def _rescaled(grad, rescale_grad, clip_gradient, dtype=None):
    """``clip(rescale_grad * grad, clip_gradient)`` as a new tensor (in ``dtype`` if given)."""
    g = grad.to(dtype) if dtype is not None and grad.dtype != dtype else grad
    g = g * rescale_grad
    if clip_gradient >= 0:
        g.clamp_(-clip_gradient, clip_gradient)
    return g


def _rescaled_wd(weight, grad, wd, rescale_grad, clip_gradient):
    """``clip(rescale_grad * grad + wd * weight, clip_gradient)``: weight decay *before*
    clipping (adam_update, rmsprop*, ftml)."""
    g = grad * rescale_grad
    if wd:
        g.add_(weight * wd)  # a separate multiply: add(alpha=) may fuse (MXNet does not)
    if clip_gradient >= 0:
        g.clamp_(-clip_gradient, clip_gradient)
    return g


def _clip_weights(weight, clip_weights):
    if clip_weights >= 0:
        weight.clamp_(-clip_weights, clip_weights)
    return weight


_LR = Attr("lr", FLOAT, doc="Learning rate")
_WD = Attr("wd", FLOAT, 0.0, "Weight decay")
_RESCALE = Attr("rescale_grad", FLOAT, 1.0, "Gradient scale")
_CLIP = Attr("clip_gradient", FLOAT, -1.0, "Clip gradients to [-c, c] (c < 0: no clipping)")
_LAZY = Attr("lazy_update", BOOL, True, "Sparse gradients only update their rows")
_MOMENTUM = Attr("momentum", FLOAT, 0.0, "Momentum")
# weight, gradient, states and the new weight share one shape (lets Symbol fill unknown ones)
_SAME = {"shape_rule": "same"}

# --------------------------------------------------------------------------------------------
# SGD family
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _f32_mul(a, b):
    """``a * b`` of two float parameters as MXNet's kernels compute it (float32)."""
    return float(np.float32(a) * np.float32(b))


def _sgd_grad_term(grad, lr, rescale_grad, clip_gradient, dtype):
    """The gradient term of MXNet's SGD kernels, rounded as they round it:
    ``(lr*rescale_grad) * g``, or ``lr * clip(rescale_grad * g)`` when clipping."""
    if clip_gradient < 0:
        g = grad.to(dtype) if grad.dtype != dtype else grad
        return g * _f32_mul(lr, rescale_grad)
    return _rescaled(grad, rescale_grad, clip_gradient, dtype).mul_(lr)


_UNITS = {}


def _unit(t):
    """A 0-d one of ``t``'s dtype and device (cached)."""
    key = (t.dtype, t.device)
    one = _UNITS.get(key)
    if one is None:
        one = _UNITS[key] = torch.ones((), dtype=t.dtype, device=t.device)
    return one


def _sub_scaled_(acc, x, c):
    """``acc -= c * x`` in place with the product rounded on its own (no fused multiply-add),
    as MXNet's kernels round it, without a temporary: on CPU float32/float64 through
    ``addcmul_(x, 1, value=-c)``, whose ``(-c*x)*1`` is the rounded product (pinned by
    tests/test_update_kernels_speed.py); elsewhere a separate multiply."""
    if x.dtype != acc.dtype:
        x = x.to(acc.dtype)
    if acc.device.type == "cpu" and acc.dtype in _ADDCMUL_EXACT:
        return acc.addcmul_(x, _unit(acc), value=-c)
    return acc.sub_(x * c)


_ADDCMUL_EXACT = (torch.float32, torch.float64)


def _sgd_step(weight, grad, lr, wd, rescale_grad, clip_gradient):
    """``(1 - lr*wd) * w - lr * clip(rescale * g)`` as a new tensor (separate roundings, no
    fused multiply-add: bit for bit MXNet's sgd_update)."""
    keep = float(np.float32(1.0) - np.float32(lr) * np.float32(wd))
    out = weight * keep
    if clip_gradient < 0:
        return _sub_scaled_(out, grad, _f32_mul(lr, rescale_grad))
    return out.sub_(_sgd_grad_term(grad, lr, rescale_grad, clip_gradient, weight.dtype))


def _sgd_mom_step(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    """``mom = momentum*mom - (lr*wd)*w - lr*clip(rescale*g)`` in place; returns ``w + mom``
    (MXNet's sgd_mom_update, bit for bit)."""
    _momentum_(mom, weight, grad, lr, momentum, wd, rescale_grad, clip_gradient)
    return weight + mom


def _momentum_(mom, weight, grad, lr, momentum, wd, rescale_grad, clip_gradient):
    """The momentum update of the SGD kernels, in place."""
    mom.mul_(momentum)
    if wd:
        _sub_scaled_(mom, weight, _f32_mul(lr, wd))
    if clip_gradient < 0:
        _sub_scaled_(mom, grad, _f32_mul(lr, rescale_grad))
    else:
        mom.sub_(_sgd_grad_term(grad, lr, rescale_grad, clip_gradient, mom.dtype))


@defop("sgd_update", **_SAME, inputs=("weight", "grad"), attrs=(_LR, _WD, _RESCALE, _CLIP, _LAZY))
@_kernel
def sgd_update(weight, grad, lr, wd, rescale_grad, clip_gradient, lazy_update):
    """SGD step: ``w - lr * (clip(rescale * g) + wd * w)``."""
    return _sgd_step(weight, grad, lr, wd, rescale_grad, clip_gradient)


@defop("sgd_mom_update", **_SAME, inputs=("weight", "grad", "mom"), mutate=("mom",),
       attrs=(_LR, _MOMENTUM, _WD, _RESCALE, _CLIP, _LAZY))
@_kernel
def sgd_mom_update(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient,
                   lazy_update):
    """SGD with momentum; ``mom`` is updated in place."""
    return _sgd_mom_step(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)


@defop("mp_sgd_update", **_SAME, inputs=("weight", "grad", "weight32"), mutate=("weight32",),
       same_dtype=("weight", "grad"), attrs=(_LR, _WD, _RESCALE, _CLIP, _LAZY))
@_kernel
def mp_sgd_update(weight, grad, weight32, lr, wd, rescale_grad, clip_gradient, lazy_update):
    """Multi-precision SGD: the step is taken on float32 ``weight32`` (in place)."""
    weight32.copy_(_sgd_step(weight32, grad, lr, wd, rescale_grad, clip_gradient))
    return weight32.to(weight.dtype)


@defop("mp_sgd_mom_update", **_SAME, inputs=("weight", "grad", "mom", "weight32"),
       mutate=("mom", "weight32"), same_dtype=("weight", "grad"),
       attrs=(_LR, _MOMENTUM, _WD, _RESCALE, _CLIP, _LAZY))
@_kernel
def mp_sgd_mom_update(weight, grad, mom, weight32, lr, momentum, wd, rescale_grad,
                      clip_gradient, lazy_update):
    """Multi-precision SGD with momentum (float32 ``mom`` and ``weight32`` in place)."""
    _momentum_(mom, weight32, grad, lr, momentum, wd, rescale_grad, clip_gradient)
    weight32.add_(mom)
    return weight32.to(weight.dtype)


def _nag_step(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    # NOTE: MXNet's NAG adds weight decay after clipping and keeps lr inside the momentum:
    # g = clip(rescale*grad) + wd*w; mom = momentum*mom - lr*g; w += momentum*mom - lr*g
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    if wd:
        g.add_(weight, alpha=wd)
    mom.mul_(momentum).add_(g, alpha=-lr)
    return torch.add(weight, mom, alpha=momentum).add_(g, alpha=-lr)


@defop("nag_mom_update", **_SAME, inputs=("weight", "grad", "mom"), mutate=("mom",),
       attrs=(_LR, _MOMENTUM, _WD, _RESCALE, _CLIP))
@_kernel
def nag_mom_update(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    """Nesterov momentum SGD; ``mom`` is updated in place."""
    return _nag_step(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)


@_kernel
def _nag_mom_update_into_weight(weight, grad, mom, lr, momentum, wd, rescale_grad,
                                clip_gradient):
    """``nag_mom_update(..., out=weight)``: MXNet writes the new weight first, so the weight
    decay in the momentum update reads the *updated* weight (what mx.optimizer.NAG does)."""
    return _nag_weight_first(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient)


def _nag_weight_first(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient):
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    step = g.add(weight, alpha=wd) if wd else g
    new_weight = torch.add(weight, mom * momentum - lr * step, alpha=momentum).sub_(step, alpha=lr)
    if wd:
        g.add_(new_weight, alpha=wd)
    mom.mul_(momentum).add_(g, alpha=-lr)
    return new_weight


REGISTRY["nag_mom_update"].out_alias = dataclasses.replace(
    REGISTRY["nag_mom_update"], compute=_nag_mom_update_into_weight)


@defop("mp_nag_mom_update", **_SAME, inputs=("weight", "grad", "mom", "weight32"),
       mutate=("mom", "weight32"), same_dtype=("weight", "grad"),
       attrs=(_LR, _MOMENTUM, _WD, _RESCALE, _CLIP))
@_kernel
def mp_nag_mom_update(weight, grad, mom, weight32, lr, momentum, wd, rescale_grad,
                      clip_gradient):
    """Multi-precision Nesterov momentum SGD (as MXNet's kernel, the momentum's weight decay
    reads the already updated ``weight32``)."""
    weight32.copy_(_nag_weight_first(weight32, grad, mom, lr, momentum, wd, rescale_grad,
                                     clip_gradient))
    return weight32.to(weight.dtype)


@defop("signsgd_update", **_SAME, inputs=("weight", "grad"), attrs=(_LR, _WD, _RESCALE, _CLIP))
@_kernel
def signsgd_update(weight, grad, lr, wd, rescale_grad, clip_gradient):
    """``(1 - lr*wd) * w - lr * sign(g)`` (rescaling and clipping cannot change a sign)."""
    return torch.add(weight * (1.0 - lr * wd), torch.sign(grad), alpha=-lr)


@defop("signum_update", **_SAME, inputs=("weight", "grad", "mom"), mutate=("mom",),
       attrs=(_LR, _MOMENTUM, _WD, _RESCALE, _CLIP,
              Attr("wd_lh", FLOAT, 0.0, "Decoupled weight decay")))
@_kernel
def signum_update(weight, grad, mom, lr, momentum, wd, rescale_grad, clip_gradient, wd_lh):
    """Signum: ``mom = momentum*mom - (1-momentum)*(wd*w + clip(rescale*g))``;
    ``w = (1 - lr*wd_lh) * w + lr * sign(mom)``."""
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    if wd:
        g.add_(weight, alpha=wd)
    mom.mul_(momentum).add_(g, alpha=-(1.0 - momentum))
    return torch.add(weight * (1.0 - lr * wd_lh), torch.sign(mom), alpha=lr)


# --------------------------------------------------------------------------------------------
# adaptive methods
# --------------------------------------------------------------------------------------------

_BETA1 = Attr("beta1", FLOAT, 0.9, "Decay of the first moment")
_BETA2 = Attr("beta2", FLOAT, 0.999, "Decay of the second moment")


def _one_minus_f32(x):
    """``1.f - x`` as MXNet's kernels compute it (float32 parameters)."""
    return float(np.float32(1.0) - np.float32(x))


def _adam_moments(g, mean, var, beta1, beta2):
    # MXNet: beta1*mean + (1.f-beta1)*g and beta2*var + (1.f-beta2)*g*g, each product rounded
    # separately (no fused multiply-add), so the moments match its kernel bit for bit
    mean.mul_(beta1).add_(g * _one_minus_f32(beta1))
    var.mul_(beta2).add_(g * _one_minus_f32(beta2) * g)


@defop("adam_update", **_SAME, inputs=("weight", "grad", "mean", "var"), mutate=("mean", "var"),
       attrs=(_LR, _BETA1, _BETA2, Attr("epsilon", FLOAT, 1e-8, "Term added to the denominator"),
              _WD, _RESCALE, _CLIP, _LAZY))
@_kernel
def adam_update(weight, grad, mean, var, lr, beta1, beta2, epsilon, wd, rescale_grad,
                clip_gradient, lazy_update):
    """Adam step without bias correction (MXNet's Python Adam folds it into lr)."""
    # NOTE: weight decay joins the gradient *before* clipping in adam_update.
    g = _rescaled_wd(weight, grad, wd, rescale_grad, clip_gradient)
    _adam_moments(g, mean, var, beta1, beta2)
    return weight - mean * lr / var.sqrt().add_(epsilon)


_GAMMA1 = Attr("gamma1", FLOAT, 0.95, "Decay of the squared-gradient average")
_CLIPW = Attr("clip_weights", FLOAT, -1.0, "Clip weights to [-c, c] (c < 0: no clipping)")


@defop("rmsprop_update", **_SAME, inputs=("weight", "grad", "n"), mutate=("n",),
       attrs=(_LR, _GAMMA1, Attr("epsilon", FLOAT, 1e-8, "Term added inside the square root"),
              _WD, _RESCALE, _CLIP, _CLIPW))
@_kernel
def rmsprop_update(weight, grad, n, lr, gamma1, epsilon, wd, rescale_grad, clip_gradient,
                   clip_weights):
    """RMSProp (Tieleman & Hinton): ``n = g1*n + (1-g1)*g^2``; ``w -= lr*g/sqrt(n + eps)``."""
    # rounded as MXNet's kernel: n = (1-g1)*(g*g) + g1*n; w - lr*(g/sqrt(n+eps)), no FMA
    g = _rescaled_wd(weight, grad, wd, rescale_grad, clip_gradient)
    n.mul_(gamma1).add_((g * g).mul_(_one_minus_f32(gamma1)))
    out = weight - g.div_((n + epsilon).sqrt_()).mul_(lr)
    return _clip_weights(out, clip_weights)


@defop("rmspropalex_update", **_SAME, inputs=("weight", "grad", "n", "g", "delta"),
       mutate=("n", "g", "delta"),
       attrs=(_LR, _GAMMA1, Attr("gamma2", FLOAT, 0.9, "Momentum of the step"),
              Attr("epsilon", FLOAT, 1e-8, "Term added inside the square root"),
              _WD, _RESCALE, _CLIP, _CLIPW))
@_kernel
def rmspropalex_update(weight, grad, n, g, delta, lr, gamma1, gamma2, epsilon, wd,
                       rescale_grad, clip_gradient, clip_weights):
    """Centered RMSProp (Graves): running mean ``g`` and square ``n``, momentum ``delta``."""
    grad = _rescaled_wd(weight, grad, wd, rescale_grad, clip_gradient)
    # rounded as MXNet's kernel: n = ((1-g1)*g)*g + g1*n; g = (1-g1)*g + g1*g;
    # delta = g2*delta - (lr*g)/sqrt(n - g*g + eps), no fused multiply-add
    keep = _one_minus_f32(gamma1)
    scaled = grad * keep
    n.mul_(gamma1).add_(scaled * grad)
    g.mul_(gamma1).add_(scaled)
    denom = (n - g * g).add_(epsilon).sqrt_()
    delta.mul_(gamma2).sub_(grad.mul_(lr).div_(denom))
    return _clip_weights(weight + delta, clip_weights)


@defop("ftrl_update", **_SAME, inputs=("weight", "grad", "z", "n"), mutate=("z", "n"),
       attrs=(_LR, Attr("lamda1", FLOAT, 0.01, "L1 regularization"),
              Attr("beta", FLOAT, 1.0, "Per-coordinate learning-rate offset"),
              _WD, _RESCALE, _CLIP))
@_kernel
def ftrl_update(weight, grad, z, n, lr, lamda1, beta, wd, rescale_grad, clip_gradient):
    """FTRL-proximal: accumulates ``z`` and ``n``; weights are zero where ``|z| <= lamda1``."""
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    new_n = torch.addcmul(n, g, g)
    z.add_(g).sub_((new_n.sqrt() - n.sqrt()).mul_(weight).div_(lr))
    n.copy_(new_n)
    out = (torch.sign(z) * lamda1 - z) / ((beta + n.sqrt()) / lr + wd)
    return out.mul_(z.abs() > lamda1)


@defop("ftml_update", **_SAME, inputs=("weight", "grad", "d", "v", "z"), mutate=("d", "v", "z"),
       attrs=(_LR, Attr("beta1", FLOAT, 0.6, "Decay of the first moment"), _BETA2,
              Attr("epsilon", FLOAT, 1e-8, "Term added to the denominator"),
              Attr("t", INT, doc="Number of the update (from 1)"), _WD, _RESCALE,
              Attr("clip_grad", FLOAT, -1.0, "Clip gradients to [-c, c] (c < 0: no clipping)")))
@_kernel
def ftml_update(weight, grad, d, v, z, lr, beta1, beta2, epsilon, t, wd, rescale_grad,
                clip_grad):
    """FTML (Zheng & Kwok 2017); ``d``, ``v``, ``z`` are updated in place."""
    g = _rescaled_wd(weight, grad, wd, rescale_grad, clip_grad)
    v.mul_(beta2).addcmul_(g, g, value=1.0 - beta2)
    d_new = (v / (1.0 - beta2 ** t)).sqrt_().add_(epsilon).mul_((1.0 - beta1 ** t) / lr)
    z.mul_(beta1).add_(g, alpha=1.0 - beta1).sub_((d_new - beta1 * d).mul_(weight))
    d.copy_(d_new)
    return -z / d


_EPS_LAMB = Attr("epsilon", FLOAT, 1e-6, "Term added to the denominator")
_LAMB1_ATTRS = (_BETA1, _BETA2, _EPS_LAMB, Attr("t", INT, doc="Number of the update (from 1)"),
                Attr("bias_correction", BOOL, True, "Correct the moment estimates' bias"),
                Attr("wd", FLOAT, doc="Weight decay"), _RESCALE, _CLIP)


def _lamb_direction(weight, grad, mean, var, beta1, beta2, epsilon, t, bias_correction, wd,
                    rescale_grad, clip_gradient):
    g = _rescaled(grad, rescale_grad, clip_gradient, mean.dtype)
    _adam_moments(g, mean, var, beta1, beta2)
    m, s = mean, var
    if bias_correction:
        m = mean / (1.0 - beta1 ** t)
        s = var / (1.0 - beta2 ** t)
    return torch.div(m, s.sqrt().add_(epsilon)).add_(weight.to(mean.dtype), alpha=wd)


@defop("lamb_update_phase1", **_SAME, inputs=("weight", "grad", "mean", "var"),
       mutate=("mean", "var"), attrs=_LAMB1_ATTRS)
@_kernel
def lamb_update_phase1(weight, grad, mean, var, beta1, beta2, epsilon, t, bias_correction, wd,
                       rescale_grad, clip_gradient):
    """LAMB phase 1: Adam moments in place; returns the direction ``m/(sqrt(v)+eps) + wd*w``."""
    return _lamb_direction(weight, grad, mean, var, beta1, beta2, epsilon, t, bias_correction,
                           wd, rescale_grad, clip_gradient)


@defop("mp_lamb_update_phase1", **_SAME, inputs=("weight", "grad", "mean", "var", "weight32"),
       mutate=("mean", "var"), same_dtype=("weight", "grad"), attrs=_LAMB1_ATTRS)
@_kernel
def mp_lamb_update_phase1(weight, grad, mean, var, weight32, beta1, beta2, epsilon, t,
                          bias_correction, wd, rescale_grad, clip_gradient):
    """Multi-precision LAMB phase 1 (float32 direction from ``weight32``)."""
    return _lamb_direction(weight32, grad, mean, var, beta1, beta2, epsilon, t,
                           bias_correction, wd, rescale_grad, clip_gradient)


_LAMB2_ATTRS = (_LR, Attr("lower_bound", FLOAT, -1.0, "Lower bound of the weight norm (<0: none)"),
                Attr("upper_bound", FLOAT, -1.0, "Upper bound of the weight norm (<0: none)"))


def _lamb_ratio(r1, r2, lower_bound, upper_bound):
    if lower_bound >= 0:
        r1 = r1.clamp(min=lower_bound)
    if upper_bound >= 0:
        r1 = r1.clamp(max=upper_bound)
    # NOTE: a zero norm on either side makes the trust ratio 1.
    return torch.where((r1 == 0) | (r2 == 0), torch.ones_like(r1), r1 / r2)


@defop("lamb_update_phase2", inputs=("weight", "g", "r1", "r2"), attrs=_LAMB2_ATTRS)
@_kernel
def lamb_update_phase2(weight, g, r1, r2, lr, lower_bound, upper_bound):
    """LAMB phase 2: ``w - lr * (r1/r2) * g`` with r1 = ||w|| (bounded), r2 = ||g||."""
    ratio = _lamb_ratio(r1, r2, lower_bound, upper_bound)
    return weight - (lr * ratio) * g


@defop("mp_lamb_update_phase2", inputs=("weight", "g", "r1", "r2", "weight32"),
       mutate=("weight32",), same_dtype=("g", "r1", "r2", "weight32"), attrs=_LAMB2_ATTRS)
@_kernel
def mp_lamb_update_phase2(weight, g, r1, r2, weight32, lr, lower_bound, upper_bound):
    """Multi-precision LAMB phase 2 on ``weight32`` (in place)."""
    ratio = _lamb_ratio(r1, r2, lower_bound, upper_bound)
    weight32.sub_((lr * ratio) * g)
    return weight32.to(weight.dtype)


def _adamw_step(weight, grad, mean, var, scale, lr, beta1, beta2, epsilon, wd, eta,
                clip_gradient, write_grad=False, lerp=False):
    """One AdamW step from a tensor ``scale`` (``rescale_grad``); returns the new weight.

    ``lerp`` selects the moment formula of MXNet's multi-weight kernels.
    """
    if write_grad:
        # NOTE: the single-precision kernel leaves the rescaled, clipped gradient in ``grad``
        # (MXNet does this; the mp_ and multi_ kernels do not).
        g = grad.mul_(scale.to(grad.dtype))
    else:
        g = grad.to(mean.dtype) * scale.to(mean.dtype)
    if clip_gradient >= 0:
        g.clamp_(-clip_gradient, clip_gradient)
    g = g.to(mean.dtype)
    if lerp:
        # MXNet's multi-weight kernels: beta*(mean - g) + g and beta*(var - g*g) + g*g
        g2 = g * g
        mean.sub_(g).mul_(beta1).add_(g)
        var.sub_(g2).mul_(beta2).add_(g2)
    else:
        # the single-weight ops (_adamw_update, _mp_adamw_update):
        # beta*mean + (1-beta)*g and beta*var + (1-beta)*(g*g), each product rounded
        mean.mul_(beta1).add_(g * _one_minus_f32(beta1))
        var.mul_(beta2).add_(g.square() * _one_minus_f32(beta2))
    # eta * (lr * mean / (sqrt(var) + eps) + wd * weight), each product rounded on its own
    step = (mean * lr).div_(var.sqrt().add_(epsilon)).add_(weight * wd)
    return weight - step.mul_(eta)


_ADAMW_ATTRS = (_LR, _BETA1, _BETA2, Attr("epsilon", FLOAT, 1e-8, "Term added to the denominator"),
                _WD, Attr("eta", FLOAT, doc="Learning-rate multiplier of the schedule"), _CLIP)


def _finite_scale(rescale_grad):
    """(1-element scale, whether it is usable); shape inference (meta tensors) assumes so."""
    scale = rescale_grad.reshape(-1)[:1]
    if scale.device.type == "meta":
        return scale, True
    return scale, bool(torch.isfinite(scale).all() and (scale != 0).all())


@defop("_adamw_update", inputs=("weight", "grad", "mean", "var", "rescale_grad"),
       mutate=("grad", "mean", "var"), same_dtype=("weight", "grad", "mean", "var"),
       attrs=_ADAMW_ATTRS)
@_kernel
def adamw_update(weight, grad, mean, var, rescale_grad, lr, beta1, beta2, epsilon, wd, eta,
                 clip_gradient):
    """AdamW (decoupled weight decay): ``w -= eta * (lr * m/(sqrt(v)+eps) + wd * w)``.

    ``rescale_grad`` is a 1-element array; when it is NaN, inf or 0 the weight and states
    are left unchanged.
    """
    scale, ok = _finite_scale(rescale_grad)
    if not ok:
        return weight.clone()
    return _adamw_step(weight, grad, mean, var, scale, lr, beta1, beta2, epsilon, wd, eta,
                       clip_gradient, write_grad=True)


@defop("_mp_adamw_update", inputs=("weight", "grad", "mean", "var", "weight32", "rescale_grad"),
       mutate=("mean", "var", "weight32"), same_dtype=("weight", "grad"), attrs=_ADAMW_ATTRS)
@_kernel
def mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad, lr, beta1, beta2, epsilon,
                    wd, eta, clip_gradient):
    """Multi-precision AdamW on the float32 master copy ``weight32`` (in place)."""
    scale, ok = _finite_scale(rescale_grad)
    if not ok:
        return weight.clone()
    weight32.copy_(_adamw_step(weight32, grad, mean, var, scale, lr, beta1, beta2, epsilon,
                               wd, eta, clip_gradient))
    return weight32.to(weight.dtype)


@defop("_contrib_group_adagrad_update", inputs=("weight", "grad", "history"),
       mutate=("history",),
       attrs=(_LR, _RESCALE, _CLIP, Attr("epsilon", FLOAT, 1e-5, "Term added to the denominator")))
@_kernel
def group_adagrad_update(weight, grad, history, lr, rescale_grad, clip_gradient, epsilon):
    """Adagrad with one accumulator per row: ``history += mean(g^2 over the row)``;
    ``w -= lr * g / sqrt(history + eps)``."""
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    rows = g.reshape(g.shape[0], -1)
    history.add_(rows.square().mean(dim=1).reshape(history.shape))
    denom = (history.reshape((history.shape[0],) + (1,) * (g.dim() - 1)) + epsilon).sqrt()
    return weight - lr * g / denom


@defop("_sparse_adagrad_update", **_SAME, inputs=("weight", "grad", "history"), mutate=("history",),
       attrs=(_LR, Attr("epsilon", FLOAT, 1e-7, "Term added to the denominator"), _WD, _RESCALE,
              _CLIP))
@_kernel
def adagrad_update(weight, grad, history, lr, epsilon, wd, rescale_grad, clip_gradient):
    """Adagrad (dense fallback of MXNet's row-sparse kernel): ``h += g^2``;
    ``w -= lr * (g / sqrt(h + eps) + wd * w)``."""
    g = _rescaled(grad, rescale_grad, clip_gradient, weight.dtype)
    history.addcmul_(g, g)
    step = torch.div(g, (history + epsilon).sqrt_())
    if wd:
        step.add_(weight, alpha=wd)
    return torch.add(weight, step, alpha=-lr)


# --------------------------------------------------------------------------------------------
# multi-tensor kernels (one call updates many weights)
# --------------------------------------------------------------------------------------------


def _groups(op, data, size, count, extra=0):
    """Split variadic ``data`` into ``count`` groups of ``size`` (+ ``extra`` trailing)."""
    if len(data) != size * count + extra:
        raise ShapeError(f"{op}: got {len(data)} input arrays, expected {size * count + extra} "
                         f"({size} per weight for num_weights={count}"
                         + (f", plus {extra} trailing" if extra else "") + "); pass "
                         "num_weights=<number of weights>")
    return [data[i * size:(i + 1) * size] for i in range(count)], data[size * count:]


def _per_weight(op, name, values, count):
    if len(values) != count:
        raise MXNetError(f"{op}: attribute {name!r} has {len(values)} values, expected one per "
                         f"weight ({count})")
    return values


def _foreach_sgd(weights, grads, moms, lrs, wds, momentum, rescale_grad, clip_gradient,
                 inplace=False):
    """SGD (momentum when ``moms``) over lists of tensors; returns the new weights
    (``weights`` themselves, updated, when ``inplace``) and updates ``moms`` in place. Rounded
    as MXNet's multi-SGD kernels: ``w - ((lr*wd)*w + term)``, or ``mom = momentum*mom -
    (lr*wd)*w - term; w + mom`` with the gradient term of :func:`_sgd_grad_term`."""
    grads = [g if g.dtype == w.dtype else g.to(w.dtype) for g, w in zip(grads, weights)]
    decays = [_f32_mul(lr, wd) for lr, wd in zip(lrs, wds)]
    if moms is not None and clip_gradient < 0 and inplace and weights \
            and weights[0].device.type == "cpu":
        # weight by weight: its three passes find the momentum in cache (~15% faster than
        # three multi-tensor passes on the CPU); the same element-wise operations
        for w, g, m, lr, d in zip(weights, grads, moms, lrs, decays):
            m.mul_(momentum)
            if d:
                _sub_scaled_(m, w, d)
            if m.dtype in _ADDCMUL_EXACT and g.dtype is m.dtype:  # _sub_scaled_ inline
                m.addcmul_(g, _unit(m), value=-_f32_mul(lr, rescale_grad))
            else:
                _sub_scaled_(m, g, _f32_mul(lr, rescale_grad))
            w.add_(m)
        return weights
    if moms is not None:
        torch._foreach_mul_(moms, momentum)
        if any(decays):
            for m, w, d in zip(moms, weights, decays):
                if d:
                    _sub_scaled_(m, w, d)
        if clip_gradient < 0:
            for m, g, lr in zip(moms, grads, lrs):
                _sub_scaled_(m, g, _f32_mul(lr, rescale_grad))
        else:
            torch._foreach_sub_(moms, _clipped_terms(grads, lrs, rescale_grad, clip_gradient))
        if inplace:
            torch._foreach_add_(weights, moms)
            return weights
        return torch._foreach_add(weights, moms)
    if clip_gradient < 0 and not any(decays) and inplace:
        for w, g, lr in zip(weights, grads, lrs):
            _sub_scaled_(w, g, _f32_mul(lr, rescale_grad))
        return weights
    if clip_gradient < 0:
        terms = torch._foreach_mul(grads, [_f32_mul(lr, rescale_grad) for lr in lrs])
    else:
        terms = _clipped_terms(grads, lrs, rescale_grad, clip_gradient)
    if any(decays):
        torch._foreach_add_(terms, torch._foreach_mul(weights, decays))
    if inplace:
        torch._foreach_sub_(weights, terms)
        return weights
    return torch._foreach_sub(weights, terms)


def _clipped_terms(grads, lrs, rescale_grad, clip_gradient):
    """``lr * clip(rescale_grad * g)`` per gradient (new tensors)."""
    terms = torch._foreach_mul(grads, rescale_grad)
    torch._foreach_clamp_min_(terms, -clip_gradient)
    torch._foreach_clamp_max_(terms, clip_gradient)
    torch._foreach_mul_(terms, list(lrs))
    return terms


def _multi_sgd(op, size, mp, preloaded, momentum_attr, inplace=False):
    """The multi-weight SGD kernel; ``inplace``: the variant the nd door runs when ``out=`` are
    the weights themselves (Trainer/Updater), updating them without a copy."""
    extra = 2 if preloaded else 0

    def compute(*data, num_weights, rescale_grad, clip_gradient, lrs=None, wds=None,
                momentum=0.0):
        groups, tail = _groups(op, data, size, num_weights, extra)
        if preloaded:
            # one host sync for all weights instead of one per weight
            meta = tail[0].device.type == "meta"
            lrs, wds = ([0.0] * num_weights,) * 2 if meta else \
                (tail[0].reshape(-1).tolist(), tail[1].reshape(-1).tolist())
        _per_weight(op, "lrs", lrs, num_weights)
        _per_weight(op, "wds", wds, num_weights)
        masters = [g[-1] if mp else g[0] for g in groups]
        moms = [g[2] for g in groups] if momentum_attr else None
        new = _foreach_sgd(masters, [g[1] for g in groups], moms, lrs, wds, momentum,
                           rescale_grad, clip_gradient, inplace=inplace)
        if not mp:
            return tuple(new)
        if not inplace:
            torch._foreach_copy_(masters, new)
            return tuple(m.to(g[0].dtype) for m, g in zip(masters, groups))
        weights = [g[0] for g in groups]
        torch._foreach_copy_(weights, masters)
        return tuple(weights)
    return compute


def _register_multi_sgd():
    common = (_RESCALE, _CLIP, Attr("num_weights", INT, 1, "Number of weights updated"))
    for mp in (False, True):
        for mom in (False, True):
            size = 2 + mom + mp
            name = "multi_" + ("mp_" if mp else "") + "sgd_" + ("mom_" if mom else "") + "update"
            mutate = tuple(n for n, on in (("mom", mom), ("weight32", mp)) if on)
            head = (_MOMENTUM,) if mom else ()
            for preloaded in (False, True):
                attrs = head + common if preloaded else \
                    (Attr("lrs", FLOATS, doc="Learning rates"),
                     Attr("wds", FLOATS, doc="Weight decays")) + head + common
                full = ("preloaded_" if preloaded else "") + name
                compute = _multi_sgd(full, size, mp, preloaded, mom)
                compute.__name__ = full
                compute.__doc__ = (f"{name.replace('_', ' ')} of ``num_weights`` weights; inputs "
                                   f"grouped per weight ({size} arrays each)"
                                   + (", then the lrs and wds arrays" if preloaded else "") + ".")
                defop(full, inputs=VARIADIC, mutate=mutate, same_dtype=(),
                      num_outputs=lambda a: a["num_weights"], attrs=attrs)(_kernel(compute))
                in_place = _multi_sgd(full, size, mp, preloaded, mom, inplace=True)
                REGISTRY[full].out_alias = dataclasses.replace(
                    REGISTRY[full], compute=_kernel(in_place), mutate=mutate + ("weight",))


_register_multi_sgd()


def _multi_adamw(op, size, mp):
    def compute(*data, lrs, beta1, beta2, epsilon, wds, etas, clip_gradient, num_weights):
        groups, tail = _groups(op, data, size, num_weights, 1)
        for name, values in (("lrs", lrs), ("wds", wds), ("etas", etas)):
            _per_weight(op, name, values, num_weights)
        scale, ok = _finite_scale(tail[0])
        if not ok:
            return tuple(g[0].clone() for g in groups)
        outs = []
        for i, group in enumerate(groups):
            weight, grad, mean, var = group[:4]
            master = group[4] if mp else weight
            new = _adamw_step(master, grad, mean, var, scale, lrs[i], beta1, beta2, epsilon,
                              wds[i], etas[i], clip_gradient, lerp=True)
            if mp:
                master.copy_(new)
            outs.append(new.to(weight.dtype))
        return tuple(outs)
    return compute


_MULTI_ADAMW_ATTRS = (Attr("lrs", FLOATS, doc="Learning rates"), _BETA1, _BETA2,
                      Attr("epsilon", FLOAT, 1e-8, "Term added to the denominator"),
                      Attr("wds", FLOATS, doc="Weight decays"),
                      Attr("etas", FLOATS, doc="Schedule multipliers"), _CLIP,
                      Attr("num_weights", INT, 1, "Number of weights updated"))

defop("_multi_adamw_update", inputs=VARIADIC, mutate=("mean", "var"), same_dtype=(),
      num_outputs=lambda a: a["num_weights"], attrs=_MULTI_ADAMW_ATTRS,
      doc="AdamW of ``num_weights`` weights (weight, grad, mean, var per weight, then the "
          "rescale_grad array).")(_kernel(_multi_adamw("_multi_adamw_update", 4, False)))
defop("_multi_mp_adamw_update", inputs=VARIADIC, mutate=("mean", "var", "weight32"),
      same_dtype=(), num_outputs=lambda a: a["num_weights"], attrs=_MULTI_ADAMW_ATTRS,
      doc="Multi-precision AdamW of ``num_weights`` weights (weight, grad, mean, var, weight32 "
          "per weight, then the rescale_grad array).")(
    _kernel(_multi_adamw("_multi_mp_adamw_update", 5, True)))


def _multi_lamb(op, size, mp):
    def compute(*data, learning_rates, beta1, beta2, epsilon, wds, rescale_grad, lower_bound,
                upper_bound, clip_gradient, bias_correction, step_count, num_tensors):
        groups, _ = _groups(op, data, size, num_tensors)
        for name, values in (("learning_rates", learning_rates), ("wds", wds),
                             ("step_count", step_count)):
            _per_weight(op, name, values, num_tensors)
        outs = []
        for i, group in enumerate(groups):
            weight, grad, mean, var = group[:4]
            master = group[4] if mp else weight
            direction = _lamb_direction(master, grad, mean, var, beta1, beta2, epsilon,
                                        step_count[i], bias_correction, wds[i], rescale_grad,
                                        clip_gradient)
            r1 = master.float().norm().reshape(1)
            r2 = direction.float().norm().reshape(1)
            ratio = _lamb_ratio(r1, r2, lower_bound, upper_bound).to(master.dtype)
            new = master - (learning_rates[i] * ratio) * direction
            if mp:
                master.copy_(new)
            outs.append(new.to(weight.dtype))
        return tuple(outs)
    return compute


_MULTI_LAMB_ATTRS = (Attr("learning_rates", FLOATS, doc="Learning rates"), _BETA1, _BETA2,
                     _EPS_LAMB, Attr("wds", FLOATS, doc="Weight decays"), _RESCALE,
                     Attr("lower_bound", FLOAT, -1.0, "Lower bound of the weight norm (<0: none)"),
                     Attr("upper_bound", FLOAT, -1.0, "Upper bound of the weight norm (<0: none)"),
                     _CLIP, Attr("bias_correction", BOOL, True, "Correct the moments' bias"),
                     Attr("step_count", SHAPE, doc="Update number of each weight"),
                     Attr("num_tensors", INT, 1, "Number of weights updated"))

defop("_multi_lamb_update", inputs=VARIADIC, mutate=("mean", "var"), same_dtype=(),
      num_outputs=lambda a: a["num_tensors"], attrs=_MULTI_LAMB_ATTRS,
      doc="LAMB of ``num_tensors`` weights (weight, grad, mean, var per weight).")(
    _kernel(_multi_lamb("_multi_lamb_update", 4, False)))
defop("_multi_mp_lamb_update", inputs=VARIADIC, mutate=("mean", "var", "weight32"),
      same_dtype=(), num_outputs=lambda a: a["num_tensors"], attrs=_MULTI_LAMB_ATTRS,
      doc="Multi-precision LAMB of ``num_tensors`` weights (weight, grad, mean, var, weight32 "
          "per weight).")(_kernel(_multi_lamb("_multi_mp_lamb_update", 5, True)))


@defop("multi_lars", inputs=("lrs", "weights_sum_sq", "grads_sum_sq", "wds"),
       attrs=(Attr("eta", FLOAT, doc="Trust coefficient"),
              Attr("eps", FLOAT, doc="Term added to the denominator"), _RESCALE))
@_kernel
def multi_lars(lrs, weights_sum_sq, grads_sum_sq, wds, eta, eps, rescale_grad):
    """LARS learning rates: ``lr * eta * |w| / (|g| + wd * |w| + eps)`` from squared norms
    (``lr`` unchanged where either norm is 0)."""
    w_norm = weights_sum_sq.sqrt()
    g_norm = grads_sum_sq.sqrt() * rescale_grad
    scaled = lrs * eta * w_norm / (g_norm + wds * w_norm + eps)
    return torch.where((w_norm > 0) & (g_norm > 0), scaled, lrs)


@defop("reset_arrays", inputs=VARIADIC, num_args="num_arrays", num_outputs=0,
       mutate=("data",), same_dtype=(), attrs=(Attr("num_arrays", INT, doc="Number of arrays"),))
@_kernel
def reset_arrays(*data, num_arrays):
    """Set every input array to zero in place (no outputs)."""
    if len(data) != num_arrays:
        raise ShapeError(f"reset_arrays: num_arrays={num_arrays} but {len(data)} arrays given")
    for t in data:
        t.zero_()
    return ()


# --------------------------------------------------------------------------------------------
# row_sparse gradients: lazy updates on the gradient's rows only
# --------------------------------------------------------------------------------------------


def _stype(x):
    return x.stype if isinstance(x, SparseParts) else "default"


def _lazy_when_same_stype(op, weight, states, attrs):
    """sgd/sgd_mom/adam/adagrad: lazy when asked and the states share the weight's stype."""
    return attrs.get("lazy_update", True) and all(_stype(s) == _stype(weight) for s in states)


def _lazy_when_all_row_sparse(op, weight, states, attrs):
    """ftrl: MXNet's sparse kernel needs the weight and both states row_sparse."""
    return all(_stype(x) == "row_sparse" for x in (weight, *states))


def _same_stype_required(op, weight, states, attrs):
    """adagrad kinds: MXNet has no kernel when the history's stype differs from the weight's."""
    stypes = [_stype(x) for x in (weight, *states)]
    if len(set(stypes)) > 1:
        raise MXNetError(f"{op}: no kernel for a row_sparse gradient with weight/history storage "
                         f"types {stypes}; give the history the weight's storage type")
    return True


def _full_rows(op, x, what):
    """The dense tensor of a weight/state: itself, or a row_sparse one's data when it stores
    every row (what MXNet's row-sparse kernels require)."""
    if not isinstance(x, SparseParts):
        return x
    if x.stype != "row_sparse" or tuple(x.data.shape) != tuple(x.shape):
        raise MXNetError(f"{op}: a {x.stype} {what} must store every row for the row_sparse "
                         f"update (it stores {x.data.shape[0]} of {x.shape[0]} rows); convert "
                         f"it with .tostype('default') or store all rows")
    return x.data


def _target(op, weight, w, out):
    """Where the new weight goes: ``out``'s tensor (a copy of the weight if it is another
    array) or a fresh copy when there is no ``out``."""
    if out is None:
        return w.clone()
    t = _full_rows(op, out, "output")
    if t.data_ptr() != w.data_ptr():
        if tuple(t.shape) != tuple(w.shape):
            raise ShapeError(f"{op}: out= has shape {tuple(t.shape)}, the weight has shape "
                             f"{tuple(w.shape)}")
        t.copy_(w)
    return t


def _lazy_update(name, dense_step, rule):
    """``sparse_compute`` for update op ``name``: gather the gradient's rows of the weight and
    states, run the dense step on them, scatter the results back in place."""
    def sparse_compute(inputs, out, **attrs):
        weight, grad, *states = inputs
        if _stype(grad) != "row_sparse" or not rule(name, weight, states, attrs):
            return NotImplemented
        if tuple(grad.shape) != tuple(weight.shape):
            raise ShapeError(f"{name}: input 'grad' has shape {tuple(grad.shape)}, expected "
                             f"{tuple(weight.shape)} like input 'weight'")
        with torch.no_grad():
            w = _full_rows(name, weight, "weight")
            tensors = [_full_rows(name, s, "state") for s in states]
            target = _target(name, weight, w, out)
            rows = grad.aux[0]
            if rows.numel():
                rows = rows.to(device=w.device, dtype=torch.int64)
                picked = [t.index_select(0, rows) for t in tensors]
                new = dense_step(w.index_select(0, rows), grad.data, *picked, **attrs)
                for t, p in zip(tensors, picked):
                    t.index_copy_(0, rows, p)
                target.index_copy_(0, rows, new.to(target.dtype))
        if out is not None:
            return out
        if isinstance(weight, SparseParts):
            return SparseParts(weight.stype, weight.shape, target, (weight.aux[0].clone(),))
        return target
    sparse_compute.__name__ = f"{name}_rows"
    sparse_compute.__doc__ = (f"Lazy ``{name}`` for a row_sparse gradient: only the "
                              "gradient's rows of the weight and states change.")
    return sparse_compute


for _name, _rule in (("sgd_update", _lazy_when_same_stype),
                     ("sgd_mom_update", _lazy_when_same_stype),
                     ("adam_update", _lazy_when_same_stype),
                     ("ftrl_update", _lazy_when_all_row_sparse),
                     ("_sparse_adagrad_update", _same_stype_required),
                     ("_contrib_group_adagrad_update", _same_stype_required)):
    REGISTRY[_name].sparse_compute = _lazy_update(_name, REGISTRY[_name].compute, _rule)
del _name, _rule
