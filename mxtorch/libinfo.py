"""``mx.libinfo``: where MXNet's native library, headers and TVM op config live.

mxtorch runs on PyTorch and ships no ``libmxnet``, C headers or ``tvmop.conf``. The finders
search the same kind of places MXNet does (``$MXNET_LIBRARY_PATH``, the package directory and
``../../lib``, ``../../build`` next to it) and, as MXNet does when nothing is found, raise
RuntimeError listing the candidates. A native library placed there is found.
"""
import logging  # noqa: F401 - part of MXNet's module namespace
import os
import platform

__all__ = ["find_lib_path", "find_include_path", "find_conf_path", "logging", "os", "platform"]
__version__ = "1.9.1"

_HERE = os.path.dirname(os.path.abspath(os.path.expanduser(__file__)))


def _search_dirs():
    return [_HERE, os.path.join(_HERE, "..", "..", "lib"), os.path.join(_HERE, "..", "..", "build"),
            os.path.join(_HERE, "..", "build")]


def _lib_suffix():
    system = platform.system()
    return {"Darwin": ".dylib", "Windows": ".dll"}.get(system, ".so")


def find_lib_path(prefix="libmxnet"):
    """Paths of the native library ``prefix`` (+ platform suffix).

    Parameters
    ----------
    prefix : str, default 'libmxnet'

    Returns
    -------
    list of str

    Raises
    ------
    RuntimeError
        When no candidate exists (always for libmxnet: mxtorch runs on PyTorch).
    """
    env = os.environ.get("MXNET_LIBRARY_PATH")
    if env:
        if os.path.isfile(env):
            return [env]
        logging.warning("MXNET_LIBRARY_PATH should point to a library file, not %s", env)
    name = prefix + _lib_suffix()
    candidates = [os.path.join(d, name) for d in _search_dirs()]
    found = [p for p in candidates if os.path.isfile(p)]
    if not found:
        raise RuntimeError(f"Cannot find the native library {name}; mxtorch implements MXNet's "
                           "API on PyTorch and has no libmxnet. List of candidates:\n"
                           + "\n".join(candidates))
    return found


def find_include_path():
    """Directory of MXNet's C/C++ headers (``$MXNET_INCLUDE_PATH`` or ``include/`` next to the
    package); raises RuntimeError when there is none, as mxtorch ships no headers."""
    env = os.environ.get("MXNET_INCLUDE_PATH")
    if env:
        if os.path.isdir(env):
            return env
        logging.warning("MXNET_INCLUDE_PATH should point to a directory, not %s", env)
    candidates = [os.path.join(_HERE, "include"), os.path.join(_HERE, "..", "include")]
    for path in candidates:
        if os.path.isdir(path):
            return path
    raise RuntimeError("Cannot find the MXNet include path; mxtorch has no C/C++ headers. "
                       "List of candidates:\n" + "\n".join(candidates))


def find_conf_path(prefix="tvmop"):
    """Path of the ``<prefix>.conf`` TVM operator config; raises RuntimeError when absent
    (mxtorch has no TVM-generated operators)."""
    name = prefix + ".conf"
    candidates = [os.path.join(d, name) for d in _search_dirs()]
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise RuntimeError(f"Cannot find the TVM op config {name}. List of candidates:\n"
                       + "\n".join(candidates))
