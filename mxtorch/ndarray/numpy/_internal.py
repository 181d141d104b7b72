"""``mx.nd.numpy._internal``: every ``_npi_*``/``_np_*`` operator of the registry under its
short name (``add``, ``add_scalar``, ``sum``...), called through the nd door and returning
``mx.np`` arrays. Hybridized NumPy code (``F.np._internal``) uses these."""
from ...ndarray import _gen
from ...numpy._door import as_np

__all__ = []


def _make(name, nd_fn):
    def fn(*args, **kwargs):
        return as_np(nd_fn(*args, **kwargs))
    fn.__name__ = fn.__qualname__ = name
    fn.__signature__ = nd_fn.__signature__
    fn.__doc__ = nd_fn.__doc__
    fn.__module__ = __name__
    return fn


for _reg, _fn in sorted(_gen.ND_FUNCTIONS.items()):
    for _prefix in ("_npi_", "_np_"):
        if _reg.startswith(_prefix):
            _short = _reg[len(_prefix):]
            if _short not in globals() or _prefix == "_npi_":
                globals()[_short] = _make(_short, _fn)
                __all__.append(_short)

# short names MXNet registers on operators mxtorch keeps under their legacy names
EXTRA = {"gather_nd": "gather_nd", "slice": "slice", "slice_assign": "_slice_assign",
         "slice_assign_scalar": "_slice_assign_scalar", "copyto": "_copyto",
         "boolean_mask": "_contrib_boolean_mask", "normal_n": "_npi_normal",
         "uniform_n": "_npi_uniform", "pinv": "_npi_pinv_scalar_rcond",
         "scatter_set_nd": "_scatter_set_nd", "rnn_param_concat": "_rnn_param_concat"}
for _short, _reg in EXTRA.items():
    if _reg in _gen.ND_FUNCTIONS:
        globals()[_short] = _make(_short, _gen.ND_FUNCTIONS[_reg])
        __all__.append(_short)
Custom = _make("Custom", _gen.ND_FUNCTIONS["Custom"])
__all__ = sorted(set(__all__)) + ["Custom"]


# MXNet's OpenCV codec operators (``_cvimdecode``...) as functions over ``mx.image``, which
# decodes with the same library; they return mx.np arrays (no Symbol form: see _unsupported).
def cvimdecode(buf=None, flag=1, to_rgb=True, out=None, name=None, **kwargs):  # noqa: ARG001
    """Decode an encoded image (bytes or a uint8 array) to an (H, W, C) uint8 array."""
    from ...image import imdecode
    data = buf.asnumpy().tobytes() if hasattr(buf, "asnumpy") else buf
    return as_np(imdecode(data, flag=flag, to_rgb=to_rgb, out=out))


def cvimread(filename=None, flag=1, to_rgb=True, out=None, name=None, **kwargs):  # noqa: ARG001
    """Read and decode an image file to an (H, W, C) uint8 array."""
    from ...image import imread
    return as_np(imread(filename, flag=flag, to_rgb=to_rgb, out=out))


def cvimresize(src=None, w=None, h=None, interp=1, out=None, name=None,  # noqa: ARG001
               **kwargs):
    """Resize an (H, W, C) image to width ``w`` and height ``h``."""
    from ...image import imresize
    return as_np(imresize(src.as_nd_ndarray() if hasattr(src, "as_nd_ndarray") else src,
                          w, h, interp=interp, out=out))


__all__ += ["cvimdecode", "cvimread", "cvimresize"]
