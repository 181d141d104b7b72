"""Cases for driver.py (GluonNLP 0.10.0, MXNet 1.9.1 vs mxtorch).  Not run by CI.

Each case takes the driver's Env and returns a dict of numpy arrays / python values
that must be identical (within tolerance) on both backends.
"""
import collections
import os
import re

import numpy as np

CASES = collections.OrderedDict()


def case(tol=(1e-4, 1e-5)):
    def deco(fn):
        fn.tol = tol
        CASES[fn.__name__] = fn
        return fn
    return deco


def ints(shape, high, seed=1):
    return np.random.RandomState(seed).randint(0, high, shape).astype('float32')


def floats(shape, seed=2):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype('float32')


def small_vocab(nlp, n=40, bert=False):
    words = ['w%d' % i for i in range(n)]
    counter = nlp.data.count_tokens(words)
    if bert:
        return nlp.vocab.BERTVocab(counter)
    return nlp.Vocab(counter)


# ---------------------------------------------------------------- models
def _bert_inputs(mx, vocab_size, batch=2, seq=7):
    tok = mx.nd.array(ints((batch, seq), vocab_size))
    types = mx.nd.array(ints((batch, seq), 2, seed=3))
    vlen = mx.nd.array([seq, seq - 3])
    return tok, types, vlen


@case()
def bert_model_small(env):
    mx, nlp = env.mx, env.nlp
    enc = nlp.model.BERTEncoder(num_layers=2, units=16, hidden_size=32, max_length=20,
                                num_heads=4, dropout=0.0, output_all_encodings=True)
    net = nlp.model.BERTModel(enc, vocab_size=30, token_type_vocab_size=2, units=16,
                              embed_size=16, use_pooler=True, use_decoder=True,
                              use_classifier=True)
    tok, types, vlen = _bert_inputs(mx, 30)
    mpos = mx.nd.array([[1, 2], [0, 3]])
    env.share(net, 'bert_small', tok, types, vlen, mpos)
    return env.run_fwd(net, 'bert_small', tok, types, vlen, mpos)


@case(tol=(1e-3, 1e-4))
def bert_12_768_12(env):
    mx, nlp = env.mx, env.nlp
    vocab = small_vocab(nlp, bert=True)
    net, _ = nlp.model.get_model('bert_12_768_12', dataset_name=None, vocab=vocab,
                                 pretrained=False, use_decoder=True, use_classifier=True)
    tok, types, vlen = _bert_inputs(mx, len(vocab), seq=5)
    mpos = mx.nd.array([[1], [2]])
    env.share(net, 'bert_base', tok, types, vlen, mpos)
    return env.run_fwd(net, 'bert_base', tok, types, vlen, mpos, export=False)


@case(tol=(1e-3, 1e-4))
def roberta_12_768_12(env):
    mx, nlp = env.mx, env.nlp
    vocab = small_vocab(nlp)
    net, _ = nlp.model.get_model('roberta_12_768_12', dataset_name=None, vocab=vocab,
                                 pretrained=False, use_decoder=True)
    tok, _, vlen = _bert_inputs(mx, len(vocab), seq=5)
    mpos = mx.nd.array([[1], [2]])
    env.share(net, 'roberta', tok, vlen, mpos)
    return env.run_fwd(net, 'roberta', tok, vlen, mpos, export=False)


@case(tol=(1e-3, 1e-4))
def distilbert_6_768_12(env):
    mx, nlp = env.mx, env.nlp
    vocab = small_vocab(nlp, bert=True)
    net, _ = nlp.model.get_model('distilbert_6_768_12', dataset_name=None, vocab=vocab,
                                 pretrained=False)
    tok, _, vlen = _bert_inputs(mx, len(vocab), seq=5)
    env.share(net, 'distilbert', tok, vlen)
    return env.run_fwd(net, 'distilbert', tok, vlen, export=False)


@case()
def bert_classifier(env):
    mx, nlp = env.mx, env.nlp
    enc = nlp.model.BERTEncoder(num_layers=1, units=8, hidden_size=16, max_length=10,
                                num_heads=2, dropout=0.0)
    bert = nlp.model.BERTModel(enc, vocab_size=20, token_type_vocab_size=2, units=8,
                               embed_size=8, use_decoder=False, use_classifier=False)
    net = nlp.model.BERTClassifier(bert, num_classes=3, dropout=0.0)
    tok, types, vlen = _bert_inputs(mx, 20)
    env.share(net, 'bert_cls', tok, types, vlen)
    return env.run_fwd(net, 'bert_cls', tok, types, vlen)


@case()
def transformer_en_de_512(env):
    mx, nlp = env.mx, env.nlp
    src, tgt = small_vocab(nlp, 30), small_vocab(nlp, 25)
    # get_model('transformer_en_de_512') needs a hosted vocabulary (download): build the
    # same NMTModel from the pieces it uses, with small sizes.
    enc, dec, one = nlp.model.transformer.get_transformer_encoder_decoder(
        num_layers=1, units=16, hidden_size=32, num_heads=2, dropout=0.0,
        max_src_length=30, max_tgt_length=30, scaled=True)
    net = nlp.model.translation.NMTModel(src_vocab=src, tgt_vocab=tgt, encoder=enc,
                                         decoder=dec, one_step_ahead_decoder=one,
                                         share_embed=False, embed_size=16, tie_weights=True,
                                         prefix='transformer_')
    s = mx.nd.array(ints((2, 6), len(src)))
    t = mx.nd.array(ints((2, 5), len(tgt), seed=4))
    sl, tl = mx.nd.array([6, 4]), mx.nd.array([5, 3])
    env.share(net, 'transformer', s, t, sl, tl)
    out = {'fwd': flat(net(s, t, sl, tl))}
    net.hybridize()
    out['hyb'] = flat(net(s, t, sl, tl))
    return out


def flat(x):
    if isinstance(x, (list, tuple)):
        return [y for v in x for y in flat(v)]
    return [x.asnumpy()] if hasattr(x, 'asnumpy') else [x]


def _lm(env, name, key, **kw):
    mx, nlp = env.mx, env.nlp
    vocab = small_vocab(nlp, 30)
    net, _ = nlp.model.get_model(name, vocab=vocab, pretrained=False, **kw)
    x = mx.nd.array(ints((5, 2), len(vocab)))
    state = net.begin_state(batch_size=2, func=mx.nd.zeros)
    env.share(net, key, x, state)
    state = net.begin_state(batch_size=2, func=mx.nd.zeros)
    out = {'imp': flat(net(x, state))}
    net.hybridize()
    out['hyb'] = flat(net(x, state))
    return out


@case()
def standard_lstm_lm_200(env):
    return _lm(env, 'standard_lstm_lm_200', 'std_lm', dropout=0.0)


@case()
def awd_lstm_lm_600(env):
    return _lm(env, 'awd_lstm_lm_600', 'awd_lm', dropout=0.0, weight_drop=0.0,
               drop_h=0.0, drop_i=0.0, drop_e=0.0)


@case(tol=(1e-3, 1e-5))
def big_rnn_lm(env):
    mx, nlp = env.mx, env.nlp
    vocab = small_vocab(nlp, 30)
    net, _ = nlp.model.get_model('big_rnn_lm_2048_512', vocab=vocab, pretrained=False)
    x = mx.nd.array(ints((3, 2), len(vocab)))
    state = net.begin_state(batch_size=2, func=mx.nd.zeros)
    env.share(net, 'big_lm', x, state)
    state = net.begin_state(batch_size=2, func=mx.nd.zeros)
    return {'imp': flat(net(x, state))}


@case()
def attention_cells(env):
    mx, nlp = env.mx, env.nlp
    q, k, v = (mx.nd.array(floats((2, 3, 8), s)) for s in (1, 2, 3))
    mask = mx.nd.array(ints((2, 3, 3), 2, seed=5) * 0 + np.array([1, 1, 0]))
    out = {}
    cells = {
        'mlp': nlp.model.MLPAttentionCell(units=6),
        'mlp_norm': nlp.model.MLPAttentionCell(units=6, normalized=True),
        'dot': nlp.model.DotProductAttentionCell(),
        'dot_luong': nlp.model.DotProductAttentionCell(units=8, luong_style=True),
        'dot_norm': nlp.model.DotProductAttentionCell(units=6, normalized=True),
        'multihead': nlp.model.MultiHeadAttentionCell(
            nlp.model.DotProductAttentionCell(scaled=True), 8, 8, 8, 2),
    }
    for name, cell in cells.items():
        env.share(cell, 'att_' + name, q, k, v, mask)
        out[name] = env.run_fwd(cell, 'att_' + name, q, k, v, mask)
    return out


@case()
def transformer_encoder_decoder(env):
    mx, nlp = env.mx, env.nlp
    enc, dec, one = nlp.model.transformer.get_transformer_encoder_decoder(
        num_layers=2, units=8, hidden_size=16, num_heads=2, dropout=0.0,
        max_src_length=20, max_tgt_length=20)
    x = mx.nd.array(floats((2, 5, 8)))
    y = mx.nd.array(floats((2, 4, 8), 3))
    vl = mx.nd.array([5, 3])
    for b, key in ((enc, 'tenc'), (dec, 'tdec'), (one, 'tone')):
        b.initialize()
    env.share(enc, 'tenc', x, None, vl)
    mem, _ = enc(x, None, vl)
    states = dec.init_state_from_encoder(mem, vl)
    env.share(dec, 'tdec', y, states, mx.nd.array([4, 2]))
    out = {'enc': flat(enc(x, None, vl))}
    states = dec.init_state_from_encoder(mem, vl)
    out['dec'] = flat(dec(y, states, mx.nd.array([4, 2])))
    enc.hybridize()
    out['enc_h'] = flat(enc(x, None, vl))
    return out


@case()
def highway_conv_encoder(env):
    mx, nlp = env.mx, env.nlp
    hw = nlp.model.Highway(input_size=6, num_layers=2)
    x = mx.nd.array(floats((3, 6)))
    env.share(hw, 'highway', x)
    out = {'highway': env.run_fwd(hw, 'highway', x)}
    ce = nlp.model.ConvolutionalEncoder(embed_size=6, num_filters=(3, 4), ngram_filter_sizes=(1, 2),
                                        num_highway=1, output_size=5)
    seq = mx.nd.array(floats((7, 2, 6), 4))
    mask = mx.nd.array(np.array([[1, 1], [1, 1], [1, 1], [1, 0], [1, 0], [0, 0], [0, 0]],
                                'float32'))
    env.share(ce, 'convenc', seq, mask)
    out['convenc'] = env.run_fwd(ce, 'convenc', seq, mask)
    return out


@case()
def elmo_small(env):
    mx, nlp = env.mx, env.nlp
    net = nlp.model.ELMoBiLM(rnn_type='lstmpc', output_size=8, filters=[[1, 4], [2, 4]],
                             char_embed_size=4, char_vocab_size=262, num_highway=1,
                             conv_layer_activation='relu', max_chars_per_token=6,
                             input_size=8, hidden_size=10, proj_size=8, num_layers=2,
                             cell_clip=3, proj_clip=3)
    x = mx.nd.array(ints((2, 5, 6), 262))
    st = net.begin_state(mx.nd.zeros, batch_size=2)
    mask = mx.nd.array(np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], 'float32'))
    env.share(net, 'elmo', x, st)
    out = {'imp': flat(net(x, st, mask)), 'imp_nomask': flat(net(x, st))}
    net.hybridize()
    out['hyb'] = flat(net(x, st))
    try:  # Symbol `*` does not broadcast: MXNet fails here
        out['hyb_mask'] = flat(net(x, st, mask))
    except Exception as exc:  # pylint: disable=broad-except
        out['hyb_mask'] = type(exc).__name__
    return out


def _toy_decoder(env):
    """Embedding -> GRUCell -> Dense log-softmax; states are [(batch, hidden)]."""
    mx = env.mx

    class Dec(mx.gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.emb = mx.gluon.nn.Embedding(12, 6)
                self.cell = mx.gluon.rnn.GRUCell(6, input_size=6)
                self.out = mx.gluon.nn.Dense(12, in_units=6)

        def hybrid_forward(self, F, x, h):
            o, h = self.cell(self.emb(x), [h])
            return F.log_softmax(self.out(o)), h[0]

    net = Dec()
    h0 = mx.nd.zeros((2, 6))
    env.share(net, 'samp_dec', mx.nd.array([2, 3]), h0)
    return net, (lambda x, states: net(x, states))


@case()
def samplers(env):
    mx, nlp = env.mx, env.nlp
    net, dec = _toy_decoder(env)
    scorer = nlp.model.BeamSearchScorer(alpha=0.5, K=5.0)
    bs = nlp.model.BeamSearchSampler(beam_size=3, decoder=dec, eos_id=1, scorer=scorer,
                                     max_length=6)
    start = mx.nd.array([2, 3])
    samples, scores, lens = bs(start, mx.nd.zeros((2, 6)))
    out = {'beam': [samples.asnumpy(), scores.asnumpy(), lens.asnumpy()]}
    sc = [scorer(mx.nd.array(floats((2, 3, 12))),
                  mx.nd.array([[-1.0, -2.0, -3.0], [-1.5, -2.5, -3.5]]),
                  mx.nd.array([st])) for st in (1.0, 3.0)]
    out['scorer'] = flat(sc)
    # HybridBeamSearchSampler is left out: with this decoder MXNet 1.9.1 itself fails type
    # inference inside its while_loop (int32 valid_length vs float32), mxtorch runs it.
    return out


@case()
def sequence_sampler(env):
    """SequenceSampler draws from the RNG: only shapes/dtypes/ranges are compared."""
    mx, nlp = env.mx, env.nlp
    _, dec = _toy_decoder(env)
    sampler = nlp.model.SequenceSampler(beam_size=4, decoder=dec, eos_id=1,
                                        max_length=5, temperature=0.8, top_k=3)
    samples, scores, lens = sampler(mx.nd.array([2, 3]), mx.nd.zeros((2, 6)))
    s = samples.asnumpy()
    return {'shape': samples.shape[:2], 'dtype': str(s.dtype), 'sdtype': str(scores.dtype),
            'first': s[:, :, 0], 'range': bool(((s >= 0) & (s < 12)).all()),
            'lens_ok': bool((lens.asnumpy() <= 5).all())}


# ---------------------------------------------------------------- losses
@case()
def losses(env):
    mx, nlp = env.mx, env.nlp
    pred = mx.nd.array(floats((2, 4, 5)))
    label = mx.nd.array(ints((2, 4), 5))
    vlen = mx.nd.array([4, 2])
    out = {}
    loss = nlp.loss.MaskedSoftmaxCELoss()
    out['masked'] = loss(pred, label, vlen).asnumpy()
    loss.hybridize()
    out['masked_h'] = loss(pred, label, vlen).asnumpy()
    ls = nlp.loss.LabelSmoothing(epsilon=0.1, units=5)
    out['smooth'] = ls(mx.nd.array([1, 3, 0])).asnumpy()
    ls.hybridize()
    out['smooth_h'] = ls(mx.nd.array([1, 3, 0])).asnumpy()
    ar = nlp.loss.ActivationRegularizationLoss(alpha=2.0)
    tar = nlp.loss.TemporalActivationRegularizationLoss(beta=1.0)
    states = [mx.nd.array(floats((3, 2, 4), s)) for s in (6, 7)]
    out['ar'] = ar(*states).asnumpy()
    out['tar'] = tar(*states).asnumpy()
    # gradients of the masked loss
    p = pred.copy()
    p.attach_grad()
    with mx.autograd.record():
        l = loss(p, label, vlen)
    l.backward()
    out['grad'] = p.grad.asnumpy()
    return out


# ---------------------------------------------------------------- data
@case()
def vocab_and_counter(env):
    nlp = env.nlp
    text = 'the cat sat on the mat . The cat ran'
    counter = nlp.data.count_tokens(text.split(), to_lower=True)
    v = nlp.Vocab(counter, max_size=5, min_freq=1, unknown_token='<unk>',
                  reserved_tokens=['<sep>'])
    v2 = nlp.Vocab(counter, padding_token=None, bos_token=None, eos_token=None)
    return {'counter': sorted(counter.items()), 'itos': v.idx_to_token,
            'lookup': v[['cat', 'dog', 'the']], 'back': v.to_tokens([0, 1, 2]),
            'len': len(v), 'itos2': v2.idx_to_token, 'json': v.to_json()}


@case()
def bert_tokenizer(env):
    nlp = env.nlp
    words = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', 'un',
             '##aff', '##able', 'runn', '##ing', ',', '!', 'the', 'is']
    counter = nlp.data.count_tokens(words)
    vocab = nlp.vocab.BERTVocab(counter, token_to_idx={w: i for i, w in enumerate(words)})
    tok = nlp.data.BERTTokenizer(vocab, lower=True)
    text = 'Hello, World! unaffable running is the xyz'
    trans = nlp.data.BERTSentenceTransform(tok, max_seq_length=12, pair=True)
    ids, vlen, seg = trans((text, 'hello world'))
    basic = nlp.data.BERTBasicTokenizer(lower=False)
    return {'tokens': tok(text), 'ids': vocab[tok(text)], 'basic': basic('Héllo,  wörld!'),
            'trans': [ids, vlen, seg]}


@case()
def batchify(env):
    mx, nlp = env.mx, env.nlp
    bf = nlp.data.batchify
    data = [([1, 2, 3], 0.5, np.array([1.0, 2.0], 'float32')),
            ([4, 5], 1.5, np.array([3.0, 4.0], 'float32'))]
    fn = bf.Tuple(bf.Pad(pad_val=-1, ret_length=True), bf.Stack('float32'), bf.Stack())
    (padded, lens), st, arr = fn(data)
    out = {'pad': padded.asnumpy(), 'lens': lens.asnumpy(), 'stack': st.asnumpy(),
           'arr': arr.asnumpy(), 'types': [type(padded).__name__, str(padded.dtype)]}
    d = bf.Dict({'a': bf.Pad(axis=0, pad_val=0, round_to=4), 'b': bf.List()})
    r = d([{'a': [1, 2], 'b': 'x'}, {'a': [3], 'b': 'y'}])
    out['dict'] = [r['a'].asnumpy(), r['b']]
    pad2 = bf.Pad(axis=1, pad_val=0, dtype='int32')
    out['pad_axis1'] = pad2([mx.nd.ones((2, 3)), mx.nd.ones((2, 1))]).asnumpy()
    nt = collections.namedtuple('NT', ['x', 'y'])
    ntf = bf.NamedTuple(nt, {'x': bf.Stack(), 'y': bf.Pad()})
    r2 = ntf([nt(1, [1, 2]), nt(2, [3])])
    out['named'] = [r2.x.asnumpy(), r2.y.asnumpy()]
    return out


@case()
def samplers_data(env):
    nlp = env.nlp
    lengths = [3, 9, 12, 4, 7, 20, 1, 15, 8, 11, 2, 6]
    fb = nlp.data.FixedBucketSampler(lengths, batch_size=3, num_buckets=3, shuffle=False)
    sb = nlp.data.SortedBucketSampler(lengths, batch_size=4, shuffle=False)
    ss = nlp.data.SortedSampler(lengths)
    lw = nlp.data.FixedBucketSampler(lengths, batch_size=2, num_buckets=4, shuffle=False,
                                     bucket_scheme=nlp.data.ExpWidthBucket(bucket_len_step=1.5))
    return {'fixed': list(fb), 'sorted_bucket': list(sb), 'sorted': list(ss),
            'exp': list(lw), 'len': len(fb),
            # numpy 2 prints np.int32(8) where numpy 1 printed 8 (not mxtorch's doing)
            'stats': re.sub(r'np\.\w+\(([^)]*)\)', r'\1', fb.stats())}


@case()
def data_transforms(env):
    mx, nlp = env.mx, env.nlp
    clip = nlp.data.ClipSequence(3)
    pad = nlp.data.PadSequence(5, pad_val=0)
    sp = nlp.data.SpacyTokenizer if False else None
    out = {'clip': clip([1, 2, 3, 4]), 'pad': pad([1, 2]),
           'nd_clip': clip(mx.nd.arange(5)).asnumpy(),
           'split': nlp.data.utils.slice_sequence(list(range(7)), 3, pad_last=True, pad_val=-1,
                                                   overlap=1)}
    ds = mx.gluon.data.SimpleDataset([[1, 2, 3], [4, 5]])
    out['ds'] = list(ds.transform(pad))
    corpus = nlp.data.batchify.CorpusBatchify(nlp.Vocab(nlp.data.count_tokens('a b c a b'.split())), 2)
    out['corpus'] = [x.asnumpy() for x in corpus(['a', 'b', 'c', 'a', 'b', 'c', 'a'])]
    return out


@case()
def token_embedding(env):
    mx, nlp = env.mx, env.nlp
    path = os.path.join('/tmp/gnlp_drv', 'emb.txt')
    with open(path, 'w') as f:
        f.write('hello 0.1 0.2 0.3\nworld 0.4 0.5 0.6\nfoo -1 0 1\n')
    emb = nlp.embedding.TokenEmbedding.from_file(path, elem_delim=' ')
    v = nlp.Vocab(nlp.data.count_tokens(['hello', 'world', 'bar']))
    v.set_embedding(emb)
    out = {'idx': emb.idx_to_token, 'vec': emb['hello'].asnumpy(),
           'many': emb[['world', 'nope']].asnumpy(), 'vocab_emb': v.embedding.idx_to_vec.asnumpy()}
    emb['foo'] = mx.nd.array([7, 8, 9])
    out['set'] = emb['foo'].asnumpy()
    emb.serialize('/tmp/gnlp_drv/emb_%s.npz' % env.backend)
    e2 = nlp.embedding.TokenEmbedding.deserialize('/tmp/gnlp_drv/emb_%s.npz' % env.backend)
    out['round'] = e2.idx_to_vec.asnumpy()
    return out


# ---------------------------------------------------------------- utils / training
@case()
def clip_and_parallel(env):
    mx, nlp = env.mx, env.nlp
    net = mx.gluon.nn.Dense(3, in_units=4)
    x = mx.nd.array(floats((2, 4)))
    env.share(net, 'clipnet', x)
    with mx.autograd.record():
        l = (net(x) ** 2).sum() * 10
    l.backward()
    norm = nlp.utils.clip_grad_global_norm(net.collect_params().values(), 1.0)
    out = {'norm': float(norm.asscalar() if hasattr(norm, 'asscalar') else norm), 'grads': [p.grad().asnumpy()
                                          for _, p in sorted(net.collect_params().items())]}
    out['gnorm'] = float(nlp.utils.grad_global_norm(net.collect_params().values()).asscalar())

    class Par(nlp.utils.Parallelizable):
        def forward_backward(self, x):
            with mx.autograd.record():
                l = (net(x) ** 2).sum()
            l.backward()
            return l

    par = nlp.utils.Parallel(2, Par())
    for i in range(3):
        par.put(x * (i + 1))
    out['par'] = sorted(float(par.get().asscalar()) for _ in range(3))
    nlp.utils.save_parameters(net, '/tmp/gnlp_drv/u_%s.params' % env.backend)
    net2 = mx.gluon.nn.Dense(3, in_units=4)
    nlp.utils.load_parameters(net2, '/tmp/gnlp_drv/u_%s.params' % env.backend)
    out['reload'] = net2(x).asnumpy()
    return out


def _train(env, key, opt, opt_args, steps=3):
    mx, nlp = env.mx, env.nlp
    enc = nlp.model.BERTEncoder(num_layers=1, units=8, hidden_size=16, max_length=10,
                                num_heads=2, dropout=0.0)
    net = nlp.model.BERTModel(enc, vocab_size=20, token_type_vocab_size=2, units=8,
                              embed_size=8, use_decoder=True, use_classifier=True)
    tok, types, vlen = _bert_inputs(mx, 20)
    mpos = mx.nd.array([[1, 2], [0, 3]])
    mlabel = mx.nd.array([[4, 5], [6, 7]])
    nsp = mx.nd.array([0, 1])
    env.share(net, key, tok, types, vlen, mpos)
    net.hybridize()
    trainer = mx.gluon.Trainer(net.collect_params(), opt, opt_args)
    ce = mx.gluon.loss.SoftmaxCELoss()
    losses = []
    for _ in range(steps):
        with mx.autograd.record():
            _, _, cls, dec = net(tok, types, vlen, mpos)
            l = ce(dec.reshape((-1, 20)), mlabel.reshape((-1,))).mean() + ce(cls, nsp).mean()
        l.backward()
        params = [p for p in net.collect_params().values() if p.grad_req != 'null']
        nlp.utils.clip_grad_global_norm(params, 1.0)
        trainer.step(1)
        losses.append(float(l.asscalar()))
    return {'losses': losses,
            'params': [p.data().asnumpy() for p in net.collect_params().values()]}


@case(tol=(1e-4, 1e-5))
def train_bertadam(env):
    return _train(env, 'tr_bertadam', 'bertadam', {'learning_rate': 0.01, 'wd': 0.01})


@case(tol=(1e-4, 1e-5))
def train_lamb(env):
    return _train(env, 'tr_lamb', 'lamb', {'learning_rate': 0.01, 'wd': 0.01})


@case(tol=(1e-4, 1e-5))
def train_adam_pretrain(env):
    return _train(env, 'tr_adam', 'adam', {'learning_rate': 0.01})


# ---------------------------------------------------------------- more blocks
def _sampled_values(mx):
    cand = mx.nd.array([0, 3, 5, 7], dtype='int64')
    exp_s = mx.nd.array([0.4, 0.3, 0.2, 0.1])
    exp_t = mx.nd.array([0.3, 0.2, 0.4])
    return [cand, exp_s, exp_t]


@case()
def sampled_dense(env):
    mx, nlp = env.mx, env.nlp
    x = mx.nd.array(floats((3, 5)))
    label = mx.nd.array([3, 1, 6])
    sv = _sampled_values(mx)
    out = {}
    for name, cls, extra in (('nce', nlp.model.NCEDense, {}), ('is', nlp.model.ISDense, {}),
                             ('nce_acc', nlp.model.NCEDense, {'remove_accidental_hits': True})):
        net = cls(10, 4, 5, **extra)
        env.share(net, 'sd_' + name, x, sv, label)
        x2 = x.copy()
        x2.attach_grad()
        with mx.autograd.record():
            pred, new_label = net(x2, sv, label)
            l = (pred * pred).sum()
        l.backward()
        out[name] = [pred.asnumpy(), new_label.asnumpy(), x2.grad.asnumpy(),
                     net.weight.grad().asnumpy()]
        net.hybridize()
        out[name + '_h'] = flat(net(x, sv, label))
    for name, cls in (('sparse_is', nlp.model.SparseISDense),
                      ('sparse_nce', nlp.model.SparseNCEDense)):
        net = cls(10, 4, 5)
        keep = []  # row_sparse weights are read through a Trainer
        env.share(net, 'sd_' + name, before_save=lambda: keep.append(
            mx.gluon.Trainer(net.collect_params(), 'sgd')))
        if not keep:
            keep.append(mx.gluon.Trainer(net.collect_params(), 'sgd'))
        with mx.autograd.record():
            pred, new_label = net(x, sv, label)
            l = (pred * pred).sum()
        l.backward()
        g = net.weight.grad()
        out[name] = [pred.asnumpy(), new_label.asnumpy(), g.stype, g.tostype('default').asnumpy()]
    return out


@case()
def small_blocks(env):
    mx, nlp = env.mx, env.nlp
    x = mx.nd.array(floats((2, 3, 4)))
    out = {}
    for name, blk in (('gelu', nlp.model.GELU()), ('l2', nlp.model.L2Normalization(axis=-1))):
        blk.initialize()
        out[name] = env.run_fwd(blk, 'sb_' + name, x)
    emb = mx.gluon.nn.Embedding(10, 4)
    idx = mx.nd.array([[1, 2, 3], [4, 5, 6]])
    env.share(emb, 'sb_wd', idx)
    base = emb(idx).asnumpy()
    nlp.model.apply_weight_drop(emb, 'weight', rate=0.5)
    out['wd_predict'] = emb(idx).asnumpy() - base
    with mx.autograd.train_mode():
        y = emb(idx).asnumpy()
    out['wd_train_zero_or_scaled'] = bool(np.all(np.isclose(y, 0) | np.isclose(y, 2 * base)))
    out['wd_params'] = sorted(emb.collect_params().keys())
    return out


@case()
def embedding_evaluation(env):
    mx, nlp = env.mx, env.nlp
    vec = mx.nd.array(floats((8, 5)))
    sim = nlp.embedding.evaluation.WordEmbeddingSimilarity(vec)
    sim.initialize()
    a, b = mx.nd.array([0, 1, 2]), mx.nd.array([3, 4, 2])
    out = {'sim': env.run_fwd(sim, 'ee_sim', a, b)}
    for fn in ('ThreeCosMul', 'ThreeCosAdd'):
        an = nlp.embedding.evaluation.WordEmbeddingAnalogy(vec, analogy_function=fn, k=2)
        an.initialize()
        out[fn] = env.run_fwd(an, 'ee_' + fn, a, b, mx.nd.array([5, 6, 7]), export=False)
    out['kinds'] = nlp.embedding.evaluation.list_evaluation_functions()
    return out


@case()
def subword_embedding_models(env):
    mx, nlp = env.mx, env.nlp
    t2i = {'hello': 0, 'world': 1, 'foo': 2}
    sub = nlp.vocab.create_subword_function('NGramHashes', ngrams=[3], num_subwords=20)
    ft = nlp.model.train.FasttextEmbeddingModel(t2i, sub, 4)
    ft.initialize()
    env.share(ft, 'ft', mx.nd.sparse.csr_matrix(mx.nd.ones((2, 23))))
    out = {'ft_tokens': ft[['hello', 'unknownword']].asnumpy(), 'subwords':
           [list(x) for x in sub(['hello', 'xyz'])]}
    csr = nlp.model.train.CSREmbeddingModel(t2i, 4)
    env.share(csr, 'csr_emb', mx.nd.sparse.csr_matrix(mx.nd.ones((2, 3))))
    words = mx.nd.sparse.csr_matrix(mx.nd.array([[1, 0, 0.5], [0, 2, 0]]))
    with mx.autograd.record():
        e = csr(words)
        l = (e * e).sum()
    l.backward()
    g = csr.weight.grad()
    out['csr'] = [e.asnumpy(), g.stype, g.tostype('default').asnumpy()]
    return out


@case()
def lm_training(env):
    """A few truncated-BPTT steps of StandardRNN and AWDRNN with clipping and sgd/adam."""
    mx, nlp = env.mx, env.nlp
    out = {}
    for key, make in (('std', lambda: nlp.model.train.StandardRNN(
            'lstm', 20, 8, 8, 2, dropout=0.0, tie_weights=True)),
                      ('awd', lambda: nlp.model.train.AWDRNN(
            'lstm', 20, 8, 8, 2, tie_weights=False, dropout=0.0, weight_drop=0.0,
            drop_h=0.0, drop_i=0.0, drop_e=0.0))):
        net = make()
        data = mx.nd.array(ints((6, 2), 20, seed=7))
        target = mx.nd.array(ints((6, 2), 20, seed=8))
        st = net.begin_state(batch_size=2, func=mx.nd.zeros)
        env.share(net, 'lmt_' + key, data, st)
        net.hybridize()
        trainer = mx.gluon.Trainer(net.collect_params(), 'sgd' if key == 'std' else 'adam',
                                   {'learning_rate': 0.5 if key == 'std' else 0.01})
        ce = mx.gluon.loss.SoftmaxCrossEntropyLoss()
        st = net.begin_state(batch_size=2, func=mx.nd.zeros)
        losses = []
        for _ in range(3):
            st = [s.detach() for s in st] if not isinstance(st[0], list) else \
                [[s.detach() for s in ss] for ss in st]
            with mx.autograd.record():
                res = net(data, st)
                o, st = res[0], res[1]
                l = ce(o.reshape((-3, -1)), target.reshape((-1,))).mean()
            l.backward()
            grads = [p.grad() for p in net.collect_params().values() if p.grad_req != 'null']
            mx.gluon.utils.clip_global_norm(grads, 0.25)
            trainer.step(1)
            losses.append(float(l.asscalar()))
        out[key] = {'losses': losses,
                    'params': [p.data().asnumpy() for _, p in
                               sorted(net.collect_params().items())]}
    return out


@case()
def trainer_states(env):
    mx, nlp = env.mx, env.nlp
    net = mx.gluon.nn.Dense(3, in_units=4)
    x = mx.nd.array(floats((2, 4)))
    env.share(net, 'ts_net', x)
    tr = mx.gluon.Trainer(net.collect_params(), 'bertadam', {'learning_rate': 0.1})
    for _ in range(2):
        with mx.autograd.record():
            l = (net(x) ** 2).sum()
        l.backward()
        tr.step(2)
    path = '/tmp/gnlp_drv/ts_%s.states' % env.backend
    nlp.utils.save_states(tr, path)
    tr2 = mx.gluon.Trainer(net.collect_params(), 'bertadam', {'learning_rate': 0.1})
    nlp.utils.load_states(tr2, path)
    with mx.autograd.record():
        l = (net(x) ** 2).sum()
    l.backward()
    tr2.step(2)
    return {'w': net.weight.data().asnumpy(), 'b': net.bias.data().asnumpy()}


@case()
def bpttbatchify(env):
    mx, nlp = env.mx, env.nlp
    vocab = nlp.Vocab(nlp.data.count_tokens('a b c d e f'.split()))
    corpus = 'a b c d e f a b c d e'.split()
    bf = nlp.data.batchify.CorpusBPTTBatchify(vocab, seq_len=2, batch_size=2, last_batch='keep')
    out = {'corpus_bptt': [[d.asnumpy(), l.asnumpy()] for d, l in
                           bf(corpus)]}
    bf2 = nlp.data.batchify.CorpusBPTTBatchify(vocab, seq_len=3, batch_size=2,
                                               last_batch='discard')
    out['discard'] = [[d.asnumpy(), l.asnumpy()] for d, l in
                      bf2(corpus)]
    return out


@case()
def metrics_and_init(env):
    mx, nlp = env.mx, env.nlp
    acc = nlp.metric.MaskedAccuracy()
    acc.update([mx.nd.array([1, 2, 3, 4])], [mx.nd.array(floats((4, 5)))],
               [mx.nd.array([1, 1, 0, 1])])
    lnl = nlp.metric.LengthNormalizedLoss()
    lnl.update([mx.nd.array(floats((3,))), mx.nd.array([2, 3, 4])],
               [mx.nd.array(floats((3,), 9))])
    # float(): numpy 1 sums python floats and float32 scalars to float64, numpy 2 to float32
    out = {'acc': float(acc.get()[1]), 'lnl': float(lnl.get()[1])}
    dense = mx.gluon.nn.Dense(4, in_units=3, bias_initializer=nlp.initializer.HighwayBias(
        nonlinear_transform_bias=0.5, transform_gate_bias=-1.0))
    dense.initialize()
    out['highway_bias'] = dense.bias.data().asnumpy()
    try:  # needs scipy in the interpreter
        tn = nlp.initializer.TruncNorm(stdev=0.02)
        d2 = mx.gluon.nn.Dense(50, in_units=40, weight_initializer=tn)
        d2.initialize()
        w = d2.weight.data().asnumpy()
        out['trunc'] = [w.shape, bool(np.abs(w).max() <= 0.04), str(w.dtype)]
    except ImportError:
        out['trunc'] = 'no scipy'
    return out


@case()
def dataloader_buckets(env):
    mx, nlp = env.mx, env.nlp
    rs = np.random.RandomState(3)
    data = [(list(rs.randint(0, 9, n)), int(n)) for n in rs.randint(1, 12, 30)]
    ds = mx.gluon.data.SimpleDataset(data)
    lengths = ds.transform(lambda x, n: n, lazy=False)
    sampler = nlp.data.FixedBucketSampler(lengths, batch_size=4, num_buckets=3, shuffle=False)
    fn = nlp.data.batchify.Tuple(nlp.data.batchify.Pad(pad_val=0), nlp.data.batchify.Stack())
    out = {}
    for workers in (0, 2):
        dl = mx.gluon.data.DataLoader(ds, batch_sampler=sampler, batchify_fn=fn,
                                      num_workers=workers)
        out['w%d' % workers] = [[x.asnumpy(), n.asnumpy()] for x, n in dl]
    sdl = nlp.data.ShardedDataLoader(ds, batch_sampler=sampler, batchify_fn=fn, num_workers=0)
    out['sharded'] = [[x.asnumpy(), n.asnumpy()] for x, n in sdl]
    return out


@case()
def nmt_beam_search(env):
    """Translate with BeamSearchSampler over NMTModel.decode_step (as GluonNLP's scripts do)."""
    mx, nlp = env.mx, env.nlp
    src, tgt = small_vocab(nlp, 20), small_vocab(nlp, 18)
    enc, dec, one = nlp.model.transformer.get_transformer_encoder_decoder(
        num_layers=1, units=8, hidden_size=16, num_heads=2, dropout=0.0,
        max_src_length=30, max_tgt_length=30)
    net = nlp.model.translation.NMTModel(src_vocab=src, tgt_vocab=tgt, encoder=enc,
                                         decoder=dec, one_step_ahead_decoder=one,
                                         share_embed=False, embed_size=8, tie_weights=False,
                                         prefix='nmt_')
    s = mx.nd.array(ints((2, 5), len(src)))
    sl = mx.nd.array([5, 3])
    t = mx.nd.array(ints((2, 4), len(tgt), seed=4))
    env.share(net, 'nmt', s, t, sl, mx.nd.array([4, 2]))
    enc_out = net.encode(s, valid_length=sl)[0]
    states = net.decoder.init_state_from_encoder(enc_out, sl)
    def decode_logprob(step_input, st):
        outputs, st, _ = net.decode_step(step_input, st)
        return mx.nd.log_softmax(outputs), st

    bs = nlp.model.BeamSearchSampler(beam_size=3, decoder=decode_logprob,
                                     eos_id=tgt[tgt.eos_token],
                                     scorer=nlp.model.BeamSearchScorer(alpha=1.0, K=5.0),
                                     max_length=8)
    samples, scores, lens = bs(mx.nd.full((2,), tgt[tgt.bos_token]), states)
    return {'samples': samples.asnumpy(), 'scores': scores.asnumpy(), 'lens': lens.asnumpy()}


@case()
def bert_attention_outputs(env):
    mx, nlp = env.mx, env.nlp
    enc = nlp.model.BERTEncoder(num_layers=2, units=8, hidden_size=16, max_length=10,
                                num_heads=2, dropout=0.0, output_attention=True,
                                output_all_encodings=True, activation='relu')
    x = mx.nd.array(floats((6, 2, 8)))  # (length, batch, units)
    vl = mx.nd.array([6, 2])
    env.share(enc, 'bert_att', x, None, vl)
    out = {'imp': flat(enc(x, None, vl))}
    enc.hybridize(static_alloc=True, static_shape=True)
    out['hyb'] = flat(enc(x, None, vl))
    out['hyb2'] = flat(enc(x * 2, None, vl))
    roberta = nlp.model.RoBERTaModel(
        nlp.model.BERTEncoder(num_layers=1, units=8, hidden_size=16, max_length=10,
                              num_heads=2, dropout=0.0), vocab_size=20, units=8, embed_size=8,
        use_decoder=False)
    cls = nlp.model.RoBERTaClassifier(roberta, num_classes=3, dropout=0.0)
    tok = mx.nd.array(ints((2, 6), 20))
    env.share(cls, 'roberta_cls', tok, vl)
    out['roberta_cls'] = env.run_fwd(cls, 'roberta_cls', tok, vl)
    return out


@case()
def bert_grad_hybrid(env):
    """Gradients of every parameter of a small BERT (imperative and hybridized)."""
    mx, nlp = env.mx, env.nlp
    enc = nlp.model.BERTEncoder(num_layers=2, units=8, hidden_size=16, max_length=10,
                                num_heads=2, dropout=0.0)
    net = nlp.model.BERTModel(enc, vocab_size=20, token_type_vocab_size=2, units=8,
                              embed_size=8, use_decoder=True, use_classifier=True)
    tok, types, vlen = _bert_inputs(mx, 20)
    mpos = mx.nd.array([[1, 2], [0, 3]])
    env.share(net, 'bert_grad', tok, types, vlen, mpos)
    out = {}
    for mode in ('imp', 'hyb'):
        if mode == 'hyb':
            net.hybridize()
        with mx.autograd.record():
            seq, pooled, cls, dec = net(tok, types, vlen, mpos)
            l = (seq ** 2).sum() + (pooled * 3).sum() + cls.sum() + (dec ** 2).mean()
        l.backward()
        out[mode] = [p.grad().asnumpy() for p in net.collect_params().values()
                     if p.grad_req != 'null']
    return out


@case()
def multi_context_clip(env):
    """Parameters on two CPU contexts: global-norm clipping and a Trainer step."""
    mx, nlp = env.mx, env.nlp
    ctxs = [mx.cpu(0), mx.cpu(1)]
    net = mx.gluon.nn.Dense(3, in_units=4)
    x = mx.nd.array(floats((4, 4)))
    env.share(net, 'mc_net', x)
    net.collect_params().reset_ctx(ctxs)
    xs = mx.gluon.utils.split_and_load(x, ctxs)
    with mx.autograd.record():
        ls = [(net(xi) ** 2).sum() * 5 for xi in xs]
    for l in ls:
        l.backward()
    params = net.collect_params().values()
    norm = nlp.utils.grad_global_norm(params)
    total = nlp.utils.clip_grad_global_norm(params, 1.0, check_isfinite=False)
    tr = mx.gluon.Trainer(net.collect_params(), 'bertadam', {'learning_rate': 0.01})
    tr.step(4)
    return {'norm': float(norm.asscalar()), 'total': float(total.asscalar()),
            'grads': [g.asnumpy() for p in params for g in p.list_grad()],
            'w': [w.asnumpy() for w in net.weight.list_data()]}


@case(tol=(2e-3, 2e-3))
def bertadam_fp16(env):
    """BERTAdam with float16 weights and multi_precision (mp_adamw / multi_mp_adamw)."""
    mx, nlp = env.mx, env.nlp
    out = {}
    for agg in ('1', '4'):
        os.environ['MXNET_OPTIMIZER_AGGREGATION_SIZE'] = agg
        # MXNet's CPU FullyConnected has no float16 kernel: element-wise losses only
        params = mx.gluon.ParameterDict('fp16%s_' % agg)
        for i, shape in enumerate(((4, 5), (5,), (3, 2))):
            params.get('p%d' % i, shape=shape)
        params.initialize(mx.init.Uniform(0.5))
        rs = np.random.RandomState(5)
        for p in params.values():
            p.set_data(mx.nd.array(rs.uniform(-1, 1, p.shape)))
        params.setattr('dtype', 'float16')
        tr = mx.gluon.Trainer(params, 'bertadam',
                              {'learning_rate': 0.01, 'multi_precision': True, 'wd': 0.01})
        for _ in range(2):
            with mx.autograd.record():
                l = [((p.data() * p.data()) * 3).sum() for p in params.values()]
            mx.autograd.backward(l)
            tr.step(3)
        net = params
        out[agg] = [p.data().asnumpy() for p in net.values()]
    os.environ.pop('MXNET_OPTIMIZER_AGGREGATION_SIZE')
    return out


@case()
def samplers_extra(env):
    nlp = env.nlp
    lengths = [(3, 4), (9, 2), (12, 12), (4, 5), (7, 1), (20, 3), (1, 1), (15, 9), (8, 8)]
    fb = nlp.data.FixedBucketSampler(lengths, batch_size=2, num_buckets=3, shuffle=False,
                                     use_average_length=True, ratio=0.5)
    single = [a for a, _ in lengths]
    sp = nlp.data.SplitSampler(len(single), num_parts=3, part_index=1)
    cw = nlp.data.FixedBucketSampler(single, batch_size=3, num_buckets=2, shuffle=False,
                                     bucket_scheme=nlp.data.LinearWidthBucket())
    return {'fixed2d': list(fb), 'split_len': len(sp), 'linear': list(cw),
            'bucket_keys': [list(map(int, k)) if isinstance(k, tuple) else int(k)
                            for k in fb._bucket_keys]}


@case()
def data_files(env):
    """CorpusDataset / TSVDataset / streams over local files, vocab JSON round trips."""
    mx, nlp = env.mx, env.nlp
    d = '/tmp/gnlp_drv/data_%s' % env.backend
    os.makedirs(d, exist_ok=True)
    for i in range(2):
        with open(os.path.join(d, 'c%d.txt' % i), 'w') as f:
            f.write('the cat sat\non the mat %d\n\nend of file\n' % i)
    with open(os.path.join(d, 't.tsv'), 'w') as f:
        f.write('id\ttext\tlabel\n1\thello world\t0\n2\tgood bye\t1\n')
    corpus = nlp.data.CorpusDataset(os.path.join(d, 'c0.txt'), bos='<bos>', eos='<eos>')
    tsv = nlp.data.TSVDataset(os.path.join(d, 't.tsv'), num_discard_samples=1,
                              field_indices=[2, 1])
    stream = nlp.data.SimpleDatasetStream(nlp.data.CorpusDataset,
                                          os.path.join(d, 'c*.txt'), skip_empty=False)
    vocab = nlp.Vocab(nlp.data.count_tokens([t for s in corpus for t in s]))
    bptt = nlp.data.batchify.StreamBPTTBatchify(vocab, seq_len=3, batch_size=2,
                                                last_batch='keep')
    flat_stream = nlp.data.SimpleDatasetStream(nlp.data.CorpusDataset,
                                               os.path.join(d, 'c*.txt'),
                                               eos='<eos>')
    batches = [[x.asnumpy(), y.asnumpy()] for x, y in bptt(flat_stream)]
    v2 = nlp.Vocab.from_json(vocab.to_json())
    return {'corpus': [list(s) for s in corpus], 'tsv': [list(s) for s in tsv],
            'stream': [[list(s) for s in ds] for ds in stream], 'bptt': batches,
            'vocab_rt': v2.idx_to_token == vocab.idx_to_token}
