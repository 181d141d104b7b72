"""Deterministic case lists for the differential tester.

A case is a dict ``{"id", "group", "code", "random"}``: ``code`` is Python source run by the
runner in a namespace holding ``mx``, ``nd``, ``sym``, ``autograd``, ``np``, ``A`` (array maker),
``D`` (numpy data maker) and ``TMP`` (a scratch directory); it leaves its result in ``R``.
``random`` cases compare shapes and dtypes only. Pure Python + numpy, so the same list is
produced under numpy 1.23 (MXNet) and numpy 2.x (mxtorch).
"""
import json
import os

from common import DTYPES

HERE = os.path.dirname(os.path.abspath(__file__))
SURFACE = os.environ.get("DIFFTEST_SURFACE", os.path.join(
    HERE, "..", "..", "..", "shared", "fixtures", "mxnet-1.9.1", "api", "api-surface.json"))

NOT_ARRAYS = {"out", "name", "ctx", "attr", "dtype", "stype"}
INDEX_INPUTS = {"index", "indices", "label", "sequence_length"}

# Inputs (shape, kind[, seed]) and attributes for ops whose defaults are not two (2, 3) arrays.
F23 = ((2, 3), "f")
OV = {
    "Activation": (None, {"act_type": "relu"}),
    "BatchNorm": ([(2, 3, 2, 2), (3,), (3,), (3,), ((3,), "p")], {}),
    "BatchNorm_v1": ([(2, 3, 2, 2), (3,), (3,)], {}),
    "Convolution": ([(1, 2, 4, 4), (3, 2, 3, 3), (3,)], {"kernel": (3, 3), "num_filter": 3}),
    "Convolution_v1": ([(1, 2, 4, 4), (3, 2, 3, 3), (3,)], {"kernel": (3, 3), "num_filter": 3}),
    "Deconvolution": ([(1, 2, 3, 3), (2, 3, 2, 2), (3,)], {"kernel": (2, 2), "num_filter": 3}),
    "FullyConnected": ([(2, 3), (4, 3), (4,)], {"num_hidden": 4}),
    "Pooling": ([(1, 2, 4, 4)], {"kernel": (2, 2), "pool_type": "max"}),
    "Pooling_v1": ([(1, 2, 4, 4)], {"kernel": (2, 2), "pool_type": "max"}),
    "Embedding": ([((2, 3), "i", 4), (5, 4)], {"input_dim": 5, "output_dim": 4}),
    "one_hot": ([((2, 3), "i", 3)], {"depth": 4}),
    "pick": ([(2, 3), ((2,), "i", 2)], {}),
    "take": ([(4, 3), ((2,), "i", 3)], {}),
    "batch_take": ([(2, 3), ((2,), "i", 2)], {}),
    "choose_element_0index": ([(2, 3), ((2,), "i", 2)], {}),
    "fill_element_0index": ([(2, 3), (2,), ((2,), "i", 2)], {}),
    "dot": ([(2, 3), (3, 4)], {}),
    "batch_dot": ([(2, 2, 3), (2, 3, 4)], {}),
    "khatri_rao": ([(2, 3), (4, 3)], {}),
    "reshape": (None, {"shape": (3, 2)}),
    "Reshape": (None, {"shape": (3, 2)}),
    "tile": (None, {"reps": (2, 1)}),
    "repeat": (None, {"repeats": 2}),
    "broadcast_to": ([(1, 3)], {"shape": (2, 3)}),
    "broadcast_axis": ([(1, 3)], {"axis": 0, "size": 2}),
    "broadcast_axes": ([(1, 3)], {"axis": 0, "size": 2}),
    "broadcast_like": ([(1, 3), (2, 3)], {}),
    "slice": (None, {"begin": (0, 1), "end": (2, 3)}),
    "crop": (None, {"begin": (0, 1), "end": (2, 3)}),
    "slice_axis": (None, {"axis": 1, "begin": 0, "end": 2}),
    "slice_like": ([(3, 4), (2, 3)], {}),
    "reshape_like": ([(2, 3), (3, 2)], {}),
    "clip": (None, {"a_min": -1.0, "a_max": 1.0}),
    "where": ([((2, 3), "01"), (2, 3), (2, 3)], {}),
    "SliceChannel": (None, {"num_outputs": 3, "axis": 1}),
    "split": (None, {"num_outputs": 3, "axis": 1}),
    "expand_dims": (None, {"axis": 1}),
    "squeeze": ([(2, 1, 3)], {}),
    "swapaxes": (None, {"dim1": 0, "dim2": 1}),
    "SwapAxis": (None, {"dim1": 0, "dim2": 1}),
    "flip": (None, {"axis": 0}),
    "reverse": (None, {"axis": 0}),
    "Pad": ([(1, 1, 2, 3)], {"mode": "constant", "pad_width": (0, 0, 0, 0, 1, 1, 1, 1)}),
    "pad": ([(1, 1, 2, 3)], {"mode": "constant", "pad_width": (0, 0, 0, 0, 1, 1, 1, 1)}),
    "gather_nd": ([(2, 3), ((2, 2), "i", 1)], {}),
    "scatter_nd": ([(2,), ((2, 2), "i", 1)], {"shape": (2, 3)}),
    "ravel_multi_index": ([((2, 2), "i", 1)], {"shape": (3, 4)}),
    "unravel_index": ([((3,), "i", 9)], {"shape": (3, 4)}),
    "depth_to_space": ([(1, 4, 2, 2)], {"block_size": 2}),
    "space_to_depth": ([(1, 1, 4, 4)], {"block_size": 2}),
    "moments": (None, {"axes": (1,)}),
    "softmax_cross_entropy": ([(2, 3), ((2,), "i", 2)], {}),
    "SoftmaxOutput": ([(2, 3), ((2,), "i", 2)], {}),
    "Softmax": ([(2, 3), ((2,), "i", 2)], {}),
    "SVMOutput": ([(2, 3), ((2,), "i", 2)], {}),
    "LayerNorm": ([(2, 3), (3,), (3,)], {}),
    "InstanceNorm": ([(2, 3, 4), (3,), (3,)], {}),
    "GroupNorm": ([(2, 4, 3), (2,), (2,)], {"num_groups": 2}),
    "LRN": ([(1, 3, 2, 2)], {"nsize": 3}),
    "SequenceMask": ([(3, 2, 2), ((2,), "p")], {"use_sequence_length": True}),
    "SequenceLast": ([(3, 2, 2), ((2,), "p")], {"use_sequence_length": True}),
    "SequenceReverse": ([(3, 2, 2), ((2,), "p")], {"use_sequence_length": True}),
    "UpSampling": ([(1, 1, 2, 2)], {"scale": 2, "sample_type": "nearest"}),
    "Cast": (None, {"dtype": "float16"}),
    "cast": (None, {"dtype": "float16"}),
    "amp_cast": (None, {"dtype": "float16"}),
    "amp_multicast": (None, {"num_outputs": 2}),
    "cast_storage": (None, {"stype": "default"}),
    "im2col": ([(1, 1, 4, 4)], {"kernel": (2, 2)}),
    "col2im": ([(1, 4, 9)], {"output_size": (4, 4), "kernel": (2, 2)}),
    "CTCLoss": ([(4, 2, 3), ((2, 2), "p")], {}),
    "ctc_loss": ([(4, 2, 3), ((2, 2), "p")], {}),
    "ROIPooling": ([(1, 1, 4, 4), ((1, 5), "i", 3)], {"pooled_size": (2, 2), "spatial_scale": 1.0}),
    "smooth_l1": (None, {"scalar": 1.0}),
    "Dropout": (None, {"p": 0.5}),
    "reset_arrays": (None, {"num_arrays": 2}),
    "multi_sum_sq": (None, {"num_arrays": 2}),
    "multi_all_finite": (None, {"num_arrays": 2}),
    "topk": (None, {"k": 2}),
    "diag": ([(3, 3)], {}),
    "linalg_det": ([((2, 3, 3), "spd")], {}), "linalg_slogdet": ([((2, 3, 3), "spd")], {}),
    "linalg_inverse": ([((2, 3, 3), "spd")], {}), "linalg_potrf": ([((2, 3, 3), "spd")], {}),
    "linalg_potri": ([((2, 3, 3), "spd")], {}), "linalg_sumlogdiag": ([((2, 3, 3), "spd")], {}),
    "linalg_extractdiag": ([(2, 3, 3)], {}), "linalg_extracttrian": ([(2, 3, 3)], {}),
    "linalg_makediag": ([(2, 3)], {}), "linalg_maketrian": ([(2, 6)], {}),
    "linalg_gelqf": ([(2, 2, 3)], {}), "linalg_syrk": ([(2, 3)], {}),
    "linalg_gemm": ([(2, 3), (3, 2), (2, 2)], {}), "linalg_gemm2": ([(2, 3), (3, 2)], {}),
    "linalg_trmm": ([((3, 3), "spd"), (3, 2)], {}), "linalg_trsm": ([((3, 3), "spd"), (3, 2)], {}),
    "sgd_update": (None, {"lr": 0.1}), "sgd_mom_update": ([F23, F23, F23], {"lr": 0.1}),
    "nag_mom_update": ([F23, F23, F23], {"lr": 0.1}),
    "adam_update": ([F23, F23, F23, ((2, 3), "p")], {"lr": 0.1}),
    "rmsprop_update": ([F23, F23, ((2, 3), "p")], {"lr": 0.1}),
    "rmspropalex_update": ([F23, F23, ((2, 3), "p"), F23, F23], {"lr": 0.1}),
    "ftrl_update": ([F23, F23, F23, ((2, 3), "p")], {"lr": 0.1}),
    "ftml_update": ([F23, F23, ((2, 3), "p"), F23, F23], {"lr": 0.1, "t": 1}),
    "signsgd_update": (None, {"lr": 0.1}), "signum_update": ([F23, F23, F23], {"lr": 0.1}),
    "histogram": (None, {"bin_cnt": 3, "range": (-2, 2)}),
    "random_uniform": ([], {"shape": (2, 3)}), "random_normal": ([], {"shape": (2, 3)}),
    "random_exponential": ([], {"shape": (2, 3)}), "random_gamma": ([], {"shape": (2, 3)}),
    "random_poisson": ([], {"shape": (2, 3)}), "random_randint": ([], {"low": 0, "high": 5, "shape": (2, 3)}),
    "random_negative_binomial": ([], {"shape": (2, 3)}),
    "random_generalized_negative_binomial": ([], {"shape": (2, 3)}),
    "uniform": ([], {"shape": (2, 3)}), "normal": ([], {"shape": (2, 3)}),
    "sample_uniform": ([(2,), ((2,), "p")], {"shape": (3,)}),
    "sample_normal": ([(2,), ((2,), "p")], {"shape": (3,)}),
    "sample_exponential": ([((2,), "p")], {"shape": (3,)}),
    "sample_poisson": ([((2,), "p")], {"shape": (3,)}),
    "sample_gamma": ([((2,), "p"), ((2,), "p")], {"shape": (3,)}),
    "sample_multinomial": ([((2, 3), "p")], {}),
    "random_pdf_uniform": ([(2, 3), ((2,), "f"), ((2,), "p")], {}),
    "random_pdf_normal": ([(2, 3), (2,), ((2,), "p")], {}),
    "random_pdf_exponential": ([((2, 3), "p"), ((2,), "p")], {}),
    "random_pdf_gamma": ([((2, 3), "p"), ((2,), "p"), ((2,), "p")], {}),
    "random_pdf_poisson": ([((2, 3), "i", 3), ((2,), "p")], {}),
}
SKIP = {"Custom", "RNN", "BilinearSampler", "GridGenerator", "SpatialTransformer", "Correlation",
        "Crop", "mp_lamb_update_phase1", "mp_lamb_update_phase2", "lamb_update_phase1",
        "lamb_update_phase2", "multi_lars", "preloaded_multi_mp_sgd_mom_update",
        "preloaded_multi_mp_sgd_update", "preloaded_multi_sgd_mom_update",
        "preloaded_multi_sgd_update", "multi_mp_sgd_mom_update", "multi_mp_sgd_update",
        "multi_sgd_mom_update", "multi_sgd_update", "mp_nag_mom_update", "mp_sgd_mom_update",
        "mp_sgd_update", "random_pdf_dirichlet", "random_pdf_negative_binomial",
        "random_pdf_generalized_negative_binomial", "sample_negative_binomial",
        "sample_generalized_negative_binomial", "shuffle", "IdentityAttachKLSparseReg"}
RANDOM = ("random_", "sample_", "uniform", "normal", "Dropout")

# Attribute values tried one at a time on top of the base case.
ATTR_VARIANTS = {
    "axis": [0, -1, 2, -3, None, (0, 1), ()],
    "axes": [(0,), (-1,), (0, 1), (), (5,)],
    "keepdims": [True, False],
    "exclude": [True],
    "dtype": ["float16", "float64", "int32", "uint8", None],
    "is_ascend": [True],
    "ret_typ": ["value", "indices", "mask", "both"],
    "k": [0, 1, 3, 5],
    "ord": [1, 2, 3],
    "mode": ["clip", "wrap", "raise"],
    "squeeze_axis": [True],
    "reverse": [True],
    "temperature": [2.0, None],
    "use_length": [True],
    "out_dtype": ["float64", "int32"],
    "num_outputs": [1, 2, 4],
    "begin": [(None, 1), (-1, 0), (0, 5)],
    "end": [(None, None), (-1, -1), (5, 5)],
    "step": [(1, 2), (None, -1), (-1, -1)],
    "scalar": [0.0, -2.5],
    "a_min": [None, 2.0],
    "a_max": [None, -2.0],
    "shape": [(-1,), (0, -1), (-2,), (6,), (-3,), (2, -4, 1, 3), (7,), ()],
    "reps": [(), (2,), (1, 1, 2), (0, 1)],
    "repeats": [0, 3],
    "dim1": [-1, 5], "dim2": [-2],
    "depth": [0, 1],
    "on_value": [5.0], "off_value": [-1.0],
    "act_type": ["sigmoid", "tanh", "softrelu", "softsign", "bogus"],
    "pool_type": ["avg", "sum", "lp"],
    "global_pool": [True],
    "no_bias": [True],
    "flatten": [False],
    "transpose_a": [True], "transpose_b": [True],
    "lhs_axes": [(0,)], "rhs_axes": [(0,)],
    "sparse_grad": [True],
    "normalization": ["batch", "valid"],
    "use_global_stats": [True],
    "fix_gamma": [False],
    "eps": [1e-3],
    "num_args": [1, 5],
}

NAN_OPS = {"max", "min", "sum", "mean", "prod", "nansum", "nanprod", "argmax", "argmin", "sort",
           "argsort", "topk", "maximum", "minimum", "broadcast_maximum", "broadcast_minimum",
           "relu", "sigmoid", "abs", "sign", "clip", "round", "floor", "norm", "softmax",
           "broadcast_equal", "broadcast_not_equal", "broadcast_greater", "broadcast_lesser",
           "broadcast_greater_equal", "broadcast_lesser_equal", "where"}


def split_params(sig):
    """Parameter strings of a signature text ``(a, b=(1, 2), *c, **kw)``."""
    body, depth, cur, out = sig.strip()[1:-1], 0, "", []
    for ch in body:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def op_params(sig):
    """(array input names, variadic?, attribute names) of a generated op's signature."""
    arrays, attrs, variadic = [], [], False
    for p in split_params(sig):
        if p.startswith("**"):
            continue
        if p.startswith("*"):
            variadic = True
            continue
        name, _, default = p.partition("=")
        if name in NOT_ARRAYS and name != "dtype" and name != "stype":
            continue
        if default == "None" and name not in NOT_ARRAYS:
            arrays.append(name)
        else:
            attrs.append(name)
    return arrays, variadic, attrs


def load_surface():
    with open(SURFACE) as f:
        return json.load(f)["modules"]


def _spec(s):
    """Normalise an input spec to (shape, kind, seed)."""
    if isinstance(s[0], tuple) or s == ():
        shape, kind, seed = (tuple(s[0]), s[1], s[2] if len(s) > 2 else 0)
    else:
        shape, kind, seed = tuple(s), "f", 0
    return shape, kind, seed


def _inputs(name, arrays, variadic):
    spec, attrs = OV.get(name, (None, {}))
    if spec is None:
        n = 2 if variadic else len(arrays)
        spec = []
        for i in range(n):
            aname = arrays[i] if i < len(arrays) else ""
            spec.append(((2,), "i", 2) if aname in INDEX_INPUTS else F23)
    return [_spec(s) for s in spec], dict(attrs)


def _arr_src(spec, dtype="float32"):
    shape, kind, seed = spec
    if kind in ("i", "01") or (kind == "p" and dtype == "float32"):
        dt = "float32" if kind != "i" or dtype == "float32" else dtype
        return "A(%r, %r, %r, %d)" % (shape, dt, kind, seed)
    return "A(%r, %r, %r, %d)" % (shape, dtype, kind, seed)


def _call(fn, arg_srcs, attrs, kw_names=None, extra=""):
    if kw_names:
        parts = ["%s=%s" % (k, a) for k, a in zip(kw_names, arg_srcs)]
    else:
        parts = list(arg_srcs)
    parts += ["%s=%r" % (k, v) for k, v in attrs.items()]
    if extra:
        parts.append(extra)
    return "%s(%s)" % (fn, ", ".join(parts))


def _case(cid, group, code, random=False):
    return {"id": cid, "group": group, "code": code, "random": random}


def nd_op_cases(name, sig, prefix="nd"):
    """Cases for one generated operator through ``prefix.name``."""
    arrays, variadic, attr_names = op_params(sig)
    spec, attrs = _inputs(name, arrays, variadic)
    fn = "%s.%s" % (prefix, name)
    rnd = name.startswith(RANDOM) or name in RANDOM
    grp = fn
    srcs = [_arr_src(s) for s in spec]
    cases = [_case(fn + "/base", grp, "R = " + _call(fn, srcs, attrs), rnd)]
    if not variadic and spec and len(spec) <= len(arrays):
        cases.append(_case(fn + "/kw", grp, "R = " + _call(fn, srcs, attrs, arrays[:len(srcs)]), rnd))
    if "out" in sig:
        cases.append(_case(fn + "/out", grp,
                           "r0 = %s\nif isinstance(r0, nd.NDArray):\n"
                           "    o = nd.zeros(r0.shape, dtype=r0.dtype)\n"
                           "    r1 = %s\n    R = (r1, r1 is o, o)\nelse:\n    R = 'multi'"
                           % (_call(fn, srcs, attrs), _call(fn, srcs, attrs, extra="out=o")), rnd))
    for dt in DTYPES[1:]:
        dsrcs = [_arr_src(s, dt) for s in spec]
        cases.append(_case("%s/dtype=%s" % (fn, dt), grp, "R = " + _call(fn, dsrcs, attrs), rnd))
    if spec and all(s[0] for s in spec):
        zsrcs = [_arr_src(((0,) + s[0][1:], s[1], s[2])) for s in spec]
        cases.append(_case(fn + "/zero-size", grp, "R = " + _call(fn, zsrcs, attrs), rnd))
    if spec and all(s[0] == (2, 3) and s[1] == "f" for s in spec):
        osrcs = [_arr_src(((), "f", i)) for i, _ in enumerate(spec)]
        cases.append(_case(fn + "/0-d", grp, "R = " + _call(fn, osrcs, attrs), rnd))
        if name in NAN_OPS or prefix == "nd" and name.startswith("broadcast_"):
            nsrcs = [_arr_src(((2, 3), "nan", i)) for i, _ in enumerate(spec)]
            cases.append(_case(fn + "/nan", grp, "R = " + _call(fn, nsrcs, attrs), rnd))
    for a in attr_names:
        for v in ATTR_VARIANTS.get(a, []):
            at = dict(attrs)
            at[a] = v
            cases.append(_case("%s/%s=%r" % (fn, a, v), grp, "R = " + _call(fn, srcs, at), rnd))
    for a in attrs:
        at = dict(attrs)
        at[a] = None
        cases.append(_case("%s/%s=None" % (fn, a), grp, "R = " + _call(fn, srcs, at), rnd))
    if attr_names and attr_names[0] in attrs and not variadic and len(srcs) == len(arrays):
        first = attr_names[0]
        rest = {k: v for k, v in attrs.items() if k != first}
        cases.append(_case(fn + "/positional-attr", grp, "R = " + _call(
            fn, srcs + [repr(attrs[first])], rest), rnd))
    return cases


def sym_op_cases(name, sig):
    """Cases for one operator through the Symbol door: names, inference, evaluation."""
    arrays, variadic, attr_names = op_params(sig)
    spec, attrs = _inputs(name, arrays, variadic)
    fn = "sym." + name
    rnd = name.startswith(RANDOM) or name in RANDOM
    out = []
    variants = [("base", attrs)]
    for a in attr_names:
        for v in ATTR_VARIANTS.get(a, [])[:3]:
            at = dict(attrs)
            at[a] = v
            variants.append(("%s=%r" % (a, v), at))
    for dt in ("float32", "float16", "int32"):
        for tag, at in (variants if dt == "float32" else variants[:1]):
            vnames = ["v%d" % i for i in range(len(spec))]
            lines = ["vs = [sym.var(n) for n in %r]" % vnames,
                     "s = %s" % _call(fn, ["vs[%d]" % i for i in range(len(spec))], at),
                     "vals = {%s}" % ", ".join("%r: %s" % (n, _arr_src(s, dt))
                                               for n, s in zip(vnames, spec)),
                     "shp = s.infer_shape(**{k: v.shape for k, v in vals.items()})",
                     "typ = s.infer_type(**{k: v.dtype for k, v in vals.items()})",
                     "R = [s.list_arguments(), s.list_outputs(), s.list_auxiliary_states(),"
                     " shp, typ, s.eval(ctx=mx.cpu(), **vals)]"]
            cid = "%s/%s%s" % (fn, tag, "" if dt == "float32" else "/dtype=" + dt)
            out.append(_case(cid, fn, "\n".join(lines), rnd))
    return out


def method_cases(surface):
    """NDArray fluent methods called like their operators."""
    members = surface["mxnet.ndarray"]["names"]["NDArray"]["members"]
    ops = surface["mxnet.ndarray"]["names"]
    out = []
    for m, sig in sorted(members.items()):
        if sig != "(self, *args, **kwargs)" or m not in ops or m in SKIP:
            continue
        osig = ops[m].get("signature") or ""
        arrays, variadic, attr_names = op_params(osig)
        spec, attrs = _inputs(m, arrays, variadic)
        if not spec:
            continue
        grp = "NDArray." + m
        self_src = _arr_src(spec[0])
        rest = [_arr_src(s) for s in spec[1:]]
        out.append(_case(grp + "/base", grp, "R = " + _call(self_src + "." + m, rest, attrs)))
        for a in attr_names:
            for v in ATTR_VARIANTS.get(a, [])[:4]:
                at = dict(attrs)
                at[a] = v
                out.append(_case("%s/%s=%r" % (grp, a, v), grp,
                                 "R = " + _call(self_src + "." + m, rest, at)))
        for dt in ("float16", "int32", "uint8"):
            out.append(_case("%s/dtype=%s" % (grp, dt), grp, "R = " + _call(
                _arr_src(spec[0], dt) + "." + m, [_arr_src(s, dt) for s in spec[1:]], attrs)))
    return out


def symbol_method_cases(surface):
    """Symbol fluent methods: build ``var.method(...)``, infer and evaluate it."""
    members = surface["mxnet.symbol"]["names"]["Symbol"]["members"]
    ops = surface["mxnet.ndarray"]["names"]
    out = []
    for m, sig in sorted(members.items()):
        if sig != "(self, *args, **kwargs)" or m not in ops or m in SKIP:
            continue
        arrays, variadic, attr_names = op_params(ops[m].get("signature") or "")
        spec, attrs = _inputs(m, arrays, variadic)
        if not spec:
            continue
        grp = "Symbol." + m
        variants = [("base", attrs)] + [("%s=%r" % (a, v), dict(attrs, **{a: v}))
                                        for a in attr_names for v in ATTR_VARIANTS.get(a, [])[:2]]
        for tag, at in variants:
            names = ["v%d" % i for i in range(len(spec))]
            code = "\n".join([
                "vs = [sym.var(n) for n in %r]" % names,
                "s = " + _call("vs[0]." + m, ["vs[%d]" % i for i in range(1, len(spec))], at),
                "vals = {%s}" % ", ".join("%r: %s" % (n, _arr_src(x)) for n, x in zip(names, spec)),
                "R = [s.list_arguments(), s.list_outputs(),"
                " s.infer_shape(**{k: v.shape for k, v in vals.items()}), s.eval(**vals)]"])
            out.append(_case("%s/%s" % (grp, tag), grp, code))
    return out


def generated_cases(surface):
    names = surface["mxnet.ndarray"]["names"]
    out = []
    for name, info in sorted(names.items()):
        if info.get("from") != "ndarray" or info.get("kind") != "function" or name in SKIP:
            continue
        out += nd_op_cases(name, info["signature"])
    snames = surface["mxnet.symbol"]["names"]
    for name, info in sorted(snames.items()):
        if info.get("from") != "symbol" or info.get("kind") != "function" or name in SKIP:
            continue
        if name.startswith(("random_", "sample_", "linalg_", "_")) or "update" in name:
            continue
        out += sym_op_cases(name, info["signature"])
    return out


def all_cases():
    """Every case, in a fixed order, with unique ids."""
    import manual  # noqa: PLC0415 - sibling module, same sys.path
    surface = load_surface()
    cases = (generated_cases(surface) + method_cases(surface) + manual.cases()
             + symbol_method_cases(surface))
    seen = set()
    for c in cases:
        base, i = c["id"], 1
        while c["id"] in seen:
            i += 1
            c["id"] = "%s#%d" % (base, i)
        seen.add(c["id"])
    return cases
