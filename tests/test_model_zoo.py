"""gluon.model_zoo: every 1.9.1 architecture has MXNet's parameter names and shapes (so model
store files load), the fixture models reproduce MXNet's outputs, and the store's errors are
clear. Names and shapes come from real MXNet 1.9.1 (tools/gen_model_zoo_fixture.py)."""
import gzip
import json
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch.gluon.model_zoo import model_store, vision

HERE = os.path.dirname(__file__)
with gzip.open(os.path.join(HERE, "fixtures", "model_zoo", "param_shapes.json.gz"), "rt") as f:
    EXPECTED = json.load(f)


def shapes_of(name):
    with mx.name.NameManager():
        net = vision.get_model(name)
        out = net(mx.sym.var("data"))
    size = 299 if name.startswith("inception") else 224
    arg_shapes, _, aux_shapes = out.infer_shape(data=(1, 3, size, size))
    table = dict(zip(out.list_arguments(), arg_shapes))
    table.update(zip(out.list_auxiliary_states(), aux_shapes))
    return [[p, list(table[p])] for p in net.collect_params().keys()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parameter_names_and_shapes_match_mxnet(name):
    assert shapes_of(name) == EXPECTED[name]


def test_get_model_unknown_name_lists_options():
    with pytest.raises(ValueError, match="Model nope is not supported. Available options are"):
        vision.get_model("nope")
    assert set(EXPECTED) == set(vision._models())


def test_pretrained_missing_file_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_GLUON_REPO", "file://" + str(tmp_path / "no-repo"))
    with pytest.raises(FileNotFoundError) as err:
        vision.resnet18_v1(pretrained=True, root=str(tmp_path))
    text = str(err.value)
    assert f"resnet18_v1-{model_store.short_hash('resnet18_v1')}.params" in text
    assert str(tmp_path) in text


def test_pretrained_loads_verified_store_file(tmp_path, monkeypatch):
    """A file whose SHA-1 matches is loaded (the table is patched to this file's hash)."""
    net = vision.mobilenet0_25(classes=10)
    net.initialize()
    net(mx.nd.zeros((1, 3, 32, 32)))
    path = str(tmp_path / "tmp.params")
    net.save_parameters(path)
    import hashlib
    sha1 = hashlib.sha1(open(path, "rb").read()).hexdigest()
    monkeypatch.setitem(model_store._model_sha1, "mobilenet0.25", sha1)
    os.rename(path, str(tmp_path / f"mobilenet0.25-{sha1[:8]}.params"))
    again = vision.mobilenet0_25(classes=10, pretrained=True, root=str(tmp_path))
    x = mx.nd.random.uniform(shape=(1, 3, 32, 32))
    np.testing.assert_allclose(again(x).asnumpy(), net(x).asnumpy(), rtol=1e-6, atol=1e-6)


FIXTURES = os.path.join(HERE, "fixtures", "models")


@pytest.mark.parametrize("name,build", [
    ("resnet18_v1_slim", None),
    ("mobilenet0.25", lambda: vision.mobilenet0_25(classes=10)),
    ("squeezenet1.1", lambda: vision.squeezenet1_1(classes=10)),
])
def test_fixture_models_reproduce_mxnet(name, build):
    params = os.path.join(FIXTURES, f"{name}.gluon.params")
    if not os.path.exists(params):
        params = os.path.join(HERE, "..", "..", "shared", "fixtures", "mxnet-1.9.1", "models",
                              f"{name}.gluon.params")
    if not os.path.exists(params):
        pytest.skip(f"{name} fixture not shipped")
    if build is None:
        build = lambda: vision.ResNetV1(vision.BasicBlockV1, [2, 2, 2, 2],  # noqa: E731
                                        [8, 8, 16, 32, 64], classes=10)
    io = np.load(params.replace(".gluon.params", "-io.npz"))
    net = build()
    net.load_parameters(params)
    net.hybridize()
    out = net(mx.nd.array(io["in/data"])).asnumpy()
    np.testing.assert_allclose(out, io["out/0"], rtol=1e-4, atol=1e-5)
