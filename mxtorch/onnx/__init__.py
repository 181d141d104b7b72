"""``mx.onnx``: export MXNet symbol graphs to ONNX files.

``export_model(sym, params, in_shapes, in_types, onnx_file_path)`` converts a Symbol (or a
``-symbol.json`` path) and its parameters (a dict or a ``.params`` path) into an ONNX model;
``get_operator_support()`` lists the MXNet operators the exporter converts. The ``onnx``
package is needed only when exporting (``pip install onnx``).
"""
from . import mx2onnx  # noqa: F401
from .mx2onnx import export_model, get_operator_support  # noqa: F401

__all__ = ["export_model", "get_operator_support", "mx2onnx"]
