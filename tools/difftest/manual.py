"""Hand-written difftest cases: non-generated functions, NDArray/Symbol methods, autograd.

Each entry is (group, tag, code); code leaves its result in ``R``. The code strings are data
and are kept on one line each even where that passes the line-length limit.
"""

X = "x = A((2, 3))\n"


def _fmt(group, items):
    return [(group, tag, code) for tag, code in items]


def nd_functions():
    out = []
    for fn in ("add", "subtract", "multiply", "divide", "true_divide", "modulo", "power",
               "maximum", "minimum", "equal", "not_equal", "greater", "greater_equal",
               "lesser", "lesser_equal", "logical_and", "logical_or", "logical_xor"):
        items = [("arr-arr", "R = nd.%s(A((2, 3)), A((2, 3), seed=1))" % fn),
                 ("arr-bcast", "R = nd.%s(A((2, 3)), A((1, 3), seed=1))" % fn),
                 ("arr-scalar", "R = nd.%s(A((2, 3)), 1.5)" % fn),
                 ("scalar-arr", "R = nd.%s(2, A((2, 3)))" % fn),
                 ("scalar-scalar", "R = nd.%s(2, 3)" % fn),
                 ("int-arr-float-scalar", "R = nd.%s(A((2, 3), 'int32'), 2.5)" % fn),
                 ("nan-scalar", "R = nd.%s(A((2, 3), kind='nan'), float('nan'))" % fn),
                 ("nan-arr", "R = nd.%s(A((2, 3), kind='nan'), A((2, 3), kind='nan', seed=1))" % fn),
                 ("np-scalar", "R = nd.%s(A((2, 3)), np.float64(1.5))" % fn),
                 ("mixed-dtype", "R = nd.%s(A((2, 3)), A((2, 3), 'float64'))" % fn),
                 ("bad-bcast", "R = nd.%s(A((2, 3)), A((3, 2)))" % fn),
                 ("zero-size", "R = nd.%s(A((0, 3)), A((0, 3)))" % fn)]
        out += _fmt("nd." + fn, items)
    out += _fmt("nd.arange", [
        ("stop", "R = nd.arange(5)"), ("start-stop", "R = nd.arange(2, 7)"),
        ("step", "R = nd.arange(0, 2, 0.5)"), ("neg-step", "R = nd.arange(5, 0, -1)"),
        ("repeat", "R = nd.arange(0, 3, repeat=2)"), ("int32", "R = nd.arange(5, dtype='int32')"),
        ("empty", "R = nd.arange(3, 3)"), ("int64", "R = nd.arange(2, 9, 3, dtype=np.int64)"),
        ("float-stop", "R = nd.arange(2.5)"), ("infer", "R = nd.arange(0, None, 1, infer_range=True)"),
        ("kw", "R = nd.arange(start=1, stop=4, step=1)")])
    out += _fmt("nd.array", [
        ("list", "R = nd.array([1, 2, 3])"), ("nested", "R = nd.array([[1.5, 2], [3, 4]])"),
        ("np-f64", "R = nd.array(np.arange(3.0))"), ("np-int64", "R = nd.array(np.arange(3))"),
        ("np-int8", "R = nd.array(np.arange(3, dtype='int8'))"),
        ("np-bool", "R = nd.array(np.array([True, False]))"),
        ("dtype", "R = nd.array([1.7, -2.2], dtype='int32')"),
        ("nd", "R = nd.array(A((2, 3), 'int32'))"), ("nd-dtype", "R = nd.array(A((2, 3)), dtype='float16')"),
        ("scalar", "R = nd.array(3.5)"), ("np-scalar", "R = nd.array(np.float64(3.5))"),
        ("empty-list", "R = nd.array([])"), ("ragged", "R = nd.array([[1, 2], [3]])"),
        ("tuple", "R = nd.array((1, 2))"), ("str", "R = nd.array('ab')"),
        ("zero-size", "R = nd.array(np.zeros((0, 3)))")])
    out += _fmt("nd.concatenate", [
        ("axis0", "R = nd.concatenate([A((2, 3)), A((1, 3))])"),
        ("axis1", "R = nd.concatenate([A((2, 3)), A((2, 1))], axis=1)"),
        ("neg-axis", "R = nd.concatenate([A((2, 3)), A((2, 1))], axis=-1)"),
        ("one", "R = nd.concatenate([A((2, 3))])"), ("empty", "R = nd.concatenate([])"),
        ("mixed", "R = nd.concatenate([A((2, 3)), A((2, 3), 'int32')])"),
        ("nocopy", "a = A((2, 3))\nR = nd.concatenate([a], always_copy=False) is a")])
    out += _fmt("nd.empty", [("shape", "R = nd.empty((2, 3)).shape"), ("int", "R = nd.empty(3).shape"),
                             ("dtype", "R = nd.empty((2,), dtype='int8').dtype")])
    out += _fmt("nd.eye", [("N", "R = nd.eye(3)"), ("NM", "R = nd.eye(2, 4)"),
                           ("k", "R = nd.eye(3, k=1)"), ("negk", "R = nd.eye(3, 4, k=-2)"),
                           ("dtype", "R = nd.eye(2, dtype='int32')"), ("zero", "R = nd.eye(0)")])
    out += _fmt("nd.full", [("f", "R = nd.full((2, 3), 1.5)"), ("int", "R = nd.full(3, 7)"),
                            ("dtype", "R = nd.full((2,), 2.7, dtype='int32')"),
                            ("nan", "R = nd.full((2,), float('nan'))"),
                            ("out", "o = nd.zeros((2,))\nr = nd.full((2,), 3, out=o)\nR = (r, r is o, o)")])
    out += _fmt("nd.histogram", [("bins", "R = nd.histogram(A((2, 3)), bins=4)"),
                                 ("range", "R = nd.histogram(A((2, 3)), bins=4, range=(-1, 1))"),
                                 ("arr-bins", "R = nd.histogram(A((2, 3)), bins=nd.array([-2, 0, 2]))")])
    out += _fmt("nd.linspace", [("b", "R = nd.linspace(0, 1, 5)"),
                                ("noend", "R = nd.linspace(0, 1, 5, endpoint=False)"),
                                ("int", "R = nd.linspace(0, 10, 3, dtype='int32')"),
                                ("one", "R = nd.linspace(2, 3, 1)"), ("zero", "R = nd.linspace(2, 3, 0)")])
    out += _fmt("nd.moveaxis", [
        ("b", "R = nd.moveaxis(A((2, 3, 4)), 0, -1)"), ("neg", "R = nd.moveaxis(A((2, 3, 4)), -1, 0)"),
        ("tuple", "R = nd.moveaxis(A((2, 3, 4)), (0, 1), (1, 0))"),
        ("list", "R = nd.moveaxis(A((2, 3, 4)), [0, 2], [2, 0])"),
        ("oob", "R = nd.moveaxis(A((2, 3, 4)), 3, 0)"), ("same", "R = nd.moveaxis(A((2, 3)), 1, 1)"),
        ("dup", "R = nd.moveaxis(A((2, 3, 4)), (0, 0), (1, 2))"),
        ("mismatch", "R = nd.moveaxis(A((2, 3, 4)), (0, 1), (1,))")])
    for fn in ("ones", "zeros"):
        out += _fmt("nd." + fn, [("t", "R = nd.%s((2, 3))" % fn), ("int", "R = nd.%s(3)" % fn),
                                 ("dtype", "R = nd.%s((2,), dtype='int64')" % fn),
                                 ("np-dtype", "R = nd.%s((2,), dtype=np.float16)" % fn),
                                 ("zero", "R = nd.%s((0, 2))" % fn), ("empty", "R = nd.%s(())" % fn),
                                 ("list", "R = nd.%s([2, 1])" % fn), ("neg", "R = nd.%s((-1, 2))" % fn)])
    out += _fmt("nd.zeros", [("stype-rsp", "R = nd.zeros((2, 3), stype='row_sparse')"),
                             ("stype-csr", "R = nd.zeros((2, 3), stype='csr')")])
    out += _fmt("nd.onehot_encode", [("b", "o = nd.zeros((3, 4))\nr = nd.onehot_encode(nd.array([0, 3, 1]), o)\nR = (r, r is o)")])
    out += _fmt("nd.split_v2", [
        ("sections", "R = nd.split_v2(A((4, 3)), 2)"), ("indices", "R = nd.split_v2(A((4, 3)), [1, 3])"),
        ("axis", "R = nd.split_v2(A((2, 3)), 3, axis=1)"),
        ("squeeze", "R = nd.split_v2(A((2, 3)), 3, axis=1, squeeze_axis=True)"),
        ("uneven", "R = nd.split_v2(A((4, 3)), 3)"), ("one", "R = nd.split_v2(A((4, 3)), 1)"),
        ("tuple", "R = nd.split_v2(A((4, 3)), (2,))"), ("neg-axis", "R = nd.split_v2(A((2, 4)), 2, axis=-1)")])
    out += _fmt("nd.waitall", [("b", "R = nd.waitall()")])
    out += _fmt("nd.from_numpy", [("b", "R = nd.from_numpy(D((2, 3)))"),
                                  ("copy", "R = nd.from_numpy(D((2, 3), 'float64'), zero_copy=False)"),
                                  ("share", "a = D((2, 3))\nx = nd.from_numpy(a)\na[0, 0] = 9\nR = x")])
    out += _fmt("nd.dlpack", [("read", "R = nd.from_dlpack(nd.to_dlpack_for_read(A((2, 3))))"),
                              ("write", "x = A((2, 3))\ny = nd.from_dlpack(nd.to_dlpack_for_write(x))\ny[:] = 1\nR = x")])
    out += _fmt("nd.save-load", [
        ("scalar", "nd.save(TMP + '/s', [nd.array(np.float32(3))])\nR = nd.load(TMP + '/s')"),
        ("zero-size", "nd.save(TMP + '/z', [nd.zeros((0, 3))])\nR = nd.load(TMP + '/z')"),
        ("zero-size-dict", "nd.save(TMP + '/zd', {'a': nd.zeros((2, 0))})\nR = nd.load(TMP + '/zd')"),
        ("dict", "nd.save(TMP + '/d', {'a': A((2, 3)), 'b': A((1,), 'int64')})\nR = nd.load(TMP + '/d')"),
        ("single", "nd.save(TMP + '/1', A((2,)))\nR = nd.load(TMP + '/1')"),
        ("empty-list", "nd.save(TMP + '/e', [])\nR = nd.load(TMP + '/e')"),
        ("empty-dict", "nd.save(TMP + '/ed', {})\nR = nd.load(TMP + '/ed')"),
        ("dtypes", "nd.save(TMP + '/t', [A((2,), d) for d in ('float16', 'float64', 'uint8', 'int8', 'int32', 'int64', 'bool')])\nR = nd.load(TMP + '/t')"),
        ("missing", "R = nd.load(TMP + '/nope')"),
        ("bad-type", "nd.save(TMP + '/bt', [1, 2])"),
        ("buffer", "nd.save(TMP + '/b', [A((2,))])\nR = nd.load_frombuffer(open(TMP + '/b', 'rb').read())"),
        ("rsp", "nd.save(TMP + '/r', [nd.zeros((2, 3), stype='row_sparse')])\nR = nd.load(TMP + '/r')"),
        ("0d-and-zero", "nd.save(TMP + '/m', {'s': nd.array(np.float32(1)), 'z': nd.zeros((0,))})\nR = nd.load(TMP + '/m')")])
    return out


def ndarray_methods():
    g = "NDArray."
    out = []
    out += _fmt(g + "props", [
        ("shape", X + "R = [x.shape, x.size, x.ndim, x.dtype, x.stype, x.context, x.ctx, x.T, x.grad]"),
        ("T3", "R = A((2, 3, 4)).T"), ("T0", "R = nd.array(np.float32(2)).T"),
        ("len", "R = len(A((2, 3)))"), ("len0", "R = len(nd.array(np.float32(1)))"),
        ("handle", "R = type(A((2,)).handle).__name__ != ''"), ("writable", "R = A((2,)).writable")])
    out += _fmt(g + "bool", [("one", "R = bool(nd.array([2]))"), ("zero", "R = bool(nd.array([0]))"),
                             ("many", "R = bool(A((2, 3)))"), ("empty", "R = bool(nd.zeros((0,)))"),
                             ("0d", "R = bool(nd.array(np.float32(0)))")])
    out += _fmt(g + "convert", [
        ("asnumpy", "R = A((2, 3)).asnumpy()"), ("asscalar", "R = nd.array([2.5]).asscalar()"),
        ("asscalar-many", "R = A((2, 3)).asscalar()"), ("asscalar-int", "R = nd.array([3], dtype='int32').asscalar()"),
        ("asscalar-0d", "R = nd.array(np.float32(2)).asscalar()"),
        ("astype", "R = A((2, 3)).astype('int32')"), ("astype-np", "R = A((2, 3)).astype(np.float16)"),
        ("astype-nocopy", "x = A((2, 3))\nR = x.astype('float32', copy=False) is x"),
        ("astype-copy", "x = A((2, 3))\nR = x.astype('float32') is x"),
        ("astype-bool", "R = A((2, 3)).astype('bool')"), ("astype-bad", "R = A((2, 3)).astype('complex64')"),
        ("int", "R = int(nd.array([2.7]))"), ("float", "R = float(nd.array([2]))"),
        ("float-many", "R = float(A((2, 3)))"), ("index", "R = [1, 2, 3][nd.array([1], dtype='int32')]"),
        ("repr", "R = repr(A((2, 3)))"), ("repr-int", "R = repr(A((2,), 'int32'))"),
        ("str", "R = str(A((2,)))"), ("repr-0d", "R = repr(nd.array(np.float32(1)))"),
        ("array-proto", "R = np.array(A((2, 3)))"), ("iter", "R = list(A((2, 3)))"),
        ("iter-1d", "R = list(A((3,)))"), ("tolist", "R = A((2,)).asnumpy().tolist()")])
    out += _fmt(g + "copy", [
        ("copy", "x = A((2, 3))\nR = (x.copy(), x.copy() is x)"),
        ("copyto-arr", "x = A((2, 3))\no = nd.zeros((2, 3))\nr = x.copyto(o)\nR = (r is o, o)"),
        ("copyto-ctx", "R = A((2, 3)).copyto(mx.cpu())"),
        ("copyto-shape", "R = A((2, 3)).copyto(nd.zeros((3, 2)))"),
        ("copyto-dtype", "o = nd.zeros((2, 3), dtype='int32')\nA((2, 3)).copyto(o)\nR = o"),
        ("copyto-self", "x = A((2, 3))\nR = x.copyto(x)"),
        ("as_in_context", "x = A((2, 3))\nR = x.as_in_context(mx.cpu()) is x"),
        ("detach", "x = A((2, 3))\nR = (x.detach(), x.detach() is x)"),
        ("zeros_like", "R = A((2, 3), 'int8').zeros_like()"), ("ones_like", "R = A((2, 3)).ones_like()"),
        ("tostype", "R = A((2, 3)).tostype('row_sparse').tostype('default')"),
        ("tostype-csr", "R = A((2, 3)).tostype('csr')"),
        ("wait", "R = A((2,)).wait_to_read()"), ("copy.copy", "import copy\nx = A((2,))\ny = copy.copy(x)\nR = (y, y is x)"),
        ("deepcopy", "import copy\nx = A((2,))\ny = copy.deepcopy(x)\nR = (y, y is x)")])
    out += _fmt(g + "reshape", [
        ("args", "R = A((2, 3)).reshape(3, 2)"), ("tuple", "R = A((2, 3)).reshape((3, 2))"),
        ("kw", "R = A((2, 3)).reshape(shape=(3, 2))"), ("list", "R = A((2, 3)).reshape([6])"),
        ("neg", "R = A((2, 3)).reshape(-1)"), ("codes", "R = A((2, 3, 4)).reshape(0, -1)"),
        ("m2", "R = A((2, 3, 4)).reshape(-2)"), ("m3", "R = A((2, 3, 4)).reshape(-3, 4)"),
        ("m4", "R = A((2, 3, 4)).reshape(-4, 1, 2, -2)"), ("reverse", "R = A((2, 3, 4)).reshape(-1, 0, reverse=True)"),
        ("bad", "R = A((2, 3)).reshape(4)"), ("int", "R = A((6,)).reshape(6)"),
        ("empty", "R = A((2, 3)).reshape()"), ("view", "x = A((2, 3))\ny = x.reshape(6)\ny[0] = 9\nR = x"),
        ("both", "R = A((2, 3)).reshape((3, 2), reverse=False)"),
        ("bad-kw", "R = A((2, 3)).reshape(3, 2, foo=1)")])
    out += _fmt(g + "squeeze", [
        ("none", "R = A((2, 1, 3, 1)).squeeze()"), ("axis", "R = A((2, 1, 3)).squeeze(axis=1)"),
        ("pos", "R = A((2, 1, 3)).squeeze(1)"), ("tuple", "R = A((1, 2, 1)).squeeze((0, 2))"),
        ("neg", "R = A((2, 1, 3)).squeeze(-2)"), ("not1", "R = A((2, 1, 3)).squeeze(0)"),
        ("oob", "R = A((2, 1)).squeeze(5)"), ("all1", "R = A((1, 1)).squeeze()"),
        ("inplace", "x = A((2, 1, 3))\ny = x.squeeze(inplace=True)\nR = (y, x.shape)"),
        ("list", "R = A((1, 2, 1)).squeeze([0, 2])"),
        ("nd", "R = nd.squeeze(A((1, 2, 1)), axis=(0, 2))"), ("nd-pos", "R = nd.squeeze(A((1, 2, 1)), 0)")])
    out += _fmt(g + "expand_dims", [
        ("axis", "R = A((2, 3)).expand_dims(1)"), ("kw", "R = A((2, 3)).expand_dims(axis=0)"),
        ("neg", "R = A((2, 3)).expand_dims(-1)"), ("end", "R = A((2, 3)).expand_dims(2)"),
        ("oob", "R = A((2, 3)).expand_dims(4)"), ("neg-oob", "R = A((2, 3)).expand_dims(-4)"),
        ("inplace", "x = A((2, 3))\ny = x.expand_dims(1, inplace=True)\nR = (y, x.shape)"),
        ("tuple", "R = A((2, 3)).expand_dims((0, 1))"), ("none", "R = A((2, 3)).expand_dims(None)")])
    out += _fmt(g + "flatten", [
        ("b", "R = A((2, 3, 4)).flatten()"), ("1d", "R = A((3,)).flatten()"),
        ("inplace", "x = A((2, 3, 4))\ny = x.flatten(inplace=True)\nR = (y, x.shape)"),
        ("nd", "R = nd.flatten(A((2, 3, 4)))"), ("nd-Flatten", "R = nd.Flatten(data=A((2, 3, 4)))"),
        ("pos", "R = A((2, 3, 4)).flatten(True)")])
    out += _fmt(g + "misc", [
        ("broadcast_to", "R = A((1, 3)).broadcast_to((2, 3))"), ("broadcast_to-0", "R = A((1, 3)).broadcast_to((2, 0))"),
        ("broadcast_to-bad", "R = A((2, 3)).broadcast_to((4, 3))"), ("broadcast_like", "R = A((1, 3)).broadcast_like(A((2, 3)))"),
        ("diag", "R = A((3, 3)).diag()"), ("diag-k", "R = A((3, 3)).diag(k=1)"), ("diag-1d", "R = A((3,)).diag(-1)"),
        ("split_v2", "R = A((4, 2)).split_v2(2)"), ("split_v2-idx", "R = A((4, 2)).split_v2([1], axis=0)"),
        ("slice_assign", "x = A((3, 3))\nr = x.slice_assign(nd.ones((1, 2)), (0, 1), (1, 3), (None, None))\nR = (r, x)"),
        ("slice_assign_scalar", "x = A((3, 3))\nr = x.slice_assign_scalar(7, (0, 0), (2, 2), (1, 1))\nR = (r, x)"),
        ("dlpack", "R = nd.from_dlpack(A((2, 3)).to_dlpack_for_read())"),
        ("one_hot", "R = nd.array([0, 2]).one_hot(3)"), ("T-1d", "R = A((3,)).T")])
    # indexing
    keys = ["0", "-1", "5", "-3", "1:", ":, 1", "::2", "::-1", "None", "...", "..., 1", "1, 2", "(1, 2)",
            "[0, 1]", "[[0, 1], [1, 2]]", "nd.array([1, 0], dtype='int32')", "nd.array([1, 0])",
            "np.array([0, 1])", "0:0", "slice(None, None, 0)", "1.5", "True", ":, None",
            "(slice(0, 1), [0, 2])", "nd.array([[1, 0], [0, 1]], dtype='int64')", "np.int64(1)",
            "[True, False]", "(0, 1, 2)"]
    for k in keys:
        out.append((g + "__getitem__", k, "x = A((2, 3))\nR = x[%s]" % k))
    out.append((g + "__getitem__", "view", "x = A((3, 2))\ny = x[1]\ny[:] = 5\nR = x"))
    out.append((g + "__getitem__", "view-slice", "x = A((3, 2))\ny = x[1:]\ny[:] = 5\nR = x"))
    out.append((g + "__getitem__", "1d-int", "R = A((3,))[1]"))
    out.append((g + "__getitem__", "0d", "R = nd.array(np.float32(1))[()]"))
    vals = ["1.5", "np.float64(2.5)", "np.float32(-1)", "np.int64(3)", "True", "7", "-0.5",
            "float('nan')", "[1, 2, 3]", "np.array([1., 2, 3])", "A((3,), seed=1)", "A((1, 3), seed=1)",
            "A((2, 1), seed=1)", "A((3,), 'int32', seed=1)", "np.array(2.5)", "nd.array(np.float32(4))",
            "[[1, 2, 3], [4, 5, 6]]", "A((3, 2))", "'a'", "None"]
    for key in (":", "0", "0, 1", ":, 1", "1:", "..."):
        for v in vals:
            out.append((g + "__setitem__", "[%s]=%s" % (key, v),
                        "x = A((2, 3))\nx[%s] = %s\nR = x" % (key, v)))
    for dt in ("int32", "uint8", "float16", "int64", "bool"):
        for v in ("2.7", "-1.5", "np.float64(3.9)", "300", "True"):
            out.append((g + "__setitem__", "%s[:]=%s" % (dt, v),
                        "x = A((2, 3), %r)\nx[:] = %s\nR = x" % (dt, v)))
            out.append((g + "__setitem__", "%s[0]=%s" % (dt, v),
                        "x = A((2, 3), %r)\nx[0] = %s\nR = x" % (dt, v)))
    for k in ("[0, 1]", "nd.array([0, 1], dtype='int32')", "(0, [1, 2])", "::2", "::-1", "5",
              "slice(None, None, 0)", "[[0, 1], [1, 2]]"):
        out.append((g + "__setitem__", "adv" + k, "x = A((2, 3))\nx[%s] = 9\nR = x" % k))
    out.append((g + "__setitem__", "0d", "x = nd.array(np.float32(1))\nx[()] = 3\nR = x"))
    out.append((g + "__setitem__", "zero-size", "x = nd.zeros((0, 3))\nx[:] = 3\nR = x.shape"))
    # operators
    ops = ["+", "-", "*", "/", "%", "**", "==", "!=", "<", "<=", ">", ">="]
    others = {"arr": "A((2, 3), seed=1)", "bcast": "A((1, 3), seed=1)", "int": "2", "float": "1.5",
              "np-f64": "np.float64(1.5)", "np-i32": "np.int32(2)", "bool": "True", "nan": "float('nan')",
              "int-arr": "A((2, 3), 'int32', seed=1)", "numpy": "D((2, 3), seed=1)", "zero": "0",
              "badshape": "A((3, 2))", "0d": "nd.array(np.float32(2))"}
    for op in ops:
        for tag, o in others.items():
            out.append((g + "op" + op, "x%s%s" % (op, tag), "x = A((2, 3))\nR = x %s %s" % (op, o)))
            if tag in ("int", "float", "np-f64", "np-i32", "bool", "nan", "numpy", "zero"):
                out.append((g + "op" + op, "%s%sx" % (tag, op), "x = A((2, 3))\nR = %s %s x" % (o, op)))
        out.append((g + "op" + op, "int-x%sfloat" % op, "x = A((2, 3), 'int32')\nR = x %s 1.5" % op))
        out.append((g + "op" + op, "uint8-x%sint" % op, "x = A((2, 3), 'uint8')\nR = x %s 2" % op))
        out.append((g + "op" + op, "nan-x%snan" % op, "x = A((2, 3), kind='nan')\nR = x %s x" % op))
        out.append((g + "op" + op, "f16-x%sf" % op, "x = A((2, 3), 'float16')\nR = x %s 0.5" % op))
    for op in ["+=", "-=", "*=", "/=", "%=", "**="]:
        for tag, o in (("arr", "A((2, 3), seed=1)"), ("float", "1.5"), ("bcast", "A((1, 3), seed=1)"),
                       ("np", "np.float32(2)"), ("int-arr", "A((2, 3), 'int32', seed=1)"), ("numpy", "D((2, 3))")):
            out.append((g + "iop" + op, tag, "x = A((2, 3))\ny = x\nx %s %s\nR = (x, x is y)" % (op, o)))
        out.append((g + "iop" + op, "int-float", "x = A((2, 3), 'int32')\ny = x\nx %s 1.5\nR = (x, x is y)" % op))
        out.append((g + "iop" + op, "bcast-self", "x = A((1, 3))\ny = x\nx %s A((2, 3))\nR = (x, x is y)" % op))
    for u in ("-x", "+x", "abs(x)", "~x", "x // 2", "2 // x", "x @ x.T", "divmod(x, 2)", "round(x)",
              "x.__neg__()", "x.__abs__()", "x.__pos__()"):
        out.append((g + "unary", u, "x = A((2, 3))\nR = %s" % u))
    for u in ("-x", "abs(x)", "x // 2", "~x"):
        out.append((g + "unary", "int32:" + u, "x = A((2, 3), 'int32')\nR = %s" % u))
        out.append((g + "unary", "bool:" + u, "x = A((2, 3), 'bool')\nR = %s" % u))
    return out


def autograd_cases():
    g = "autograd."
    rec = "x = A((2, 3))\nx.attach_grad()\nwith autograd.record():\n    y = %s\n"
    out = []
    out += _fmt(g + "state", [
        ("default", "R = (autograd.is_recording(), autograd.is_training())"),
        ("record", "with autograd.record():\n    R = (autograd.is_recording(), autograd.is_training())"),
        ("record-f", "with autograd.record(train_mode=False):\n    R = (autograd.is_recording(), autograd.is_training())"),
        ("pause", "with autograd.record():\n    with autograd.pause():\n        R = (autograd.is_recording(), autograd.is_training())"),
        ("pause-t", "with autograd.record():\n    with autograd.pause(train_mode=True):\n        R = (autograd.is_recording(), autograd.is_training())"),
        ("train", "with autograd.train_mode():\n    R = (autograd.is_recording(), autograd.is_training())"),
        ("predict", "with autograd.record():\n    with autograd.predict_mode():\n        R = (autograd.is_recording(), autograd.is_training())"),
        ("set_rec", "a = autograd.set_recording(True)\nb = autograd.set_recording(False)\nR = (a, b)"),
        ("set_train", "a = autograd.set_training(True)\nb = autograd.set_training(False)\nR = (a, b)"),
        ("after", "with autograd.record():\n    pass\nR = autograd.is_recording()")])
    out += _fmt(g + "backward", [
        ("basic", rec % "(x * x).sum()" + "y.backward()\nR = x.grad"),
        ("nonscalar", rec % "x * x" + "y.backward()\nR = x.grad"),
        ("head", rec % "x * x" + "y.backward(A((2, 3), seed=1))\nR = x.grad"),
        ("head-bad", rec % "x * x" + "y.backward(A((3, 2), seed=1))\nR = x.grad"),
        ("twice", rec % "x * x" + "y.backward()\ny.backward()\nR = x.grad"),
        ("retain", rec % "x * x" + "y.backward(retain_graph=True)\ny.backward()\nR = x.grad"),
        ("retain3", rec % "x * x" + "y.backward(retain_graph=True)\ny.backward(retain_graph=True)\ny.backward()\nR = x.grad"),
        ("add", "x = A((2, 3))\nx.attach_grad(grad_req='add')\nfor _ in range(2):\n    with autograd.record():\n        y = x * x\n    y.backward()\nR = x.grad"),
        ("null", "x = A((2, 3))\nx.attach_grad(grad_req='null')\nwith autograd.record():\n    y = x * x\ny.backward()\nR = x.grad"),
        ("bad-req", "x = A((2, 3))\nx.attach_grad(grad_req='bogus')\nR = x.grad"),
        ("no-attach", "x = A((2, 3))\nwith autograd.record():\n    y = x * x\ny.backward()\nR = x.grad"),
        ("outside", "x = A((2, 3))\nx.attach_grad()\ny = x * x\ny.backward()\nR = x.grad"),
        ("train-flag", rec % "nd.Dropout(x, p=0.5) * 0 + x" + "y.backward(train_mode=False)\nR = x.grad"),
        ("list", "x = A((2, 3))\nx.attach_grad()\nwith autograd.record():\n    a = x * 2\n    b = x * x\nautograd.backward([a, b])\nR = x.grad"),
        ("list-heads", "x = A((2, 3))\nx.attach_grad()\nwith autograd.record():\n    a = x * 2\n    b = x * x\nautograd.backward([a, b], [nd.ones((2, 3)), None])\nR = x.grad"),
        ("single-fn", rec % "x * 3" + "autograd.backward(y)\nR = x.grad"),
        ("int-grad", "x = A((2, 3), 'int32')\nx.attach_grad()\nR = x.grad"),
        ("f16", "x = A((2, 3), 'float16')\nx.attach_grad()\nwith autograd.record():\n    y = x * x\ny.backward()\nR = x.grad"),
        ("reattach", "x = A((2, 3))\nx.attach_grad()\ng = x.grad\nx.attach_grad()\nR = g is x.grad"),
        ("grad-type", "x = A((2, 3))\nx.attach_grad()\nR = x.grad"),
        ("stype-default", "x = A((2, 3))\nx.attach_grad(stype='default')\nR = x.grad"),
        ("stype-none", "x = A((2, 3))\nx.attach_grad(stype=None)\nR = x.grad"),
        ("stype-rsp", "x = A((2, 3))\nx.attach_grad(stype='row_sparse')\nR = x.grad.stype"),
        ("stype-csr", "x = A((2, 3))\nx.attach_grad(stype='csr')\nR = x.grad.stype"),
        ("stype-bad", "x = A((2, 3))\nx.attach_grad(stype='bogus')\nR = x.grad"),
        ("setitem-rec", "x = A((2, 3))\nx.attach_grad()\nwith autograd.record():\n    y = x * 2\n    y[0] = 0\ny.backward()\nR = x.grad"),
        ("detach", rec % "x.detach() * x" + "y.backward()\nR = x.grad"),
        ("copy", rec % "x.copy() * 2" + "y.backward()\nR = x.grad"),
        ("zero-size", "x = nd.zeros((0, 3))\nx.attach_grad()\nwith autograd.record():\n    y = x * 2\ny.backward()\nR = x.grad.shape"),
        ("0d", "x = nd.array(np.float32(2))\nx.attach_grad()\nwith autograd.record():\n    y = x * x\ny.backward()\nR = x.grad"),
        ("method-is-training", "x = A((2, 3))\nx.attach_grad()\nwith autograd.record(train_mode=False):\n    y = nd.Dropout(x, p=0.9)\ny.backward()\nR = x.grad")])
    out += _fmt(g + "grad", [
        ("basic", rec % "x * x" + "R = autograd.grad(y, x)"),
        ("list", rec % "x * x" + "R = autograd.grad([y], [x])"),
        ("head", rec % "x * x" + "R = autograd.grad(y, [x], head_grads=A((2, 3), seed=1))"),
        ("retain-none", rec % "x * x" + "a = autograd.grad(y, [x])\nR = autograd.grad(y, [x])"),
        ("retain-true", rec % "x * x" + "a = autograd.grad(y, [x], retain_graph=True)\nR = autograd.grad(y, [x])"),
        ("create", rec % "x * x * x" + "    g = autograd.grad(y, [x], create_graph=True)[0]\ng.backward()\nR = (g, x.grad)"),
        ("create-outside", rec % "x * x * x" + "g = autograd.grad(y, [x], create_graph=True)[0]\nR = g"),
        ("no-attach", "x = A((2, 3))\nwith autograd.record():\n    y = x * x\nR = autograd.grad(y, [x])"),
        ("grad-untouched", rec % "x * x" + "autograd.grad(y, [x])\nR = x.grad"),
        ("two-vars", "x = A((2, 3))\nz = A((2, 3), seed=1)\nx.attach_grad()\nz.attach_grad()\nwith autograd.record():\n    y = x * z\nR = autograd.grad(y, [x, z])"),
        ("unused", "x = A((2, 3))\nz = A((2, 3), seed=1)\nx.attach_grad()\nz.attach_grad()\nwith autograd.record():\n    y = x * 2\nR = autograd.grad(y, [x, z])")])
    out += _fmt(g + "mark_variables", [
        ("b", "x = A((2, 3))\ng = nd.zeros((2, 3))\nautograd.mark_variables([x], [g])\nwith autograd.record():\n    y = x * 3\ny.backward()\nR = g"),
        ("single", "x = A((2, 3))\ng = nd.zeros((2, 3))\nautograd.mark_variables(x, g)\nwith autograd.record():\n    y = x * 3\ny.backward()\nR = g"),
        ("add", "x = A((2, 3))\ng = nd.ones((2, 3))\nautograd.mark_variables([x], [g], 'add')\nwith autograd.record():\n    y = x * 3\ny.backward()\nR = g"),
        ("mismatch", "x = A((2, 3))\nautograd.mark_variables([x], [])\nR = 1")])
    out += _fmt(g + "get_symbol", [
        ("b", rec % "(x * 2 + 1).sum()" + "s = autograd.get_symbol(y)\nR = [s.list_arguments(), s.list_outputs(), len(s.get_internals().list_outputs())]"),
        ("json-ops", rec % "nd.relu(x) * x" + "s = autograd.get_symbol(y)\nimport json\nR = [n['op'] for n in json.loads(s.tojson())['nodes']]"),
        ("two-in", "x = A((2, 3))\nz = A((2, 3), seed=1)\nx.attach_grad()\nz.attach_grad()\nwith autograd.record():\n    y = x * z\ns = autograd.get_symbol(y)\nR = [s.list_arguments(), s.list_outputs()]"),
        ("eval", rec % "nd.sigmoid(x) * 2" + "s = autograd.get_symbol(y)\nR = s.eval(**{s.list_arguments()[0]: x})"),
        ("not-recorded", "x = A((2, 3))\ny = x * 2\nR = autograd.get_symbol(y).list_outputs()"),
        ("leaf", "x = A((2, 3))\nx.attach_grad()\nR = autograd.get_symbol(x).list_outputs()"),
        ("fc", "x = A((2, 3))\nw = A((4, 3))\nx.attach_grad()\nw.attach_grad()\nwith autograd.record():\n    y = nd.FullyConnected(x, w, no_bias=True, num_hidden=4)\ns = autograd.get_symbol(y)\nR = [s.list_arguments(), s.list_outputs(), s.attr_dict()]")])
    out += _fmt(g + "Function", [
        ("b", "class F(autograd.Function):\n    def forward(self, a):\n        self.save_for_backward(a)\n        return a * 2\n    def backward(self, dy):\n        a, = self.saved_tensors\n        return dy * a\n"
              "x = A((2, 3))\nx.attach_grad()\nwith autograd.record():\n    y = F()(x)\ny.backward()\nR = (y, x.grad)"),
        ("two", "class F(autograd.Function):\n    def forward(self, a, b):\n        return a * b, a + b\n    def backward(self, d1, d2):\n        return d1 + d2, d1 - d2\n"
                "x = A((2, 3))\nz = A((2, 3), seed=1)\nx.attach_grad()\nz.attach_grad()\nwith autograd.record():\n    p, q = F()(x, z)\n    y = p + q\ny.backward()\nR = (x.grad, z.grad)"),
        ("outside", "class F(autograd.Function):\n    def forward(self, a):\n        return a * 2\n    def backward(self, dy):\n        return dy\nR = F()(A((2,)))")])
    return out


def symbol_cases():
    g = "Symbol."
    ab = "a = sym.var('a')\nb = sym.var('b')\n"
    out = []
    out += _fmt(g + "bool", [("var", "R = bool(sym.var('x'))"), ("op", ab + "R = bool(a + b)"),
                             ("len", ab + "R = len(a + b)"), ("len-group", ab + "R = len(sym.Group([a, b]))"),
                             ("iter", ab + "R = [s.name for s in sym.Group([a, b * 2])]"),
                             ("iter-1", ab + "R = [s.name for s in a]")])
    out += _fmt(g + "children", [
        ("op", ab + "R = (a + b).get_children().list_outputs()"),
        ("op-swapped", ab + "R = (b + a).get_children().list_outputs()"),
        ("var", "R = sym.var('x').get_children()"),
        ("fc", "x = sym.var('x')\nR = sym.FullyConnected(x, num_hidden=3, name='fc').get_children().list_outputs()"),
        ("nested", ab + "R = ((a * 2) + b).get_children().list_outputs()"),
        ("group", ab + "R = sym.Group([a + b, a * b]).get_children()"),
        ("scalar", ab + "R = (a + 1).get_children().list_outputs()"),
        ("bn", "x = sym.var('x')\nR = sym.BatchNorm(x, name='bn').get_children().list_outputs()"),
        ("internals", ab + "R = (a * b + a).get_internals().list_outputs()"),
        ("internals-getitem", ab + "c = (a * b + a)\nR = c.get_internals()[c.get_internals().list_outputs()[2]].list_outputs()")])
    attrs = ("x = sym.var('x', lr_mult=2, wd_mult=0.5, shape=(2, 3), dtype='float16', "
             "init='zeros', attr={'foo': 'bar', '__hidden__': 'h'})\n")
    out += _fmt(g + "attr", [
        ("var-attr", attrs + "R = [x.attr(k) for k in ('lr_mult', '__lr_mult__', 'foo', '__foo__', 'shape', '__shape__', 'dtype', '__dtype__', '__init__', 'hidden', '__hidden__', 'nope')]"),
        ("var-list", attrs + "R = x.list_attr()"), ("var-list-rec", attrs + "R = x.list_attr(recursive=True)"),
        ("var-dict", attrs + "R = x.attr_dict()"),
        ("op-dict", attrs + "y = sym.FullyConnected(x, num_hidden=3, name='fc', attr={'__mood__': 'ok', 'tag': 't'})\nR = y.attr_dict()"),
        ("op-list", attrs + "y = sym.FullyConnected(x, num_hidden=3, name='fc', attr={'__mood__': 'ok', 'tag': 't'})\nR = [y.list_attr(), y.attr('num_hidden'), y.attr('tag'), y.attr('mood'), y.attr('__mood__')]"),
        ("op-list-rec", attrs + "y = sym.FullyConnected(x, num_hidden=3, name='fc', attr={'tag': 't'})\nR = y.list_attr(recursive=True)"),
        ("scope", "with mx.AttrScope(group='4', __data__='d'):\n    x = sym.var('x')\n    y = sym.relu(x, name='r')\nR = [x.attr_dict(), y.attr_dict(), y.list_attr()]"),
        ("ctx-group", "with mx.AttrScope(ctx_group='dev1'):\n    x = sym.var('x')\nR = [x.attr('ctx_group'), x.attr('__ctx_group__'), x.list_attr()]"),
        ("set", "x = sym.var('x')\nx._set_attr(foo='1', __bar__='2')\nR = [x.list_attr(), x.attr('foo'), x.attr('bar')]"),
        ("set-bad", "x = sym.var('x')\nx._set_attr(foo=1)\nR = x.list_attr()"),
        ("stype", "x = sym.var('x', stype='csr')\nR = x.attr_dict()"),
        ("group", "x = sym.var('x', lr_mult=2)\ny = sym.var('y')\nR = [sym.Group([x, y]).attr('lr_mult'), sym.Group([x, y]).attr_dict(), sym.Group([x, y]).list_attr()]"),
        ("kwargs-hidden", "x = sym.var('x', __foo__='1')\nR = x.attr_dict()"),
        ("op-kw-hidden", "x = sym.var('x')\ny = sym.relu(x, __lr_mult__=3, name='r')\nR = y.attr_dict()"),
        ("attr-nonstr", "x = sym.var('x', attr={'a': 1})\nR = x.attr_dict()")])
    mlp = ("x = sym.var('data')\nh = sym.FullyConnected(x, num_hidden=4, name='fc1')\n"
           "h = sym.Activation(h, act_type='relu', name='r1')\ny = sym.SoftmaxOutput(sym.FullyConnected(h, num_hidden=2, name='fc2'), name='sm')\n")
    out += _fmt(g + "save-load", [
        ("mlp", mlp + "y.save(TMP + '/m.json')\nz = sym.load(TMP + '/m.json')\nR = [z.list_arguments(), z.list_outputs(), z.attr_dict(), z.tojson() == y.tojson()]"),
        ("json", mlp + "z = sym.load_json(y.tojson())\nR = [z.list_arguments(), z.attr_dict(), z.infer_shape(data=(2, 3))]"),
        ("attrs", attrs + "z = sym.load_json(x.tojson())\nR = [z.attr_dict(), z.list_attr()]"),
        ("group", mlp + "g = sym.Group([y, h])\nz = sym.load_json(g.tojson())\nR = [z.list_outputs(), len(z)]"),
        ("bn", "x = sym.var('x')\ny = sym.BatchNorm(x, name='bn', fix_gamma=False)\nz = sym.load_json(y.tojson())\nR = [z.list_arguments(), z.list_auxiliary_states(), z.list_outputs(), z.attr_dict()]"),
        ("scalar-op", "x = sym.var('x')\ny = (2 - x) / 3 + x ** 2\nz = sym.load_json(y.tojson())\nR = [z.tojson() == y.tojson(), z.eval(x=A((2, 3)))]"),
        ("json-keys", mlp + "import json\nj = json.loads(y.tojson())\nR = [sorted(j), j['arg_nodes'], j['heads'], j['node_row_ptr'], [n['op'] for n in j['nodes']], [n.get('attrs') for n in j['nodes']]]"),
        ("json-var-attrs", attrs + "import json\nR = json.loads(x.tojson())['nodes']"),
        ("bad", "R = sym.load_json('{bad')"), ("missing", "R = sym.load(TMP + '/none.json')"),
        ("remove-amp", mlp + "R = y.tojson(remove_amp_cast=False) == y.tojson()"),
        ("internals", mlp + "z = sym.load_json(y.get_internals().tojson())\nR = z.list_outputs()")])
    out += _fmt(g + "infer", [
        ("shape-kw", mlp + "R = y.infer_shape(data=(2, 3))"),
        ("shape-pos", mlp + "R = y.infer_shape((2, 3))"),
        ("shape-none", mlp + "R = y.infer_shape()"),
        ("shape-bad", mlp + "R = y.infer_shape(data=(2, 3), fc1_weight=(5, 3))"),
        ("shape-unknown-name", mlp + "R = y.infer_shape(foo=(2, 3))"),
        ("partial", mlp + "R = y.infer_shape_partial(fc1_weight=(4, 3))"),
        ("type", mlp + "R = y.infer_type(data='float64')"),
        ("type-np", mlp + "R = y.infer_type(data=np.float16)"),
        ("type-pos", mlp + "R = y.infer_type(np.float32)"),
        ("type-partial", mlp + "R = y.infer_type_partial()"),
        ("type-int", ab + "R = (a + b).infer_type(a='int32')")])
    out += _fmt(g + "methods", [
        ("name", ab + "R = [a.name, (a + b).name is not None, sym.Group([a, b]).name]"),
        ("getitem-int", mlp + "R = y.get_internals()[1].list_outputs()"),
        ("getitem-str", mlp + "R = y.get_internals()['fc1_output'].list_outputs()"),
        ("getitem-bad", mlp + "R = y.get_internals()['nope']"),
        ("getitem-oob", mlp + "R = y[3]"), ("getitem-neg", ab + "R = sym.Group([a, b])[-1].name"),
        ("getitem-slice", ab + "R = sym.Group([a, b])[0:1].list_outputs()"),
        ("call", ab + "c = a + b\nd = c(a=sym.var('p'), b=sym.var('q'))\nR = d.list_arguments()"),
        ("call-pos", ab + "c = a + b\nR = c(sym.var('p'), sym.var('q')).list_arguments()"),
        ("copy", ab + "import copy\nc = a + b\nR = [copy.copy(c).list_outputs(), copy.deepcopy(c).list_outputs(), c.__copy__().name == c.name]"),
        ("list-inputs", mlp + "R = y.list_inputs()"),
        ("eval", ab + "R = (a * b).eval(a=A((2,)), b=A((2,), seed=1))"),
        ("eval-ctx", ab + "R = (a * b).eval(ctx=mx.cpu(), a=A((2,)), b=A((2,), seed=1))"),
        ("eval-missing", ab + "R = (a * b).eval(a=A((2,)))"),
        ("gradient", ab + "R = (a * b).gradient(['a'])"),
        ("debug_str-type", ab + "R = type((a * b).debug_str()).__name__"),
        ("repr", ab + "R = repr(a)"), ("str", ab + "R = str(a * b)[:8]"),
        ("dunder-scalar", ab + "R = [(op(a, 2)).eval(a=A((2,)))[0] for op in (lambda p, q: p + q, lambda p, q: q - p, lambda p, q: p * q, lambda p, q: q / p, lambda p, q: p ** q, lambda p, q: q ** p, lambda p, q: p % q, lambda p, q: -p, lambda p, q: abs(p))]"),
        ("dunder-cmp", ab + "R = [(op(a, b)).eval(a=A((3,)), b=A((3,), seed=1))[0] for op in (lambda p, q: p == q, lambda p, q: p != q, lambda p, q: p < q, lambda p, q: p >= q, lambda p, q: p > 1, lambda p, q: 1 < p)]"),
        ("dunder-names", ab + "R = [(a + b).name[:5], (a * 2).name[:5], (2 - a).name[:5]]"),
        ("pow-sym", ab + "R = (a ** b).eval(a=A((2,), kind='p'), b=A((2,), seed=1))"),
        ("neg-nd", ab + "R = (a + nd.ones((2,)))"),
        ("fluent-squeeze", "x = sym.var('x')\nR = [x.squeeze(axis=1).eval(x=A((2, 1, 3))), x.expand_dims(axis=-1).eval(x=A((2, 3))), x.flatten().eval(x=A((2, 3, 4)))]"),
        ("fluent-reshape", "x = sym.var('x')\nR = [x.reshape((3, 2)).eval(x=A((2, 3))), x.reshape(shape=(-1,)).eval(x=A((2, 3)))]"),
        ("fluent-reshape-args", "x = sym.var('x')\nR = x.reshape(3, 2).eval(x=A((2, 3)))"),
        ("fluent-astype", "x = sym.var('x')\nR = x.astype('int32').eval(x=A((2, 3)))"),
        ("split_v2", "x = sym.var('x')\nR = [o for o in sym.split_v2(x, 2).eval(x=A((4, 3)))]"),
        ("hypot", ab + "R = [sym.hypot(a, b).eval(a=A((2,)), b=A((2,), seed=1)), sym.hypot(a, 2).eval(a=A((2,)))]"),
        ("maximum", ab + "R = [sym.maximum(a, b).eval(a=A((2,)), b=A((2,), seed=1)), sym.maximum(a, 0.5).eval(a=A((2,))), sym.minimum(1, a).eval(a=A((2,))), sym.maximum(1, 2)]"),
        ("pow", ab + "R = [sym.pow(a, 2).eval(a=A((2,))), sym.power(2, a).eval(a=A((2,))), sym.pow(2, 3)]"),
        ("creators", "R = [s.eval()[0] for s in (sym.zeros((2, 3)), sym.ones(2, dtype='int32'), sym.full((2,), 7), sym.arange(3), sym.arange(1, 7, 2, repeat=2), sym.eye(3, k=1), sym.linspace(0, 1, 4), sym.linspace(0, 1, 4, endpoint=False))]"),
        ("creator-names", "R = [sym.zeros((2, 3)).name[:5], sym.ones((2,), name='o').name]"),
        ("var-forms", "R = [sym.var('x', shape=(2, 3)).list_attr(), sym.Variable('y', dtype=np.float64).list_attr(), sym.var('z', init='ones').list_attr()]"),
        ("var-bad-name", "R = sym.var(3)"), ("var-bad-attr", "R = sym.var('x', attr='a')"),
        ("group-nested", ab + "R = sym.Group([sym.Group([a, b]), a]).list_outputs()"),
        ("group-bad", "R = sym.Group([1, 2])"), ("group-empty", "R = sym.Group([]).list_outputs()"),
        ("histogram", "x = sym.var('x')\nR = sym.histogram(x, bins=3, range=(-2, 2)).eval(x=A((2, 3)))"),
        ("naming", "x = sym.var('x')\nwith mx.name.Prefix('p_'):\n    y = sym.relu(x)\n    z = sym.FullyConnected(y, num_hidden=2)\nR = z.list_arguments()"),
        ("naming-auto", "mx.name.NameManager._current.value = mx.name.NameManager()\nx = sym.var('x')\nR = [sym.relu(x).name, sym.relu(x).name, sym.FullyConnected(x, num_hidden=2).name]")])
    sb = ("x = sym.var('x')\nw = sym.var('w')\ny = sym.FullyConnected(x, w, num_hidden=4, no_bias=True, name='fc')\n"
          "ex = y.simple_bind(mx.cpu(), x=(2, 3))\nex.arg_dict['x'][:] = A((2, 3))\nex.arg_dict['w'][:] = A((4, 3), seed=1)\n")
    out += _fmt("Executor", [
        ("forward", sb + "R = ex.forward()"),
        ("forward-kw", sb + "R = ex.forward(is_train=False, x=A((2, 3), seed=2))"),
        ("backward", sb + "ex.forward(is_train=True)\nex.backward(nd.ones((2, 4)))\nR = [ex.grad_dict['x'], ex.grad_dict['w']]"),
        ("backward-list", sb + "ex.forward(is_train=True)\nex.backward([nd.ones((2, 4))])\nR = ex.grad_arrays"),
        ("dicts", sb + "R = [sorted(ex.arg_dict), sorted(ex.grad_dict), sorted(ex.aux_dict), sorted(ex.output_dict), len(ex.outputs)]"),
        ("reshape-down", sb + "e2 = ex.reshape(x=(1, 3))\nR = [e2.forward()[0], e2.arg_dict['x'].shape, e2.arg_dict['w'].asnumpy().sum()]"),
        ("reshape-up", sb + "e2 = ex.reshape(x=(5, 3))\nR = e2.arg_dict['x'].shape"),
        ("reshape-up-allow", sb + "e2 = ex.reshape(allow_up_sizing=True, x=(5, 3))\nR = [e2.arg_dict['x'].shape, e2.forward()[0].shape]"),
        ("reshape-partial", sb + "e2 = ex.reshape(x=(2, 5))\nR = e2.arg_dict['w'].shape"),
        ("reshape-partial-ok", sb + "e2 = ex.reshape(partial_shaping=True, allow_up_sizing=True, x=(2, 5))\nR = [e2.arg_dict['w'].shape, e2.forward()[0].shape]"),
        ("reshape-same", sb + "e2 = ex.reshape(x=(2, 3))\nR = [e2.forward()[0], e2.arg_dict['x'].shape]"),
        ("reshape-grad", sb + "e2 = ex.reshape(x=(1, 3))\ne2.forward(is_train=True)\ne2.backward(nd.ones((1, 4)))\nR = e2.grad_dict['w']"),
        ("bind", "a = sym.var('a')\ny = a * 2\nex = y.bind(mx.cpu(), {'a': A((2,))})\nR = ex.forward()"),
        ("bind-list", "a = sym.var('a')\nb = sym.var('b')\ny = a * b\nex = y.bind(mx.cpu(), [A((2,)), A((2,), seed=1)])\nR = ex.forward()"),
        ("bind-missing", "a = sym.var('a')\nb = sym.var('b')\nex = (a * b).bind(mx.cpu(), {'a': A((2,))})\nR = ex.forward()"),
        ("bind-grad-req", "a = sym.var('a')\nex = (a * a).bind(mx.cpu(), {'a': A((2,))}, args_grad={'a': nd.zeros((2,))}, grad_req='add')\nfor _ in range(2):\n    ex.forward(is_train=True)\n    ex.backward(nd.ones((2,)))\nR = ex.grad_dict['a']"),
        ("simple_bind-type", "a = sym.var('a')\nex = (a * 2).simple_bind(mx.cpu(), a=(2,), type_dict={'a': 'float64'})\nR = ex.arg_dict['a'].dtype"),
        ("simple_bind-null", "a = sym.var('a')\nex = (a * 2).simple_bind(mx.cpu(), grad_req='null', a=(2,))\nR = ex.grad_dict"),
        ("copy_params", sb + "ex.copy_params_from({'w': nd.ones((4, 3))})\nR = ex.arg_dict['w']"),
        ("copy_params-extra", sb + "ex.copy_params_from({'zz': nd.ones((4, 3))})\nR = 1"),
        ("copy_params-extra-ok", sb + "ex.copy_params_from({'zz': nd.ones((4, 3))}, allow_extra_params=True)\nR = 1"),
        ("outputs-before", sb + "R = [(o.shape, o.dtype) for o in ex.outputs]")])
    return out


def sparse_cases():
    g = "sparse."
    return _fmt(g + "few", [
        ("csr", "R = nd.sparse.csr_matrix((np.array([1., 2]), np.array([0, 2]), np.array([0, 1, 2])), shape=(2, 3))"),
        ("rsp", "R = nd.sparse.row_sparse_array((np.ones((1, 3)), np.array([1])), shape=(2, 3))"),
        ("dot", "c = A((2, 3)).tostype('csr')\nR = nd.sparse.dot(c, A((3, 2)))"),
        ("add", "R = A((2, 3)).tostype('row_sparse') + A((2, 3)).tostype('row_sparse')"),
        ("cast_storage", "R = nd.cast_storage(A((2, 3)), stype='csr')")])


def random_cases():
    """nd.random wrappers: compared on shapes, dtypes and result types only."""
    items = []
    for fn, args in (("uniform", "0, 1"), ("normal", "0, 1"), ("exponential", "1"),
                     ("gamma", "1, 1"), ("poisson", "1"), ("negative_binomial", "1, 0.5"),
                     ("generalized_negative_binomial", "1, 1"), ("randint", "0, 5")):
        items += [("%s/scalars" % fn, "R = nd.random.%s(%s, shape=(2, 3))" % (fn, args)),
                  ("%s/noshape" % fn, "R = nd.random.%s(%s)" % (fn, args)),
                  ("%s/int-shape" % fn, "R = nd.random.%s(%s, shape=4)" % (fn, args)),
                  ("%s/dtype" % fn, "R = nd.random.%s(%s, shape=(2,), dtype='float64')" % (fn, args)),
                  ("%s/out" % fn, "o = nd.zeros((2, 3))\nr = nd.random.%s(%s, shape=(2, 3), out=o)\nR = (r, r is o)" % (fn, args))]
    for fn, arr in (("uniform", "A((2,)), A((2,), kind='p') + 3"), ("normal", "A((2,)), A((2,), kind='p')"),
                    ("exponential", "A((2,), kind='p')"), ("poisson", "A((2,), kind='p')"),
                    ("gamma", "A((2,), kind='p'), A((2,), kind='p')")):
        items += [("%s/arrays" % fn, "R = nd.random.%s(%s, shape=3)" % (fn, arr)),
                  ("%s/arrays-noshape" % fn, "R = nd.random.%s(%s)" % (fn, arr))]
    items += [("randn", "R = nd.random.randn(2, 3)"), ("randn-kw", "R = nd.random.randn(2, loc=1, scale=2)"),
              ("shuffle", "R = nd.random.shuffle(A((4, 2)))"),
              ("multinomial", "R = nd.random.multinomial(A((2, 3), kind='p') / 10)"),
              ("multinomial-shape", "R = nd.random.multinomial(A((2, 3), kind='p') / 10, shape=4)"),
              ("multinomial-prob", "R = nd.random.multinomial(A((2, 3), kind='p') / 10, get_prob=True)"),
              ("uniform_like", "R = nd.random.uniform_like(A((2, 3)))"),
              ("normal_like", "R = nd.random.normal_like(A((2, 3), 'float64'), loc=1)"),
              ("seed", "mx.random.seed(3)\nR = nd.random.uniform(shape=(2,)).shape")]
    return [("nd.random." + tag.split("/")[0], tag, code) for tag, code in items]


def cases():
    out = []
    for group, tag, code in (nd_functions() + ndarray_methods() + autograd_cases()
                             + symbol_cases() + sparse_cases()):
        out.append({"id": "%s/%s" % (group, tag), "group": group, "code": code, "random": False})
    for group, tag, code in random_cases():
        out.append({"id": "%s/%s" % (group, tag), "group": group, "code": code, "random": True})
    return out
