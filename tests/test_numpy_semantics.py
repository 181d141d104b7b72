"""mx.np semantics against MXNet 1.9.1, line by line: ``tools/np_semantics_probe.py`` prints
one line per case (dtype, shape and values, or the error kind); the fixture holds MXNet's
output. Values print with full float precision, so the comparison is exact. Both sides
raising counts as agreement (mxtorch's messages name the op instead of a C++ traceback)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = os.path.join(ROOT, "tools", "np_semantics_probe.py")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "numpy", "semantics_mxnet.txt")

# compat/numpy.md: mxtorch computes these where 1.9.1 fails or lacks the feature
DEVIATIONS = {"iter 0d", "triu", "pad const val", "pad width int", "floor_divide",
              "npx.masked_softmax"}


def _cases(text):
    out = {}
    for line in text.splitlines():
        if " => " in line:
            label, result = line.split(" => ", 1)
        elif " ERR " in line:
            label, result = line.split(" ERR ", 1)[0], "ERR"
        else:
            continue
        out[label] = result
    return out


def test_semantics_match_mxnet():
    done = subprocess.run([sys.executable, PROBE], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(FIXTURE) as f:
        want = _cases(f.read())
    got = _cases(done.stdout)
    assert len(want) > 110 and set(want) == set(got)
    bad = [f"{k}: mxnet {want[k]!r} / mxtorch {got[k]!r}" for k in want
           if k not in DEVIATIONS and want[k] != got[k]]
    assert not bad, "\n".join(bad)
    still = [k for k in DEVIATIONS if want[k] == got[k]]
    assert not still, f"now matching MXNet; drop from DEVIATIONS and compat/numpy.md: {still}"
