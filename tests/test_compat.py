"""``import mxnet`` -> mxtorch (compat.install) and ``python -m mxtorch run``."""
import os
import subprocess
import sys
import textwrap

import pytest

import mxtorch
from mxtorch import compat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Printed by MXNet 1.9.1: pickle.dumps(mx.nd.array([[1, 2], [3, 4]]), protocol=2)
MXNET_PICKLE = (
    b"\x80\x02cmxnet.ndarray.ndarray\nNDArray\nq\x00N\x85q\x01Rq\x02}q\x03X\x06\x00\x00\x00"
    b"handleq\x04c__builtin__\nbytearray\nq\x05c_codecs\nencode\nq\x06X>\x00\x00\x00\xc3\x89"
    b"\xc3\xba\xc2\x93\xc3\xb9\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00"
    b"\x02\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    b"\xc2\x80?\x00\x00\x00@\x00\x00@@\x00\x00\xc2\x80@q\x07X\x06\x00\x00\x00latin1q\x08\x86q"
    b"\tRq\n\x85q\x0bRq\x0csb.")


@pytest.fixture
def alias():
    if "mxnet" in sys.modules and sys.modules["mxnet"] is not mxtorch:
        pytest.skip("the real mxnet is imported in this process")
    compat.install()
    try:
        yield
    finally:
        compat.uninstall()


def test_install_aliases_the_same_module_objects(alias):
    import mxnet
    import mxnet.ndarray.ndarray as ndm
    import mxnet.symbol
    from mxnet import autograd, nd
    from mxnet.ndarray.ndarray import NDArray
    assert mxnet is mxtorch and sys.modules["mxnet"] is mxtorch
    assert ndm is sys.modules["mxtorch.ndarray.ndarray"]
    assert sys.modules["mxnet.ndarray"] is mxtorch.ndarray and nd is mxtorch.ndarray
    assert mxnet.symbol is mxtorch.symbol and autograd is mxtorch.autograd
    assert NDArray is mxtorch.nd.NDArray
    assert isinstance(nd.ones(2), NDArray)
    # the modules keep their own identity
    assert ndm.__name__ == "mxtorch.ndarray.ndarray"
    assert ndm.__spec__.name == "mxtorch.ndarray.ndarray"


def test_attribute_modules_and_missing_names(alias):
    import mxnet.nd
    import mxnet.sym
    assert mxnet.nd is mxtorch.ndarray and mxnet.sym is mxtorch.symbol
    with pytest.raises(ModuleNotFoundError, match="mxnet.no_such_module"):
        import mxnet.no_such_module  # noqa: F401


def test_uninstall_forgets_the_alias(alias):
    import mxnet  # noqa: F401
    compat.uninstall()
    assert not compat.installed()
    assert not any(n == "mxnet" or n.startswith("mxnet.") for n in sys.modules
                   if sys.modules[n] is mxtorch or getattr(sys.modules[n], "__name__", "")
                   .startswith("mxtorch"))
    compat.install()  # idempotent again for the fixture's cleanup
    compat.install()
    assert sys.meta_path.count(compat._FINDER) == 1


def test_unpickler_reads_mxnet_pickles():
    arr = compat.loads_pickle(MXNET_PICKLE)
    assert isinstance(arr, mxtorch.nd.NDArray)
    assert arr.asnumpy().tolist() == [[1, 2], [3, 4]]
    # the record MXNet 1.9.1 printed for the same array (see test_params_format.py)
    assert bytes(arr.__getstate__()["handle"]).hex() == (
        "c9fa93f900000000020000000200000000000000020000000000000001000000000000000000000000"
        "00803f000000400000404000008040")


def _run(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "mxtorch", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


SCRIPT = textwrap.dedent("""
    import multiprocessing
    import subprocess
    import sys
    import mxnet as mx
    from mxnet import nd
    import mxtorch
    import helper


    def worker(_):
        import mxnet
        return mxnet.__name__


    if __name__ == "__main__":
        print("alias", mx is mxtorch, nd.ones((2,)).asnumpy().sum(), helper.VALUE)
        print("argv", sys.argv[1:], __name__)
        out = subprocess.run([sys.executable, "-c", "import mxnet; print(mxnet.__name__)"],
                             capture_output=True, text=True)
        print("child", out.stdout.strip())
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            print("spawned", pool.map(worker, [0]))
        sys.exit(int(sys.argv[1]))
""")


def test_run_script_argv_name_exit_code_and_children(tmp_path):
    (tmp_path / "train.py").write_text(SCRIPT)
    (tmp_path / "helper.py").write_text("VALUE = 42\n")  # found next to the script
    done = _run("run", str(tmp_path / "train.py"), "3", "--lr", "0.1")
    assert done.returncode == 3, done.stderr[-3000:]
    assert done.stdout.splitlines() == ["alias True 2.0 42",
                                        "argv ['3', '--lr', '0.1'] __main__",
                                        "child mxtorch",  # child Pythons see the alias too
                                        "spawned ['mxtorch']"]


def test_run_module_with_an_uncaught_error(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "job.py").write_text("import sys, mxnet\nprint(mxnet.__version__, sys.argv[1:], "
                                "__name__)\nraise RuntimeError('boom from the job')\n")
    done = _run("run", "-m", "pkg.job", "x", cwd=str(tmp_path))
    assert done.returncode == 1
    assert done.stdout.strip() == "1.9.1 ['x'] __main__"
    assert "RuntimeError: boom from the job" in done.stderr


def test_command_line_version_usage_and_errors(capsys, tmp_path):
    from mxtorch.__main__ import main
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(
        f"mxtorch {mxtorch.__mxtorch_version__} (MXNet 1.9.1 API) on torch ")
    assert main([]) == 2 and "usage" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2 and "unknown command" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "nope.py")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["run"]) == 2


def test_install_refuses_a_foreign_mxnet():
    fake = type(sys)("mxnet")
    saved = sys.modules.get("mxnet")
    sys.modules["mxnet"] = fake
    try:
        with pytest.raises(mxtorch.MXNetError, match="real MXNet is already imported"):
            compat.install()
    finally:
        if saved is None:
            del sys.modules["mxnet"]
        else:
            sys.modules["mxnet"] = saved
    assert not compat.installed()
