"""MXNet -> ONNX converter: ``export_model`` and ``get_operator_support``.

``_export`` walks the graph; ``_op_translations`` holds one converter per MXNet operator.
"""
from ._export import export_model, get_operator_support  # noqa: F401

__all__ = ["export_model", "get_operator_support"]
