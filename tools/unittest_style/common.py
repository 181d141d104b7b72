"""Helpers in the style of MXNet's unit-test ``common`` module (own implementation).

The check scripts in this folder import ``mxnet`` and these helpers; ``run.py`` runs them under
real MXNet 1.9.1 and under mxtorch (``python -m mxtorch run``).
"""
import functools
import os
import random
from contextlib import contextmanager

import numpy as np

import mxnet as mx


def assertRaises(expected_exception, func, *args, **kwargs):  # noqa: N802 - MXNet's name
    """Call ``func``; fail unless it raises ``expected_exception``."""
    try:
        func(*args, **kwargs)
    except expected_exception:
        return
    raise AssertionError("%s did not raise %s" % (getattr(func, "__name__", func),
                                                  expected_exception.__name__))


@contextmanager
def random_seed(seed=None):
    """Seed numpy, mx and python RNGs inside the block; reseed them afterwards."""
    after = np.random.randint(0, np.iinfo(np.int32).max)
    if seed is None:
        seed = np.random.randint(0, np.iinfo(np.int32).max)
    np.random.seed(seed)
    mx.random.seed(seed)
    random.seed(seed)
    try:
        yield
    finally:
        np.random.seed(after)
        mx.random.seed(after)
        random.seed(after)


def with_seed(seed=None):
    """Decorator: run the test with all RNGs seeded (``MXNET_TEST_SEED`` overrides)."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            chosen = os.getenv("MXNET_TEST_SEED", seed)
            with random_seed(None if chosen is None else int(chosen)):
                return fn(*args, **kwargs)
        return run
    return wrap


@contextmanager
def environment(**values):
    """Set environment variables for the block, restoring the old values afterwards."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def xfail(reason):
    """Mark a test whose failure is expected on both implementations (skipped by the harness)."""
    def wrap(fn):
        fn.xfail_reason = reason
        return fn
    return wrap
