"""API-surface floors of mx.np / mx.npx against MXNet 1.9.1 (``../shared/tools/api_parity.py``;
the checker's coverage: names + class members present with compatible signatures). The only
signature left is ``float64(x=0, /)``, NumPy's own type."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "..", "shared", "tools", "api_parity.py")

FLOORS = {
    "mxnet.numpy": 99.7, "mxnet.numpy.arrayprint": 100.0, "mxnet.numpy.fallback": 100.0,
    "mxnet.numpy.fallback_linalg": 100.0, "mxnet.numpy.function_base": 100.0,
    "mxnet.numpy.io": 100.0, "mxnet.numpy.linalg": 100.0, "mxnet.numpy.multiarray": 98.9,
    "mxnet.numpy.random": 100.0, "mxnet.numpy.stride_tricks": 100.0,
    "mxnet.numpy.utils": 95.2, "mxnet.numpy_extension": 100.0,
    "mxnet.numpy_extension.image": 100.0, "mxnet.numpy_extension.random": 100.0,
    "mxnet.numpy_extension.utils": 100.0,
    # mx.nd.np / mx.sym.np (sym _internal: only the OpenCV image ops cvimdecode/cvimread/
    # cvimresize are missing, as mxtorch has no OpenCV operators; the nd ones use mx.image)
    "mxnet.ndarray.numpy": 100.0, "mxnet.ndarray.numpy._internal": 100.0,
    "mxnet.ndarray.numpy.linalg": 100.0, "mxnet.ndarray.numpy.random": 100.0,
    "mxnet.ndarray.numpy_extension": 100.0, "mxnet.ndarray.numpy_extension.image": 100.0,
    "mxnet.ndarray.numpy_extension.random": 100.0, "mxnet.symbol.numpy": 100.0,
    "mxnet.symbol.numpy._internal": 98.5, "mxnet.symbol.numpy.linalg": 100.0,
    "mxnet.numpy_dispatch_protocol": 100.0,
    "mxnet.symbol.numpy.random": 100.0, "mxnet.symbol.numpy_extension": 100.0,
    "mxnet.symbol.numpy_extension.image": 100.0, "mxnet.symbol.numpy_extension.random": 100.0,
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if not os.path.isfile(TOOL):
        pytest.skip("the API checker (../shared/tools/api_parity.py) is not there")
    out = tmp_path_factory.mktemp("np_parity") / "report.json"
    args = [sys.executable, "-W", "ignore", TOOL, "--json", str(out)]
    for name in FLOORS:
        args += ["--module", name]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {r["module"]: r for r in json.load(open(out))}


@pytest.mark.parametrize("module", sorted(FLOORS))
def test_numpy_module_reaches_its_floor(reports, module):
    r = reports[module]
    assert r["importable"], f"{module} does not import: {r.get('error')}"
    total = r["names"] + r["members"]
    ok = r["present"] + r["members_present"] - len(r["signature"])
    got = 100.0 * ok / total if total else 100.0
    assert got >= FLOORS[module], (f"{module}: {got:.1f}% < floor {FLOORS[module]}%; missing "
                                   f"{(r['missing'] + r['members_missing'])[:20]}; "
                                   f"signatures {r['signature'][:5]}")
