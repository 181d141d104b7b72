"""SymbolBlock: a HybridBlock built from a Symbol (pre-trained or exported models, feature
extractors sharing parameters with another block)."""
import copy
import warnings

import numpy as np

from .. import symbol
from ..base import MXNetError
from ..ndarray.ndarray import NDArray
from ..symbol import Symbol
from ._hybrid import HybridBlock, _flatten, _regroup
from .parameter import ParameterDict

__all__ = ["SymbolBlock"]

_ROW_SPARSE_ID = "1"  # MXNet's storage-type code of row_sparse in ``__storage_type__``


class SymbolBlock(HybridBlock):
    """Construct a block from a Symbol, e.g. to use a pre-trained model as a feature extractor.

    Parameters
    ----------
    outputs : Symbol or list of Symbol
        The outputs of the block.
    inputs : Symbol or list of Symbol
        The variables among the outputs' arguments that are fed as inputs.
    params : ParameterDict, optional
        Parameters for the other arguments and auxiliary states (shared, not copied).
    """

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix=None, params=None)
        self._prefix = ""
        self._params = ParameterDict("", params)
        if isinstance(inputs, Symbol) and len(inputs.list_outputs()) == 1:
            inputs = [inputs]
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            outputs = outputs[0]
        syms, self._in_format = _flatten(inputs, "input")
        outs, self._out_format = _flatten(outputs, "output")
        input_names = _input_names(syms)
        out = symbol.Group(outs) if len(outs) > 1 else outs[0]
        _refuse_row_sparse(out)
        arg_names = out.list_arguments()
        aux_names = out.list_auxiliary_states()
        # Inputs the outputs do not use are accepted and ignored, as in MXNet 1.9.1.
        arg_types, aux_types = _param_types(syms, out, arg_names, aux_names)
        for name, dtype in zip(arg_names, arg_types):
            if name not in input_names:
                self.params.get(name, allow_deferred_init=True, dtype=dtype)
        for name, dtype in zip(aux_names, aux_types):
            if name not in input_names:
                self.params.get(name, grad_req="null", allow_deferred_init=True, dtype=dtype)
        self._cached_graph = syms, out
        keys = list(self._params.keys())
        cut = len(_common_prefix(keys))
        self._reg_params = {k[cut:]: v for k, v in self._params.items()}

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        """Load a model written by ``HybridBlock.export`` or ``Module.save_checkpoint``.

        Parameters
        ----------
        symbol_file : str
            Path of the ``-symbol.json`` file.
        input_names : str or list of str
            Names of the input variables.
        param_file : str, optional
            Path of the ``.params`` file (``arg:``/``aux:`` names); without it the parameters
            are left for ``initialize``.
        ctx : Context or list of Context, optional
            Where to load the parameters.
        allow_missing : bool, default False
            Leave parameters the file lacks uninitialised instead of raising.
        ignore_extra : bool, default False
            Ignore file entries the graph does not use instead of raising.

        Returns
        -------
        SymbolBlock
        """
        sym = symbol.load(symbol_file)
        if isinstance(input_names, str):
            input_names = [input_names]
        if param_file is None:
            inputs = [symbol.var(n, dtype="float32") for n in input_names]
        else:
            inputs = [symbol.var(n) for n in input_names]
        block = SymbolBlock(sym, inputs)
        if param_file is not None:
            block.collect_params().load(param_file, ctx, allow_missing, ignore_extra,
                                        cast_dtype=True, dtype_source="saved")
        return block

    @classmethod
    def _is_v2(cls):
        return False

    def __repr__(self):
        data, out = self._cached_graph
        return (f"{type(self).__name__}(\n{out} : {len(data)} -> "
                f"{len(out.list_outputs())}\n)")

    def forward(self, x, *args):
        if isinstance(x, NDArray):
            with x.context:
                return self._call_cached_op(x, *args)
        if not isinstance(x, Symbol):
            raise TypeError("SymbolBlock: the first input must be an NDArray or a Symbol, got "
                            f"{type(x).__name__}")
        flat, fmt = _flatten([x] + list(args), "input")
        if fmt != self._in_format:
            raise ValueError(f"SymbolBlock: input structure {fmt} does not match the block's "
                             f"inputs {self._in_format}")
        data, out = self._cached_graph
        composed = copy.copy(out)
        composed._compose(**{d.name: a for d, a in zip(data, flat)})
        return _regroup(list(composed), self._out_format)

    def _clear_cached_op(self):
        graph = self._cached_graph
        super()._clear_cached_op()
        self._cached_graph = graph

    def cast(self, dtype):
        self._clear_cached_op()
        super().cast(dtype)
        if np.dtype(dtype).name == "float16":
            self._keep_batchnorm_float32()

    def _keep_batchnorm_float32(self):
        """BatchNorm statistics and scales stay float32 under float16 (MXNet's rule)."""
        names = self._cached_graph[1].get_internals().list_inputs()
        for var_name, stat in ((n, s) for n in names for s in ("running_var", "moving_var")
                               if n.endswith(s)):
            stem = var_name[:-len(stat)]
            mean = "running_mean" if stat == "running_var" else "moving_mean"
            group = [var_name] + [stem + t for t in (mean, "gamma", "beta")]
            if all(g in names for g in group):
                for g in group:
                    self.params.get(g).cast("float32")

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError

    def reset_ctx(self, ctx):
        """Move every parameter to ``ctx`` (a Context or list of Contexts)."""
        for p in self.collect_params().values():
            p.reset_ctx(ctx)


def _input_names(syms):
    names = []
    for s in syms:
        if len(s.get_internals().list_outputs()) != 1:
            raise MXNetError(f"SymbolBlock: inputs must be variables, but {s.name!r} is the "
                             "output of an operator; pass mx.sym.var(name) for it")
        names.append(s.name)
    return names


def _refuse_row_sparse(out):
    for node in out._order():
        if node.is_variable and node.attrs.get("__storage_type__") == _ROW_SPARSE_ID:
            raise MXNetError(f"SymbolBlock doesn't support Parameter {node.name!r} because its "
                             "storage type is 'row_sparse'.")


def _param_types(syms, out, arg_names, aux_names, default="float32"):
    """Parameter dtypes inferred from the inputs' declared dtypes (float32 where unknown)."""
    arg_types = aux_types = None
    given = {}
    for s in syms:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an input without a declared dtype: float32
            types = s.infer_type()[0]
        if not types or types[0] is None:
            given = None
            break
        given[s.name] = types[0]
    if given is not None:
        try:
            arg_types, _, aux_types = out.infer_type(**given)
        except MXNetError:
            arg_types = aux_types = None
    if arg_types is None or len(arg_types) != len(arg_names) or None in arg_types:
        arg_types = [default] * len(arg_names)
    if aux_types is None or len(aux_types) != len(aux_names) or None in aux_types:
        aux_types = [default] * len(aux_names)
    return arg_types, aux_types


def _common_prefix(names):
    if not names:
        return ""
    prefix = names[0]
    for name in names[1:]:
        i = 0
        while i < len(prefix) and i < len(name) and prefix[i] == name[i]:
            i += 1
        prefix = prefix[:i]
    return prefix
