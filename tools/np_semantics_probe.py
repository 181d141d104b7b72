"""mx.np semantics probe (indexing and assignment, views, creation, manipulation, errors,
npx ops): prints one line per case. Run it under real MXNet 1.9.1 to refresh the fixture:

    ~/mxref/bin/python tools/np_semantics_probe.py mxnet > tests/fixtures/numpy/semantics_mxnet.txt

``tests/test_numpy_semantics.py`` runs it under mxtorch and compares line by line.
"""
import sys

if sys.argv[1:] == ["mxnet"]:
    import mxnet as mx
    from mxnet import np, npx
else:
    import mxtorch as mx
    from mxtorch import np, npx
npx.set_np()
def show(label, f):
    try:
        r = f()
        print(label, '=>', getattr(r,'dtype',''), getattr(r,'shape',''), r.tolist() if hasattr(r,'tolist') else r)
    except Exception as e: print(label, 'ERR', type(e).__name__, str(e)[:100].replace('\n',' '))
def set1():
    a = np.arange(6).reshape(2,3); a[a > 2] = 0; return a
def set2():
    a = np.arange(6).reshape(2,3); a[:, [0, 2]] = np.array([9., 8.]); return a
def set3():
    a = np.arange(6).reshape(2,3); v = a[1]; v[0] = 100; return a
def set4():
    a = np.arange(6).reshape(2,3); v = a[0:1]; v[:] = 7; return a
def set5():
    a = np.arange(6).reshape(2,3); a[1] = np.array([1., 2., 3.]); return a
def set6():
    a = np.arange(6).reshape(2,3); a[0, 1] = 3.7; return a
def set7():
    a = np.arange(6, dtype='int32').reshape(2,3); a[0] = 3.7; return a
def set8():
    a = np.arange(4); a[np.array([True, False, True, False])] = np.array([5., 6.]); return a
def set9():
    a = np.arange(6).reshape(2,3); a[...] = 1; return a
def set10():
    a = np.arange(6).reshape(2,3); a[:, 1] += 10; return a
show('bool set', set1)
show('adv set', set2)
show('view row', set3)
show('view slice', set4)
show('row assign', set5)
show('float set', set6)
show('int set trunc', set7)
show('bool set arr', set8)
show('ellipsis', set9)
show('iadd idx', set10)
a = np.arange(12).reshape(3,4)
show('neg step', lambda: a[::-1, ::2])
show('ellipsis idx', lambda: a[..., 1])
show('none idx', lambda: a[None, 1].shape)
show('adv 2', lambda: a[[0, 2], [1, 3]])
show('adv mix', lambda: a[1:, [0, 3]])
show('bool row', lambda: a[np.array([True, False, True])])
show('int64 idx', lambda: a[np.array([0, 2])])
show('0d take', lambda: a[np.array(1, dtype='int64')])
show('tuple list', lambda: a[(0, 1)])
show('out of range', lambda: a[5])
show('astype nocopy diff', lambda: a.astype('int32', copy=False).dtype)
show('copyto', lambda: a.copyto(mx.cpu()).shape)
b = np.zeros((3,4)); show('copyto arr', lambda: (a.copyto(b), b.sum())[1])
show('iter 0d', lambda: list(np.array(1.)))
show('T 1d', lambda: np.arange(3).T)
show('mean int keep', lambda: np.mean(np.arange(6,dtype='int32').reshape(2,3), axis=0, keepdims=True))
show('sum neg axis', lambda: np.sum(a, axis=-1))
show('argmax keep', lambda: np.argmax(a, axis=0))
show('dtype param int', lambda: np.zeros(2, dtype='int32') + np.ones(2, dtype='int64'))
show('float16 sum', lambda: np.sum(np.ones(3, dtype='float16')))
show('linspace int', lambda: np.linspace(0, 10, 4, dtype='int32'))
show('arange neg', lambda: np.arange(5, 0, -1.5))
show('arange stop only f', lambda: np.arange(2.5))
show('full int fill', lambda: np.full((2,), 2.7, dtype='int32'))
show('eye k neg', lambda: np.eye(3, k=-1))
show('concat 0d', lambda: np.concatenate([np.array(1.), np.array(2.)]))
show('stack 0d', lambda: np.stack([np.array(1.), np.array(2.)]))
show('split uneven', lambda: np.split(np.arange(5), 2))
show('squeeze bad', lambda: np.squeeze(np.ones((2,3)), axis=0))
show('reshape bad', lambda: np.reshape(np.ones((2,3)), (4,)))
show('expand bad', lambda: np.expand_dims(np.ones((2,3)), 5))
show('transpose bad', lambda: np.transpose(np.ones((2,3)), (0,)))
show('matmul 0d', lambda: np.matmul(np.array(1.), np.ones((2,2))))
show('dot mismatch', lambda: np.dot(np.ones((2,3)), np.ones((2,3))))
show('broadcast bad', lambda: np.ones((2,3)) + np.ones((2,2)))
show('where 1arg 2d', lambda: np.where(np.array([[0,1],[1,0]])))
show('clip none', lambda: np.clip(np.arange(3), None, 1))
show('tile 0d', lambda: np.tile(np.array(2.), (2,2)))
show('repeat axis', lambda: np.repeat(np.arange(4).reshape(2,2), 2, axis=0))
show('roll multi', lambda: np.roll(np.arange(6).reshape(2,3), (1,1), axis=(0,1)))
show('flip tuple', lambda: np.flip(np.arange(6).reshape(2,3), (0,1)))
show('unique axis', lambda: np.unique(np.array([[1,2],[1,2],[3,4]]), axis=0))
show('sort desc', lambda: np.sort(np.array([[3,1],[2,5]]), axis=None))
show('argsort none', lambda: np.argsort(np.array([[3,1],[2,5]]), axis=None))
show('percentile keep', lambda: np.percentile(np.arange(6.).reshape(2,3), 50, axis=1, keepdims=True))
show('quantile', lambda: np.quantile(np.arange(6.), 0.3))
show('std axis ddof', lambda: np.std(np.arange(6.).reshape(2,3), axis=0, ddof=1))
show('norm ord inf', lambda: np.linalg.norm(np.arange(6.).reshape(2,3), ord=np.inf))
show('norm ord 2 vec', lambda: np.linalg.norm(np.arange(3.), ord=2, keepdims=True))
show('einsum trace', lambda: np.einsum('ii->i', np.arange(4.).reshape(2,2)))
show('tensordot int0', lambda: np.tensordot(np.ones(2), np.ones(3), axes=0))
show('histogram edges arr', lambda: np.histogram(np.arange(5.), bins=np.array([0., 2., 5.])))
show('bincount', lambda: np.bincount(np.array([0,1,1,3], dtype='int64')))
show('diff n2', lambda: np.diff(np.array([1.,4,9,16]), n=2))
show('ediff1d', lambda: np.ediff1d(np.array([1.,4,9])))
show('logspace', lambda: np.logspace(0, 2, 3))
show('meshgrid', lambda: [m.shape for m in np.meshgrid(np.arange(2), np.arange(3))])
show('tril k', lambda: np.tril(np.ones((3,3)), -1))
show('triu', lambda: np.triu(np.ones((3,3))))
show('trace', lambda: np.trace(np.arange(9.).reshape(3,3)))
show('nonzero 2d', lambda: np.nonzero(np.array([[0,1],[2,0]])))
show('count_nonzero', lambda: np.count_nonzero(np.array([[0,1],[2,0]])))
show('isclose', lambda: np.isclose(np.array([1., 2.]), np.array([1., 2.1])))
show('allclose', lambda: np.allclose(np.array([1., 2.]), np.array([1., 2.])))
show('array_equal', lambda: np.array_equal(np.array([1., 2.]), np.array([1., 2.])))
show('nan_to_num', lambda: np.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.])))
show('atleast_3d', lambda: np.atleast_3d(np.arange(3.)).shape)
show('moveaxis', lambda: np.moveaxis(np.ones((2,3,4)), [0,1], [-1,-2]).shape)
show('rollaxis', lambda: np.rollaxis(np.ones((2,3,4)), 2).shape)
show('pad const val', lambda: np.pad(np.ones((2,)), ((1,2),), constant_values=5))
show('pad width int', lambda: np.pad(np.ones((2,2)), 1).shape)
show('hsplit', lambda: [x.shape for x in np.hsplit(np.ones((2,4)), 2)])
show('take axis', lambda: np.take(np.arange(6.).reshape(2,3), np.array([0,2]), axis=1))
show('take clip', lambda: np.take(np.arange(3.), np.array([5, -5]), mode='clip'))
show('take wrap', lambda: np.take(np.arange(3.), np.array([5, -5]), mode='wrap'))
show('around neg', lambda: np.around(np.array([123.456, 7.5]), -1))
show('abs int', lambda: np.abs(np.array([-1, 2], dtype='int8')))
show('sign f', lambda: np.sign(np.array([-2., 0., 3.])))
show('mod neg', lambda: np.mod(np.array([-3., 3.]), 2))
show('mod int neg', lambda: np.mod(np.array([-3, 3], dtype='int32'), 2))
show('power neg int', lambda: np.power(np.array([2, 3], dtype='int32'), 2))
show('floor_divide', lambda: np.array([5., -5.]) // 2)
show('bitwise', lambda: np.bitwise_and(np.array([5, 3], dtype='int32'), np.array([1, 1], dtype='int32')))
show('logical_not f', lambda: np.logical_not(np.array([0., 2.])))
show('maximum scalar', lambda: np.maximum(np.array([1., 5.]), 3))
show('lcm', lambda: np.lcm(np.array([4, 6], dtype='int32'), np.array([6, 4], dtype='int32')))
show('ldexp', lambda: np.ldexp(np.array([1., 2.]), np.array([2., 3.])))
show('copysign', lambda: np.copysign(np.array([1., -2.]), -1))
show('random size 0', lambda: np.random.uniform(size=(0,3)).shape)
show('randint f dtype', lambda: np.random.randint(5, size=2, dtype='int32').dtype)
show('normal arr', lambda: np.random.normal(np.zeros(3), 1).shape)
show('choice arr', lambda: np.random.choice(np.arange(5.), 2).dtype)
show('shuffle', lambda: (lambda x: (np.random.shuffle(x), x.shape)[1])(np.arange(5.)))
show('gamma', lambda: np.random.gamma(2.0, size=3).shape)
show('npx.one_hot dtype', lambda: npx.one_hot(np.array([0,1]), 3).dtype)
show('npx.pick 1d', lambda: npx.pick(np.array([1.,2,3]), np.array(1.), axis=0))
show('npx.topk idx dtype', lambda: npx.topk(np.array([1.,3,2]), k=2).dtype)
show('npx.batch_norm', lambda: npx.batch_norm(np.ones((2,3)), np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)).shape)
show('npx.dropout', lambda: npx.dropout(np.ones((2,3)), p=0.5).shape)
show('npx.embedding', lambda: npx.embedding(np.array([0,1]), np.ones((3,2)), input_dim=3, output_dim=2).shape)
show('npx.sequence_mask', lambda: npx.sequence_mask(np.ones((3,2)), np.array([1., 2.]), use_sequence_length=True, value=-1))
show('npx.shape_array 0d', lambda: npx.shape_array(np.array(1.)))
show('npx.arange_like', lambda: npx.arange_like(np.ones((2,3))))
show('npx.softmax len', lambda: npx.softmax(np.ones((2,3)), np.array([1, 2], dtype='int32'), use_length=True))
show('npx.masked_softmax', lambda: npx.masked_softmax(np.ones((2,3)), np.array([[1,0,1],[1,1,0]], dtype='bool')) if hasattr(npx,'masked_softmax') else 'absent')
