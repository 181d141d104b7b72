"""``mx.contrib.onnx``: MXNet 1.9.1's older ONNX entry points.

``export_model`` forwards to ``mx.onnx.export_model`` (MXNet deprecates this path);
``get_model_metadata`` reads the input/output names and shapes of an ONNX file.
``import_model`` and ``import_to_gluon`` (ONNX -> MXNet) are not provided yet: they raise
MXNetError (see compat/onnx.md).
"""
import warnings

from ...base import MXNetError
from ...onnx import export_model as _export_model

__all__ = ["export_model", "get_model_metadata", "import_model", "import_to_gluon"]


def export_model(*args, **kwargs):
    """Deprecated path of ``mx.onnx.export_model`` (same parameters and result)."""
    warnings.warn("mxnet.contrib.onnx.export_model moved to mxnet.onnx.export_model",
                  DeprecationWarning, stacklevel=2)
    return _export_model(*args, **kwargs)


def _dims(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") else d.dim_param for d in dims)


def get_model_metadata(model_file):
    """Names and shapes of the inputs and outputs of an ONNX model.

    Parameters
    ----------
    model_file : str
        Path of the ``.onnx`` file.

    Returns
    -------
    dict
        ``{'input_tensor_data': [(name, shape)], 'output_tensor_data': [(name, shape)]}``;
        initializers (parameters) are not listed as inputs.
    """
    try:
        import onnx
    except ImportError:
        raise MXNetError("mx.contrib.onnx needs the 'onnx' package: pip install onnx") from None
    graph = onnx.load(model_file).graph
    params = {t.name for t in graph.initializer}
    return {"input_tensor_data": [(i.name, _dims(i)) for i in graph.input
                                  if i.name not in params],
            "output_tensor_data": [(o.name, _dims(o)) for o in graph.output]}


def import_model(model_file):
    """ONNX -> (sym, arg_params, aux_params): not provided yet; raises MXNetError."""
    raise MXNetError(f"mx.contrib.onnx.import_model({model_file!r}): importing ONNX models is "
                     "not supported by mxtorch yet (export works: mx.onnx.export_model)")


def import_to_gluon(model_file, ctx):
    """ONNX -> SymbolBlock: not provided yet; raises MXNetError."""
    raise MXNetError(f"mx.contrib.onnx.import_to_gluon({model_file!r}): importing ONNX models "
                     "is not supported by mxtorch yet (export works: mx.onnx.export_model)")
