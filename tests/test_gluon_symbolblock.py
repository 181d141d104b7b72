"""SymbolBlock: MXNet 1.9.1 model files import and reproduce MXNet's outputs (fixtures written
by the oracle: ``tests/fixtures/models/NAME-{symbol.json,0000.params,io.npz}``, copied from
../shared/fixtures/mxnet-1.9.1/models; rtol 1e-4, atol 1e-5), feature extraction sharing
parameters, fine-tuning, symbol composition, errors."""
import os

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import autograd, gluon
from mxtorch.base import MXNetError

from test_gluon_hybrid import MLP, _close, _fill, _x

MODELS = os.path.join(os.path.dirname(__file__), "fixtures", "models")
NAMES = ["mlp", "cnn", "lstm_text", "bigru", "resnet18_v1_slim", "mobilenet0.25"]


def _files(name):
    return (os.path.join(MODELS, f"{name}-symbol.json"),
            os.path.join(MODELS, f"{name}-0000.params"),
            np.load(os.path.join(MODELS, f"{name}-io.npz")))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("hybridize", [False, True])
def test_fixture_models_reproduce_mxnet(name, hybridize):
    sym_file, params_file, io = _files(name)
    net = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    if hybridize:
        net.hybridize()
    out = net(mx.nd.array(io["in/data"]))
    outs = out if isinstance(out, list) else [out]
    assert len(outs) == sum(k.startswith("out/") for k in io)
    for i, o in enumerate(outs):
        np.testing.assert_allclose(o.asnumpy(), io[f"out/{i}"], rtol=1e-4, atol=1e-5)


def test_imported_parameters_have_file_names_and_dtypes():
    sym_file, params_file, _ = _files("cnn")
    net = gluon.SymbolBlock.imports(sym_file, "data", params_file)
    saved = mx.nd.load(params_file)
    names = sorted(net.collect_params().keys())
    assert names == sorted(k.split(":", 1)[1] for k in saved)
    aux = [k.split(":", 1)[1] for k in saved if k.startswith("aux:")]
    assert aux and all(net.collect_params()[n].grad_req == "null" for n in aux)


def test_feature_extraction_shares_parameters():
    net = _fill(MLP(prefix="model_"))
    data = mx.sym.var("data")
    internals = net(data).get_internals()
    assert "model_relu0_output" in internals.list_outputs()
    feats = gluon.SymbolBlock([internals["model_dense0_fwd_output"],
                               internals["model_relu0_output"]], data,
                              params=net.collect_params())
    x = _x(3, 5)
    fc, relu = feats(x)
    expect = mx.nd.FullyConnected(x, net.d1.weight.data(), net.d1.bias.data(), num_hidden=8)
    _close(fc.asnumpy(), expect.asnumpy())
    _close(relu.asnumpy(), np.maximum(expect.asnumpy(), 0))
    assert feats.collect_params()["model_dense0_weight"] is net.d1.weight


def test_fine_tuning_reaches_parameters():
    net = _fill(MLP(prefix="ft_"))
    x = _x(4, 5)
    with autograd.record():
        net(x).sum().backward()
    expect = {k: p.grad().asnumpy().copy() for k, p in net.collect_params().items()}
    data = mx.sym.var("data")
    block = gluon.SymbolBlock(net(data), data, params=net.collect_params())
    for p in block.collect_params().values():
        p.zero_grad()
    block.hybridize()
    with autograd.record():
        block(x).sum().backward()
    for k, p in block.collect_params().items():
        _close(p.grad().asnumpy(), expect[k])


def test_hybridized_symbolblock_is_one_compiled_graph():
    sym_file, params_file, io = _files("mlp")
    net = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    net.hybridize()
    net(mx.nd.array(io["in/data"]))
    graph = net._cached_op.graphs[()]
    assert [s.op.name for s in graph.steps] == [
        "FullyConnected", "Activation", "FullyConnected", "Activation", "FullyConnected"]


def test_symbol_inputs_compose():
    sym_file, params_file, _ = _files("mlp")
    net = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    out = net(mx.sym.var("x"))
    assert isinstance(out, mx.sym.Symbol)
    assert out.list_arguments()[0] == "x"


def test_export_of_imported_block_round_trips(tmp_path):
    sym_file, params_file, io = _files("cnn")
    net = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    net.hybridize()
    y = net(mx.nd.array(io["in/data"])).asnumpy()
    net.export(str(tmp_path / "again"))
    back = gluon.SymbolBlock.imports(str(tmp_path / "again-symbol.json"), ["data"],
                                     str(tmp_path / "again-0000.params"))
    _close(back(mx.nd.array(io["in/data"])).asnumpy(), y)
    assert sorted(mx.nd.load(str(tmp_path / "again-0000.params"))) == \
        sorted(mx.nd.load(params_file))


def test_repr_lists_graph_and_arity():
    sym_file, params_file, _ = _files("mlp")
    text = repr(gluon.SymbolBlock.imports(sym_file, ["data"], params_file))
    assert text.startswith("SymbolBlock(\n<Symbol") and text.endswith(": 1 -> 1\n)")


def test_input_must_be_a_variable():
    x = mx.sym.var("x")
    y = mx.sym.relu(x)
    with pytest.raises(MXNetError, match="variables"):
        gluon.SymbolBlock(mx.sym.sum(y), y)


def test_unused_input_leaves_the_argument_a_parameter():
    """As in MXNet 1.9.1: 'x' becomes a parameter; its shape cannot be inferred from the
    unused input 'other', so the first call fails with a ValueError naming 'other'."""
    x = mx.sym.var("x")
    block = gluon.SymbolBlock(mx.sym.relu(x), mx.sym.var("other"))
    assert sorted(block.collect_params().keys()) == ["x"]
    block.initialize()
    with pytest.raises(ValueError, match="other"):
        block(mx.nd.ones((2,)))


def test_missing_parameter_file_entries(tmp_path):
    sym_file, params_file, _ = _files("mlp")
    saved = mx.nd.load(params_file)
    partial = {k: v for k, v in saved.items() if not k.endswith("dense2_bias")}
    mx.nd.save(str(tmp_path / "partial.params"), partial)
    with pytest.raises(Exception, match="dense2_bias"):
        gluon.SymbolBlock.imports(sym_file, ["data"], str(tmp_path / "partial.params"))
    net = gluon.SymbolBlock.imports(sym_file, ["data"], str(tmp_path / "partial.params"),
                                    allow_missing=True)
    assert net.collect_params()["dense2_bias"]._data is None


def test_inputs_unused_by_the_outputs_are_accepted_and_ignored():
    """MXNet 1.9.1 builds a SymbolBlock whose inputs include a variable the outputs do not
    use; calling it ignores that input (here a*2 -> [2, 2])."""
    a, b = mx.sym.var("a"), mx.sym.var("b")
    block = mx.gluon.SymbolBlock(a * 2, [a, b])
    block.initialize()
    with pytest.warns(UserWarning, match="not used"):
        out = block(mx.nd.ones((2,)), mx.nd.ones((3,)))
    np.testing.assert_array_equal(out.asnumpy(), [2.0, 2.0])
