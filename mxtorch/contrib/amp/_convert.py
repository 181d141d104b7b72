"""``amp.convert_*``: float32 graphs -> mixed precision graphs for inference."""
import numpy as np

from ...base import MXNetError
from ...context import gpu, num_gpus
from ...ndarray.ndarray import _DTYPE_MX_TO_NP
from ...symbol import Symbol
from ._graph import reduce_precision
from . import amp as _amp


def _check_list(value, what):
    if value is not None and not isinstance(value, list):
        raise _amp.AMPError("%s should be a list, got %s" % (what, type(value).__name__))


def _op_lists(target, target_dtype_ops, fp32_ops, conditional_fp32_ops):
    _check_list(target_dtype_ops, "target_dtype_ops")
    _check_list(fp32_ops, "fp32_ops")
    _check_list(conditional_fp32_ops, "conditional_fp32_ops")
    lp = target_dtype_ops if target_dtype_ops is not None else _amp.list_lp16_ops(target)
    fp32 = fp32_ops if fp32_ops is not None else _amp.list_fp32_ops(target)
    cond = conditional_fp32_ops if conditional_fp32_ops is not None else \
        _amp.list_conditional_fp32_ops(target)
    for entry in cond:
        if not (isinstance(entry, (list, tuple)) and len(entry) == 3 and
                isinstance(entry[0], str) and isinstance(entry[1], str) and
                isinstance(entry[2], list)):
            raise _amp.AMPError("conditional_fp32_ops should be a list of (str, str, list of "
                                "str), got entry %r" % (entry,))
    cond_names = [c[0] for c in cond]
    for a, b, what in ((lp, fp32, "target_dtype_ops and fp32_ops"),
                       (lp, cond_names, "target_dtype_ops and conditional_fp32_ops"),
                       (cond_names, fp32, "fp32_ops and conditional_fp32_ops")):
        common = set(a) & set(b)
        if common:
            raise _amp.AMPError("Ops cannot be in two or more lists. Common ops in %s %s"
                                % (what, sorted(common)))
    known = set(_amp.list_lp16_ops(target) + _amp.list_fp32_ops(target) +
                _amp.list_lp16_fp32_ops(target) +
                [c[0] for c in _amp.list_conditional_fp32_ops(target)])
    illegal = set(lp + fp32 + cond_names) - known
    if illegal:
        raise _amp.AMPError("Can only choose ops from amp.list_lp16_ops, list_fp32_ops, "
                            "list_lp16_fp32_ops or list_conditional_fp32_ops(%r); %s are in "
                            "none of them" % (target, sorted(illegal)))
    return lp, fp32, cond


def convert_symbol(sym, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                   conditional_fp32_ops=None, excluded_sym_names=None, data_names=None,
                   cast_optional_params=False):
    """A copy of a float32 Symbol with ``amp_cast``/``amp_multicast`` nodes, so that the
    ops of the low-precision list run in `target_dtype` and the float32 ops in float32; the
    outputs are float32.

    Parameters
    ----------
    sym : Symbol
        The float32 network.
    target_dtype : {'float16', 'bfloat16'}
        The low precision type.
    target_dtype_ops, fp32_ops : list of str, optional
        Replace the default op lists (``list_lp16_ops`` / ``list_fp32_ops``).
    conditional_fp32_ops : list of (str, str, list of str), optional
        Replaces ``list_conditional_fp32_ops``.
    excluded_sym_names : list of str, optional
        Names of nodes kept in float32.
    data_names : list of str, optional
        The data inputs (float32); the other inputs are model parameters and get a
        ``__dtype__``. Default: the inputs without a ``__dtype__`` attribute.
    cast_optional_params : bool, default False
        Store parameters that only feed low-precision ops in `target_dtype` (their casts
        are dropped).
    """
    if not isinstance(sym, Symbol):
        raise _amp.AMPError("First argument to convert_symbol should be Symbol, got %s"
                            % type(sym).__name__)
    if target_dtype not in ('float16', 'bfloat16'):
        raise _amp.AMPError("Only target_dtype float16 and bfloat16 are supported currently, "
                            "got %r" % (target_dtype,))
    lp, fp32, cond = _op_lists(target_dtype, target_dtype_ops, fp32_ops, conditional_fp32_ops)
    _check_list(excluded_sym_names, "excluded_sym_names")
    if data_names is None:
        attrs = sym.attr_dict()
        data_names = [n for n in sym.list_inputs() if '__dtype__' not in attrs.get(n, {})]
    unknown = set(data_names) - set(sym.list_inputs())
    if unknown:
        raise MXNetError("convert_symbol: data_names %s are not inputs of the symbol (inputs: "
                         "%s)" % (sorted(unknown), sym.list_inputs()))
    return reduce_precision(sym, target_dtype, lp, fp32, cond,
                            _amp.list_widest_type_cast(target_dtype), excluded_sym_names or [],
                            data_names, cast_optional_params)


def _param_dtype(attrs, name):
    flag = attrs.get(name, {}).get("__dtype__")
    if flag is None or flag == "-1":
        return None
    typ = _DTYPE_MX_TO_NP[int(flag)]
    return 'bfloat16' if typ == _amp.bfloat16 else np.dtype(typ)


def _cast_params(converted, params, names):
    attrs = converted.attr_dict()
    for name in names:
        dtype = _param_dtype(attrs, name)
        if name in params and dtype is not None and params[name].dtype != dtype:
            params[name] = params[name].astype(dtype)


def convert_model(sym, arg_params, aux_params, target_dtype="float16", target_dtype_ops=None,
                  fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                  cast_optional_params=False):
    """Converts a float32 model (symbol and parameters) to mixed precision; see
    :func:`convert_symbol`. Parameters are cast to the ``__dtype__`` the converted symbol
    gives them.

    Returns
    -------
    (Symbol, dict, dict)
        The converted symbol, arg_params and aux_params (the same dicts, updated).
    """
    if excluded_sym_names is not None and not isinstance(excluded_sym_names, list):
        raise ValueError('excluded_sym_names must be a list of strings representing the names '
                         'of the symbols that should not be casted, while received type %s'
                         % type(excluded_sym_names))
    if target_dtype not in ('float16', 'bfloat16'):
        raise _amp.AMPError("Only target_dtype float16 and bfloat16 are supported currently, "
                            "got %r" % (target_dtype,))
    if not isinstance(sym, Symbol):
        raise _amp.AMPError("First argument to convert_model should be Symbol")
    if not isinstance(arg_params, dict) or not isinstance(aux_params, dict):
        raise _amp.AMPError("convert_model: arg_params and aux_params should be dicts of name "
                            "to NDArray")
    param_names = set(arg_params) | set(aux_params)
    data_names = [n for n in sym.list_inputs() if n not in param_names]
    converted = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops,
                               conditional_fp32_ops, excluded_sym_names, data_names,
                               cast_optional_params)
    _cast_params(converted, arg_params, converted.list_arguments())
    _cast_params(converted, aux_params, converted.list_auxiliary_states())
    return converted, arg_params, aux_params


def convert_hybrid_block(block, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                         conditional_fp32_ops=None, excluded_sym_names=None, ctx=gpu(0),
                         cast_optional_params=False):
    """A SymbolBlock running a hybridized float32 block in mixed precision (for inference);
    see :func:`convert_symbol`. The block must have been hybridized and run once.

    Parameters
    ----------
    block : HybridBlock
    ctx : Context, default gpu(0)
        Where the parameters of the new block live (pass ``mx.cpu()`` on a machine without
        a GPU).
    """
    from ...gluon import HybridBlock, SymbolBlock
    if not isinstance(block, HybridBlock):
        raise _amp.AMPError("block input should be a HybridBlock, got %s"
                            % type(block).__name__)
    if not block._cached_graph:
        raise RuntimeError("Please first call block.hybridize() and then run forward with this "
                           "block at least once before calling export.")
    if ctx.device_type == 'gpu' and ctx.device_id >= num_gpus():
        raise MXNetError("convert_hybrid_block: ctx=%s but this machine has %d GPU(s); pass "
                         "ctx=mx.cpu()" % (ctx, num_gpus()))
    inputs, sym = block._cached_graph
    converted = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops,
                               conditional_fp32_ops, excluded_sym_names,
                               data_names=[i.name for i in inputs],
                               cast_optional_params=cast_optional_params)
    attrs = converted.attr_dict()
    arg_names = set(converted.list_arguments())
    values = {}
    for name, param in block.collect_params().items():
        kind = 'arg' if name in arg_names else 'aux'
        value = param._reduce()
        dtype = _param_dtype(attrs, name)
        values['%s:%s' % (kind, name)] = value.astype(dtype) if dtype is not None and \
            value.dtype != dtype else value
    ret = SymbolBlock(converted, inputs)
    for name, param in ret.collect_params().items():
        for key in ('arg:' + name, 'aux:' + name):
            if key in values and param.dtype != values[key].dtype:
                param.cast(values[key].dtype)
    ret.collect_params().load_dict(values, ctx=ctx)
    return ret


def convert_bucketing_module(bucketing_mod, target_dtype="float16", target_dtype_ops=None,
                             fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                             cast_optional_params=False):
    """A BucketingModule whose bucket symbols (and parameters) are converted with
    :func:`convert_model`. The module must be bound and initialized."""
    from ...module import BucketingModule
    if not isinstance(bucketing_mod, BucketingModule):
        raise _amp.AMPError("module should be instance of bucketing module")
    if not bucketing_mod._buckets:
        raise _amp.AMPError("Bucketing Module should not be empty")
    if not bucketing_mod.params_initialized:
        raise _amp.AMPError("bucketing_mod params should be initialized for mixed precision "
                            "conversion")
    arg_params, aux_params = bucketing_mod.get_params()
    arg_params, aux_params = dict(arg_params), dict(aux_params)
    sym_dict = {}
    for key, mod in bucketing_mod._buckets.items():
        sym_dict[key], arg_params, aux_params = convert_model(
            mod._symbol, arg_params, aux_params, target_dtype=target_dtype,
            target_dtype_ops=target_dtype_ops, fp32_ops=fp32_ops,
            conditional_fp32_ops=conditional_fp32_ops, excluded_sym_names=excluded_sym_names,
            cast_optional_params=cast_optional_params)
    return BucketingModule.load_dict(
        sym_dict, sym_gen=bucketing_mod._sym_gen, arg_params=arg_params, aux_params=aux_params,
        default_bucket_key=bucketing_mod._default_bucket_key, logger=bucketing_mod.logger,
        context=bucketing_mod._context, work_load_list=bucketing_mod._work_load_list,
        fixed_param_names=bucketing_mod._fixed_param_names,
        state_names=bucketing_mod._state_names, group2ctxs=bucketing_mod._group2ctxs,
        compression_params=bucketing_mod._compression_params)
