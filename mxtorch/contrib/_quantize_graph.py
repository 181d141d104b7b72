"""The int8 quantization pass over a symbol's JSON graph (used by ``contrib.quantization``).

``quantize_symbol_json`` rewrites an FP32 graph the way MXNet 1.9.1's CPU quantization pass
does: every quantizable node becomes ``quantized_<name>`` over int8 inputs, FP32 entries
feeding it get a ``_contrib_quantize_v2`` node (``<entry>_quantize``), offline parameters
become ``<param>_quantize`` / ``_min`` / ``_max`` variables, int32 results get a
``requantize_<name>`` node and quantized results read by FP32 nodes (or returned) get a
``<name>_dequantize`` node. ``calibrate_json`` writes thresholds into the quantize,
requantize and quantized BatchNorm nodes.
"""
from ..base import MXNetError
from ..ops import get_op

# op -> (quantized op, kind); kind 'must' is quantized in both modes, 'support' in smart mode
# only after a quantized node, 'full' only in full mode
_QUANTIZED = {
    'Convolution': ('_contrib_quantized_conv', 'must'),
    'FullyConnected': ('_contrib_quantized_fully_connected', 'must'),
    'Activation': ('_contrib_quantized_act', 'support'),
    'Pooling': ('_contrib_quantized_pooling', 'support'),
    'Flatten': ('_contrib_quantized_flatten', 'support'),
    'Concat': ('_contrib_quantized_concat', 'support'),
    'elemwise_add': ('_contrib_quantized_elemwise_add', 'support'),
    'elemwise_mul': ('_contrib_quantized_elemwise_mul', 'support'),
    'BatchNorm': ('_contrib_quantized_batch_norm', 'full'),
    'Embedding': ('_contrib_quantized_embedding', 'full'),
}
_REQUANTIZED = {'Convolution', 'FullyConnected', 'elemwise_add', 'elemwise_mul'}
_OFFLINE_INPUTS = {'Convolution': (1, 2), 'FullyConnected': (1, 2), 'Embedding': (1,)}
_FP32_INPUTS = {'BatchNorm': (1, 2, 3, 4), 'Embedding': (0,)}
_CALIBRATED_NODES = {'_contrib_quantized_batch_norm'}


def _canonical(op):
    try:
        return get_op(op).name
    except Exception:  # noqa: BLE001 - unknown ops are simply not quantizable
        return op


def _quantizable(node):
    """Whether MXNet's CPU backend has a quantized kernel for this node's settings."""
    op, attrs = _canonical(node['op']), node.get('attrs', {})
    if op not in _QUANTIZED:
        return False
    if op == 'Activation':
        return attrs.get('act_type') == 'relu'
    if op == 'Pooling':
        return attrs.get('pool_type', 'max') in ('max', 'avg')
    return True


# ops whose graph outputs carry names in MXNet (others are numbered: ``flat0_0_quantize``)
_NAMED_OUTPUTS = {'Convolution', 'Deconvolution', 'FullyConnected', 'Activation', 'Pooling',
                  'BatchNorm', 'Dropout', 'LeakyReLU', 'softmax', 'log_softmax', 'Concat',
                  'elemwise_add', 'SliceChannel', 'SoftmaxOutput', 'SoftmaxActivation', 'LRN',
                  'InstanceNorm', 'LayerNorm', 'GroupNorm', 'RNN', 'UpSampling'}


def _quantize_node_name(node, idx):
    """Name of the quantize node of output ``idx`` of ``node``."""
    if node['op'] == 'null':
        return node['name'] + '_quantize'
    if _canonical(node['op']) in _NAMED_OUTPUTS:
        return output_names(node)[idx] + '_quantize'
    return '%s_%d_quantize' % (node['name'], idx)


def output_names(node):
    """Entry names of a node's visible outputs ('data', 'conv0_output'...)."""
    if node['op'] == 'null':
        return [node['name']]
    op = get_op(node['op'])
    names = op.output_name_list(op.parse_attrs(node.get('attrs', {}), strict=False))
    return ['%s_%s' % (node['name'], n) for n in names]


def _mark(nodes, excluded_names, excluded_ops, mode):
    """Indices of the op nodes to quantize."""
    marked = set()
    for i, node in enumerate(nodes):
        if node['op'] == 'null' or not _quantizable(node):
            continue
        if node['name'] in excluded_names or node['op'] in excluded_ops or \
                _canonical(node['op']) in excluded_ops:
            continue
        kind = _QUANTIZED[_canonical(node['op'])][1]
        if mode == 'full' or kind == 'must':
            marked.add(i)
        elif kind == 'support' and any(src in marked for src, _, _ in node['inputs']):
            marked.add(i)
    if mode == 'smart':
        _drop_dead_ends(nodes, marked)
    return marked


def _drop_dead_ends(nodes, marked):
    """Smart mode: unmark 'support' nodes whose results only go back to FP32 (no quantized
    consumer), as a dequantize right after them would undo their work."""
    consumers = {i: [] for i in range(len(nodes))}
    for i, node in enumerate(nodes):
        for src, _, _ in node['inputs']:
            consumers[src].append(i)
    for i in reversed(range(len(nodes))):
        if i in marked and _QUANTIZED[_canonical(nodes[i]['op'])][1] == 'support' and \
                not any(c in marked for c in consumers[i]):
            marked.discard(i)


class _Rewriter:
    """Builds the quantized node list; entries are (node id, output index)."""

    def __init__(self, nodes, marked, offline, dtype):
        self.old, self.marked, self.offline, self.dtype = nodes, marked, set(offline), dtype
        self.new, self.calib_layers = [], []
        self.fp32, self.quantized, self.memo = {}, {}, {}

    def add(self, op, name, inputs, attrs=None):
        node = {'op': op, 'name': name, 'inputs': [[i, k, 0] for i, k in inputs]}
        if attrs:
            node['attrs'] = dict(attrs)
        self.new.append(node)
        return len(self.new) - 1

    def variable(self, name, copy_of=None):
        key = ('var', name)
        if key not in self.memo:
            node = dict(copy_of) if copy_of is not None else {'op': 'null', 'name': name,
                                                              'inputs': []}
            self.new.append(node)
            self.memo[key] = len(self.new) - 1
        return self.memo[key]

    def fp32_entry(self, src, idx):
        """The FP32 value of old entry (src, idx) in the new graph."""
        if (src, idx) in self.quantized:
            key = ('deq', src)
            if key not in self.memo:
                q = self.quantized[(src, idx)]
                self.memo[key] = self.add('_contrib_dequantize',
                                          self.old[src]['name'] + '_dequantize',
                                          [(q, 0), (q, 1), (q, 2)])
            return self.memo[key], 0
        if self.old[src]['op'] == 'null':
            return self.variable(self.old[src]['name'], self.old[src]), 0
        return self.fp32[(src, idx)]

    def quantized_entry(self, src, idx):
        """Node id whose outputs 0/1/2 are the int8 value and range of old entry (src, idx)."""
        if (src, idx) in self.quantized:
            return self.quantized[(src, idx)]
        key = ('q', src, idx)
        if key not in self.memo:
            entry = self.fp32_entry(src, idx)
            self.memo[key] = self.add('_contrib_quantize_v2',
                                      _quantize_node_name(self.old[src], idx), [entry],
                                      {'out_type': self.dtype})
            self.calib_layers.append(output_names(self.old[src])[idx])
        return self.memo[key]

    def copy_node(self, i):
        node = self.old[i]
        inputs = [self.fp32_entry(src, idx) for src, idx, _ in node['inputs']]
        new = dict(node, inputs=[[s, k, 0] for s, k in inputs])
        self.new.append(new)
        for k in range(len(output_names(node))):
            self.fp32[(i, k)] = (len(self.new) - 1, k)

    def quantize_node(self, i):
        node = self.old[i]
        op = _canonical(node['op'])
        offline = _OFFLINE_INPUTS.get(op, ())
        passthrough = _FP32_INPUTS.get(op, ())
        data, ranges = [], []
        for pos, (src, idx, _) in enumerate(node['inputs']):
            if pos in passthrough:
                data.append(self.fp32_entry(src, idx))
            elif pos in offline and self.old[src]['op'] == 'null' and \
                    self.old[src]['name'] in self.offline:
                base = self.old[src]['name'] + '_quantize'
                data.append((self.variable(base), 0))
                ranges.append(base)
            else:
                q = self.quantized_entry(src, idx)
                data.append((q, 0))
                ranges.append((q, 1, 2))
        range_entries = []
        for item in ranges:
            if isinstance(item, str):
                range_entries += [(self.variable(item + '_min'), 0),
                                  (self.variable(item + '_max'), 0)]
            else:
                range_entries += [(item[0], item[1]), (item[0], item[2])]
        q = self.add(_QUANTIZED[op][0], 'quantized_' + node['name'], data + range_entries,
                     node.get('attrs'))
        if op in _REQUANTIZED:
            self.calib_layers.append(output_names(node)[0])
            q = self.add('_contrib_requantize', 'requantize_' + node['name'],
                         [(q, 0), (q, 1), (q, 2)], {'out_type': self.dtype})
        elif _QUANTIZED[op][0] in _CALIBRATED_NODES:
            self.calib_layers.append(output_names(node)[0])
        self.quantized[(i, 0)] = q


def quantize_symbol_json(graph, excluded_names=(), excluded_ops=(), offline_params=(),
                         quantized_dtype='int8', quantize_mode='full'):
    """Quantize the graph dict ``graph`` (symbol JSON); return (new graph, calib layers)."""
    if quantize_mode not in ('full', 'smart'):
        raise MXNetError("quantize: quantize_mode must be 'full' or 'smart', got %r"
                         % (quantize_mode,))
    nodes = graph['nodes']
    marked = _mark(nodes, set(excluded_names), set(excluded_ops), quantize_mode)
    rw = _Rewriter(nodes, marked, offline_params, quantized_dtype)
    for i, node in enumerate(nodes):
        if node['op'] == 'null':
            continue
        if i in marked:
            rw.quantize_node(i)
        else:
            rw.copy_node(i)
    heads = [rw.fp32_entry(src, idx) for src, idx, _ in graph['heads']]
    out = {'nodes': rw.new,
           'arg_nodes': [i for i, n in enumerate(rw.new) if n['op'] == 'null'],
           'heads': [[s, k, 0] for s, k in heads],
           'attrs': graph.get('attrs', {})}
    return out, rw.calib_layers


def calibrate_json(graph, th_dict):
    """Set min/max_calib_range from ``th_dict`` (entry name -> (min, max)) on the quantize,
    requantize and calibrated quantized nodes of the quantized graph dict ``graph``."""
    nodes = graph['nodes']
    for node in nodes:
        name, op = node['name'], node['op']
        if op == '_contrib_quantize_v2':
            src, idx = node['inputs'][0][:2]
            layer = output_names(nodes[src])[idx]
        elif op == '_contrib_requantize' and name.startswith('requantize_'):
            layer = name[len('requantize_'):] + '_output'
        elif op in _CALIBRATED_NODES and name.startswith('quantized_'):
            layer = name[len('quantized_'):] + '_output'
        else:
            continue
        if layer in th_dict:
            low, high = th_dict[layer]
            attrs = node.setdefault('attrs', {})
            attrs['min_calib_range'] = '%f' % float(_scalar(low))
            attrs['max_calib_range'] = '%f' % float(_scalar(high))
    return graph


def _scalar(value):
    if hasattr(value, 'asnumpy'):
        value = value.asnumpy()
    if hasattr(value, 'reshape'):
        value = value.reshape(-1)[0]
    return value
