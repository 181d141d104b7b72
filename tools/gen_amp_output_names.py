"""Write ``mxtorch/contrib/amp/_output_names.py``: how MXNet 1.9.1's AMP graph pass names the
cast nodes it puts after an operator's outputs. An operator that registers output names gives
``<node>_<name>_amp_cast_<dtype>`` (``fc1_output_amp_cast_float32``); the others give
``<node>_<index>_amp_cast_<dtype>`` (``relu0_0_amp_cast_float16``). The names are read off
the real MXNet: every registered operator that can be built from variables alone (plus a
table of attribute sets for the ones with required attributes) is fed into a FullyConnected,
converted with ``amp.convert_symbol`` and the cast's name recorded.

Run with the oracle interpreter from the repository root (takes a few minutes; some
operators crash MXNet when built this way, so the probe runs in restarted child processes)::

    ~/mxref/bin/python tools/gen_amp_output_names.py
"""
import json
import logging
import os
import subprocess
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "mxtorch", "contrib", "amp", "_output_names.py")


def builders(mx):
    """Attribute sets for operators that cannot be built from variables alone."""
    v = mx.sym.var
    s = mx.sym
    return {
        'Activation': lambda: s.Activation(v('a'), act_type='relu', name='nd'),
        'Cast': lambda: s.Cast(v('a'), dtype='float32', name='nd'),
        'Concat': lambda: s.Concat(v('a'), v('b'), name='nd'),
        'Convolution_v1': lambda: s.Convolution_v1(v('a'), kernel=(1, 1), num_filter=2,
                                                   name='nd'),
        'Crop': lambda: s.Crop(v('a'), num_args=1, h_w=(1, 1), name='nd'),
        'ElementWiseSum': lambda: s.ElementWiseSum(v('a'), v('b'), name='nd'),
        'Embedding': lambda: s.Embedding(v('a'), input_dim=3, output_dim=2, name='nd'),
        'GridGenerator': lambda: s.GridGenerator(v('a'), transform_type='affine',
                                                 target_shape=(2, 2), name='nd'),
        'LRN': lambda: s.LRN(v('a'), nsize=3, name='nd'),
        'Pad': lambda: s.Pad(v('a'), mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1),
                             name='nd'),
        'Pooling': lambda: s.Pooling(v('a'), kernel=(1, 1), pool_type='max', name='nd'),
        'Pooling_v1': lambda: s.Pooling_v1(v('a'), kernel=(1, 1), name='nd'),
        'ROIPooling': lambda: s.ROIPooling(v('a'), v('r'), pooled_size=(1, 1),
                                           spatial_scale=1.0, name='nd'),
        'SliceChannel': lambda: s.SliceChannel(v('a'), num_outputs=2, name='nd'),
        'SpatialTransformer': lambda: s.SpatialTransformer(
            v('a'), v('l'), target_shape=(2, 2), transform_type='affine',
            sampler_type='bilinear', name='nd'),
        'UpSampling': lambda: s.UpSampling(v('a'), scale=2, sample_type='nearest', num_args=1,
                                           name='nd'),
        'LeakyReLU': lambda: s.LeakyReLU(v('a'), act_type='rrelu', name='nd'),
        '_contrib_BilinearResize2D': lambda: s.contrib.BilinearResize2D(v('a'), height=2,
                                                                        width=2, name='nd'),
        '_contrib_ROIAlign': lambda: s.contrib.ROIAlign(v('a'), v('r'), pooled_size=(1, 1),
                                                        spatial_scale=1.0, name='nd'),
        '_contrib_PSROIPooling': lambda: s.contrib.PSROIPooling(
            v('a'), v('r'), spatial_scale=1.0, output_dim=2, pooled_size=1, name='nd'),
        'topk': lambda: s.topk(v('a'), ret_typ='both', name='nd'),
        'one_hot': lambda: s.one_hot(v('a'), depth=3, name='nd'),
        'reshape': lambda: s.reshape(v('a'), shape=(-1,), name='nd'),
        'slice': lambda: s.slice(v('a'), begin=(0,), end=(1,), name='nd'),
        'slice_axis': lambda: s.slice_axis(v('a'), axis=0, begin=0, end=1, name='nd'),
        'tile': lambda: s.tile(v('a'), reps=(2,), name='nd'),
        'repeat': lambda: s.repeat(v('a'), repeats=2, name='nd'),
        'broadcast_to': lambda: s.broadcast_to(v('a'), shape=(2, 2), name='nd'),
        'expand_dims': lambda: s.expand_dims(v('a'), axis=0, name='nd'),
        'clip': lambda: s.clip(v('a'), a_min=0, a_max=1, name='nd'),
        'stack': lambda: s.stack(v('a'), v('b'), name='nd'),
        'Convolution': lambda: s.Convolution(v('a'), kernel=(1, 1), num_filter=2, name='nd'),
        'Deconvolution': lambda: s.Deconvolution(v('a'), kernel=(1, 1), num_filter=2, name='nd'),
        'FullyConnected': lambda: s.FullyConnected(v('a'), num_hidden=2, name='nd'),
        'RNN': lambda: s.RNN(v('a'), mode='lstm', state_size=2, num_layers=1,
                             state_outputs=True, name='nd'),
        'amp_cast': lambda: s.amp_cast(v('a'), dtype='float32', name='nd'),
        'amp_multicast': lambda: s.amp_multicast(v('a'), v('b'), num_outputs=2, name='nd'),
    }


def cast_suffix(amp, net, dtype):
    """The suffix of the one cast after node 'nd' in the converted `net`, or None."""
    net = amp.convert_symbol(net, target_dtype='float16')
    tail = '_amp_cast_' + dtype
    casts = [n['name'] for n in json.loads(net.tojson(remove_amp_cast=False))['nodes']
             if n['op'] == 'amp_cast' and n['name'].startswith('nd_') and n['name'].endswith(tail)]
    return casts[0][3:-len(tail)] if len(casts) == 1 else None


def probe(state_file):
    """Child process: probe the operators not yet in `state_file`, saving after each."""
    import ctypes
    import mxnet as mx
    from mxnet.base import _LIB, mx_uint, py_str
    from mxnet.contrib import amp
    from mxnet.symbol import _internal
    warnings.simplefilter('ignore')
    logging.disable(logging.CRITICAL)
    plist, size = ctypes.POINTER(ctypes.c_char_p)(), mx_uint()
    _LIB.MXListAllOpNames(ctypes.byref(size), ctypes.byref(plist))
    names = sorted(py_str(plist[i]) for i in range(size.value))
    state = json.load(open(state_file))
    made = builders(mx)

    def build(name):
        if name in made:
            return made[name]()
        func = getattr(mx.sym.op, name, None) or getattr(_internal, name, None)
        for pre, mod in (('_contrib_', mx.sym.contrib), ('_linalg_', mx.sym.linalg),
                         ('_random_', mx.sym.random), ('_image_', mx.sym.image)):
            if func is None and name.startswith(pre):
                func = getattr(mod, name[len(pre):], None)
        return func(name='nd')

    for name in names:
        if name in state or name.startswith(('_backward', '_sg_')):
            continue
        state[name] = None           # a crash leaves this mark
        json.dump(state, open(state_file, 'w'))
        try:
            sym = build(name)
            found = []
            for i in range(len(sym.list_outputs())):
                # a float16 consumer casts float32 outputs, a float32 one float16 outputs
                found.append(cast_suffix(amp, mx.sym.FullyConnected(sym[i], num_hidden=2,
                                                                    name='z'), 'float16')
                             or cast_suffix(amp, mx.sym.exp(sym[i], name='z'), 'float32'))
            state[name] = found
        except Exception:  # pylint: disable=broad-except
            state[name] = None
    json.dump(state, open(state_file, 'w'))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        state_file = os.path.join(tmp, 'state.json')
        json.dump({}, open(state_file, 'w'))
        for _ in range(50):
            done = subprocess.run([sys.executable, __file__, '--child', state_file]).returncode
            if done == 0:
                break
        state = json.load(open(state_file))
    named, indexed = {}, []
    for op, outs in sorted(state.items()):
        if not outs or None in outs:
            continue
        if outs == [str(i) for i in range(len(outs))]:
            indexed.append(op)
        else:
            named[op] = tuple(outs)
    lines = ['"""How MXNet 1.9.1\'s AMP pass names casts after operator outputs (generated by',
             'tools/gen_amp_output_names.py; do not edit).',
             '',
             'NAMED: operator -> its registered output names (cast ``<node>_<name>_amp_cast_<t>``);',
             'INDEXED: operators without registered names (cast ``<node>_<index>_amp_cast_<t>``).',
             '"""', '',
             'NAMED = {']
    lines += ['    %r: %r,' % (op, names) for op, names in named.items()]
    lines += ['}', '', 'INDEXED = frozenset([']
    lines += ['    %r,' % op for op in indexed]
    lines += ['])', '']
    with open(OUT, 'w') as f:
        f.write('\n'.join(lines))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--child':
        probe(sys.argv[2])
    else:
        main()
