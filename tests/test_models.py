"""Real models exported by MXNet 1.9.1 load with mx.sym.load + .params + bind and reproduce
MXNet's outputs; the JSON we write for them matches MXNet's structurally."""
import json
import os

import numpy as np
import pytest

import mxtorch as mx

MODELS = os.path.join(os.path.dirname(__file__), "fixtures", "mxnet-1.9.1", "models")
with open(os.path.join(MODELS, "index.json")) as f:
    INDEX = json.load(f)
RUNNABLE = [k for k, v in INDEX.items() if "io" in v.get("files", {})]
ALL_SYMBOLS = [k for k, v in INDEX.items() if "symbol" in v.get("files", {})]


def _path(name):
    return os.path.join(MODELS, name)


def _load(model):
    """(meta, symbol, arg_params, aux_params, inputs {name: numpy}, io npz) of a fixture."""
    meta = INDEX[model]
    symbol = mx.sym.load(_path(meta["files"]["symbol"]))
    arg_params, aux_params = mx.model.split_params(mx.nd.load(_path(meta["files"]["params"])))
    io = np.load(_path(meta["files"]["io"]))
    inputs = {name: io[f"in/{name}"] for name in meta["inputs"]}
    return meta, symbol, arg_params, aux_params, inputs, io


@pytest.mark.parametrize("model", RUNNABLE)
def test_model_reproduces_mxnet_outputs(model):
    meta, symbol, arg_params, aux_params, inputs, io = _load(model)
    shapes = {name: v.shape for name, v in inputs.items()}
    executor = symbol.simple_bind(mx.cpu(), grad_req="null", **shapes)
    executor.copy_params_from(arg_params, aux_params)
    outs = executor.forward(is_train=False, **{k: mx.nd.array(v) for k, v in inputs.items()})
    rtol, atol = meta["tolerance"]["float32"]
    for i, out in enumerate(outs):
        np.testing.assert_allclose(out.asnumpy(), io[f"out/{i}"], rtol=rtol, atol=atol,
                                   err_msg=f"{model} output {i}")


@pytest.mark.parametrize("model", RUNNABLE)
def test_bind_with_explicit_arrays(model):
    meta, symbol, arg_params, aux_params, inputs, io = _load(model)
    args = dict(arg_params)
    args.update({name: mx.nd.array(value) for name, value in inputs.items()})
    executor = symbol.bind(mx.cpu(), args, aux_states=aux_params, grad_req="null")
    out = executor.forward()[0]
    rtol, atol = meta["tolerance"]["float32"]
    np.testing.assert_allclose(out.asnumpy(), io["out/0"], rtol=rtol, atol=atol)


def _structure(graph):
    nodes = [(n["op"], n["name"], n.get("attrs", n.get("attr", {})),
              [e[:2] for e in n["inputs"]]) for n in graph["nodes"]]
    return nodes, graph["arg_nodes"], [h[:2] for h in graph["heads"]]


@pytest.mark.parametrize("model", ALL_SYMBOLS)
def test_json_round_trip_matches_mxnet(model):
    with open(_path(INDEX[model]["files"]["symbol"])) as f:
        original = json.load(f)
    ours = json.loads(mx.sym.load(_path(INDEX[model]["files"]["symbol"])).tojson())
    assert _structure(ours) == _structure(original)
    assert ours["attrs"]["mxnet_version"] == ["int", 10901]
    assert ours["node_row_ptr"] == original["node_row_ptr"]


@pytest.mark.parametrize("model", ["resnet18_v1", "densenet121"])
def test_big_model_shapes(model):
    meta = INDEX[model]
    symbol = mx.sym.load(_path(meta["files"]["symbol"]))
    with open(_path(meta["files"]["params_json"] if "params_json" in meta["files"]
                    else f"{model}-params.json")) as f:
        expected = json.load(f)
    shape = tuple(meta["inputs"]["data"]["shape"])
    arg_shapes, out_shapes, aux_shapes = symbol.infer_shape(data=shape)
    got = dict(zip(symbol.list_arguments(), arg_shapes))
    got.update(zip(symbol.list_auxiliary_states(), aux_shapes))
    table = expected["export_params"]
    for key, spec in table.items():
        name = key.split(":", 1)[-1]
        want = tuple(spec["shape"] if isinstance(spec, dict) else spec)
        assert got[name] == want, name
    assert out_shapes == [tuple(o["shape"]) for o in meta["outputs"]]


def test_replay_mxnet_module_training_through_the_executor(tmp_path):
    """MXNet's mx.mod.Module trained sym_mlp for 5 SGD-momentum steps; the same steps through
    simple_bind + backward + sgd_mom_update reproduce every output, gradient and parameter
    (each step starts from MXNet's parameters of the previous step, so float32 rounding
    differences do not compound), and the checkpoint MXNet saved at the end."""
    meta = INDEX["sym_mlp"]
    train = np.load(_path(meta["files"]["train"]))
    symbol, arg_params, aux_params = mx.model.load_checkpoint(_path("sym_mlp"), 5)
    batch = train["data"].shape[1:]
    exe = symbol.simple_bind(mx.cpu(), data=batch, softmax_label=(batch[0],))
    names = [n for n in symbol.list_arguments() if n not in ("data", "softmax_label")]
    moms = {n: mx.nd.zeros(exe.arg_dict[n].shape) for n in names}
    opt = meta["optimizer_params"]
    rtol, atol = meta["tolerance"]["float32"]
    for step in range(1, 6):
        before = "init" if step == 1 else f"step{step - 1}/param"
        for name in names:
            exe.arg_dict[name][:] = train[f"{before}/{name}"]
        out = exe.forward(is_train=True, data=train["data"][step - 1],
                          softmax_label=train["label"][step - 1])[0]
        np.testing.assert_allclose(out.asnumpy(), train[f"step{step}/output"], rtol=rtol,
                                   atol=atol)
        exe.backward()
        for name in names:
            np.testing.assert_allclose(exe.grad_dict[name].asnumpy(),
                                       train[f"step{step}/grad/{name}"], rtol=1e-4, atol=1e-5)
            # MXNet's optimizer gives only *_weight/*_gamma parameters weight decay
            wd = opt["wd"] if name.endswith(("_weight", "_gamma")) else 0.0
            mx.nd.sgd_mom_update(exe.arg_dict[name], exe.grad_dict[name], moms[name],
                                 out=exe.arg_dict[name], lr=opt["learning_rate"],
                                 momentum=opt["momentum"], wd=wd,
                                 rescale_grad=meta["effective_rescale_grad"])
            np.testing.assert_allclose(exe.arg_dict[name].asnumpy(),
                                       train[f"step{step}/param/{name}"], rtol=1e-5, atol=1e-6)
    for name in names:
        np.testing.assert_allclose(exe.arg_dict[name].asnumpy(), arg_params[name].asnumpy(),
                                   rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(moms[name].asnumpy(),
                                   train[f"final_state/momentum/{name}"], rtol=1e-4, atol=1e-5)
    # and our checkpoint of the result reads back exactly
    mx.model.save_checkpoint(str(tmp_path / "again"), 5, symbol,
                             {n: exe.arg_dict[n] for n in names}, aux_params)
    sym2, args2, _ = mx.model.load_checkpoint(str(tmp_path / "again"), 5)
    assert sym2.tojson() == symbol.tojson()
    for name in names:
        np.testing.assert_array_equal(args2[name].asnumpy(), exe.arg_dict[name].asnumpy())
