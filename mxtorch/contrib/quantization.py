"""Post-training int8 quantization of symbolic models and Gluon networks
(``mx.contrib.quantization``).

The pass rewrites an FP32 graph with the ``_contrib_quantized_*`` operators as MXNet 1.9.1
does on CPU without oneDNN fusion (``_quantize_graph.py``); calibration ('naive' min/max or
'entropy' KL-divergence thresholds) runs the FP32 graph on calibration batches and stores
the thresholds in the graph. Differences from MXNet are listed in compat/contrib.md.
"""
import json
import logging
import os
import shutil
import tempfile
import warnings

import numpy as np

from .. import ndarray
from ..base import MXNetError, py_str
from ..context import Context, cpu
from ..io import DataBatch, DataDesc, DataIter
from ..module import Module
from ..ndarray import NDArray
from ..ndarray import load as nd_load, save as nd_save
from ..symbol import Symbol, load as sym_load, load_json, Group
from ._quantize_graph import quantize_symbol_json, calibrate_json



def __getattr__(name):
    """``stats``: MXNet exposes scipy.stats here (None without scipy). Entropy calibration no
    longer needs it, and importing it costs ~0.5 s, so it resolves on first use."""
    if name == "stats":
        global stats
        try:
            from scipy import stats
        except ImportError:  # pragma: no cover - scipy is optional
            stats = None
        return stats
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_DTYPES = ('int8', 'uint8', 'auto')


def _check_names(value, what):
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError('%s must be a list of strings naming what is not quantized, got %s'
                         % (what, type(value)))
    return value


def _check_options(quantized_dtype, quantize_granularity):
    if quantized_dtype not in _DTYPES:
        raise ValueError('unknown quantized_dtype %s received, expected `int8`, `uint8` or '
                         '`auto`' % (quantized_dtype,))
    if quantize_granularity not in ('tensor-wise', 'channel-wise'):
        raise ValueError('unknown quantize_granularity %s received, expected `tensor-wise` '
                         'or `channel-wise`' % (quantize_granularity,))
    if quantize_granularity == 'channel-wise':
        raise MXNetError("quantize: quantize_granularity='channel-wise' needs MXNet's oneDNN "
                         "fused convolutions, which mxtorch does not provide; use "
                         "'tensor-wise'")


# ----------------------------------------------------------------------- graph rewriting
def _quantize_symbol(sym, ctx, excluded_symbols=None, excluded_operators=None,
                     offline_params=None, quantized_dtype='int8', quantize_mode='smart',
                     quantize_granularity='tensor-wise'):
    """Quantize the FP32 symbol ``sym``; return (quantized symbol, names of the layer
    outputs whose thresholds calibration must find)."""
    graph = json.loads(sym.tojson())
    qgraph, calib_layers = quantize_symbol_json(
        graph, excluded_names=excluded_symbols or [], excluded_ops=excluded_operators or [],
        offline_params=offline_params or [], quantized_dtype=quantized_dtype,
        quantize_mode=quantize_mode)
    return load_json(json.dumps(qgraph)), calib_layers


def _calibrate_quantized_sym(qsym, th_dict):
    """Write the thresholds ``th_dict`` (layer output name -> (min, max)) into ``qsym``."""
    if not th_dict:
        return qsym
    graph = calibrate_json(json.loads(qsym.tojson()), th_dict)
    return load_json(json.dumps(graph))


def _quantize_params(qsym, params, th_dict):
    """int8 values and ranges of the weights/biases ``qsym`` reads as ``*_quantize``; other
    arguments of ``qsym`` found in ``params`` are passed through."""
    quantized = {}
    for name in qsym.list_arguments():
        if name.endswith(('weight_quantize', 'bias_quantize')):
            param = params[name[:-len('_quantize')]]
            val, vmin, vmax = ndarray.contrib.quantize(
                data=param, min_range=ndarray.min(param), max_range=ndarray.max(param),
                out_type='int8')
            quantized[name], quantized[name + '_min'], quantized[name + '_max'] = \
                val, vmin, vmax
        elif name in params:
            quantized[name] = params[name]
        elif name.endswith(('_min', '_max')) and name[:-4] in th_dict:
            quantized[name] = ndarray.array([th_dict[name[:-4]][name.endswith('_max')]])
    return quantized


# ----------------------------------------------------------------------- calibration
def combine_histogram(old_hist, arr, new_min, new_max, new_th):
    """Add the values ``arr`` to the histogram ``old_hist`` = (hist, edges, min, max, th),
    widening its symmetric range (by whole bins) when ``new_th`` exceeds it."""
    hist, edges, old_min, old_max, old_th = old_hist
    if new_th <= old_th:
        counts, _ = np.histogram(arr, bins=len(hist), range=(-old_th, old_th))
        return hist + counts, edges, min(old_min, new_min), max(old_max, new_max), old_th
    step = 2 * old_th / len(hist)
    extra = int((new_th - old_th) // step + 1)
    width = extra * step + old_th
    counts, new_edges = np.histogram(arr, bins=len(hist) + 2 * extra, range=(-width, width))
    counts[extra:extra + len(hist)] += hist
    return counts, new_edges, min(old_min, new_min), max(old_max, new_max), width


class _LayerHistogramCollector:
    """Histograms (``num_bins`` symmetric bins) of the layer outputs named in
    ``include_layer``, for entropy calibration."""

    def __init__(self, num_bins=8001, include_layer=None, logger=None):
        self.hist_dict = {}
        self.num_bins = num_bins
        self.include_layer = include_layer
        self.logger = logger

    def collect(self, name, arr):
        """Add one output ``arr`` (NDArray) of layer ``name``."""
        name = py_str(name)
        if self.include_layer is not None and name not in self.include_layer:
            return
        arr = arr.asnumpy()
        low, high = np.min(arr), np.max(arr)
        th = max(abs(low), abs(high))
        if self.logger:
            self.logger.debug('Collecting layer %s histogram of shape %s', name, arr.shape)
        if name in self.hist_dict:
            self.hist_dict[name] = combine_histogram(self.hist_dict[name], arr, low, high, th)
        else:
            hist, edges = np.histogram(arr, bins=self.num_bins, range=(-th, th))
            self.hist_dict[name] = (hist, edges, low, high, th)


class _LayerOutputMinMaxCollector:
    """Running min and max of the layer outputs named in ``include_layer`` ('naive')."""

    def __init__(self, quantized_dtype, include_layer=None, logger=None):
        self.min_max_dict = {}
        self.quantized_dtype = quantized_dtype
        self.include_layer = include_layer
        self.logger = logger

    def collect(self, name, arr):
        """Fold one output ``arr`` (NDArray) of layer ``name`` into its range."""
        name = py_str(name)
        if self.include_layer is not None and name not in self.include_layer:
            return
        low, high = ndarray.min(arr).asscalar(), ndarray.max(arr).asscalar()
        if name in self.min_max_dict:
            old_low, old_high = self.min_max_dict[name]
            low, high = min(old_low, low), max(old_high, high)
        self.min_max_dict[name] = (low, high)
        if self.logger:
            self.logger.debug('Collecting layer %s min_range=%f, max_range=%f',
                              name, low, high)


def _layer_executor(mod, names, batch):
    """An executor computing the internal outputs ``names`` of ``mod``'s symbol."""
    internals = mod.symbol.get_internals()
    available = internals.list_outputs()
    outputs = [internals[available.index(n)] for n in names]
    shapes = {d.name: d.shape for d in batch}
    exe = Group(outputs).simple_bind(mod._context[0], grad_req='null', **shapes)
    arg_params, aux_params = mod.get_params()
    for name, arr in exe.arg_dict.items():
        if name in arg_params:
            arr[:] = arg_params[name]
    for name, arr in exe.aux_dict.items():
        if name in aux_params:
            arr[:] = aux_params[name]
    return exe


def _collect_layer_statistics(mod, data, collector, max_num_examples=None, logger=None):
    """Run the FP32 model ``mod`` on the batches of ``data`` and pass every layer output the
    collector asks for (``collector.include_layer``; all when None) to
    ``collector.collect(name, NDArray)``. Returns the number of examples used."""
    if not isinstance(data, DataIter):
        raise ValueError('Only supports data as a type of DataIter, while received type %s'
                         % str(type(data)))
    include = getattr(collector, 'include_layer', None)
    available = mod.symbol.get_internals().list_outputs()
    names = [n for n in available if include is None or n in include]
    exe, num_batches, num_examples = None, 0, 0
    data.reset()
    for batch in data:
        descs = data.provide_data
        if exe is None:
            exe = _layer_executor(mod, names, descs)
        for desc, arr in zip(descs, batch.data):
            exe.arg_dict[desc.name][:] = arr
        for name, out in zip(names, exe.forward(is_train=False)):
            collector.collect(name, out)
        num_batches += 1
        num_examples += data.batch_size
        if max_num_examples is not None and num_examples >= max_num_examples:
            break
    if logger is not None:
        logger.info('Collected statistics from %d batches with batch_size=%d',
                    num_batches, data.batch_size)
    return num_examples


def _collect_layer_output_min_max(mod, data, quantized_dtype, include_layer=None,
                                  max_num_examples=None, logger=None):
    """Naive calibration statistics: ({layer: (min, max)}, number of examples)."""
    collector = _LayerOutputMinMaxCollector(quantized_dtype=quantized_dtype,
                                            include_layer=include_layer, logger=logger)
    num = _collect_layer_statistics(mod, data, collector, max_num_examples, logger)
    return collector.min_max_dict, num


def _collect_layer_histogram(mod, data, include_layer=None, max_num_examples=None,
                             logger=None):
    """Entropy calibration statistics: ({layer: histogram tuple}, number of examples)."""
    collector = _LayerHistogramCollector(include_layer=include_layer, logger=logger)
    num = _collect_layer_statistics(mod, data, collector, max_num_examples, logger)
    return collector.hist_dict, num


def _smooth_distribution(p, eps=0.0001):
    """Replace the zeros of the histogram ``p`` by ``eps``, taking the same total mass off
    its non-zero entries (so a KL divergence against it is finite)."""
    zeros = (p == 0).astype(np.float32)
    n_zeros = zeros.sum()
    n_nonzeros = p.size - n_zeros
    if not n_nonzeros:
        raise ValueError('The discrete probability distribution is malformed. All entries '
                         'are 0.')
    eps1 = eps * float(n_zeros) / float(n_nonzeros)
    if eps1 >= 1.0:
        raise ValueError('cannot smooth a distribution with %d zeros and %d non-zeros'
                         % (n_zeros, n_nonzeros))
    hist = p.astype(np.float32) + eps * zeros - eps1 * (1 - zeros)
    if (hist <= 0).any():
        raise ValueError('smoothing left non-positive entries in the distribution')
    return hist


def _get_optimal_threshold(hist_data, quantized_dtype, num_quantized_bins=255):
    """(min, max, threshold, divergence) minimizing the KL divergence between the layer's
    histogram and its quantized version (``_contrib_calibrate_entropy``)."""
    hist, edges, min_val, max_val, _ = hist_data
    if len(hist) % 2 != 1:
        raise ValueError('entropy calibration needs an odd number of histogram bins, got %d'
                         % len(hist))
    if min_val >= 0 and quantized_dtype in ('auto', 'uint8'):
        num_quantized_bins = num_quantized_bins * 2 + 1
    threshold, divergence = ndarray.contrib.calibrate_entropy(
        hist=ndarray.array(hist, ctx=cpu()), hist_edges=ndarray.array(edges, ctx=cpu()),
        num_quantized_bins=num_quantized_bins)
    return min_val, max_val, threshold.asnumpy(), divergence.asnumpy()


def _get_optimal_thresholds(hist_dict, quantized_dtype, num_quantized_bins=255, logger=None):
    """{layer: (min, max)} thresholds from the histograms ``hist_dict`` (consumed)."""
    if not isinstance(hist_dict, dict):
        raise ValueError('hist_dict must be a dict, got %s' % type(hist_dict))
    if logger is not None:
        logger.info('Calculating optimal thresholds for quantization using KL divergence '
                    'with num_quantized_bins=%d', num_quantized_bins)
    th_dict = {}
    for name in list(hist_dict):
        min_val, max_val, th, divergence = _get_optimal_threshold(
            hist_dict.pop(name), quantized_dtype, num_quantized_bins=num_quantized_bins)
        unsigned = min_val >= 0 and quantized_dtype in ('auto', 'uint8')
        th_dict[name] = (0, th) if unsigned else (-th, th)
        if logger:
            logger.debug('layer=%s, min_val=%f, max_val=%f, th=%f, divergence=%f',
                         name, min_val, max_val, th, divergence)
    return th_dict


# ----------------------------------------------------------------------- inputs
def _load_sym(sym, logger=None):
    """A Symbol from a Symbol or the path of a ``-symbol.json`` file."""
    if isinstance(sym, str):
        if logger:
            logger.info('Loading symbol from file %s', sym)
        return sym_load(sym)
    if isinstance(sym, Symbol):
        return sym
    raise ValueError('_load_sym only accepts Symbol or path to the symbol file, while '
                     'received type %s' % str(type(sym)))


def _load_params(params, logger=None):
    """(arg_params, aux_params) from a ``.params`` path or from a pair of dicts."""
    if isinstance(params, str):
        if logger:
            logger.info('Loading params from file %s', params)
        arg_params, aux_params = {}, {}
        for key, value in nd_load(params).items():
            kind, name = key.split(':', 1)
            if kind == 'arg':
                arg_params[name] = value
            elif kind == 'aux':
                aux_params[name] = value
        return arg_params, aux_params
    if isinstance(params, (tuple, list)) and len(params) == 2:
        return params[0], params[1]
    raise ValueError('Unsupported params provided. Must be either a path to the param file '
                     'or a pair of dictionaries representing arg_params and aux_params')


def _as_list(example):
    return list(example) if isinstance(example, (list, tuple)) else [example]


def _fold_5d(arrays):
    if len(arrays[0].shape) > 4:
        arrays[0] = arrays[0].reshape((-1,) + arrays[0].shape[2:])
    return arrays


class _DataIterWrapper(DataIter):
    """A DataIter over any iterable of batches (e.g. a Gluon DataLoader); the inputs are
    named 'data', 'data0', 'data1'... ('data0', 'data1'... when there are 3 or more)."""

    def __init__(self, calib_data):
        super().__init__()
        self._data = calib_data
        try:
            first = next(iter(calib_data))
        except TypeError as err:
            raise TypeError('calib_data is not a valid iterator. {}'.format(err)) from None
        example = _fold_5d(_as_list(first))
        if len(example) >= 3:
            self.provide_data = [DataDesc('data%d' % i, x.shape)
                                 for i, x in enumerate(example)]
        else:
            self.provide_data = [DataDesc('data', example[0].shape)] + \
                [DataDesc('data%d' % i, x.shape) for i, x in enumerate(example[1:])]
        self.provide_label = []
        self.batch_size = example[0].shape[0]
        self.reset()

    def reset(self):
        self._iter = iter(self._data)

    def next(self):
        return DataBatch(data=_fold_5d(_as_list(next(self._iter))))


def _as_data_iter(calib_data):
    """(DataIter, provide_data) for a DataIter or any iterable of batches."""
    if isinstance(calib_data, DataIter):
        return calib_data, calib_data.provide_data
    calib_data = _DataIterWrapper(calib_data)
    return calib_data, calib_data.provide_data


# ----------------------------------------------------------------------- public API
def _thresholds(mod, calib_data, calib_mode, calib_layer, quantized_dtype,
                num_calib_examples, logger):
    if calib_mode == 'entropy':
        hist, num = _collect_layer_histogram(mod, calib_data, include_layer=calib_layer,
                                             max_num_examples=num_calib_examples,
                                             logger=logger)
        if logger:
            logger.info('Collected layer outputs from FP32 model using %d examples', num)
        return _get_optimal_thresholds(hist, quantized_dtype, logger=logger)
    if calib_mode == 'naive':
        th_dict, num = _collect_layer_output_min_max(
            mod, calib_data, quantized_dtype, include_layer=calib_layer,
            max_num_examples=num_calib_examples, logger=logger)
        if logger:
            logger.info('Collected layer output min/max values from FP32 model using %d '
                        'examples', num)
        return th_dict
    raise ValueError('unknown calibration mode %s received, expected `none`, `naive`, or '
                     '`entropy`' % (calib_mode,))


def quantize_model(sym, arg_params, aux_params, data_names=('data',),
                   label_names=('softmax_label',), ctx=cpu(), excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', calib_data=None,
                   num_calib_examples=None, quantized_dtype='int8', quantize_mode='smart',
                   quantize_granularity='tensor-wise', logger=None):
    """Quantize an FP32 symbolic model to int8, calibrating it on ``calib_data``.

    Parameters
    ----------
    sym : Symbol or str
        The FP32 network (or the path of its symbol file).
    arg_params, aux_params : dict of str to NDArray
        Its parameters; every arg param read as a weight/bias is quantized offline.
    data_names, label_names : tuple of str
        Input names of the network for the calibration Module.
    ctx : Context
        Device to run calibration on (a single one).
    excluded_sym_names, excluded_op_names : list of str
        Node names / operator names to keep in FP32.
    calib_mode : {'none', 'naive', 'entropy'}
        'none': ranges found at run time; 'naive': min/max of the layer outputs on
        ``calib_data``; 'entropy': thresholds minimizing the KL divergence.
    calib_data : DataIter
        Calibration data (needed unless calib_mode is 'none').
    num_calib_examples : int, optional
        Stop calibrating after this many examples.
    quantized_dtype : {'int8', 'uint8', 'auto'}
        Type of the quantized activations ('auto': uint8 where the calibrated range is
        non-negative).
    quantize_mode : {'smart', 'full'}
        'full' quantizes every supported node; 'smart' quantizes convolutions and fully
        connected layers and the supported nodes that follow them.
    quantize_granularity : {'tensor-wise'}
        Only 'tensor-wise' is available.
    logger : logging.Logger, optional
        Receives progress messages.

    Returns
    -------
    tuple
        (quantized symbol, quantized arg_params, aux_params)
    """
    sym = _load_sym(sym, logger)
    excluded_sym_names = _check_names(excluded_sym_names, 'excluded_sym_names')
    excluded_op_names = _check_names(excluded_op_names, 'excluded_op_names')
    if logger:
        logger.info('Quantizing symbol')
    _check_options(quantized_dtype, quantize_granularity)
    qsym, calib_layer = _quantize_symbol(
        sym, ctx, excluded_symbols=excluded_sym_names, excluded_operators=excluded_op_names,
        offline_params=list(arg_params), quantized_dtype=quantized_dtype,
        quantize_mode=quantize_mode)
    th_dict = {}
    if calib_mode is not None and calib_mode != 'none':
        _check_calibration(ctx, calib_mode, calib_data)
        mod = Module(symbol=sym, data_names=data_names, label_names=label_names, context=ctx)
        labels = calib_data.provide_label if len(calib_data.provide_label) > 0 else None
        mod.bind(for_training=False, data_shapes=calib_data.provide_data,
                 label_shapes=labels)
        mod.set_params(arg_params, aux_params)
        th_dict = _thresholds(mod, calib_data, calib_mode, calib_layer, quantized_dtype,
                              num_calib_examples, logger)
        qsym = _calibrate_quantized_sym(qsym, th_dict)
    if logger:
        logger.info('Quantizing parameters')
    return qsym, _quantize_params(qsym, arg_params, th_dict), aux_params


def _check_calibration(ctx, calib_mode, calib_data):
    if not isinstance(ctx, Context):
        raise ValueError('currently only supports single ctx, while received %s' % str(ctx))
    if calib_data is None:
        raise ValueError('calib_data must be provided when calib_mode=%s' % calib_mode)
    if not isinstance(calib_data, DataIter):
        raise ValueError('calib_data must be of DataIter type when calib_mode=%s, while '
                         'received type %s' % (calib_mode, str(type(calib_data))))


def quantize_model_mkldnn(sym, arg_params, aux_params, data_names=('data',),
                          label_names=('softmax_label',), ctx=cpu(),
                          excluded_sym_names=None, excluded_op_names=None,
                          calib_mode='entropy', calib_data=None, num_calib_examples=None,
                          quantized_dtype='int8', quantize_mode='smart',
                          quantize_granularity='tensor-wise', logger=None):
    """:py:func:`quantize_model` for CPU. MXNet also fuses the graph with oneDNN subgraphs
    here; mxtorch runs the unfused quantized graph (same parameters and results up to
    rounding of the fused kernels)."""
    if not isinstance(ctx, Context) or ctx.device_type != 'cpu':
        raise ValueError('quantize_model_mkldnn only supports Intel cpu platform with '
                         'MKL-DNN Backend, got ctx=%s' % (ctx,))
    return quantize_model(sym, arg_params, aux_params, data_names=data_names,
                          label_names=label_names, ctx=ctx,
                          excluded_sym_names=excluded_sym_names,
                          excluded_op_names=excluded_op_names, calib_mode=calib_mode,
                          calib_data=calib_data, num_calib_examples=num_calib_examples,
                          quantized_dtype=quantized_dtype, quantize_mode=quantize_mode,
                          quantize_granularity=quantize_granularity, logger=logger)


def quantize_graph(sym, arg_params, aux_params, ctx=cpu(), excluded_sym_names=None,
                   excluded_op_names=None, calib_mode='entropy', quantized_dtype='int8',
                   quantize_mode='full', quantize_granularity='tensor-wise',
                   LayerOutputCollector=None, logger=None):  # noqa: N803 - MXNet's name
    """Quantize the graph only; calibration is left to the caller.

    Returns (quantized symbol, quantized arg_params, aux_params, collector), where the
    collector (None for calib_mode 'none') gathers layer outputs through
    ``collector.collect(name, NDArray)`` for :py:func:`calib_graph`; calib_mode
    'customize' uses ``LayerOutputCollector``. Other parameters as :py:func:`quantize_model`.
    """
    sym = _load_sym(sym, logger)
    excluded_sym_names = _check_names(excluded_sym_names, 'excluded_sym_names')
    if not isinstance(ctx, Context):
        raise ValueError('currently only supports single ctx, while received %s' % str(ctx))
    if logger:
        logger.info('Quantizing graph')
    _check_options(quantized_dtype, quantize_granularity)
    qsym, calib_layer = _quantize_symbol(
        sym, ctx, excluded_symbols=excluded_sym_names, excluded_operators=excluded_op_names,
        offline_params=list(arg_params), quantized_dtype=quantized_dtype,
        quantize_mode=quantize_mode)
    collector = None
    if calib_mode is not None and calib_mode != 'none':
        if calib_mode == 'entropy':
            collector = _LayerHistogramCollector(include_layer=calib_layer, logger=logger)
        elif calib_mode == 'naive':
            collector = _LayerOutputMinMaxCollector(quantized_dtype=quantized_dtype,
                                                    include_layer=calib_layer, logger=logger)
        elif calib_mode == 'customize' and LayerOutputCollector is not None:
            collector = LayerOutputCollector
        else:
            raise ValueError('unknown calibration mode %s received, expected `none`, '
                             '`naive`, `entropy` or `customize`' % (calib_mode,))
    if logger:
        logger.info('Quantizing parameters')
    return qsym, _quantize_params(qsym, arg_params, {}), aux_params, collector


def calib_graph(qsym, arg_params, aux_params, collector, calib_mode='entropy',
                quantized_dtype='int8', logger=logging):
    """Write the thresholds gathered by ``collector`` into ``qsym`` (from
    :py:func:`quantize_graph`); returns (symbol, quantized arg_params, aux_params)."""
    if calib_mode == 'entropy':
        if logger:
            logger.info('Calculating optimal thresholds for quantization')
        th_dict = _get_optimal_thresholds(collector.hist_dict, quantized_dtype,
                                          logger=logger)
    elif calib_mode in ('naive', 'customize'):
        th_dict = collector.min_max_dict
    elif calib_mode is None or calib_mode == 'none':
        raise ValueError('please set calibration mode to naive or entropy.')
    else:
        raise ValueError('unknown calibration mode %s received, expected `none`, `naive`, '
                         '`entropy` or `customize`' % (calib_mode,))
    qsym = _calibrate_quantized_sym(qsym, th_dict)
    if logger:
        logger.info('Quantizing parameters')
    return qsym, _quantize_params(qsym, arg_params, th_dict), aux_params


def _export_fp32(network, data_shapes, calib_data):
    """Trace ``network`` on zeros of ``data_shapes`` and return its (symbol, args, auxs)."""
    from ..model import load_checkpoint
    network.hybridize()
    inputs = [ndarray.zeros(_shape_of(desc)) for desc in data_shapes]
    while True:
        try:
            network(*inputs)
        except TypeError:
            if len(inputs) <= 1:
                raise
            del inputs[-1]
            if calib_data is not None:
                del calib_data.provide_data[-1]
            continue
        break
    tmpdir = tempfile.mkdtemp()
    try:
        prefix = os.path.join(tmpdir, 'tmp')
        network.export(prefix, epoch=0)
        return load_checkpoint(prefix, 0), len(inputs)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _shape_of(desc):
    return desc.shape if hasattr(desc, 'shape') else desc[1]


def _name_of(desc):
    return desc.name if hasattr(desc, 'name') else desc[0]


def _symbol_block(qsym, data_names, qarg_params, aux_params, ctx):
    from ..gluon import SymbolBlock
    from ..symbol import var
    net = SymbolBlock(qsym, [var(name) for name in data_names])
    net.collect_params().setattr('grad_req', 'null')  # int8 weights: inference only
    tmpdir = tempfile.mkdtemp()
    try:
        fname = os.path.join(tmpdir, 'net-quantized-0000.params')
        saved = {'arg:%s' % k: v.as_in_context(cpu()) for k, v in qarg_params.items()}
        saved.update({'aux:%s' % k: v.as_in_context(cpu()) for k, v in aux_params.items()})
        nd_save(fname, saved)
        net.collect_params().load(fname, cast_dtype=True, dtype_source='saved')
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    net.collect_params().reset_ctx(ctx)
    return net


def quantize_net_v2(network, quantized_dtype='auto', quantize_mode='full',
                    quantize_granularity='tensor-wise', exclude_layers=None,
                    exclude_layers_match=None, exclude_operators=None, calib_data=None,
                    data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=cpu(),
                    LayerOutputCollector=None, logger=None):  # noqa: N803 - MXNet's name
    """Quantize a Gluon HybridBlock; returns a SymbolBlock running the int8 graph.

    Parameters
    ----------
    network : HybridBlock
        The FP32 network (initialized).
    quantized_dtype : {'auto', 'int8', 'uint8'}
        Type of the quantized activations.
    quantize_mode : {'full', 'smart'}
        Which nodes to quantize (see :py:func:`quantize_model`).
    quantize_granularity : {'tensor-wise'}
        Only 'tensor-wise' is available.
    exclude_layers : list of str
        Node names to keep in FP32.
    exclude_layers_match : list of str
        Keep in FP32 every node whose name contains one of these strings.
    exclude_operators : list of str
        Operator names to keep in FP32.
    calib_data : DataIter or iterable of batches (e.g. a DataLoader)
        Calibration data; also gives the input shapes.
    data_shapes : list of DataDesc or (name, shape)
        Input shapes (needed without ``calib_data``).
    calib_mode : {'none', 'naive', 'entropy', 'customize'}
        How to find the thresholds (see :py:func:`quantize_model`).
    num_calib_examples : int, optional
        Stop calibrating after this many examples.
    ctx : Context
        Device of the calibration and of the returned block.
    LayerOutputCollector : object, optional
        Collector for calib_mode 'customize'.
    logger : logging.Logger, optional
        Receives progress messages.
    """
    if logger:
        logger.info('Export HybridBlock')
    if calib_data is not None:
        if isinstance(calib_data, DataIter):
            dshapes = calib_data.provide_data
        else:
            calib_data, dshapes = _as_data_iter(calib_data)
        data_shapes = data_shapes or dshapes
    if not data_shapes:
        raise ValueError('data_shapes required')
    (symnet, args, auxs), num_inputs = _export_fp32(network, data_shapes, calib_data)
    data_shapes = list(data_shapes)[:num_inputs]
    exclude_layers = list(exclude_layers or [])
    for pattern in exclude_layers_match or []:
        exclude_layers += [s.name for s in symnet.get_internals() if pattern in s.name]
    if logger:
        logger.info('These layers have been excluded %s', exclude_layers)
    qsym, qarg_params, aux_params, collector = quantize_graph(
        sym=symnet, arg_params=args, aux_params=auxs, ctx=ctx,
        excluded_sym_names=exclude_layers, excluded_op_names=exclude_operators,
        calib_mode=calib_mode, quantized_dtype=quantized_dtype, quantize_mode=quantize_mode,
        quantize_granularity=quantize_granularity, LayerOutputCollector=LayerOutputCollector,
        logger=logger)
    data_names = [_name_of(desc) for desc in data_shapes]
    if calib_mode is not None and calib_mode != 'none':
        _check_calibration(ctx, calib_mode, calib_data)
        mod = Module(symbol=symnet, context=ctx, data_names=data_names, label_names=None)
        mod.bind(for_training=False, data_shapes=data_shapes)
        mod.set_params(args, auxs, allow_missing=False, force_init=True)
        num = _collect_layer_statistics(mod, calib_data, collector, num_calib_examples,
                                        logger)
        if logger:
            logger.info('Collected layer output values from FP32 model using %d examples',
                        num)
        qsym, qarg_params, aux_params = calib_graph(
            qsym=qsym, arg_params=args, aux_params=auxs, collector=collector,
            calib_mode=calib_mode, quantized_dtype=quantized_dtype, logger=logger)
    return _symbol_block(qsym, data_names, qarg_params, aux_params, ctx)


def quantize_net(network, quantized_dtype='auto', quantize_mode='full', exclude_layers=None,
                 exclude_layers_match=None, exclude_operators=None, calib_data=None,
                 data_shapes=None, calib_mode='none', num_calib_examples=None, ctx=cpu(),
                 logger=None):
    """:py:func:`quantize_net_v2` with tensor-wise granularity (deprecated by MXNet)."""
    warnings.warn('WARNING: This will be deprecated after MXNet 2.0, please use '
                  'quantize_net_v2.')
    return quantize_net_v2(network=network, quantized_dtype=quantized_dtype,
                           quantize_mode=quantize_mode, quantize_granularity='tensor-wise',
                           exclude_layers=exclude_layers,
                           exclude_layers_match=exclude_layers_match,
                           exclude_operators=exclude_operators, calib_data=calib_data,
                           data_shapes=data_shapes, calib_mode=calib_mode,
                           num_calib_examples=num_calib_examples, ctx=ctx,
                           LayerOutputCollector=None, logger=logger)


# star-imports take MXNet's public globals, ``stats`` included (resolved by ``__getattr__``)
__all__ = [name for name in list(globals()) if not name.startswith("_")] + ["stats"]
