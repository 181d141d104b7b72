"""Command line: ``python -m mxtorch run script.py [args...]`` runs an unmodified MXNet script
on mxtorch (``import mxnet`` gives mxtorch); ``python -m mxtorch --version``.

Usage::

    python -m mxtorch run train.py --epochs 3      # the script sees sys.argv[1:] = [...]
    python -m mxtorch run -m my_package.train ...  # a module, like ``python -m``
    python -m mxtorch --version
"""
import os
import runpy
import sys

USAGE = """usage: python -m mxtorch run SCRIPT.py [ARGS...]
       python -m mxtorch run -m MODULE [ARGS...]
       python -m mxtorch --version

Runs an MXNet 1.x script unchanged on mxtorch: `import mxnet` resolves to mxtorch."""


def version_text():
    """One line: mxtorch's version, the MXNet API it implements, torch and numpy versions."""
    from importlib import metadata

    import mxtorch

    def installed(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"
    return (f"mxtorch {mxtorch.__mxtorch_version__} (MXNet {mxtorch.__version__} API) on "
            f"torch {installed('torch')}, numpy {installed('numpy')}, Python "
            f"{sys.version.split()[0]}")


def run(argv):
    """``run SCRIPT [ARGS]`` / ``run -m MODULE [ARGS]``: execute with the mxnet alias."""
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    if argv[0] == "-m" and len(argv) < 2:
        print("mxtorch run -m: missing module name\n\n" + USAGE, file=sys.stderr)
        return 2
    if argv[0] != "-m" and not os.path.exists(argv[0]):
        print(f"mxtorch run: cannot open file {argv[0]!r}: no such file", file=sys.stderr)
        return 2
    from . import compat
    compat.install()
    _export_alias_to_children(compat)
    if argv[0] == "-m":
        sys.argv = [argv[1]] + argv[2:]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    sys.argv = list(argv)
    # as `python script.py` does: the script's directory comes first on sys.path
    sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
    runpy.run_path(argv[0], run_name="__main__")
    return 0


def _export_alias_to_children(compat):
    # Child Python processes (spawned DataLoader workers, subprocesses) re-import the script:
    # a tiny `mxnet` module first on their path installs the alias there too. Subprocesses
    # read PYTHONPATH; multiprocessing's spawn copies this process's sys.path instead (here
    # the alias finder answers before sys.path is searched).
    shim = compat.child_process_path()
    paths = [shim] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    if shim not in sys.path:
        sys.path.insert(0, shim)


def main(argv=None):
    """Entry point of ``python -m mxtorch`` and the ``mxtorch`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    if argv[0] in ("--version", "-V", "version"):
        print(version_text())
        return 0
    if argv[0] == "run":
        return run(argv[1:])
    print(f"mxtorch: unknown command {argv[0]!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
