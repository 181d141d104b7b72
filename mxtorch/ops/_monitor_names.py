"""How MXNet 1.9.1 names operator inputs and outputs in monitor callbacks (op hooks).

A hooked graph reports an input as ``<node>_<input name>`` when the operator registers its input
names and as ``<node>_input<i>`` otherwise; a cached op (``HybridBlock.register_op_hook``)
reports an output as ``<node>_<output name>`` when the operator registers output names and as
``<node>_<i>`` otherwise. The two sets below list the operators (mxtorch's canonical names)
that register no names, read off MXNet 1.9.1 by ``tools/gen_monitor_names.py`` (220 operators
probed); operators it could not run keep their declared names.
"""

NO_INPUT_NAMES = frozenset({
    "Activation", "BlockGrad", "Cast", "Flatten", "Reshape", "SoftmaxActivation", "_copy",
    "_div_scalar", "_equal_scalar", "_greater_equal_scalar", "_greater_scalar", "_hypot_scalar",
    "_lesser_equal_scalar", "_lesser_scalar", "_logical_and_scalar", "_logical_or_scalar",
    "_logical_xor_scalar", "_maximum_scalar", "_minimum_scalar", "_minus_scalar", "_mod_scalar",
    "_mul_scalar", "_not_equal_scalar", "_plus_scalar", "_power_scalar", "_rdiv_scalar",
    "_rminus_scalar", "_rmod_scalar", "_rpower_scalar", "_sample_multinomial",
    "_scatter_minus_scalar", "_scatter_plus_scalar", "abs", "amp_cast", "arccos", "arccosh",
    "arcsin", "arcsinh", "arctan", "arctanh", "argmax", "argmin", "argsort", "broadcast_axis",
    "broadcast_to", "cast_storage", "cbrt", "ceil", "clip", "cos", "cosh", "degrees", "erf",
    "erfinv", "exp", "expand_dims", "expm1", "fix", "floor", "gamma", "gammaln", "hard_sigmoid",
    "log", "log10", "log1p", "log2", "logical_not", "make_loss", "max", "mean", "min", "nanprod",
    "nansum", "negative", "norm", "ones_like", "prod", "radians", "rcbrt", "reciprocal", "relu",
    "rint", "round", "rsqrt", "shape_array", "sigmoid", "sign", "sin", "sinh", "size_array",
    "slice", "slice_axis", "smooth_l1", "softmin", "softsign", "sqrt", "square", "sum", "tan",
    "tanh", "topk", "transpose", "trunc", "zeros_like"
})

NO_OUTPUT_NAMES = frozenset({
    "BlockGrad", "CTCLoss", "Cast", "Embedding", "Flatten", "LinearRegressionOutput",
    "LogisticRegressionOutput", "MAERegressionOutput", "Reshape", "_copy", "_div_scalar",
    "_equal", "_equal_scalar", "_greater", "_greater_equal", "_greater_equal_scalar",
    "_greater_scalar", "_hypot", "_hypot_scalar", "_identity_with_attr_like_rhs", "_lesser",
    "_lesser_equal", "_lesser_equal_scalar", "_lesser_scalar", "_linalg_gemm2", "_logical_and",
    "_logical_and_scalar", "_logical_or", "_logical_or_scalar", "_logical_xor",
    "_logical_xor_scalar", "_maximum", "_maximum_scalar", "_minimum", "_minimum_scalar",
    "_minus_scalar", "_mod", "_mod_scalar", "_mul_scalar", "_not_equal", "_not_equal_scalar",
    "_plus_scalar", "_power", "_power_scalar", "_random_pdf_dirichlet", "_random_pdf_exponential",
    "_random_pdf_gamma", "_random_pdf_generalized_negative_binomial",
    "_random_pdf_negative_binomial", "_random_pdf_normal", "_random_pdf_poisson",
    "_random_pdf_uniform", "_ravel_multi_index", "_rdiv_scalar", "_rminus_scalar", "_rmod_scalar",
    "_rpower_scalar", "_sample_exponential", "_sample_gamma",
    "_sample_generalized_negative_binomial", "_sample_multinomial", "_sample_negative_binomial",
    "_sample_normal", "_sample_poisson", "_sample_uniform", "_scatter_elemwise_div",
    "_scatter_minus_scalar", "_scatter_plus_scalar", "abs", "add_n", "amp_cast", "arccos",
    "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "argmax", "argmin", "argsort",
    "batch_dot", "broadcast_add", "broadcast_axis", "broadcast_div", "broadcast_equal",
    "broadcast_greater", "broadcast_greater_equal", "broadcast_hypot", "broadcast_lesser",
    "broadcast_lesser_equal", "broadcast_like", "broadcast_logical_and", "broadcast_logical_or",
    "broadcast_logical_xor", "broadcast_maximum", "broadcast_minimum", "broadcast_mod",
    "broadcast_mul", "broadcast_not_equal", "broadcast_power", "broadcast_sub", "broadcast_to",
    "cast_storage", "cbrt", "ceil", "clip", "cos", "cosh", "degrees", "depth_to_space", "diag",
    "dot", "elemwise_div", "elemwise_mul", "elemwise_sub", "erf", "erfinv", "exp", "expand_dims",
    "expm1", "fix", "floor", "gamma", "gammaln", "gather_nd", "hard_sigmoid", "log", "log10",
    "log1p", "log2", "log_softmax", "logical_not", "max", "mean", "min", "moments", "nanprod",
    "nansum", "negative", "norm", "one_hot", "ones_like", "pick", "prod", "radians", "rcbrt",
    "reciprocal", "relu", "repeat", "reshape_like", "reverse", "rint", "round", "rsqrt",
    "scatter_nd", "shape_array", "sigmoid", "sign", "sin", "sinh", "size_array", "slice",
    "slice_axis", "slice_like", "smooth_l1", "softmax_cross_entropy", "softsign",
    "space_to_depth", "sqrt", "square", "squeeze", "stack", "sum", "take", "tan", "tanh", "tile",
    "topk", "transpose", "trunc", "where", "zeros_like"
})


def monitor_input_names(op, attrs, count):
    """Input names an op hook reports for ``count`` inputs of ``op`` (without the node name)."""
    names = op.input_names(attrs, count)
    if op.name in NO_INPUT_NAMES:
        return tuple("input%d" % i for i in range(len(names)))
    return names


def monitor_output_names(op, attrs):
    """Output names a cached op's hook reports for ``op`` (without the node name)."""
    names = op.output_name_list(attrs)
    if op.name in NO_OUTPUT_NAMES:
        return tuple(str(i) for i in range(len(names)))
    return names
