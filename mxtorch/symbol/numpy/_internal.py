"""``mx.sym.numpy._internal``: every ``_npi_*``/``_np_*`` operator under its short name, as a
Symbol function."""
from .. import _gen

__all__ = []
for _reg, _fn in sorted(_gen.SYM_FUNCTIONS.items()):
    for _prefix in ("_npi_", "_np_"):
        if _reg.startswith(_prefix):
            _short = _reg[len(_prefix):]
            if _short not in globals() or _prefix == "_npi_":
                globals()[_short] = _fn
                __all__.append(_short)

# short names MXNet registers on operators mxtorch keeps under their legacy names
EXTRA = {"gather_nd": "gather_nd", "slice": "slice", "slice_assign": "_slice_assign",
         "slice_assign_scalar": "_slice_assign_scalar", "copyto": "_copyto",
         "boolean_mask": "_contrib_boolean_mask", "normal_n": "_npi_normal",
         "uniform_n": "_npi_uniform", "pinv": "_npi_pinv_scalar_rcond",
         "scatter_set_nd": "_scatter_set_nd", "rnn_param_concat": "_rnn_param_concat"}
for _short, _reg in EXTRA.items():
    if _reg in _gen.SYM_FUNCTIONS:
        globals()[_short] = _gen.SYM_FUNCTIONS[_reg]
        __all__.append(_short)
Custom = _gen.SYM_FUNCTIONS["Custom"]
__all__ = sorted(set(__all__)) + ["Custom"]
