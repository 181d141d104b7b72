# Put this directory first on PYTHONPATH (python -m mxtorch.launch does so for ssh workers):
# `import mxnet` then gives mxtorch in that process.
__mxtorch_shim__ = True
import mxtorch.compat as _compat  # noqa: E402
_compat.install()
