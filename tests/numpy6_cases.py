"""Round-6 mx.np/mx.npx cases shared by the oracle check script
(tools/unittest_style/check_numpy6_oracle.py, which records MXNet 1.9.1's answers into
tests/fixtures/numpy6/oracle.npz) and the CI test (tests/test_numpy6_oracle.py, which compares
mxtorch with them). Every case is ``fn(mx) -> {key: value}`` for an ``mx`` module (MXNet or
mxtorch) and runs under NumPy semantics; values are NumPy arrays, numbers, strings or bools.

Groups: ``grad_*`` (mx.np functions under autograd, imperative and hybridized in a HybridBlock,
multi-output ones included), ``npx_*`` (npx operators with their attributes), ``rand_*``
(mx.np.random shapes/dtypes/out=/parameter arrays and reparameterised gradients; values are
checked inside the case, as the generators differ), ``nd_*`` (ndarray methods/properties).
"""
import numpy as onp

R = onp.random.RandomState(6)
A = R.uniform(-1.5, 1.5, (2, 3)).astype("float32")
P = R.uniform(0.3, 0.9, (2, 3)).astype("float32")   # in (0, 1): arcsin, arccos, log...
G = R.uniform(1.2, 2.0, (2, 3)).astype("float32")   # > 1: arccosh
A3 = R.uniform(-1, 1, (2, 3, 4)).astype("float32")
SQ = (R.uniform(-1, 1, (3, 3)) + 3 * onp.eye(3)).astype("float32")
SPD = (SQ.dot(SQ.T) + onp.eye(3)).astype("float32")
M34 = R.uniform(-1, 1, (3, 4)).astype("float32")
IMG = R.uniform(-1, 1, (2, 3, 5, 5)).astype("float32")
W = R.uniform(-0.5, 0.5, (4, 3, 3, 3)).astype("float32")


def _nd(x):
    if isinstance(x, (tuple, list)):  # nonzero/where: a tuple of index arrays
        parts = [_nd(t) for t in x]
        if len({p.shape for p in parts}) == 1:
            return onp.stack(parts)
        return onp.concatenate([p.ravel() for p in parts])  # ragged parts (ix_)
    out = x.asnumpy() if hasattr(x, "asnumpy") else onp.asarray(x)
    return out.astype(str) if out.dtype == object else out


def _flat(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _block(mx, fn):
    class Blk(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, *xs):
            return fn(F, *xs)
    return Blk()


def grad_case(fn, *inputs, **opts):
    """Case: ``fn(F, *xs)`` forward + backward (head gradients 0.5, 1.5, 2.5 repeating) in a
    HybridBlock, imperative and hybridized; ``direct=True``: ``fn(mx.np, *xs)`` imperative
    only (functions without a Symbol form); ``nograd``: positions of inputs not attached."""
    direct, nograd = opts.get("direct", False), opts.get("nograd", ())

    def case(mx):
        res = {}
        for hyb in (False,) if direct else (False, True):
            blk = (lambda *xs: fn(mx.np, *xs)) if direct else _block(mx, fn)
            if hyb:
                blk.hybridize()
            xs = [mx.np.array(a, dtype=a.dtype) for a in inputs]
            grads = [k for k, x in enumerate(xs) if x.dtype.kind == "f" and k not in nograd]
            for k in grads:  # integer inputs are indices/lengths: no gradient
                xs[k].attach_grad()
            with mx.autograd.record():
                outs = _flat(blk(*xs))
            heads = [mx.np.array((onp.arange(o.size).reshape(o.shape) % 3 + 0.5)
                                 .astype(o.dtype)) for o in outs]
            mx.autograd.backward(outs, heads)
            tag = "h" if hyb else "i"
            for k, o in enumerate(outs):
                res["%s_out%d" % (tag, k)] = _nd(o)
            for k in grads:
                res["%s_grad%d" % (tag, k)] = _nd(xs[k].grad)
        return res
    return case


def fwd_case(fn, *inputs):
    """Case: ``fn(mx.np, mx.npx, *xs)`` forward only (imperative)."""
    FWD.append((fn, inputs))

    def case(mx):
        xs = [mx.np.array(a, dtype=a.dtype) for a in inputs]
        outs = fn(mx.np, mx.npx, *xs)
        res = {}
        for k, o in enumerate(_flat(outs)):
            res["out%d" % k] = _nd(o)
            res["dtype%d" % k] = str(_nd(o).dtype)
        return res
    return case


def run(mx, name, want=None):
    """{key: NumPy value} of case ``name`` under NumPy semantics, or {"__error__": message};
    with a recorded answer ``want``, sweep cases use the argument pattern it used."""
    FORCE[0] = int(want["pattern"]) if want is not None and "pattern" in want and \
        int(want["pattern"]) >= 0 else None
    try:
        with mx.util.np_shape(True), mx.util.np_array(True):
            return {k: onp.asarray(v) for k, v in CASES[name](mx).items()}
    except Exception as err:  # noqa: BLE001 - recorded as the case's answer
        text = str(err).splitlines()[0][:200] if str(err) else ""
        return {"__error__": onp.asarray("%s: %s" % (type(err).__name__, text))}
    finally:
        FORCE[0] = None


def compare(name, got, want, skip=()):
    """Raise AssertionError naming the first difference between two case answers (keys in
    ``skip`` are not compared). Floats: rtol 1e-4, atol 1e-5 (float16: 2e-3/2e-4)."""
    if "__error__" in want or want.get("pattern") == -1:  # MXNet 1.9.1 raises: answering
        # is an extension
        assert "__error__" not in got, "%s raises %s, as MXNet 1.9.1 (%s)" % (
            name, got["__error__"], want["__error__"])
        return
    assert "__error__" not in got, "%s raises %s" % (name, got["__error__"])
    if "grad_error" in want:  # MXNet cannot differentiate it: any answer passes
        want = {k: v for k, v in want.items() if k != "grad_error"}
        got = {k: v for k, v in got.items() if not k.startswith("grad")}
    assert sorted(got) == sorted(want), "%s keys %s, expected %s" % (name, sorted(got),
                                                                   sorted(want))
    for key in want:
        if key not in skip:
            _compare_value("%s[%s]" % (name, key), got[key], want[key])


def _compare_value(what, g, w):
    if w.dtype.kind in "USO" or g.dtype.kind in "USO":
        assert str(g) == str(w), "%s: %s, expected %s" % (what, g, w)
        return
    assert g.shape == w.shape, "%s: shape %s, expected %s" % (what, g.shape, w.shape)
    if w.dtype.kind == "b" or g.dtype.kind == "b":
        assert (g == w).all(), "%s: %s, expected %s" % (what, g, w)
        return
    tol = 2e-3 if onp.float16 in (g.dtype, w.dtype) else 1e-4
    onp.testing.assert_allclose(g.astype("float64"), w.astype("float64"), rtol=tol,
                                atol=tol / 10, equal_nan=True, err_msg=what)


def load(path):
    """{case: {key: value}} from a recorded .npz (keys ``case::key``)."""
    with onp.load(path) as data:
        out = {}
        for key in data.files:
            name, sub = key.split("::", 1)
            out.setdefault(name, {})[sub] = data[key]
    return out


CASES = {}
FWD = []  # (fn, inputs) of every fwd_case, for their hybridized twins

# ---------------------------------------------------------------- (a) gradients
_UNARY = {"sin": A, "cos": A, "tan": A * 0.5, "arcsin": P, "arccos": P, "arctan": A,
          "sinh": A, "cosh": A, "tanh": A, "arcsinh": A, "arccosh": G, "arctanh": P * 0.9,
          "exp": A, "expm1": A, "log": P, "log2": P, "log10": P, "log1p": P, "sqrt": P,
          "cbrt": P, "square": A, "reciprocal": G, "abs": A, "negative": A, "degrees": A,
          "radians": A, "sign": A, "floor": A, "ceil": A, "trunc": A, "rint": A, "fix": A}
for _n, _x in _UNARY.items():
    CASES["grad_%s" % _n] = grad_case(lambda F, x, _n=_n: getattr(F.np, _n)(x), _x)
_BINARY = {"add": (A, P[:1]), "subtract": (A, P), "multiply": (A, P[:, :1]),
           "true_divide": (A, G), "power": (G, A), "maximum": (A, P), "minimum": (A, P),
           "hypot": (A, P), "arctan2": (A, G), "copysign": (A, P - 0.6), "mod": (A, G), "ldexp": (A, onp.array([1.0, 2.0, 0.0], dtype="float32"))}
for _n, _xs in _BINARY.items():
    CASES["grad_%s" % _n] = grad_case(lambda F, a, b, _n=_n: getattr(F.np, _n)(a, b), *_xs)
CASES["grad_scalar_ops"] = grad_case(
    lambda F, x: (x * 2 + 1, 3 - x, x / 4, 2 / (x + 3), x ** 2, 2 ** x), A)
CASES["grad_sum_axis_keep"] = grad_case(lambda F, x: F.np.sum(x, axis=(0, 2), keepdims=True), A3)
CASES["grad_mean_axis"] = grad_case(lambda F, x: F.np.mean(x, axis=1), A3)
CASES["grad_prod_axis"] = grad_case(lambda F, x: F.np.prod(x, axis=-1), A3)
CASES["grad_max_min"] = grad_case(lambda F, x: (F.np.max(x, axis=1), F.np.min(x)), A3)
CASES["grad_std_var"] = grad_case(lambda F, x: (F.np.std(x, axis=0), F.np.var(x, ddof=1)), A3)
CASES["grad_cumsum"] = grad_case(lambda F, x: F.np.cumsum(x, axis=1), A3)
CASES["grad_average_w"] = grad_case(
    lambda F, x, w: F.np.average(x, axis=1, weights=w), A3, P[0])
CASES["grad_reshape_T"] = grad_case(lambda F, x: (F.np.reshape(x, (4, -1)), x.T), A3)
CASES["grad_transpose_axes"] = grad_case(lambda F, x: F.np.transpose(x, (1, 2, 0)), A3)
CASES["grad_swapaxes_expand"] = grad_case(
    lambda F, x: (F.np.swapaxes(x, 0, 2), F.np.expand_dims(x, 1)), A3)
CASES["grad_flip_roll"] = grad_case(lambda F, x: (F.np.flip(x, 1), F.np.roll(x, 2, axis=2)), A3)
CASES["grad_tile_repeat"] = grad_case(
    lambda F, x: (F.np.tile(x, (2, 1)), F.np.repeat(x, 2, axis=1)), A)
CASES["grad_concat_stack"] = grad_case(
    lambda F, a, b: (F.np.concatenate([a, b], axis=1), F.np.stack([a, b], axis=0)), A, P)
CASES["grad_split"] = grad_case(lambda F, x: F.np.split(x, 2, axis=2), A3)
CASES["grad_split_indices"] = grad_case(lambda F, x: F.np.split(x, [1, 3], axis=2), A3)
CASES["grad_array_split"] = grad_case(lambda F, x: F.np.array_split(x, 3, axis=2), A3)
CASES["grad_hsplit_vsplit"] = grad_case(
    lambda F, x: tuple(F.np.hsplit(x, 3)) + tuple(F.np.vsplit(x, 2)), M34[:2, :3])
CASES["grad_dsplit"] = grad_case(lambda F, x: F.np.dsplit(x, 2), A3)
CASES["grad_where"] = grad_case(lambda F, x, y: F.np.where(x > 0, x, y), A, P)
CASES["grad_take"] = grad_case(lambda F, x, i: F.np.take(x, i, axis=1), A,
                               onp.array([2, 0, 2], dtype="int32"))
CASES["grad_diag_trace"] = grad_case(
    lambda F, x: (F.np.diag(x), F.np.trace(x), F.np.diagonal(x, 1)), SQ)
CASES["grad_tril"] = grad_case(lambda F, x: (F.np.tril(x, -1), F.np.tril(x, 1)), SQ)
CASES["grad_dot_matmul"] = grad_case(
    lambda F, a, b: (F.np.dot(a, b), F.np.matmul(a, b)), M34[:2, :3], SQ)
CASES["grad_tensordot_outer"] = grad_case(
    lambda F, a, b: (F.np.tensordot(a, b, axes=1), F.np.outer(a[0], b[0])), A, SQ)
CASES["grad_einsum"] = grad_case(lambda F, a, b: F.np.einsum("ij,jk->ik", a, b), A, SQ)
CASES["grad_clip"] = grad_case(lambda F, x: F.np.clip(x, -0.5, 0.8), A)
CASES["grad_linalg_inv_det"] = grad_case(
    lambda F, x: (F.np.linalg.inv(x), F.np.linalg.det(x)), SQ)
CASES["grad_linalg_slogdet"] = grad_case(lambda F, x: F.np.linalg.slogdet(x), SQ)
CASES["grad_linalg_solve"] = grad_case(lambda F, a, b: F.np.linalg.solve(a, b), SQ,
                                       M34[:, :2].copy())
CASES["grad_linalg_cholesky"] = grad_case(lambda F, x: F.np.linalg.cholesky(x), SPD)
CASES["grad_linalg_eigvalsh"] = grad_case(lambda F, x: F.np.linalg.eigvalsh(x), SPD)
CASES["grad_linalg_eigh_vals"] = grad_case(lambda F, x: F.np.linalg.eigh(x)[0], SPD)
CASES["grad_linalg_svd_s"] = grad_case(lambda F, x: F.np.linalg.svd(x)[1], M34)
CASES["grad_linalg_qr_r_abs"] = grad_case(lambda np, x: np.abs(np.linalg.qr(x)[1]), SQ,
                                          direct=True)
CASES["grad_linalg_norm"] = grad_case(
    lambda F, x: (F.np.linalg.norm(x), F.np.linalg.norm(x, axis=1),
                  F.np.linalg.norm(x, ord=1, axis=0)), M34)
CASES["grad_linalg_pinv"] = grad_case(lambda F, x: F.np.linalg.pinv(x), M34)
CASES["grad_meshgrid"] = grad_case(lambda np, a, b: np.meshgrid(a, b), A[0], P[1, :2],
                                   direct=True)
CASES["grad_meshgrid_ij"] = grad_case(lambda np, a, b: np.meshgrid(a, b, indexing="ij"),
                                      A[0], P[1, :2], direct=True)
CASES["grad_unique_fwd"] = grad_case(
    lambda np, a: np.unique(np.floor(a), return_index=True, return_inverse=True,
                            return_counts=True)[0], A3 * 2, direct=True)
CASES["grad_broadcast_to"] = grad_case(lambda F, x: F.np.broadcast_to(x, (2, 2, 3)), P[:1])
CASES["grad_npx_softmax_len"] = grad_case(
    lambda F, x, n: F.npx.softmax(x, n, axis=-1, use_length=True), A3,
    onp.array([[2, 4, 1], [3, 1, 4]], dtype="int32"))
CASES["grad_npx_log_softmax_t"] = grad_case(
    lambda F, x: F.npx.log_softmax(x, axis=1, temperature=0.5), A3)
CASES["grad_npx_activation"] = grad_case(
    lambda F, x: tuple(F.npx.activation(x, act_type=t) for t in
                       ("relu", "sigmoid", "tanh", "softrelu", "softsign")), A)
CASES["grad_npx_leaky"] = grad_case(
    lambda F, x: tuple(F.npx.leaky_relu(x, act_type=t, slope=0.3)
                       for t in ("leaky", "elu", "selu", "gelu")), A)
CASES["grad_npx_prelu"] = grad_case(
    lambda F, x, g: F.npx.leaky_relu(x, g, act_type="prelu"), A3, P[0, :3] * 0.5)
CASES["grad_npx_batch_dot_ta"] = grad_case(
    lambda F, a, b: F.npx.batch_dot(a, b, transpose_a=True), A3, A3[:, :, :2] + 1)
CASES["grad_npx_batch_dot_both"] = grad_case(
    lambda F, a, b: F.npx.batch_dot(a, b, transpose_a=True, transpose_b=True), A3,
    A3.transpose(0, 2, 1)[:, :2] * 0.5)
CASES["grad_npx_erf_gamma"] = grad_case(
    lambda F, x, p: (F.npx.erf(x), F.npx.erfinv(p - 0.5), F.npx.gamma(p + 1),
                     F.npx.gammaln(p + 1)), A, P)
CASES["grad_npx_layer_norm"] = grad_case(
    lambda F, x, g, b: F.npx.layer_norm(x, g, b, axis=1, eps=1e-3), A3.transpose(0, 2, 1),
    M34[0] + 2, M34[1])
CASES["grad_npx_pick_modes"] = grad_case(
    lambda F, x, i: (F.npx.pick(x, i, axis=1, mode="wrap"),
                     F.npx.pick(x, i, axis=1, keepdims=True)), A,
    onp.array([4, -1], dtype="int32"))
CASES["grad_npx_smooth_l1"] = grad_case(lambda F, x: F.npx.smooth_l1(x, scalar=2.0), A)
CASES["grad_npx_fc"] = grad_case(
    lambda F, x, w, b: F.npx.fully_connected(x, w, b, num_hidden=2, flatten=False), A3,
    M34[:2], P[0, :2])
CASES["grad_npx_embedding"] = grad_case(
    lambda F, i, w: F.npx.embedding(i, w, input_dim=3, output_dim=4),
    onp.array([[0, 2], [1, 1]], dtype="int32"), M34)
CASES["grad_npx_conv_pool"] = grad_case(
    lambda F, x, w: F.npx.pooling(F.npx.convolution(x, w, kernel=(3, 3), num_filter=4,
                                                      pad=(1, 1), no_bias=True),
                                  kernel=(2, 2), stride=(2, 2), pool_type="max"), IMG, W)
CASES["grad_npx_deconv"] = grad_case(
    lambda F, x, w: F.npx.deconvolution(x, w, kernel=(3, 3), num_filter=3, stride=(2, 2),
                                        no_bias=True), IMG[:, :, :3, :3], W[:3])
CASES["grad_npx_sequence_mask"] = grad_case(
    lambda F, x, n: F.npx.sequence_mask(x, n, use_sequence_length=True, value=-1.0, axis=1),
    A3, onp.array([1, 3], dtype="float32"))

# ---------------------------------------------------------------- (b) npx operators
_ATT = onp.array([[2, 4, 1], [3, 1, 4]], dtype="int32")
CASES["npx_softmax_attrs"] = fwd_case(
    lambda np, npx, x, n: (npx.softmax(x, axis=0), npx.softmax(x, temperature=3.0),
                           npx.softmax(x, n, axis=-1, use_length=True),
                           npx.softmax(x, axis=1, dtype="float64"),
                           npx.log_softmax(x, axis=0, temperature=2.0),
                           npx.log_softmax(x, dtype="float64")), A3, _ATT)
CASES["npx_softmax_len_axis1"] = fwd_case(
    lambda np, npx, x, n: npx.softmax(x, n, axis=1, use_length=True), A3,
    onp.array([[1, 2, 3, 1], [3, 2, 1, 2]], dtype="int32"))
for _ret in ("value", "indices", "mask", "both"):
    CASES["npx_topk_%s" % _ret] = fwd_case(
        lambda np, npx, x, _r=_ret: (npx.topk(x, axis=-1, k=2, ret_typ=_r),
                                     npx.topk(x, axis=0, k=1, ret_typ=_r, is_ascend=True),
                                     npx.topk(x, axis=1, k=2, ret_typ=_r, dtype="int32")
                                     if _r in ("indices", "both") else x), A3)
CASES["npx_topk_flat"] = fwd_case(lambda np, npx, x: npx.topk(x, axis=None, k=3), A3)
CASES["npx_pick_modes"] = fwd_case(
    lambda np, npx, x, i, j: (npx.pick(x, i, axis=1, mode="clip"),
                              npx.pick(x, i, axis=1, mode="wrap", keepdims=True),
                              npx.pick(x, j, axis=0), npx.pick(x, j, 0, mode="wrap")), A,
    onp.array([5, -2], dtype="int32"), onp.array([1, 0, 3], dtype="int32"))
for _label, _code in {"m2_m1": (-2, -1), "m2_all": (-2, -2, -2), "m4": (-4,),
                      "m5_m2": (-5, -2), "m6": (-6, 1, 2, -2, -2), "m2_m5": (-2, -5),
                      "m1_6": (-1, 6), "m6_m1": (-6, -1, 2, -4), "m2_m6": (-2, -6, 3, 1, -2),
                      "m3": (-2, -3, -2)}.items():
    CASES["npx_reshape_%s" % _label] = fwd_case(
        lambda np, npx, x, _c=_code: npx.reshape(x[:, :1] if -3 in _c else x, _c), A3)
CASES["npx_reshape_reverse"] = fwd_case(
    lambda np, npx, x: (npx.reshape(x, (-1, 4), reverse=True),
                        npx.reshape(x, (3, -1), reverse=True),
                        npx.reshape(x, (-5, -2), reverse=True)), A3)
CASES["npx_batch_norm_attrs"] = fwd_case(
    lambda np, npx, x, g, b, m, v: (
        npx.batch_norm(x, g, b, m, v, eps=1e-3, fix_gamma=False, use_global_stats=True),
        npx.batch_norm(x, g, b, m, v, fix_gamma=True, use_global_stats=True),
        npx.batch_norm(x.transpose(0, 2, 3, 1), g, b, m, v, axis=-1, fix_gamma=False,
                       use_global_stats=True)),
    IMG, G[0], P[0], A[1], P[1])
CASES["npx_batch_norm_train"] = grad_case(
    lambda F, x, g, b, m, v: F.npx.batch_norm(x, g, b, m, v, fix_gamma=False, momentum=0.8),
    IMG[:, :, :3, :3], G[0], P[0], onp.zeros(3, "float32"), onp.ones(3, "float32"),
    nograd=(3, 4))
CASES["npx_layer_norm_mean_var"] = fwd_case(
    lambda np, npx, x, g, b: npx.layer_norm(x, g, b, axis=-1, output_mean_var=True), A3,
    R.uniform(0.5, 1, 4).astype("float32"), R.uniform(0, 1, 4).astype("float32"))
_B4 = P[0, :2].repeat(2)
CASES["npx_conv_stride_pad"] = fwd_case(
    lambda np, npx, x, w, b: npx.convolution(x, w, b, kernel=(3, 3), num_filter=4,
                                             stride=(2, 1), pad=(1, 2)), IMG, W, _B4)
CASES["npx_conv_dilate"] = fwd_case(
    lambda np, npx, x, w, b: npx.convolution(x, w, b, kernel=(3, 3), num_filter=4,
                                             dilate=(1, 2)), IMG, W, _B4)
CASES["npx_conv_group"] = fwd_case(
    lambda np, npx, x, w: npx.convolution(x[:, :2], w[:2, :1], kernel=(3, 3), num_filter=2,
                                          num_group=2, no_bias=True), IMG, W)
CASES["npx_conv_ncw"] = fwd_case(
    lambda np, npx, x, w, b: npx.convolution(x[:, :, 0], w[:, :, 0], b, kernel=(3,),
                                             num_filter=4, layout="NCW"), IMG, W, _B4)
CASES["npx_conv_nhwc"] = fwd_case(
    lambda np, npx, x, w, b: npx.convolution(x.transpose(0, 2, 3, 1), w.transpose(0, 2, 3, 1),
                                             b, kernel=(3, 3), num_filter=4, layout="NHWC"),
    IMG, W, _B4)
CASES["npx_pool_modes"] = fwd_case(
    lambda np, npx, x: (
        npx.pooling(x, kernel=(2, 2), pool_type="avg", stride=(2, 2),
                    pooling_convention="full"),
        npx.pooling(x, kernel=(3, 3), pool_type="avg", pad=(1, 1), count_include_pad=False),
        npx.pooling(x, kernel=(2, 2), pool_type="lp", p_value=2, stride=(1, 1)),
        npx.pooling(x, pool_type="max", global_pool=True, kernel=(1, 1)),
        npx.pooling(x, kernel=(2, 2), pool_type="sum", stride=(2, 2)),
        npx.pooling(x.transpose(0, 2, 3, 1), kernel=(2, 2), pool_type="max", layout="NHWC"),
        npx.pooling(x[:, :, 0], kernel=(2,), pool_type="max", layout="NCW")), IMG)
CASES["npx_sequence_mask"] = fwd_case(
    lambda np, npx, x, n: (npx.sequence_mask(x, n, use_sequence_length=True, value=7.0),
                           npx.sequence_mask(x.transpose(1, 0, 2), n, use_sequence_length=True,
                                             axis=1),
                           npx.sequence_mask(x)),
    A3.transpose(1, 0, 2), onp.array([1, 3], dtype="float32"))
CASES["npx_one_hot"] = fwd_case(
    lambda np, npx, i: (npx.one_hot(i, 4), npx.one_hot(i, 3, on_value=2.0, off_value=-1.0,
                                                       dtype="int32"),
                        npx.one_hot(i, 5, dtype="float16")),
    onp.array([[0, 3], [2, -1]], dtype="int32"))
CASES["npx_arange_like"] = fwd_case(
    lambda np, npx, x: (npx.arange_like(x), npx.arange_like(x, start=2.0, step=0.5, axis=1),
                        npx.arange_like(x, repeat=2, axis=-1)), A3)
CASES["npx_gather_nd"] = grad_case(lambda F, x, i: F.npx.gather_nd(x, i), A3,
                                   onp.array([[1, 0], [2, 1]], dtype="int32"))
CASES["npx_embedding_fwd"] = fwd_case(
    lambda np, npx, i, w: (npx.embedding(i, w, input_dim=3, output_dim=4),
                           npx.embedding(i, w.astype("float64"), input_dim=3, output_dim=4,
                                         dtype="float64")),
    onp.array([[0, 2, 5]], dtype="float32"), M34)
CASES["npx_activation_types"] = fwd_case(
    lambda np, npx, x: tuple(npx.activation(x, act_type=t) for t in
                             ("relu", "sigmoid", "tanh", "softrelu", "softsign")), A)
CASES["npx_leaky_types"] = fwd_case(
    lambda np, npx, x: tuple(npx.leaky_relu(x, act_type=t, slope=0.2) for t in
                             ("leaky", "elu", "selu", "gelu")) +
    (npx.leaky_relu(x, act_type="leaky"),), A)
CASES["npx_dropout_modes"] = fwd_case(
    lambda np, npx, x: (npx.dropout(x, p=0.5), npx.dropout(x, p=0.5, mode="training"),
                        npx.dropout(x, p=0.0, mode="always"),
                        npx.dropout(x, p=0.0, mode="always", axes=(0,))), A3)
CASES["npx_special"] = fwd_case(
    lambda np, npx, x, p: (npx.erf(x), npx.erfinv(p - 0.5), npx.gamma(p * 3),
                           npx.gammaln(p * 3), npx.sigmoid(x), npx.relu(x),
                           npx.smooth_l1(x, scalar=1.0)), A, P)
CASES["npx_batch_dot_flags"] = fwd_case(
    lambda np, npx, a, b: (npx.batch_dot(a, b.transpose(0, 2, 1)),
                           npx.batch_dot(a, b, transpose_b=True),
                           npx.batch_dot(a.transpose(0, 2, 1), b.transpose(0, 2, 1),
                                         transpose_a=True),
                           npx.batch_dot(a.transpose(0, 2, 1), b, transpose_a=True,
                                         transpose_b=True)), A3, A3 * 2)
CASES["npx_rnn_lstm"] = fwd_case(
    lambda np, npx, x, p, h, c: npx.rnn(x, p, h, c, state_size=2, num_layers=1, mode="lstm",
                                        state_outputs=True),
    A3.transpose(1, 0, 2), R.uniform(-0.3, 0.3, 64).astype("float32"),
    onp.zeros((1, 2, 2), "float32"), onp.zeros((1, 2, 2), "float32"))
CASES["npx_rnn_gru_bidir"] = fwd_case(
    lambda np, npx, x, p, h: npx.rnn(x, p, h, state_size=2, num_layers=1, mode="gru",
                                     bidirectional=True),
    A3.transpose(1, 0, 2), R.uniform(-0.3, 0.3, 96).astype("float32"),
    onp.ones((2, 2, 2), "float32") * 0.1)
CASES["npx_rnn_tanh_2layer"] = fwd_case(
    lambda np, npx, x, p, h: npx.rnn(x, p, h, state_size=2, num_layers=2, mode="rnn_tanh",
                                     state_outputs=True),
    A3.transpose(1, 0, 2), R.uniform(-0.3, 0.3, 28).astype("float32"),
    onp.zeros((2, 2, 2), "float32"))
CASES["npx_misc"] = fwd_case(
    lambda np, npx, x: (npx.batch_flatten(x), npx.shape_array(x), npx.cast(x, dtype="int32"),
                        npx.nonzero(x > 0)), A3)

# ---------------------------------------------------------------- (e) ndarray methods
CASES["nd_methods_reduce"] = fwd_case(
    lambda np, npx, x: (x.sum(axis=1), x.sum(axis=(0, 2), keepdims=True), x.mean(1),
                        x.prod(axis=-1), x.max(0), x.min(axis=2, keepdims=True), x.std(),
                        x.var(axis=1, ddof=1), x.argmax(1), x.argmin(axis=-1),
                        x.cumsum(axis=1), x.cumsum(), x.any(), x.all(axis=0), x.nonzero()), A3)
CASES["nd_methods_shape"] = fwd_case(
    lambda np, npx, x: (x.reshape(4, 6), x.reshape((-1, 2)), x.reshape(-1),
                        x.transpose(), x.transpose(2, 0, 1), x.transpose((1, 0, 2)),
                        x.swapaxes(0, 1), x.flatten(), x.squeeze(), x[:, :1].squeeze(axis=1),
                        x.repeat(2, axis=0), x.T),
    A3)
CASES["nd_methods_misc"] = fwd_case(
    lambda np, npx, x: (x.clip(-0.5, 0.5), x.clip(min=0), x.round(1), x.astype("int32"),
                        x.astype("float64", copy=False), x.copy(), x.dot(x.T),
                        x.take(np.array([0, 2]), axis=1), x.argsort(axis=0), abs(x),
                        x.reshape((3, 2), order="C"), x.squeeze(), x.nonzero()), A)
CASES["nd_properties"] = lambda mx: (lambda x: {
    "shape": onp.array(x.shape), "ndim": x.ndim, "size": x.size, "dtype": str(x.dtype),
    "item": x[0, 1].item(), "tolist": onp.array(x.tolist()), "T_shape": onp.array(x.T.shape),
    "ctx": str(x.ctx), "context": str(x.context), "type": type(x).__name__,
    "len": len(x), "itemsize": x.itemsize if hasattr(x, "itemsize") else -1,
    "nbytes": x.nbytes if hasattr(x, "nbytes") else -1,
    "same_astype": x.astype("float32", copy=False) is x,
    "bool0": bool(mx.np.array(0.5)), "float0": float(mx.np.array(2.5)),
    "int0": int(mx.np.array(3.7)), "str0d": str(mx.np.array(1.5).item())})(mx.np.array(A))
CASES["nd_bool_index"] = fwd_case(
    lambda np, npx, x: (x[x > 0], x[onp.array([True, False])], x[np.array([False, True])],
                        x[:, onp.array([True, False, True])], x[x[:, 0] > -10]), A)
CASES["nd_zero_size_0d"] = fwd_case(
    lambda np, npx, x: (x[:, :0].sum(axis=1), x[:0].reshape(0, 6), np.array(3.0) * x,
                        x[:0].mean(axis=0), x[0, 0] + x[1], np.array(2.0).reshape(1, 1),
                        x[:, :0].T, np.zeros((0, 3)).max(axis=0) if False else x[:0].T), A)
CASES["nd_out_where"] = fwd_case(
    lambda np, npx, x, y: (np.add(x, y, out=np.zeros((2, 3))), np.sin(x, out=np.ones((2, 3))),
                           np.multiply(x, 2.0, out=x.copy()),
                           np.sum(x, axis=0, out=np.zeros(3)),
                           np.where(x > 0), np.where(x > 0, 1.0, y),
                           np.where(x > 0, x, 0.0)), A, P)
CASES["nd_mixed_numpy_operands"] = fwd_case(
    lambda np, npx, x: (x + onp.float32(1.5), onp.float64(2) * x, x > onp.float32(0),
                        x + True, x * onp.int32(3), x.astype("int32") + onp.int64(2),
                        x.astype("int32") * 1.5, x.astype("bool") + 1), A)

# ---------------------------------------------------------------- (c) mx.np.random
def _describe(out):
    return {"shape": onp.array(out.shape), "dtype": str(out.dtype), "type": type(out).__name__}


def rand_case(draw, mean=None, tol=0.15):
    """Case: ``draw(mx.np)`` gives an array; its shape, dtype, class and (with ``mean``)
    whether its sample mean is within ``tol`` of ``mean`` (values differ between generators)."""
    def case(mx):
        out = draw(mx.np)
        res = _describe(out)
        if mean is not None:
            res["mean_ok"] = bool(abs(float(out.asnumpy().astype("float64").mean()) - mean) <
                                  tol * max(1.0, abs(mean)))
        return res
    return case


_BIG = (4000,)
_RAND = {
    "normal": (lambda np: np.random.normal(1.0, 2.0, size=_BIG), 1.0),
    "normal_none": (lambda np: np.random.normal(), None),
    "normal_arrays": (lambda np: np.random.normal(np.zeros((2, 1)), np.ones(3)), None),
    "normal_array_size": (lambda np: np.random.normal(np.zeros(3), 1.0, size=(2, 3)), None),
    "normal_f64": (lambda np: np.random.normal(size=(2,), dtype="float64"), None),
    "uniform": (lambda np: np.random.uniform(-1.0, 3.0, size=_BIG), 1.0),
    "uniform_f16": (lambda np: np.random.uniform(size=(3,), dtype="float16"), None),
    "uniform_arrays": (lambda np: np.random.uniform(np.zeros((2, 1)), np.ones((1, 3)) * 2),
                       None),
    "gamma": (lambda np: np.random.gamma(2.0, 1.5, size=_BIG), 3.0),
    "gamma_array": (lambda np: np.random.gamma(np.ones(3) * 2, size=(2, 3)), None),
    "exponential": (lambda np: np.random.exponential(2.0, size=_BIG), 2.0),
    "beta": (lambda np: np.random.beta(2.0, 3.0, size=_BIG), 0.4),
    "chisquare_none": (lambda np: np.random.chisquare(3.0), None),
    "lognormal": (lambda np: np.random.lognormal(0.0, 0.5, size=_BIG), float(onp.exp(0.125))),
    "logistic": (lambda np: np.random.logistic(1.0, 1.0, size=_BIG), 1.0),
    "gumbel": (lambda np: np.random.gumbel(0.0, 1.0, size=_BIG), 0.5772),
    "pareto": (lambda np: np.random.pareto(3.0, size=_BIG), 0.5),
    "power": (lambda np: np.random.power(2.0, size=_BIG), 2.0 / 3),
    "rayleigh": (lambda np: np.random.rayleigh(1.0, size=_BIG), float(onp.sqrt(onp.pi / 2))),
    "weibull": (lambda np: np.random.weibull(1.0, size=_BIG), 1.0),
    "randint": (lambda np: np.random.randint(0, 10, size=_BIG), 4.5),
    "randint_dtype": (lambda np: np.random.randint(5, size=(2, 2), dtype="int64"), None),
    "rand": (lambda np: np.random.rand(2, 3), None),
    "randn": (lambda np: np.random.randn(4000), 0.0),
    "choice": (lambda np: np.random.choice(5, size=_BIG), 2.0),
    "choice_p": (lambda np: np.random.choice(3, size=_BIG, p=np.array([0.5, 0.25, 0.25])),
                 0.75),
    "choice_noreplace": (lambda np: np.random.choice(10, 4, replace=False), None),
    "multinomial": (lambda np: np.random.multinomial(10, [0.2, 0.8], size=3), None),
    "mvn": (lambda np: np.random.multivariate_normal(np.zeros(2), np.eye(2), size=(3,)), None),
    "normal_out": (lambda np: np.random.normal(0, 1, size=(2, 2), out=np.zeros((2, 2))), None),
    "uniform_out": (lambda np: np.random.uniform(size=(3,), out=np.zeros(3)), None),
}
for _n, (_draw, _mean) in _RAND.items():
    CASES["rand_%s" % _n] = rand_case(_draw, _mean)


def rand_grad_case(name, params, rule):
    """Case: the reparameterised gradient of ``np.random.<name>(*params, size)`` against
    ``rule(sample, *params)`` (the expected d sample / d param per parameter)."""
    def case(mx):
        xs = [mx.np.array(p) for p in params]
        for x in xs:
            x.attach_grad()
        with mx.autograd.record():
            y = getattr(mx.np.random, name)(*xs, size=(500, 2))
        y.backward()
        want = rule(y.asnumpy().astype("float64"), *params)
        res = _describe(y)
        for k, (x, w) in enumerate(zip(xs, want)):
            res["grad%d_ok" % k] = bool(onp.allclose(x.grad.asnumpy(), w, rtol=1e-3,
                                                     atol=1e-3))
        return res
    return case


_LOC, _SCALE = onp.array([0.5, -1.0], "float32"), onp.array([1.5, 0.5], "float32")
CASES["rand_grad_normal"] = rand_grad_case(
    "normal", (_LOC, _SCALE), lambda y, m, s: (onp.full(2, 500.0),
                                               ((y - m) / s).sum(axis=0)))
CASES["rand_grad_uniform"] = rand_grad_case(
    "uniform", (_LOC, _LOC + 2), lambda y, lo, hi: ((1 - (y - lo) / (hi - lo)).sum(axis=0),
                                                    ((y - lo) / (hi - lo)).sum(axis=0)))


# ---------------------------------------------------------------- (a) sweep of mx.np functions
# Every function of MXNet 1.9.1's mx.np namespace (creation, I/O, printing and
# NumPy-financial functions left out) is called on float32 (2, 3) arrays with the first
# argument pattern MXNet accepts, under autograd.record(); the outputs (up to 3), their
# classes and the input gradients (ones as head gradient, float outputs only) are compared.
# `resize` and `unravel_index` are left out: float arguments crash the MXNet 1.9.1 process.
SWEEP = (
    "abs absolute add all allclose alltrue amax amin any append apply_along_axis "
    "apply_over_axes arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin "
    "argpartition argsort argwhere around array_equal array_equiv array_split atleast_1d "
    "atleast_2d atleast_3d average bincount bitwise_and bitwise_not bitwise_or bitwise_xor "
    "broadcast_arrays broadcast_to cbrt ceil choose clip column_stack compress concatenate "
    "copy copysign corrcoef correlate cos cosh count_nonzero cov cumsum deg2rad degrees "
    "delete diag diag_indices_from diagflat diagonal diff digitize divide divmod dot dsplit "
    "dstack ediff1d einsum equal exp expand_dims expm1 extract fabs fix flatnonzero flip "
    "fliplr flipud float_power floor frexp full_like greater greater_equal heaviside "
    "histogram histogram_bin_edges hsplit hstack hypot i0 in1d inner insert interp "
    "intersect1d invert isclose isfinite isin isinf isnan isneginf isposinf ix_ lcm ldexp "
    "less less_equal lexsort log log10 log1p log2 logical_not matmul max maximum mean "
    "meshgrid min minimum mod modf moveaxis msort multiply nan_to_num nanargmax nanargmin "
    "nancumprod nancumsum nanmax nanmedian nanmin nanpercentile nanprod nanquantile ndim "
    "negative nonzero not_equal ones_like outer packbits pad partition percentile poly "
    "polyadd polydiv polyfit polyint polymul polysub polyval positive power prod product "
    "ptp quantile rad2deg radians ravel real reciprocal remainder repeat reshape "
    "rint roll rollaxis roots rot90 round round_ row_stack searchsorted select setdiff1d "
    "setxor1d shape sign signbit sin sinh size sometrue sort spacing split sqrt square "
    "squeeze stack std subtract sum swapaxes take take_along_axis tan tanh tensordot tile "
    "trace transpose trapz tril tril_indices_from trim_zeros triu_indices_from true_divide "
    "trunc union1d unique unwrap vander var vdot vsplit vstack where "
    "zeros_like linalg.cholesky linalg.cond linalg.det linalg.eig linalg.eigh linalg.eigvals "
    "linalg.eigvalsh linalg.inv linalg.lstsq linalg.matrix_power linalg.matrix_rank "
    "linalg.multi_dot linalg.norm linalg.pinv linalg.qr linalg.slogdet linalg.solve "
    "linalg.svd linalg.tensorinv linalg.tensorsolve").split()
SX = R.uniform(0.3, 0.9, (2, 3)).astype("float32")
SY = R.uniform(1.2, 2.0, (2, 3)).astype("float32")
SQ2 = (SPD[:2, :2] + 0).astype("float32")


def _patterns(np, x, y, s):
    """Argument patterns tried in order: (args, kwargs) builders."""
    return [lambda: ((x,), {}), lambda: ((x, y), {}), lambda: (([x, y],), {}),
            lambda: ((x, 1), {}), lambda: ((s,), {}), lambda: ((s, s), {}),
            lambda: (([s, s],), {}), lambda: ((x, 2), {"axis": 1}),
            lambda: ((x, [0]), {})]


def _sweep_fn(np, name):
    for part in name.split("."):
        np = getattr(np, part)
    return np


def _summary(out):
    if isinstance(out, (tuple, list)):
        return "tuple%d" % len(out), list(out)[:3]
    return type(out).__name__, [out]


FORCE = [None]  # the argument pattern MXNet used (set by ``run`` from the recorded answer)


def _sweep_call(mx, fn, k, record):
    xs = [mx.np.array(SX), mx.np.array(SY), mx.np.array(SQ2)]
    args, kwargs = _patterns(mx.np, *xs)[k]()
    if not record:
        return fn(*args, **kwargs), xs
    for a in xs:
        a.attach_grad()
    args, kwargs = _patterns(mx.np, *xs)[k]()
    with mx.autograd.record():
        return fn(*args, **kwargs), xs


def sweep_case(name):
    """Case: the first argument pattern ``name`` accepts (outside autograd), its outputs and
    classes; then the same call under ``autograd.record()`` and the input gradients."""
    def case(mx):
        fn = _sweep_fn(mx.np, name)
        tries = [FORCE[0]] if FORCE[0] is not None else range(len(_patterns(None, *"xys")))
        for k in tries:
            try:
                out, _ = _sweep_call(mx, fn, k, False)
            except Exception:  # noqa: BLE001 - try the next argument pattern
                continue
            kind, outs = _summary(out)
            res = {"pattern": k, "kind": kind}
            for j, o in enumerate(outs):
                res["cls%d" % j] = type(o).__name__
                res["out%d" % j] = _nd(o)
            res.update(_sweep_grads(mx, fn, k))
            return res
        return {"pattern": -1}
    return case


def _sweep_grads(mx, fn, k):
    try:
        out, xs = _sweep_call(mx, fn, k, True)
        heads = [o for o in _summary(out)[1]
                 if hasattr(o, "attach_grad") and o.dtype.kind == "f" and o.size]
        if not heads:
            return {}
        mx.autograd.backward(heads, [mx.np.ones_like(h) for h in heads])
        return {"grad%d" % j: _nd(a.grad) for j, a in enumerate(xs)}
    except Exception as err:  # noqa: BLE001 - recorded
        return {"grad_error": type(err).__name__}


for _n in SWEEP:
    CASES["sweep_" + _n.replace(".", "_")] = sweep_case(_n)


# ---------------------------------------------------------------- (e) ndarray methods, NumPy
# dispatch: every public method/property of 1.9.1's mx.np.ndarray on the first argument
# pattern it accepts; official NumPy functions/ufuncs on mx.np arrays (__array_function__ /
# __array_ufunc__): result classes (mx.np or NumPy) and values (sometrue, round_ and product
# are left out: NumPy 2 has none of them).
METHODS = (
    "T abs all any arccos arccosh arcsin arcsinh arctan arctanh argmax argmax_channel argmin "
    "argsort as_nd_ndarray as_np_ndarray asnumpy asscalar astype broadcast_axes "
    "broadcast_like broadcast_to cbrt ceil clip context copy cos cosh ctx cumsum degrees "
    "depth_to_space detach diag dot dtype exp expand_dims expm1 fix flatten flip floor item "
    "log log10 log1p log2 log_softmax max mean min nanprod nansum ndim nonzero norm one_hot "
    "ones_like pad pick prod radians rcbrt reciprocal relu repeat reshape reshape_like "
    "reshape_view rint round rsqrt shape shape_array sigmoid sign sin sinh size size_array "
    "slice slice_axis slice_like softmax softmin sort space_to_depth split split_v2 sqrt "
    "square squeeze std stype sum swapaxes take tan tanh tile tolist topk tostype transpose "
    "trunc var writable zeros_like").split()
ARRAY_FUNCTIONS = (
    "all any argmin argmax around round argsort sort append broadcast_arrays "
    "broadcast_to clip concatenate copy cumsum diag diagonal diagflat dot expand_dims fix "
    "flip flipud fliplr inner insert max amax mean min amin nonzero ones_like atleast_1d "
    "atleast_2d atleast_3d prod ravel repeat reshape roll split array_split hsplit "
    "vsplit dsplit squeeze stack std sum swapaxes take tensordot tile transpose unique "
    "diag_indices_from delete var vdot vstack column_stack hstack dstack zeros_like "
    "linalg.norm linalg.inv linalg.solve linalg.tensorinv linalg.pinv linalg.eigvals "
    "linalg.eigvalsh shape trace tril meshgrid outer polyval quantile percentile diff "
    "ediff1d where full_like nan_to_num isnan isfinite isposinf isneginf "
    "isinf pad").split()
UFUNCS = (
    "abs fabs add arctan2 copysign degrees hypot subtract multiply true_divide negative "
    "power mod matmul absolute rint sign exp log log2 log10 expm1 sqrt square cbrt "
    "reciprocal remainder sin cos tan sinh cosh tanh arcsin arccos arctan arcsinh arctanh "
    "maximum minimum ceil trunc floor logical_not equal not_equal less less_equal greater "
    "greater_equal").split()


def _value_patterns(x, y, s):
    return [lambda: ((), {}), lambda: ((1,), {}), lambda: ((0, 1), {}), lambda: ((y,), {}),
            lambda: ((2,), {"axis": 1}), lambda: (((3, 2),), {}), lambda: ((s,), {})]


def _record_outputs(res, out):
    kind, outs = _summary(out)
    res["kind"] = "dtype" if isinstance(out, onp.dtype) else kind
    for j, o in enumerate(outs):
        res["cls%d" % j] = "dtype" if isinstance(o, onp.dtype) else type(o).__name__
        if isinstance(o, onp.dtype):
            res["out%d" % j] = onp.asarray(str(o))
            continue
        if callable(o) or o is None or type(o).__module__.startswith(("mxnet", "mxtorch")) \
                and not hasattr(o, "asnumpy"):
            continue  # contexts and such: the class name is the answer
        res["out%d" % j] = _nd(o)
    return res


def method_case(name):
    def case(mx):
        x, y = mx.np.array(SX), mx.np.array(SY)
        attr = getattr(x, name)
        if not callable(attr):
            return _record_outputs({"pattern": -2}, attr)
        tries = [FORCE[0]] if FORCE[0] is not None else range(7)
        for k in tries:
            args, kwargs = _value_patterns(x, y, mx.np.array(SQ2))[k]()
            try:
                out = getattr(x, name)(*args, **kwargs)
            except Exception:  # noqa: BLE001 - try the next argument pattern
                continue
            return _record_outputs({"pattern": k}, out)
        return {"pattern": -1}
    return case


def dispatch_case(name, ufunc=False):
    """Case: official NumPy's ``name`` called on mx.np arrays."""
    def case(mx):
        fn = _sweep_fn(onp, name)
        x, y, s = mx.np.array(SX), mx.np.array(SY), mx.np.array(SQ2)
        pats = [lambda: (x,), lambda: (x, y)] if ufunc else \
            [lambda: (x,), lambda: (x, y), lambda: ([x, y],), lambda: (x, 1), lambda: (s,),
             lambda: (s, s)]
        tries = [FORCE[0]] if FORCE[0] is not None else range(len(pats))
        for k in tries:
            try:
                out = fn(*pats[k]())
            except Exception:  # noqa: BLE001 - try the next argument pattern
                continue
            return _record_outputs({"pattern": k}, out)
        return {"pattern": -1}
    return case


for _n in METHODS:
    CASES["method_" + _n] = method_case(_n)
for _n in ARRAY_FUNCTIONS:
    CASES["onp_" + _n.replace(".", "_")] = dispatch_case(_n)
for _n in UFUNCS:
    CASES["ufunc_" + _n] = dispatch_case(_n, ufunc=True)


# ---------------------------------------------------------------- (a) hybridized sweep
def hybrid_sweep_case(name):
    """Case: ``F.np.<name>`` in a hybridized HybridBlock on the first argument pattern that
    runs (symbol inputs x, y, s; constants as in the imperative sweep), under
    ``autograd.record()``: outputs and input gradients (ones as head gradient)."""
    def case(mx):
        tries = [FORCE[0]] if FORCE[0] is not None else range(len(_patterns(None, *"xys")))
        for k in tries:
            def fn(F, x, y, s, _k=k):
                args, kwargs = _patterns(None, x, y, s)[_k]()
                return _sweep_fn(F.np, name)(*args, **kwargs)
            blk = _block(mx, fn)
            blk.hybridize()
            xs = [mx.np.array(SX), mx.np.array(SY), mx.np.array(SQ2)]
            for a in xs:
                a.attach_grad()
            try:
                with mx.autograd.record():
                    outs = _flat(blk(*xs))
            except Exception:  # noqa: BLE001 - try the next argument pattern
                continue
            res = {"pattern": k, "n": len(outs)}
            for j, o in enumerate(outs[:3]):
                res["out%d" % j] = _nd(o)
            heads = [o for o in outs if o.dtype.kind == "f" and o.size]
            try:
                if heads:
                    mx.autograd.backward(heads, [mx.np.ones_like(h) for h in heads])
                    res.update({"grad%d" % j: _nd(a.grad) for j, a in enumerate(xs)})
            except Exception as err:  # noqa: BLE001 - recorded
                res["grad_error"] = type(err).__name__
            return res
        return {"pattern": -1}
    return case


for _n in SWEEP:
    CASES["hybrid_" + _n.replace(".", "_")] = hybrid_sweep_case(_n)


# ---------------------------------------------------------------- dtype and shape variants
def _variant_inputs(dtype, shape):
    """x, y, s of the sweep cast to ``dtype`` (integers: values x 10) and cut to ``shape``
    ('0d': x[0, 0], y[0, 0]; 'empty': zero columns; 'full': (2, 3))."""
    x, y, s = SX.copy(), SY.copy(), SQ2.copy()
    if dtype == "bool":
        x, y, s = x > 0.6, y > 1.6, s > 3
    elif dtype[0] in "iu":
        x, y, s = (x * 10).astype(dtype), (y * 10).astype(dtype), (s * 3).astype(dtype)
    else:
        x, y, s = x.astype(dtype), y.astype(dtype), s.astype(dtype)
    if shape == "0d":
        x, y = x[0, 0].copy(), y[0, 0].copy()
    elif shape == "empty":
        x, y = x[:, :0].copy(), y[:, :0].copy()
    return x, y, s


def variant_case(name, dtype, shape="full"):
    """Case: mx.np ``name`` on the sweep's argument patterns with ``dtype``/``shape`` inputs
    (no autograd): outputs, their dtypes and classes."""
    def case(mx):
        fn = _sweep_fn(mx.np, name)
        tries = [FORCE[0]] if FORCE[0] is not None else range(len(_patterns(None, *"xys")))
        for k in tries:
            xs = [mx.np.array(a, dtype=a.dtype) for a in _variant_inputs(dtype, shape)]
            args, kwargs = _patterns(None, *xs)[k]()
            try:
                out = fn(*args, **kwargs)
            except Exception:  # noqa: BLE001 - try the next argument pattern
                continue
            res = _record_outputs({"pattern": k}, out)
            for j, o in enumerate(_summary(out)[1]):
                res["dtype%d" % j] = str(getattr(o, "dtype", type(o).__name__))
            return res
        return {"pattern": -1}
    return case


_CRASH_MXNET = {"var_diagflat_empty", "var_inner_0d"}  # these kill the 1.9.1 process
for _n in SWEEP:
    if _n.startswith("linalg."):
        continue
    for _dt in ("int32", "int64", "uint8", "bool", "float16", "float64"):
        CASES["var_%s_%s" % (_n, _dt)] = variant_case(_n, _dt)
    for _shape in ("0d", "empty"):
        if "var_%s_%s" % (_n, _shape) not in _CRASH_MXNET:
            CASES["var_%s_%s" % (_n, _shape)] = variant_case(_n, "float32", _shape)


# ---------------------------------------------------------------- (c) more mx.np.random
def _grad_stats(name, params, size=(400, 2)):
    """Case: shape/dtype of ``np.random.<name>(*params, size)`` under record and whether the
    parameters' gradients are zero, finite, and their sum's sign (positive/negative)."""
    def case(mx):
        xs = [mx.np.array(p) for p in params]
        for x in xs:
            x.attach_grad()
        with mx.autograd.record():
            y = getattr(mx.np.random, name)(*xs, size=size)
        res = _describe(y)
        try:
            y.backward()
            for k, x in enumerate(xs):
                g = x.grad.asnumpy()
                res["grad%d_zero" % k] = bool((g == 0).all())
                res["grad%d_finite" % k] = bool(onp.isfinite(g).all())
                res["grad%d_positive" % k] = bool((g > 0).all())
        except Exception as err:  # noqa: BLE001 - recorded
            res["grad_error"] = type(err).__name__
        return res
    return case


CASES["rand_grad_gamma"] = _grad_stats("gamma", (onp.array([2.0, 3.0], "float32"),
                                                 onp.array([1.0, 0.5], "float32")))
CASES["rand_grad_exponential"] = _grad_stats("exponential", (onp.array([2.0, 1.0], "float32"),))
CASES["rand_grad_beta"] = _grad_stats("beta", (onp.array([2.0, 3.0], "float32"),
                                               onp.array([1.0, 2.0], "float32")))
CASES["rand_grad_lognormal"] = _grad_stats("lognormal", (onp.array([0.0, 0.5], "float32"),
                                                         onp.array([1.0, 0.5], "float32")))
CASES["rand_grad_logistic"] = _grad_stats("logistic", (onp.array([0.0, 0.5], "float32"),
                                                       onp.array([1.0, 0.5], "float32")))
CASES["rand_grad_gumbel"] = _grad_stats("gumbel", (onp.array([0.0, 0.5], "float32"),
                                                   onp.array([1.0, 0.5], "float32")))
CASES["rand_grad_rayleigh"] = _grad_stats("rayleigh", (onp.array([1.0, 2.0], "float32"),))
CASES["rand_grad_weibull"] = _grad_stats("weibull", (onp.array([1.0, 2.0], "float32"),))
CASES["rand_grad_pareto"] = _grad_stats("pareto", (onp.array([2.0, 3.0], "float32"),))
CASES["rand_grad_chisquare"] = _grad_stats("chisquare", (onp.array([2.0, 3.0], "float32"),))


def _hybrid_random(draw):
    """Case: ``draw(F, x)`` in a hybridized HybridBlock: shape, dtype, class of the result."""
    def case(mx):
        blk = _block(mx, draw)
        blk.hybridize()
        out = blk(mx.np.array(SX))
        res = {}
        for k, o in enumerate(_flat(out)):
            res.update({"%s%d" % (key, k): v for key, v in _describe(o).items()})
        return res
    return case


CASES["rand_hybrid_normal"] = _hybrid_random(
    lambda F, x: F.np.random.normal(0, 1, size=(2, 3)) + x)
CASES["rand_hybrid_uniform_arrays"] = _hybrid_random(
    lambda F, x: F.np.random.uniform(x, x + 1))
CASES["rand_hybrid_gamma"] = _hybrid_random(lambda F, x: F.np.random.gamma(x, 1.0, size=(2, 3)))
CASES["rand_hybrid_choice"] = _hybrid_random(
    lambda F, x: (F.np.random.normal(x, 1.0), F.np.random.exponential(size=(4,))))
CASES["rand_shuffle"] = lambda mx: (lambda a: (mx.np.random.shuffle(a), {
    "sorted": onp.sort(a.asnumpy()), "type": type(a).__name__})[1])(mx.np.arange(6))
CASES["rand_ctx_dtype"] = lambda mx: _describe(
    mx.np.random.uniform(size=(2,), dtype="float64", ctx=mx.cpu()))
CASES["rand_size_tuple_empty"] = lambda mx: _describe(mx.np.random.normal(size=()))
CASES["rand_size_zero"] = lambda mx: _describe(mx.np.random.uniform(size=(0, 3)))
CASES["rand_npx_seed"] = lambda mx: (lambda: (mx.npx.random.seed(7), {
    "same": bool((mx.np.random.uniform(size=3).asnumpy() ==
                  (mx.npx.random.seed(7), mx.np.random.uniform(size=3))[1].asnumpy()).all())}
    )[1])()


# ---------------------------------------------------------------- (e) indexing under autograd
_IDX = {
    "mask": lambda np, x: x[x > 0],
    "mask_rows": lambda np, x: x[np.array([True, False])],
    "mask_cols": lambda np, x: x[:, np.array([True, False, True])],
    "int_pairs": lambda np, x: x[[0, 1], [2, 0]],
    "int_list_repeat": lambda np, x: x[:, [2, 0, 2]],
    "array_index": lambda np, x: x[np.array([1, 1, 0], dtype="int32")],
    "neg_step": lambda np, x: x[1:, ::-1],
    "none_ellipsis": lambda np, x: x[None, ..., 1],
    "scalar_int": lambda np, x: x[1, 2],
    "mixed_slice_list": lambda np, x: x[1:, [0, 2]],
}
for _n, _f in _IDX.items():
    CASES["idx_grad_" + _n] = grad_case(_f, A, direct=True)
CASES["idx_hybrid_slices"] = grad_case(lambda F, x: (x[1:, ::2], x[:, -1], x[0]), A)
CASES["idx_hybrid_none"] = grad_case(lambda F, x: x[None, :, 1:], A)


def _setitem_grad(mx):
    """x[mask] = 0 and x[:, 1] = y inside record: gradients flow to what survives and to y."""
    x, y = mx.np.array(A), mx.np.array(P[:, 0].copy())
    x.attach_grad()
    y.attach_grad()
    with mx.autograd.record():
        z = x * 2
        z[:, 1] = y
        z[z < -1] = 0
        out = (z * z).sum()
    out.backward()
    return {"z": _nd(z), "gx": _nd(x.grad), "gy": _nd(y.grad)}


CASES["idx_setitem_grad"] = _setitem_grad


def _setitem_forms(mx):
    x = mx.np.zeros((3, 4))
    x[0] = 1
    x[1, 1:3] = mx.np.array([5, 6])
    x[:, -1] = onp.array([7, 8, 9], "float32")
    x[x > 6] = -1
    x[[2, 2], [0, 1]] = 3
    x[..., 0] += 10
    x[mx.np.array([0])] *= 2
    return {"x": _nd(x)}


CASES["idx_setitem_forms"] = _setitem_forms


# ---------------------------------------------------------------- d2l-style code
def _d2l_softmax_regression(mx):
    np, npx = mx.np, mx.npx
    X = np.array(A3.reshape(4, 6))
    W, b = np.array(M34.T[:, :2].repeat(2, axis=0)[:6]), np.zeros(2)
    W.attach_grad()
    b.attach_grad()
    y = np.array([0, 1, 1, 0])
    with mx.autograd.record():
        X_exp = np.exp(np.dot(X.reshape((-1, W.shape[0])), W) + b)
        y_hat = X_exp / X_exp.sum(1, keepdims=True)
        loss = -np.log(y_hat[range(len(y_hat)), y])
    loss.backward()
    cmp = y_hat.argmax(axis=1).astype(y.dtype) == y
    return {"y_hat": _nd(y_hat), "loss": _nd(loss), "gW": _nd(W.grad), "gb": _nd(b.grad),
            "acc": float(cmp.astype(y.dtype).sum()) / len(y),
            "pick": _nd(npx.pick(y_hat, y)), "log_softmax": _nd(npx.log_softmax(y_hat))}


def _d2l_masked_softmax(mx):
    np, npx = mx.np, mx.npx
    X = np.array(A3)
    valid_lens = np.array([2, 3])
    shape = X.shape
    lens = np.repeat(valid_lens, shape[1])
    Xm = npx.sequence_mask(X.reshape(-1, shape[-1]), lens, True, value=-1e6, axis=1)
    att = npx.softmax(Xm).reshape(shape)
    return {"att": _nd(att), "bd": _nd(npx.batch_dot(att, X.transpose(0, 2, 1)))}


def _d2l_linreg(mx):
    np, gluon, init = mx.np, mx.gluon, mx.init
    X = np.array(R.uniform(-1, 1, (20, 2)).astype("float32"))
    y = np.dot(X, np.array([2, -3.4])) + 4.2
    net = gluon.nn.Dense(1)
    net.initialize(init.Constant(0.1))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.03})
    data = gluon.data.DataLoader(gluon.data.ArrayDataset(X, y.reshape((-1, 1))), 5)
    for Xb, yb in data:
        with mx.autograd.record():
            l = loss(net(Xb), yb)
        l.backward()
        trainer.step(Xb.shape[0])
    return {"w": _nd(net.weight.data()), "b": _nd(net.bias.data()),
            "loss": float(loss(net(X), y.reshape((-1, 1))).mean()),
            "cls": type(net(X)).__name__}


def _d2l_rnn_step(mx):
    np = mx.np
    X = np.array(A3[0])
    W_xh, W_hh = np.array(M34[:, :3].T.copy()), np.array(SQ * 0.1)
    H = np.zeros((3, 3))
    for p in (W_xh, W_hh):
        p.attach_grad()
    outs = []
    with mx.autograd.record():
        for x in X.T[:2]:
            H = np.tanh(np.dot(x.reshape(1, 3), W_xh) + np.dot(H, W_hh))
            outs.append(H)
        out = np.concatenate(outs, axis=0)
        l = (out ** 2).sum()
    l.backward()
    dropout = 0.5
    mask = np.random.uniform(0, 1, X.shape) > dropout
    d = mask.astype(np.float32) * X / (1.0 - dropout)
    return {"out": _nd(out), "gx": _nd(W_xh.grad), "gh": _nd(W_hh.grad),
            "detach": type(H.detach()).__name__, "mask_dtype": str(d.dtype),
            "onehot": _nd(mx.npx.one_hot(np.array([0, 2]), 3)),
            "stack": _nd(np.stack([X, X], axis=1))}


CASES["d2l_softmax_regression"] = _d2l_softmax_regression
CASES["d2l_masked_softmax"] = _d2l_masked_softmax
def _with_set_np(fn):
    """Run ``fn(mx)`` after ``npx.set_np()`` (as d2l does; 1.9.1's DataLoader needs it)."""
    def case(mx):
        mx.npx.set_np()
        try:
            return fn(mx)
        finally:
            mx.npx.reset_np()
    return case


CASES["d2l_linreg"] = _with_set_np(_d2l_linreg)
CASES["d2l_rnn_step"] = _d2l_rnn_step


# ---------------------------------------------------------------- hybridized npx forwards
def hybrid_fwd_case(fn, inputs):
    """Case: a ``fwd_case`` body as ``fn(F.np, F.npx, *xs)`` in a hybridized HybridBlock."""
    def case(mx):
        blk = _block(mx, lambda F, *xs: fn(F.np, F.npx, *xs))
        blk.hybridize()
        outs = _flat(blk(*[mx.np.array(a, dtype=a.dtype) for a in inputs]))
        return {"out%d" % k: _nd(o) for k, o in enumerate(outs)}
    return case


for _name in [n for n in CASES if n.startswith("npx_")]:
    _fn, _inputs = None, None
    for _f, _i in FWD:
        if CASES[_name].__code__ is not None and _f in [c.cell_contents for c in
                                                       (CASES[_name].__closure__ or ())]:
            _fn, _inputs = _f, _i
    if _fn is not None and "dropout" not in _name and "misc" not in _name:
        CASES["hyb_" + _name] = hybrid_fwd_case(_fn, _inputs)
