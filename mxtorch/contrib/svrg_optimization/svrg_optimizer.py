"""The optimizer side of SVRG: the corrected gradient is formed before the wrapped optimizer
runs (see SVRGModule.update), so any registered optimizer applies unchanged."""
import mxtorch as mx  # noqa: F401 - MXNet's module namespace has ``mx``
