"""Fluent methods: ``x.sum(axis=1)`` is ``nd.sum(x, axis=1)``, for MXNet's list of methods."""

# method name -> operator name (most are the same)
FLUENT = {name: name for name in (
    "abs", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "argmax",
    "argmax_channel", "argmin", "argsort", "broadcast_axes", "broadcast_like", "cbrt", "ceil",
    "clip", "cos", "cosh", "degrees", "depth_to_space", "diag", "exp", "expand_dims", "expm1",
    "fix", "floor", "log", "log10", "log1p", "log2", "log_softmax", "max", "mean", "min",
    "nanprod", "nansum", "norm", "one_hot", "pad", "pick", "prod", "radians", "rcbrt",
    "reciprocal", "relu", "repeat", "rint", "round", "rsqrt", "shape_array", "sigmoid", "sign",
    "sin", "sinh", "size_array", "slice", "slice_axis", "slice_like", "softmax", "softmin",
    "sort", "space_to_depth", "sqrt", "square", "squeeze", "sum", "swapaxes", "take", "tan",
    "tanh", "tile", "topk", "trunc")}
FLUENT.update({"flip": "reverse"})


def _method(op_name, method_name):
    from .ndarray import _call

    def method(self, *args, **kwargs):
        return _call(op_name, self, *args, **kwargs)
    method.__name__ = method.__qualname__ = method_name
    method.__doc__ = f"Fluent form of ``nd.{op_name}(self, ...)``."
    return method


def _broadcast_like(self, other):
    """Broadcast to ``other``'s shape. Unlike the ``nd.broadcast_like`` operator, MXNet's method
    is ``broadcast_to(other.shape)``: a lower-rank array gains leading axes."""
    return self.broadcast_to(other.shape)


# methods MXNet writes in Python rather than as the operator of the same name
_PYTHON_METHODS = {"broadcast_like": _broadcast_like}


def install(cls):
    for method_name, op_name in FLUENT.items():
        if method_name not in cls.__dict__:
            setattr(cls, method_name, _PYTHON_METHODS.get(method_name)
                    or _method(op_name, method_name))
