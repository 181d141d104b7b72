"""Behaviour of the small core modules: base helpers, error, registry, log, libinfo, profiler,
attribute/name/context class properties, util ufunc helpers, model, operator, test_utils.

Expected values were captured from MXNet 1.9.1 (the oracle) unless stated otherwise.
"""
import json
import logging
import os
import re
import time
import types
import warnings

import numpy as np
import pytest

import mxtorch as mx
from mxtorch import base, error, log, profiler, registry, util


# --------------------------------------------------------------------------------------------
# base
# --------------------------------------------------------------------------------------------


def test_build_param_doc_matches_mxnet():
    assert base.build_param_doc(["a", "b", "a"], ["int", "NDArray"], ["first arg", "second"]) \
        == "Parameters\n----------\na : int\n    first arg\nb : NDArray\n    second\n"
    assert base.build_param_doc(["a", "a"], ["int", "x"], ["one", "dup"], remove_dup=False) \
        == "Parameters\n----------\na : int\n    one\na : x\n    dup\n"
    assert base.build_param_doc([], [], []) == "Parameters\n----------\n\n"


def test_with_metaclass_and_classproperty():
    class Meta(type):
        pass

    class A(base.with_metaclass(Meta, object)):
        pass
    assert type(A) is Meta and A.__mro__ == (A, object)

    class C(base.with_metaclass(base._MXClassPropertyMetaClass, object)):
        _v = 3

        @base.classproperty
        def v(cls):
            return cls._v

        @v.setter
        def v(cls, value):
            cls._v = value
    assert C.v == 3 and C().v == 3
    C.v = 5
    assert C.v == 5 and isinstance(C.__dict__["v"], base._ClassProperty)


def test_add_fileline_to_docstring(tmp_path):
    mod = types.ModuleType("fileline_mod")

    def documented():
        """doc"""

    def undocumented():
        pass
    documented.__module__ = undocumented.__module__ = "fileline_mod"
    mod.documented, mod.undocumented = documented, undocumented
    base.add_fileline_to_docstring(mod)
    assert re.fullmatch(r"doc\n\nFrom:.*test_core_modules\.py:\d+", documented.__doc__)
    assert undocumented.__doc__ is None
    before = documented.__doc__
    base.add_fileline_to_docstring(mod)  # idempotent, as in MXNet
    assert documented.__doc__ == before


def test_data_dir(monkeypatch):
    monkeypatch.delenv("MXNET_HOME", raising=False)
    assert base.data_dir() == base.data_dir_default() == os.path.join(
        os.path.expanduser("~"), ".mxnet")
    monkeypatch.setenv("MXNET_HOME", "/tmp/somewhere")
    assert base.data_dir() == "/tmp/somewhere"


def test_python2_names():
    assert base.long is int and base.basestring is str and base.string_types == (str,)


# --------------------------------------------------------------------------------------------
# error
# --------------------------------------------------------------------------------------------


def test_error_registry_like_mxnet():
    for name in ("InternalError", "ValueError", "TypeError", "AttributeError", "IndexError",
                 "NotImplementedError", "NotImplementedForSymbol"):
        assert name in base.error_types
    assert error.register is base.register_error
    assert issubclass(error.InternalError, mx.MXNetError)
    msg = str(error.InternalError("boom"))
    assert msg.startswith("boom\nMXNet hint: You hit an internal error.")
    assert str(error.InternalError("x MXNet hint: given")) == "x MXNet hint: given"


def test_register_error_forms():
    @error.register
    class FooError(mx.MXNetError):
        pass

    @error.register("BarErr")
    class BarError(mx.MXNetError):
        pass
    assert base.error_types["FooError"] is FooError
    assert base.error_types["BarErr"] is BarError and "BarError" not in base.error_types
    assert error.register("KeyErr", KeyError) is KeyError
    with pytest.raises(TypeError, match="not an exception class"):
        error.register("Bad", int)
    for key in ("FooError", "BarErr", "KeyErr"):
        del base.error_types[key]


# --------------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------------


class _Thing:
    def __init__(self, a=1, b=2):
        self.a, self.b = a, b


def _factory():
    base_cls = type("Thing", (_Thing,), {})
    return (base_cls, registry.get_register_func(base_cls, "thing"),
            registry.get_alias_func(base_cls, "thing"), registry.get_create_func(base_cls, "thing"))


def test_registry_register_alias_create():
    base_cls, register, alias, create = _factory()

    @register
    class Foo(base_cls):
        pass

    @alias("f1", "F2")
    @register
    class Bar(base_cls):
        pass
    assert registry.get_registry(base_cls) == {"foo": Foo, "bar": Bar, "f1": Bar, "f2": Bar}
    assert vars(create("foo", 5)) == {"a": 5, "b": 2}
    assert vars(create("FOO", b=7)) == {"a": 1, "b": 7}
    assert isinstance(create("f2"), Bar)
    assert vars(create('["foo", {"a": 9}]')) == {"a": 9, "b": 2}
    assert vars(create('{"thing": "foo", "a": 10}')) == {"a": 10, "b": 2}
    assert vars(create(thing="foo", a=4)) == {"a": 4, "b": 2}
    inst = Foo()
    assert create(inst) is inst and create(thing=inst) is inst
    copy = registry.get_registry(base_cls)
    copy["zzz"] = 1
    assert "zzz" not in registry.get_registry(base_cls)


def test_registry_errors_are_assertion_compatible():
    base_cls, register, _, create = _factory()

    @register
    class Foo(base_cls):
        pass
    with pytest.raises(AssertionError, match="nope is not registered"):
        create("nope")
    with pytest.raises(mx.MXNetError, match="must be of string type"):
        create(3)
    with pytest.raises(AssertionError, match="subclasses of Thing"):
        register(int)
    with pytest.raises(AssertionError, match="already an instance"):
        create(Foo(), 1)
    with pytest.raises(mx.MXNetError, match="give the thing name"):
        create()
    with pytest.warns(UserWarning, match="is overriding existing thing"):
        register(Foo)
    assert register(Foo, "explicit") is Foo and "explicit" in registry.get_registry(base_cls)


# --------------------------------------------------------------------------------------------
# log
# --------------------------------------------------------------------------------------------


def test_logger_format_like_mxnet(capsys):
    logger = log.get_logger("core7_fmt_test", level=log.DEBUG)
    logger.info("hello %d", 3)
    logger.debug("dbg")
    logger.log(15, "custom")
    logger.warning("warn")
    err = capsys.readouterr().err.splitlines()
    pid = os.getpid()
    pattern = r"\x1b\[{c}m{l}\d{{4}} \d\d:\d\d:\d\d {pid} .*test_core_modules\.py:" \
              r"test_logger_format_like_mxnet:\d+\]\x1b\[0m {msg}"
    for line, (color, letter, msg) in zip(err, [("32", "I", "hello 3"), ("34", "D", "dbg"),
                                                ("34", "U", "custom"), ("31", "W", "warn")]):
        assert re.fullmatch(pattern.format(c=color, l=letter, pid=pid, msg=msg), line), line
    # configured once: a second call keeps level and handlers
    again = log.get_logger("core7_fmt_test", level=log.ERROR)
    assert again is logger and again.level == log.DEBUG and len(again.handlers) == 1


def test_logger_file_and_root(tmp_path):
    path = tmp_path / "log.txt"
    logger = log.get_logger("core7_file_test", filename=str(path), filemode="w")
    logger.warning("ww")
    logger.error("e %s", "arg")
    assert path.read_text() == "ww\ne arg\n"
    assert logger.level == log.WARNING
    root_handlers = list(logging.getLogger().handlers)
    assert log.get_logger() is logging.getLogger()
    assert logging.getLogger().handlers == root_handlers
    with pytest.warns(DeprecationWarning, match="getLogger is deprecated"):
        assert log.getLogger("core7_file_test") is logger
    assert (log.CRITICAL, log.NOTSET) == (50, 0)


# --------------------------------------------------------------------------------------------
# libinfo
# --------------------------------------------------------------------------------------------


def test_libinfo_finders(monkeypatch, tmp_path):
    monkeypatch.delenv("MXNET_LIBRARY_PATH", raising=False)
    with pytest.raises(RuntimeError, match="Cannot find the native library libmxnet"):
        mx.libinfo.find_lib_path()
    with pytest.raises(RuntimeError, match="Cannot find the TVM op config"):
        mx.libinfo.find_conf_path()
    lib = tmp_path / "libmine.so"
    lib.write_bytes(b"")
    monkeypatch.setenv("MXNET_LIBRARY_PATH", str(lib))
    assert mx.libinfo.find_lib_path() == [str(lib)]
    assert mx.libinfo.__version__ == "1.9.1"


def test_library_load_explains():
    with pytest.raises(mx.MXNetError, match="does NOT exist"):
        mx.library.load("/nonexistent/libx.so")
    with pytest.raises(mx.MXNetError, match="C ABI"):
        mx.library.load(os.path.abspath(__file__))


# --------------------------------------------------------------------------------------------
# attribute / name / context class properties
# --------------------------------------------------------------------------------------------


def test_current_scopes_are_class_properties():
    assert isinstance(mx.AttrScope.current, mx.AttrScope)
    with mx.AttrScope(group="1") as scope:
        assert mx.AttrScope.current is scope
        with mx.AttrScope(lr="2") as inner:
            assert mx.AttrScope.current.get(None) == {"group": "1", "lr": "2"}  # MXNet 1.9.1
            assert inner is mx.AttrScope.current
    assert isinstance(mx.name.NameManager.current, mx.name.NameManager)
    with mx.name.Prefix("p_") as prefix:
        assert mx.name.NameManager.current is prefix
        assert mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=2).name.startswith("p_")
    old = mx.name.NameManager.current
    fresh = mx.name.NameManager()
    mx.name.NameManager.current = fresh
    try:
        assert mx.name.NameManager.current is fresh
    finally:
        mx.name.NameManager.current = old
    with pytest.raises(ValueError, match="'lr' must be a string"):
        mx.AttrScope(lr=0.1)


def test_context_default_ctx_settable():
    assert mx.Context.default_ctx == mx.cpu()
    with mx.cpu(2):
        assert mx.Context.default_ctx == mx.cpu(2)
    mx.Context.default_ctx = mx.cpu(1)
    try:
        assert mx.current_context() == mx.cpu(1)
    finally:
        mx.Context.default_ctx = mx.cpu(0)
    assert mx.current_context() == mx.cpu(0)


# --------------------------------------------------------------------------------------------
# util
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key,value,legal", [
    ("where", True, True), ("where", 1, True), ("where", None, True), ("where", "C", True),
    ("casting", "unsafe", True),
    ("casting", "bad", False), ("order", "X", True), ("dtype", None, False),
    ("dtype", "float32", True), ("dtype", "int16", False), ("dtype", np.float32, True),
    ("dtype", np.dtype("float32"), False), ("dtype", float, False), ("dtype", np.bool_, False),
    ("subok", False, True), ("subok", 1, False), ("foo", 1, False), ("out", None, False)])
def test_np_ufunc_legal_option(key, value, legal):
    assert util.np_ufunc_legal_option(key, value) is legal


def test_wrap_np_funcs():
    def unary(x, out=None):
        """unary doc"""
        return ("u", x, out)

    def binary(x1, x2, out=None):
        return ("b", x1, x2, out)
    u, b = util.wrap_np_unary_func(unary), util.wrap_np_binary_func(binary)
    assert u.__doc__ == "unary doc" and u.__wrapped__ is unary
    assert u(1) == ("u", 1, None) and u(1, out=2, dtype=None, casting="same_kind") == ("u", 1, 2)
    assert b(1, 2, out=3, where=True, subok=True) == ("b", 1, 2, 3)
    with pytest.raises(NotImplementedError, match="where=False is not implemented yet"):
        u(1, where=False)
    with pytest.raises(NotImplementedError, match="dtype=float32"):
        b(1, 2, dtype="float32")
    with pytest.raises(TypeError, match="casting=bad not understood for operator unary"):
        u(1, casting="bad")
    with pytest.raises(TypeError, match="foo is an invalid keyword to function 'binary'"):
        b(1, 2, foo=1)


def test_cuda_compute_capability_needs_gpu_context():
    with pytest.raises(ValueError, match="Expecting a gpu context"):
        util.get_cuda_compute_capability(mx.cpu())
    if mx.context.num_gpus():
        cap = util.get_cuda_compute_capability(mx.gpu(0))
        assert isinstance(cap, int) and cap >= 30


# --------------------------------------------------------------------------------------------
# profiler
# --------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_profiler(tmp_path):
    saved = profiler._SESSION
    profiler._SESSION = profiler._Session()
    yield tmp_path / "trace.json"
    profiler.set_state("stop")
    profiler._SESSION = saved


def _table_rows(text, category):
    block = text.split(f"\n{category}\n=================\n", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0]: line.split()[1:] for line in block.splitlines()[2:]}


def test_profiler_records_operators_and_objects(fresh_profiler):
    x = mx.sym.var("x")
    exe = mx.sym.FullyConnected(x, num_hidden=2, name="fc").simple_bind(mx.cpu(), x=(2, 3))
    exe.forward()  # the graph compiler's first-use imports stay out of the profiled part
    profiler.set_config(profile_all=True, aggregate_stats=True, filename=str(fresh_profiler))
    profiler.set_state("run")
    a = mx.nd.ones((4, 4))
    (mx.nd.dot(a, a) + a).wait_to_read()
    mx.nd.relu(a)
    exe.forward()
    assert mx.sym.exp(x).infer_shape(x=(2, 3))[1] == [(2, 3)]  # runs exp on meta tensors
    domain = profiler.Domain("mydomain")
    task = domain.new_task("mytask")
    task.start()
    time.sleep(0.005)
    task.stop()
    frame = domain.new_frame("myframe")
    frame.start()
    frame.stop()
    event = profiler.Event("myevent")
    event.start()
    event.stop()
    counter = domain.new_counter("mycounter", 5)
    counter.increment(3)
    counter.decrement()
    counter += 2
    counter -= 1
    domain.new_marker("mymarker").mark("thread")
    profiler.set_state("stop")
    table = profiler.dumps()
    assert table.startswith("\nProfile Statistics:\n\tNote the difference in units")
    ops = _table_rows(table, "operator")
    assert {"_ones", "dot", "broadcast_add", "relu", "FullyConnected"} <= set(ops)
    assert ops["dot"][0] == "1" and float(ops["dot"][1]) > 0
    assert ops["FullyConnected"][0] == "1"  # the compiled graph runs the op's compute
    assert "exp" not in ops  # shape inference on meta tensors is not an execution
    tasks = _table_rows(table, "mydomain")
    assert tasks["mytask"][0] == "1" and float(tasks["mytask"][1]) >= 5.0
    assert "myframe" in _table_rows(table, "mydomain,frame")
    assert "myevent" in _table_rows(table, "event")
    assert _table_rows(table, "mydomain (counters)")["mycounter"][:4] == ["5", "8", "5", "9"]
    stats = json.loads(profiler.dumps(format="json", sort_by="count", ascending=True))
    assert stats["Time"]["operator"]["dot"]["Count"] == 1
    assert stats["Counter"]["mydomain"]["mycounter"]["Value"] == 8
    profiler.dump()
    trace = json.loads(fresh_profiler.read_text())
    assert trace["displayTimeUnit"] == "ms"
    phases = {(e.get("name"), e["ph"]) for e in trace["traceEvents"]}
    assert {("dot", "B"), ("dot", "E"), ("mytask", "b"), ("mytask", "e"), ("myframe", "("),
            ("myevent", "B"), ("mymarker", "n")} <= phases
    counter_values = [e["args"]["mycounter"] for e in trace["traceEvents"] if e["ph"] == "C"]
    assert counter_values == [5, 8, 7, 9, 8]
    with pytest.raises(mx.MXNetError, match="hasn't been run"):
        profiler.dump()


def test_profiler_pause_resume_reset_and_sorting(fresh_profiler):
    profiler.set_config(aggregate_stats=True, filename=str(fresh_profiler))
    a = mx.nd.ones((3,))
    profiler.set_state("run")
    mx.nd.exp(a)
    profiler.pause()
    mx.nd.sqrt(a)
    profiler.Domain("d").new_task("paused_task").start()
    profiler.resume()
    mx.nd.exp(a)
    mx.nd.log(a)
    profiler.set_state("stop")
    mx.nd.log(a)  # not running: not recorded
    ops = _table_rows(profiler.dumps(sort_by="count"), "operator")
    assert ops["exp"][0] == "2" and ops["log"][0] == "1" and "sqrt" not in ops
    assert list(ops) == ["exp", "log"]
    assert list(_table_rows(profiler.dumps(sort_by="count", ascending=True), "operator")) \
        == ["log", "exp"]
    profiler.dumps(reset=True)
    assert profiler.dumps() == "\nProfile Statistics:\n\tNote the difference in units for " \
                               "different entries.\n"


def test_profiler_errors_and_deprecated(fresh_profiler):
    with pytest.raises(mx.MXNetError, match="cannot find argument"):
        profiler.set_config(foo=1)
    with pytest.raises(KeyError, match="'go'"):
        profiler.set_state("go")
    with pytest.raises(ValueError, match="invalid format 'xml'"):
        profiler.dumps(format="xml")
    with pytest.raises(ValueError, match="invalid sort_by 'foo'"):
        profiler.dumps(sort_by="foo")
    with pytest.raises(mx.MXNetError, match="invalid scope 'bogus'"):
        profiler.Marker(profiler.Domain("d"), "m").mark("bogus")
    with pytest.raises(mx.MXNetError, match="needs a distributed kvstore"):
        profiler.set_state("run", profile_process="server")
    assert profiler.dumps() == ""  # aggregate_stats off, as in MXNet
    with pytest.warns(DeprecationWarning):
        profiler.profiler_set_config(mode="all", filename=str(fresh_profiler))
    assert profiler._SESSION.config["profile_all"] is True
    with pytest.warns(DeprecationWarning):
        profiler.profiler_set_state("run")
    assert profiler._SESSION.state == "run"
    with pytest.warns(DeprecationWarning):
        profiler.dump_profile()
    assert json.loads(fresh_profiler.read_text())["displayTimeUnit"] == "ms"
    assert str(profiler.Domain("dd")) == "dd" and str(profiler.Counter("dd", "c")) == "c"


def test_profiler_scope_tags_operator_events(fresh_profiler):
    profiler.set_config(filename=str(fresh_profiler))
    profiler.set_state("run")
    with profiler.scope("block1"):
        with profiler.scope("inner:", append_mode=True):
            mx.nd.exp(mx.nd.ones((2,)))
    profiler.dump()
    scopes = [e["args"]["scope"] for e in json.loads(fresh_profiler.read_text())["traceEvents"]
              if e.get("name") == "exp"]
    assert scopes and set(scopes) == {"block1:inner:"}


# --------------------------------------------------------------------------------------------
# operator: get_operator_arguments and the deprecated NumpyOp / NDArrayOp
# --------------------------------------------------------------------------------------------


def test_get_operator_arguments_names_like_mxnet():
    # names captured from MXNet 1.9.1
    conv = mx.operator.get_operator_arguments("Convolution")
    assert conv.narg == 14 and conv.names == [
        "data", "weight", "bias", "kernel", "stride", "dilate", "pad", "num_filter",
        "num_group", "workspace", "no_bias", "cudnn_tune", "cudnn_off", "layout"]
    assert conv.types[0] == "NDArray-or-Symbol" and conv.types[3] == "Shape(tuple), required"
    fc = mx.operator.get_operator_arguments("FullyConnected")
    assert fc.names == ["data", "weight", "bias", "num_hidden", "no_bias", "flatten"]
    assert fc.types[4:] == ["boolean, optional, default=0", "boolean, optional, default=1"]
    concat = mx.operator.get_operator_arguments("Concat")
    assert concat == mx.operator.OperatorArguments(
        3, ["data", "num_args", "dim"], ["NDArray-or-Symbol[]", "int, required",
                                         "int, optional, default=1"])
    assert mx.operator.get_operator_arguments("_plus_scalar").names == ["data", "scalar",
                                                                        "is_int"]
    with pytest.raises(mx.MXNetError, match="no operator named 'nope'"):
        mx.operator.get_operator_arguments("nope")


class _Square(mx.operator.NumpyOp):
    def __init__(self):
        super().__init__(False)

    def forward(self, in_data, out_data):
        out_data[0][:] = in_data[0] ** 2

    def backward(self, out_grad, in_data, out_data, in_grad):
        in_grad[0][:] = 2 * in_data[0]


class _Double(mx.operator.NDArrayOp):
    def forward(self, in_data, out_data):
        out_data[0][:] = in_data[0] * 2

    def backward(self, out_grad, in_data, out_data, in_grad):
        in_grad[0][:] = out_grad[0] * 2


def test_numpy_op_and_ndarray_op_run_through_custom():
    with pytest.warns(UserWarning, match="NumpyOp has been deprecated"):
        square = _Square()
    x = mx.sym.var("x")
    y = square(data=x, name="sq")
    assert y.list_arguments() == ["x"] and y.name == "sq"
    exe = y.bind(mx.cpu(), {"x": mx.nd.array([1, 2, 3])}, args_grad={"x": mx.nd.zeros(3)})
    assert exe.forward(is_train=True)[0].asnumpy().tolist() == [1, 4, 9]  # oracle: [1, 4, 9]
    exe.backward(mx.nd.ones(3))
    assert exe.grad_dict["x"].asnumpy().tolist() == [2, 4, 6]
    with pytest.warns(UserWarning, match="NDArrayOp has been deprecated"):
        double = _Double()
    z = double(x)
    exe = z.bind(mx.cpu(), {"x": mx.nd.array([1, 2])}, args_grad={"x": mx.nd.zeros(2)})
    assert exe.forward(is_train=True)[0].asnumpy().tolist() == [2, 4]
    exe.backward(mx.nd.array([1, 10]))
    assert exe.grad_dict["x"].asnumpy().tolist() == [2, 20]
    with pytest.warns(UserWarning):
        base_op = mx.operator.PythonOp()
    assert base_op.list_arguments() == ["data"] and base_op.list_outputs() == ["output"]
    assert base_op.need_top_grad() and base_op.infer_shape([[2, 3]]) == ([[2, 3]], [[2, 3]])
    with pytest.raises(NotImplementedError):
        base_op(x)


def test_custom_op_prop_backward_storage_types():
    prop = mx.operator.CustomOpProp()
    assert prop.infer_storage_type_backward(["default"], ["default"], ["default"], ["default"],
                                            []) == (["default"], ["default"], ["default"],
                                                    ["default"], [])
    with pytest.raises(mx.MXNetError, match="dense arrays only"):
        prop.infer_storage_type_backward(["csr"], ["default"], ["default"], ["default"], [])


# --------------------------------------------------------------------------------------------
# model
# --------------------------------------------------------------------------------------------


def test_model_namespace():
    from mxtorch import model
    param = model.BatchEndParam(epoch=1, nbatch=2, eval_metric=None, locals={})
    assert type(param).__name__ == "BatchEndParams" and param.nbatch == 2
    assert model.BASE_ESTIMATOR is object or model.SKLEARN_INSTALLED
    namespace = {}
    exec("from mxtorch.model import *", namespace)
    for name in ("save_checkpoint", "load_checkpoint", "load_params", "BatchEndParam", "cpu",
                 "Context", "nd", "sym", "np", "os", "logging", "namedtuple"):
        assert name in namespace, name
    for name in model.__all__:
        assert hasattr(model, name), name
    with pytest.raises(AttributeError):
        model.not_a_name  # noqa: B018


# --------------------------------------------------------------------------------------------
# star-imports
# --------------------------------------------------------------------------------------------


def _star(module):
    namespace = {}
    exec(f"from {module} import *", namespace)
    return namespace


def test_star_imports_give_mxnet_namespaces():
    tu = _star("mxtorch.test_utils")
    for name in ("mx", "np", "os", "sys", "time", "json", "npt", "rnd", "OrderedDict",
                 "contextmanager", "assert_almost_equal", "rand_ndarray", "default_context",
                 "Symbol", "Context", "array", "setenv", "getenv"):
        assert name in tu, name
    assert tu["mx"] is mx and tu["np"] is np and tu["rnd"] is np.random
    ag = _star("mxtorch.autograd")
    assert ag["NDArray"] is mx.nd.NDArray and ag["Symbol"] is mx.sym.Symbol
    assert {"record", "pause", "traceback", "Lock", "string_types"} <= set(ag)
    assert {"AttrScope", "classproperty", "with_metaclass", "defaultdict"} <= set(
        _star("mxtorch.attribute"))
    assert {"Context", "cpu", "gpu_memory_info", "classproperty"} <= set(
        _star("mxtorch.context"))
    assert {"getLogger", "get_logger", "INFO", "logging"} <= set(_star("mxtorch.log"))
    assert set(_star("mxtorch.error")) - {"__builtins__"} == {"MXNetError", "register"}
    top = _star("mxtorch")
    for name in ("nd", "sym", "autograd", "profiler", "registry", "log", "error", "cpu",
                 "gpu", "Context", "AttrScope", "np_shape", "use_np", "is_np_array", "viz",
                 "rnd", "test_utils"):
        assert name in top, name


# --------------------------------------------------------------------------------------------
# test_utils helpers that were missing
# --------------------------------------------------------------------------------------------


def test_download_from_file_url(tmp_path):
    from mxtorch import test_utils as tu
    src = tmp_path / "src.bin"
    src.write_bytes(b"payload")
    got = tu.download(src.as_uri(), dirname=str(tmp_path / "out"))
    assert got == str(tmp_path / "out" / "src.bin") and open(got, "rb").read() == b"payload"
    src.write_bytes(b"changed")
    assert open(tu.download(src.as_uri(), dirname=str(tmp_path / "out")), "rb").read() \
        == b"payload"  # exists: kept
    assert open(tu.download(src.as_uri(), dirname=str(tmp_path / "out"), overwrite=True),
                "rb").read() == b"changed"
    with pytest.raises(ValueError, match="retries must be >= 0"):
        tu.download(src.as_uri(), retries=-1)
    with pytest.raises(mx.MXNetError, match="after 2 attempt"):
        tu.download((tmp_path / "missing.bin").as_uri(), dirname=str(tmp_path), retries=1)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_zip_bz2_and_model_downloads(tmp_path):
    import bz2
    import zipfile
    from mxtorch import test_utils as tu
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inner/a.txt", "A")
    data_dir = tmp_path / "data"
    tu.get_zip_data(str(data_dir), archive.as_uri(), "pack.zip")
    assert (data_dir / "inner" / "a.txt").read_text() == "A"
    packed = tmp_path / "kdd.t.bz2"
    packed.write_bytes(bz2.compress(b"line1\nline2\n"))
    tu.get_bz2_data(str(data_dir), "kdd.t", packed.as_uri(), "kdd.t.bz2")
    assert (data_dir / "kdd.t").read_bytes() == b"line1\nline2\n"
    assert not (data_dir / "kdd.t.bz2").exists()
    # a checkpoint served from file:// URLs loads with load_checkpoint
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    mx.model.save_checkpoint(str(tmp_path / "src"), 0, net,
                             {"fc_weight": mx.nd.ones((2, 3)), "fc_bias": mx.nd.zeros(2)}, {})
    meta = {"tiny": {"symbol": (tmp_path / "src-symbol.json").as_uri(),
                     "params": (tmp_path / "src-0000.params").as_uri()}}
    prefix, epoch = tu.download_model("tiny", str(tmp_path / "models"), meta)
    assert (prefix, epoch) == (str(tmp_path / "models" / "tiny"), 0)
    sym, args, _ = mx.model.load_checkpoint(prefix, epoch)
    assert sym.list_arguments() == ["data", "fc_weight", "fc_bias"]
    assert args["fc_weight"].asnumpy().tolist() == [[1, 1, 1], [1, 1, 1]]
    assert tu.download_model("not-a-model") == (None, 0)
    assert "imagenet1k-resnet-18" in tu._default_model_info()


def test_real_eigenvalue_matrices():
    from mxtorch import test_utils as tu
    np.random.seed(3)
    m = tu.new_matrix_with_real_eigvals_2d(4)
    eig = np.linalg.eigvals(m)
    assert np.allclose(eig.imag, 0) and np.all(np.abs(eig.real) <= 10)
    s = tu.new_sym_matrix_with_real_eigvals_nd((2, 3, 3))
    assert s.shape == (2, 3, 3) and np.allclose(s, s.transpose(0, 2, 1))
    assert tu.new_matrix_with_real_eigvals_nd((2, 2, 3, 3)).shape == (2, 2, 3, 3)
    q = tu.new_orthonormal_matrix_2d(5)
    assert np.allclose(q @ q.T, np.eye(5), atol=1e-10)


class _FakeParam:
    def __init__(self, value):
        self._value = value

    def data(self):
        return self._value

    def set_data(self, value):
        self._value = value


class _FakeBlock:
    """The part of the HybridBlock API check_gluon_hybridize_consistency uses."""
    seed = [0]

    def __init__(self, prefix, broken_when_hybridized=False):
        self.prefix, self.broken = prefix, broken_when_hybridized
        self.hybridized = False
        self.params = {}

    def initialize(self):
        self.seed[0] += 1
        self.params = {self.prefix + "w": _FakeParam(mx.nd.full((3,), self.seed[0]))}

    def hybridize(self):
        self.hybridized = True

    def collect_params(self):
        return self.params

    def __call__(self, x):
        out = x * self.params[self.prefix + "w"].data()
        return out + 1 if self.hybridized and self.broken else out


def test_check_gluon_hybridize_consistency():
    from mxtorch import test_utils as tu
    data = [mx.nd.array([1.0, 2.0, 3.0])]
    # every block gets the first block's parameters (1.0), whatever its own init drew
    tu.check_gluon_hybridize_consistency(lambda prefix: _FakeBlock(prefix), data,
                                         numpy_func=lambda x: x * 1.0)
    with pytest.raises(AssertionError):
        tu.check_gluon_hybridize_consistency(
            lambda prefix: _FakeBlock(prefix, broken_when_hybridized=True), data)


def _write_idx(path, array):
    import gzip
    import struct
    header = struct.pack(">HBB", 0, 8, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_mnist_getters_use_local_files(tmp_path, monkeypatch):
    from mxtorch import test_utils as tu
    monkeypatch.chdir(tmp_path)
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    for prefix in ("train", "t10k"):
        _write_idx(f"{prefix}-images-idx3-ubyte.gz", images)
        _write_idx(f"{prefix}-labels-idx1-ubyte.gz", np.array([7, 3]))
    data = tu.get_mnist()  # files present: nothing is downloaded
    assert data["train_data"].shape == (2, 1, 28, 28) and data["train_data"].dtype == np.float32
    np.testing.assert_allclose(data["test_data"][1, 0], images[1] / 255, rtol=1e-6)
    assert data["train_label"].dtype == np.int8 and data["test_label"].tolist() == [7, 3]
    os.makedirs("data/cifar")
    for name in tu._MNIST_FILES + ("mnist.pkl.gz",):
        open(os.path.join("data", name), "w").close()
    for name in ("train.rec", "test.rec", "train.lst", "test.lst"):
        open(os.path.join("data", "cifar", name), "w").close()
    tu.get_mnist_ubyte()
    tu.get_mnist_pkl()
    tu.get_cifar10()
    with pytest.raises(mx.MXNetError, match="not an unsigned-byte IDX file"):
        tu._read_idx(os.path.join("data", "cifar", "train.rec"))


def test_profiler_cooperates_with_other_profile_hooks(fresh_profiler):
    import cProfile
    import sys
    calls = []

    def python_hook(frame, event, arg):
        calls.append(event)
    sys.setprofile(python_hook)
    try:
        profiler.set_config(filename=str(fresh_profiler))
        profiler.set_state("run")
        mx.nd.exp(mx.nd.ones((2,)))
        profiler.set_state("stop")
        assert sys.getprofile() is python_hook and calls  # chained, then restored
    finally:
        sys.setprofile(None)
    cprof = cProfile.Profile()
    cprof.enable()
    try:
        with pytest.warns(UserWarning, match="suspended while mx.profiler runs"):
            profiler.set_state("run")
        profiler.set_state("stop")
        assert sys.getprofile() is cprof  # cProfile is back
    finally:
        cprof.disable()
