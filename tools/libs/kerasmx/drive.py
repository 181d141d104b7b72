"""Differential driver: keras-mxnet 2.2.4.3 (Keras 2.2.4 with the MXNet backend, built on
mx.sym + Module) on real MXNet 1.9.1 (oracle) vs mxtorch. Not run by CI.

Install once (nothing here is committed or added to the project's dependencies)::

    ~/mxref/bin/pip download --no-deps keras-mxnet==2.2.4.3 keras_applications==1.0.8 \\
        keras_preprocessing==1.1.2 -d /tmp/kmx
    ~/mxref/bin/pip install --no-deps --target /work/libs/kerasmx/site /tmp/kmx/*.whl pyyaml six

Run from the repository root, the oracle first::

    KERAS_BACKEND=mxnet PYTHONPATH=/work/libs/kerasmx/site ~/mxref/bin/python tools/libs/kerasmx/drive.py oracle [CASE...]
    KERAS_BACKEND=mxnet PYTHONPATH=/work/libs/kerasmx/site .venv/bin/python tools/libs/kerasmx/drive.py mxtorch [CASE...]

Keras 2.2.4 imports ``collections.Iterable`` (gone since Python 3.10): the driver puts the
``collections.abc`` names back for itself. Every case sets all weights from NumPy's seeded
generator (``set_weights``), trains without shuffling and returns the loss/metric history,
predictions and final weights; the oracle stores them in /tmp/kmx_drv/ref.npz, the mxtorch
step compares (rtol 1e-4, atol 1e-5) into /tmp/kmx_drv/report.json. Same exception type on
both sides counts as passing.
"""
import collections
import collections.abc
import json
import os
import sys
import time

for _name in ("Iterable", "Mapping", "Sequence", "Callable", "MutableMapping"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))
os.environ.setdefault("KERAS_BACKEND", "mxnet")
MODE = sys.argv[1] if len(sys.argv) > 1 else "mxtorch"
if MODE == "mxtorch":
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
    import mxtorch.compat
    mxtorch.compat.install()

import numpy as np  # noqa: E402
if not hasattr(np, "Inf"):  # NOTE: keras 2.2.4's callbacks use np.Inf, gone in NumPy 2
    np.Inf = np.inf
import keras  # noqa: E402
from keras import backend as K  # noqa: E402
from keras import layers, models, optimizers  # noqa: E402

ROOT = "/tmp/kmx_drv"
CASES = {}


def case(func):
    CASES[func.__name__] = func
    return func


def _weights(model, rng):
    model.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(w.dtype)
                       for w in model.get_weights()])


def _fit(model, rng, x, y, opt, loss, epochs=3, batch_size=4, metrics=("accuracy",)):
    _weights(model, rng)
    model.compile(opt, loss, metrics=list(metrics))
    hist = model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=False)
    res = {"hist:" + k: np.asarray(v, dtype=np.float64) for k, v in hist.history.items()}
    res["pred"] = np.asarray(model.predict(x[:5] if not isinstance(x, list) else
                                           [a[:5] for a in x]))
    ev = model.evaluate(x, y, verbose=0, batch_size=batch_size)
    res["eval"] = np.asarray(ev, dtype=np.float64)
    for i, w in enumerate(model.get_weights()):
        res["w%02d" % i] = w
    return res


def _cls(rng, n=16, d=6, k=3):
    x = rng.standard_normal((n, d)).astype("float32")
    y = np.eye(k, dtype="float32")[rng.integers(0, k, n)]
    return x, y


@case
def mlp_sgd(rng):
    x, y = _cls(rng)
    m = models.Sequential([layers.Dense(8, input_shape=(6,), activation="relu"),
                           layers.Dense(3, activation="softmax")])
    return _fit(m, rng, x, y, optimizers.SGD(lr=0.1, momentum=0.9, nesterov=True),
                "categorical_crossentropy")


@case
def mlp_adam_regression(rng):
    x = rng.standard_normal((20, 5)).astype("float32")
    y = (x @ rng.standard_normal((5, 2))).astype("float32")
    m = models.Sequential([layers.Dense(8, input_shape=(5,), activation="tanh"),
                           layers.Dense(2)])
    return _fit(m, rng, x, y, optimizers.Adam(lr=0.01), "mse", metrics=("mae",))


@case
def mlp_rmsprop_binary(rng):
    x = rng.standard_normal((16, 4)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    m = models.Sequential([layers.Dense(6, input_shape=(4,), activation="elu"),
                           layers.Dense(1, activation="sigmoid")])
    return _fit(m, rng, x, y, optimizers.RMSprop(lr=0.01), "binary_crossentropy")


@case
def optimizers_more(rng):
    res = {}
    for name, opt in (("adagrad", optimizers.Adagrad(lr=0.05)),
                      ("adadelta", optimizers.Adadelta(lr=1.0)),
                      ("adamax", optimizers.Adamax(lr=0.02)),
                      ("nadam", optimizers.Nadam(lr=0.01))):
        x, y = _cls(rng)
        m = models.Sequential([layers.Dense(5, input_shape=(6,), activation="relu"),
                               layers.Dense(3, activation="softmax")])
        for k, v in _fit(m, rng, x, y, opt, "categorical_crossentropy", epochs=2).items():
            res[name + ":" + k] = v
    return res


@case
def cnn_channels_first(rng):
    K.set_image_data_format("channels_first")
    x = rng.standard_normal((8, 1, 8, 8)).astype("float32")
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 8)]
    m = models.Sequential([
        layers.Conv2D(4, (3, 3), padding="same", activation="relu", input_shape=(1, 8, 8)),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(4, (3, 3), activation="relu"),
        layers.AveragePooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(2, activation="softmax")])
    return _fit(m, rng, x, y, optimizers.SGD(lr=0.05), "categorical_crossentropy", epochs=2)


@case
def batchnorm_dropout0(rng):
    x, y = _cls(rng, n=16)
    m = models.Sequential([layers.Dense(8, input_shape=(6,)),
                           layers.BatchNormalization(),
                           layers.Activation("relu"),
                           layers.Dropout(0.0),
                           layers.Dense(3, activation="softmax")])
    return _fit(m, rng, x, y, optimizers.SGD(lr=0.1), "categorical_crossentropy", epochs=2)


@case
def embedding_global_pool(rng):
    x = rng.integers(0, 10, (12, 5)).astype("float32")
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 12)]
    m = models.Sequential([layers.Embedding(10, 4, input_length=5),
                           layers.GlobalAveragePooling1D(),
                           layers.Dense(2, activation="softmax")])
    return _fit(m, rng, x, y, optimizers.Adam(lr=0.01), "categorical_crossentropy")


@case
def rnn_layers(rng):
    res = {}
    for name, layer in (("simple", layers.SimpleRNN(4, unroll=True, input_shape=(5, 3))),
                        ("lstm", layers.LSTM(4, unroll=True, input_shape=(5, 3))),
                        ("gru", layers.GRU(4, unroll=True, input_shape=(5, 3)))):
        x = rng.standard_normal((8, 5, 3)).astype("float32")
        y = np.eye(2, dtype="float32")[rng.integers(0, 2, 8)]
        m = models.Sequential([layer, layers.Dense(2, activation="softmax")])
        for k, v in _fit(m, rng, x, y, optimizers.SGD(lr=0.1), "categorical_crossentropy",
                         epochs=2).items():
            res[name + ":" + k] = v
    return res


@case
def functional_merge(rng):
    a = layers.Input((4,))
    b = layers.Input((3,))
    ha = layers.Dense(5, activation="relu")(a)
    hb = layers.Dense(5, activation="tanh")(b)
    merged = layers.concatenate([layers.add([ha, hb]), layers.multiply([ha, hb])])
    out = layers.Dense(2, activation="softmax")(merged)
    m = models.Model([a, b], out)
    xa = rng.standard_normal((12, 4)).astype("float32")
    xb = rng.standard_normal((12, 3)).astype("float32")
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 12)]
    return _fit(m, rng, [xa, xb], y, optimizers.Adam(lr=0.01), "categorical_crossentropy")


@case
def backend_functions(rng):
    x = K.variable(rng.standard_normal((3, 4)).astype("float32"))
    y = K.variable(rng.standard_normal((4, 2)).astype("float32"))
    out = {"dot": K.eval(K.dot(x, y)), "sum": K.eval(K.sum(x, axis=1)),
           "softmax": K.eval(K.softmax(x)), "l2": K.eval(K.l2_normalize(x, axis=1)),
           "clip": K.eval(K.clip(x, -0.5, 0.5)), "mean": K.eval(K.mean(x, axis=0)),
           "max": K.eval(K.max(x, axis=1)), "concat": K.eval(K.concatenate([x, x], axis=0)),
           "cat_ce": K.eval(K.categorical_crossentropy(K.softmax(x), K.softmax(x)))}
    return {k: np.asarray(v) for k, v in out.items()}


@case
def batch_api_and_json(rng):
    x, y = _cls(rng)
    m = models.Sequential([layers.Dense(5, input_shape=(6,), activation="sigmoid"),
                           layers.Dense(3, activation="softmax")])
    _weights(m, rng)
    m.compile(optimizers.SGD(lr=0.2), "categorical_crossentropy", metrics=["accuracy"])
    res = {"tob%d" % i: np.asarray(m.train_on_batch(x[i * 4:i * 4 + 4], y[i * 4:i * 4 + 4]))
           for i in range(4)}
    res["test"] = np.asarray(m.test_on_batch(x, y))
    res["pob"] = np.asarray(m.predict_on_batch(x[:3]))
    m2 = models.model_from_json(m.to_json())
    m2.set_weights(m.get_weights())
    m2.compile(optimizers.SGD(lr=0.2), "categorical_crossentropy")
    res["json_pred"] = np.asarray(m2.predict(x[:3]))

    def gen():
        while True:
            for i in range(4):
                yield x[i * 4:i * 4 + 4], y[i * 4:i * 4 + 4]
    hist = m.fit_generator(gen(), steps_per_epoch=4, epochs=2, verbose=0)
    res["gen_loss"] = np.asarray(hist.history["loss"], dtype=np.float64)
    return res


@case
def save_mxnet_model(rng):
    import mxnet as mx
    x, y = _cls(rng)
    m = models.Sequential([layers.Dense(5, input_shape=(6,), activation="relu"),
                           layers.Dense(3, activation="softmax")])
    _fit(m, rng, x, y, optimizers.SGD(lr=0.1), "categorical_crossentropy", epochs=1)
    prefix = os.path.join(ROOT, "kmodel_" + MODE)
    names, shapes = keras.models.save_mxnet_model(model=m, prefix=prefix, epoch=0)
    sym, arg, aux = mx.model.load_checkpoint(prefix, 0)
    mod = mx.mod.Module(sym, data_names=[n for n in names], label_names=None,
                        context=mx.cpu())
    mod.bind(for_training=False, data_shapes=[(d[0], (4,) + tuple(d[1][1:])) for d in shapes])
    mod.set_params(arg, aux)
    mod.forward(mx.io.DataBatch([mx.nd.array(x[:4])]), is_train=False)
    return {"module_pred": mod.get_outputs()[0].asnumpy(), "keras_pred": m.predict(x[:4]),
            "n_args": np.array(len(arg))}


@case
def conv1d_upsampling(rng):
    K.set_image_data_format("channels_first")
    x = rng.standard_normal((8, 10, 3)).astype("float32")
    y = np.eye(2, dtype="float32")[rng.integers(0, 2, 8)]
    m = models.Sequential([layers.Conv1D(4, 3, activation="relu", input_shape=(10, 3)),
                           layers.MaxPooling1D(2), layers.UpSampling1D(2),
                           layers.GlobalMaxPooling1D(), layers.Dense(2, activation="softmax")])
    res = _fit(m, rng, x, y, optimizers.SGD(lr=0.1), "categorical_crossentropy", epochs=2)
    x2 = rng.standard_normal((6, 2, 6, 6)).astype("float32")
    y2 = rng.standard_normal((6, 3, 12, 12)).astype("float32")
    m2 = models.Sequential([layers.Conv2DTranspose(3, (2, 2), strides=(2, 2),
                                                   input_shape=(2, 6, 6)),
                            layers.ZeroPadding2D(1), layers.Cropping2D(1),
                            layers.Activation("tanh")])
    for k, v in _fit(m2, rng, x2, y2, optimizers.Adam(lr=0.01), "mse", epochs=2,
                     metrics=()).items():
        res["t:" + k] = v
    return res


@case
def multi_output_weights(rng):
    inp = layers.Input((5,))
    h = layers.Dense(6, activation="relu")(inp)
    out1 = layers.Dense(3, activation="softmax", name="cls")(h)
    out2 = layers.Dense(1, name="reg")(h)
    m = models.Model(inp, [out1, out2])
    _weights(m, rng)
    m.compile(optimizers.SGD(lr=0.05), {"cls": "categorical_crossentropy", "reg": "mae"},
              loss_weights={"cls": 1.0, "reg": 0.5})
    x = rng.standard_normal((12, 5)).astype("float32")
    y1 = np.eye(3, dtype="float32")[rng.integers(0, 3, 12)]
    y2 = rng.standard_normal((12, 1)).astype("float32")
    sw = rng.uniform(0.5, 1.5, 12).astype("float32")
    hist = m.fit(x, [y1, y2], batch_size=4, epochs=2, verbose=0, shuffle=False,
                 sample_weight=[sw, sw])
    res = {"hist:" + k: np.asarray(v, dtype=np.float64) for k, v in hist.history.items()}
    p1, p2 = m.predict(x[:4])
    res.update({"p1": p1, "p2": p2})
    hist2 = m.fit(x, [y1, y2], batch_size=6, epochs=2, verbose=0, shuffle=False,
                  class_weight={"cls": {0: 1.0, 1: 2.0, 2: 0.5}})
    res["hist2"] = np.asarray(hist2.history["loss"], dtype=np.float64)
    return res


@case
def callbacks_and_rnn_sequences(rng):
    from keras import callbacks
    x = rng.standard_normal((8, 4, 3)).astype("float32")
    y = rng.standard_normal((8, 4, 2)).astype("float32")
    m = models.Sequential([layers.LSTM(5, return_sequences=True, unroll=True,
                                       input_shape=(4, 3)),
                           layers.TimeDistributed(layers.Dense(2))])
    _weights(m, rng)
    m.compile(optimizers.SGD(lr=0.1), "mse")
    cbs = [callbacks.LearningRateScheduler(lambda epoch: 0.1 / (1 + epoch)),
           callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)]
    hist = m.fit(x, y, batch_size=4, epochs=4, verbose=0, shuffle=False, callbacks=cbs)
    res = {"loss": np.asarray(hist.history["loss"], dtype=np.float64),
           "lr": np.asarray(K.get_value(m.optimizer.lr), dtype=np.float64),
           "pred": m.predict(x[:2])}
    return res


@case
def bidirectional_gru(rng):
    x = rng.standard_normal((8, 4, 3)).astype("float32")
    y = rng.standard_normal((8, 2)).astype("float32")
    res = {}
    m2 = models.Sequential([layers.Bidirectional(layers.GRU(3, unroll=True),
                                                 input_shape=(4, 3)),
                            layers.Dense(2)])
    for k, v in _fit(m2, rng, x, y, optimizers.Adam(lr=0.01), "mse", epochs=2,
                     metrics=()).items():
        res["bi:" + k] = v
    return res


def _run(name):
    rng = np.random.default_rng(sum(map(ord, name)))
    try:
        return {k: np.asarray(v) for k, v in CASES[name](rng).items()}, None
    except Exception as exc:  # recorded and compared by type
        return None, "%s: %s" % (type(exc).__name__, (str(exc).splitlines() or [""])[0][:300])


def _same_type(mine, theirs):
    # MXNet's simple_bind re-raises its MXNetError as a plain RuntimeError; mxtorch raises the
    # MXNetError itself (a RuntimeError subclass), see compat/kerasmx.md
    mxnet_errors = ("MXNetError", "ShapeError", "DTypeError", "AttributeParseError")
    return mine == theirs or (mine in mxnet_errors and theirs == "RuntimeError")


def _compare(ref, got):
    bad = []
    for key, want in ref.items():
        have = got.get(key)
        if have is None:
            bad.append("%s missing" % key)
        elif have.shape != want.shape:
            bad.append("%s shape %s vs %s" % (key, have.shape, want.shape))
        elif not np.allclose(have, want, rtol=1e-4, atol=1e-5, equal_nan=True):
            bad.append("%s max|diff| %.3g (scale %.3g)" % (
                key, np.nanmax(np.abs(have - want)), np.nanmax(np.abs(want))))
    return bad


def main():
    names = sys.argv[2:] or list(CASES)
    os.makedirs(ROOT, exist_ok=True)
    ref_path, err_path = os.path.join(ROOT, "ref.npz"), os.path.join(ROOT, "ref_errors.json")
    if MODE == "oracle":
        keep = bool(sys.argv[2:]) and os.path.exists(ref_path)
        store = dict(np.load(ref_path)) if keep else {}
        errors = json.load(open(err_path)) if keep else {}
        for name in names:
            t = time.time()
            res, err = _run(name)
            store = {k: v for k, v in store.items() if not k.startswith(name + "|")}
            errors.pop(name, None)
            if err:
                errors[name] = err
            else:
                store.update({name + "|" + k: v for k, v in res.items()})
            print("%-24s %s (%.1fs)" % (name, err or "%d arrays" % len(res), time.time() - t))
        np.savez(ref_path, **store)
        json.dump(errors, open(err_path, "w"), indent=1)
        return
    ref_all, errors = dict(np.load(ref_path)), json.load(open(err_path))
    report = {}
    for name in names:
        t = time.time()
        res, err = _run(name)
        ref = {k.split("|", 1)[1]: v for k, v in ref_all.items() if k.startswith(name + "|")}
        if name in errors or err:
            same = err and name in errors and _same_type(err.split(":")[0],
                                                         errors[name].split(":")[0])
            status = "ok (same error)" if same else "FAIL mxnet=%r mxtorch=%r" % (
                errors.get(name), err)
        else:
            bad = _compare(ref, res)
            status = "ok" if not bad else "FAIL " + "; ".join(bad[:6])
        report[name] = status
        print("%-24s %s (%.1fs)" % (name, status, time.time() - t))
    print("passed %d / %d" % (sum(s.startswith("ok") for s in report.values()), len(report)))
    json.dump(report, open(os.path.join(ROOT, "report.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
