"""House rules that keep the architecture honest (DESIGN.md section 2)."""
import ast
import os

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "mxtorch")

# Where torch may be imported: the seam. Everything else uses nd/F operators.
TORCH_ALLOWED = (
    "_torch/", "ops/", "ndarray/ndarray.py", "ndarray/_indexing.py", "ndarray/utils.py",
    "ndarray/sparse.py", "autograd.py", "context.py", "symbol/compiler.py",
    "gluon/data/dataloader.py",  # worker plumbing: torch.utils.data processes, shared memory
    "kvstore/dist",  # kvstore/dist*.py: torch.distributed group, collectives, RPC (DESIGN.md 7)
)
MAX_LINES = 1500


def _modules():
    for base, _, files in os.walk(ROOT):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(base, name)
                yield os.path.relpath(path, ROOT).replace(os.sep, "/"), path


def _imports_torch(path):
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "torch"
                                                for a in node.names):
            return node.lineno
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.split(".")[0] == "torch" and node.level == 0:
            return node.lineno
    return None


@pytest.mark.parametrize("rel,path", list(_modules()), ids=lambda x: x if "/" in x else "")
def test_torch_only_behind_the_seam(rel, path):
    line = _imports_torch(path)
    if line is not None:
        assert rel.startswith(TORCH_ALLOWED), (
            f"mxtorch/{rel}:{line} imports torch; only {TORCH_ALLOWED} may (use nd/F ops)")


@pytest.mark.parametrize("rel,path", list(_modules()), ids=lambda x: x if "/" in x else "")
def test_file_size(rel, path):
    with open(path) as f:
        lines = sum(1 for _ in f)
    assert lines <= MAX_LINES, f"mxtorch/{rel} has {lines} lines (limit {MAX_LINES}): split it"


def test_no_foreign_license_headers():
    for rel, path in _modules():
        with open(path) as f:
            head = f.read(2000)
        assert "Licensed to the " + "Apache Software Foundation" not in head, rel
