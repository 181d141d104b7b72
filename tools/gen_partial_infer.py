"""Write tests/fixtures/partial_infer.json: MXNet 1.9.1's partial shape/type inference answers.

Each case is a Symbol expression (evaluated with ``sym`` bound to ``mx.sym``) plus partially
known input shapes (legacy spelling: 0 = unknown dim, None = unknown shape) or dtypes. Shape
cases run twice: in legacy mode, and in NumPy-shape mode with every 0 written as -1.
Needs the oracle (real MXNet 1.9.1); not run in CI. Run from the repository root:

    ~/mxref/bin/python tools/gen_partial_infer.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from partial_infer_cases import NP_SHAPE_CASES, SHAPE_CASES, TYPE_CASES  # noqa: E402

import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "partial_infer.json")


def _np_form(shape):
    return None if shape is None else [-1 if d == 0 else d for d in shape]


def _listify(shapes):
    return None if shapes is None else [None if s is None else list(s) for s in shapes]


def _shape_case(expr, given, np_mode, convert=True):
    symbol = eval(expr, {"sym": mx.sym, "mx": mx})
    given = {k: (_np_form(v) if np_mode and convert else v) for k, v in given.items()}
    given = {k: tuple(v) for k, v in given.items() if v is not None}
    with mx.np_shape(np_mode):
        try:
            arg, out, aux = symbol.infer_shape_partial(**given)
        except mx.MXNetError as err:
            return {"error": str(err).splitlines()[0][:200]}
    return {"arg": _listify(arg), "out": _listify(out), "aux": _listify(aux),
            "names": symbol.list_arguments(), "aux_names": symbol.list_auxiliary_states()}


def _type_case(expr, given):
    symbol = eval(expr, {"sym": mx.sym, "mx": mx})
    try:
        arg, out, aux = symbol.infer_type_partial(**{k: np.dtype(v) for k, v in given.items()})
    except mx.MXNetError as err:
        return {"error": str(err).splitlines()[0][:200]}
    name = (lambda t: None if t is None else np.dtype(t).name)
    return {"arg": [name(t) for t in arg], "out": [name(t) for t in out],
            "aux": [name(t) for t in aux], "names": symbol.list_arguments()}


def main():
    shape_cases = []
    for expr, given in SHAPE_CASES:
        for np_mode in (False, True):
            shape_cases.append({"expr": expr, "np_shape": np_mode,
                                "given": {k: (_np_form(v) if np_mode else v)
                                          for k, v in given.items()},
                                "result": _shape_case(expr, given, np_mode)})
    for expr, given in NP_SHAPE_CASES:  # already in NumPy spelling (0 is a real size)
        shape_cases.append({"expr": expr, "np_shape": True, "np_only": True,
                            "given": {k: list(v) for k, v in given.items()},
                            "result": _shape_case(expr, given, True, convert=False)})
    type_cases = [{"expr": expr, "given": given, "result": _type_case(expr, given)}
                  for expr, given in TYPE_CASES]
    with open(OUT, "w") as f:  # one case per line: small diffs when the battery grows
        f.write('{"mxnet": %s,\n' % json.dumps(mx.__version__))
        for key, cases in (("shape", shape_cases), ("type", type_cases)):
            lines = ",\n".join(json.dumps(c) for c in cases)
            f.write(f'"{key}": [\n{lines}\n]' + (",\n" if key == "shape" else "}\n"))
    errors = sum("error" in c["result"] for c in shape_cases)
    print(f"{len(shape_cases)} shape cases ({errors} errors), {len(type_cases)} type cases "
          f"-> {OUT}")


if __name__ == "__main__":
    main()
