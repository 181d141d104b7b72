"""``mx.contrib.onnx``: MXNet 1.9.1's older ONNX entry points.

``export_model`` forwards to ``mx.onnx.export_model`` (MXNet deprecates this path);
``get_model_metadata`` reads the input/output names and shapes of an ONNX file;
``import_model`` / ``import_to_gluon`` turn an ONNX model (the op set ``mx.onnx`` writes, see
``onnx2mx.IMPORTERS``) back into a Symbol with parameters or a SymbolBlock.
"""
import warnings

from ...base import MXNetError
from ...onnx import export_model as _export_model
from . import onnx2mx

__all__ = ["export_model", "get_model_metadata", "import_model", "import_to_gluon", "onnx2mx"]


def _onnx():
    try:
        import onnx
    except ImportError:
        raise MXNetError("mx.contrib.onnx needs the 'onnx' package: pip install onnx") from None
    return onnx


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
    graph = _onnx().load(model_file).graph
    params = {t.name for t in graph.initializer}
    return {"input_tensor_data": [(i.name, _dims(i)) for i in graph.input
                                  if i.name not in params],
            "output_tensor_data": [(o.name, _dims(o)) for o in graph.output]}


def import_model(model_file):
    """Load an ONNX model as an MXNet symbol graph.

    Parameters
    ----------
    model_file : str
        Path of the ``.onnx`` file.

    Returns
    -------
    sym : Symbol
        The graph; data inputs keep their ONNX names, nodes are named after their outputs.
    arg_params : dict of str to NDArray
        Parameters (initializers used as operator inputs).
    aux_params : dict of str to NDArray
        Auxiliary states (BatchNorm running mean/var).
    """
    onnx = _onnx()
    return onnx2mx.import_graph(onnx, onnx.load(model_file))


def import_to_gluon(model_file, ctx):
    """Load an ONNX model as a ``gluon.SymbolBlock`` with its parameters on ``ctx``.

    Parameters
    ----------
    model_file : str
        Path of the ``.onnx`` file.
    ctx : Context or list of Context
        Where the parameters live.

    Returns
    -------
    SymbolBlock
    """
    from ... import gluon, symbol
    sym, arg_params, aux_params = import_model(model_file)
    inputs = [n for n, _ in get_model_metadata(model_file)["input_tensor_data"]]
    net = gluon.SymbolBlock(sym, [symbol.var(n) for n in inputs])
    params = net.collect_params()
    for name, value in list(arg_params.items()) + list(aux_params.items()):
        if name in params:
            params[name].shape = value.shape
            params[name]._load_init(value, ctx)
    return net
