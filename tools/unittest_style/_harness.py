"""Mini test runner used by every check script (neither interpreter needs pytest).

``main(globals())`` at the end of a script runs each ``test_*`` function in definition order,
seeded like MXNet's test fixture does, and prints one JSON line per test::

    {"test": name, "ok": bool, "error": "<last line of the traceback>", "seconds": float}

``python check_x.py -k SUBSTR`` runs only the tests whose names contain SUBSTR; ``-v`` prints
full tracebacks to stderr.
"""
import json
import random
import sys
import time
import traceback

import numpy as np


def _seed(seed):
    import mxnet as mx
    np.random.seed(seed)
    mx.random.seed(seed)
    random.seed(seed)


def main(namespace):
    args = sys.argv[1:]
    only = args[args.index("-k") + 1] if "-k" in args else None
    verbose = "-v" in args
    tests = [(name, fn) for name, fn in namespace.items()
             if name.startswith("test_") and callable(fn)]
    for name, fn in tests:
        if only and only not in name:
            continue
        _seed(1234)
        start = time.time()
        record = {"test": name, "ok": True, "error": ""}
        try:
            fn()
        except BaseException as err:  # noqa: BLE001 - the runner reports every failure
            if isinstance(err, KeyboardInterrupt):
                raise
            record["ok"] = False
            tb = traceback.format_exc()
            record["error"] = "%s: %s" % (type(err).__name__, str(err).splitlines()[0][:300]
                                          if str(err) else "")
            frames = [ln.strip() for ln in tb.splitlines() if ln.strip().startswith("File ")]
            record["where"] = frames[-1] if frames else ""
            if verbose:
                sys.stderr.write(tb)
        record["seconds"] = round(time.time() - start, 3)
        print(json.dumps(record), flush=True)
