"""MXNet 1.9.1 operator names mxtorch deliberately does not provide, each with the reason.

``get_op``/JSON loading report these reasons instead of a bare "unknown operator".
"""

_ONEDNN = ("a oneDNN/MKLDNN fused-subgraph op produced only by MXNet's own graph partitioner; "
           "never present in exported models")
_INTERNAL = "an MXNet engine internal with no user-facing semantics"
_NP = ("part of MXNet's NumPy-interface (mx.np/npx) internals; the mx.np front end is a "
       "separate feature")
_QUANT = ("oneDNN int8 quantized inference kernel; quantized models must be re-exported in "
          "float")

UNSUPPORTED = {}


def _add(names, reason):
    for name in names:
        UNSUPPORTED[name] = reason


_add(["_sg_mkldnn_conv", "_sg_mkldnn_fully_connected", "_sg_mkldnn_selfatt_qk",
      "_sg_mkldnn_selfatt_valatt"], _ONEDNN)
_add(["_CachedOp", "_CachedOpThreadSafe", "_CrossDeviceCopy", "_NoGradient", "_NDArray",
      "_Native", "_broadcast_backward", "_split_v2_backward", "_CustomFunction"], _INTERNAL)


_add(["_imdecode", "_cvimdecode", "_cvimread", "_cvimresize", "_cvcopyMakeBorder"],
     "OpenCV image codec kernels; use mx.image.imdecode / imread / imresize / "
     "copyMakeBorder, which run OpenCV directly")
_add(["_set_value"], "legacy assignment helper; write `x[:] = value` instead")


_add(["_contrib_quantized_rnn"], _QUANT)


def reason(name):
    """Why ``name`` is unsupported, or None."""
    return UNSUPPORTED.get(name)
