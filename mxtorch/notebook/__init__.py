"""``mx.notebook``: live training charts in Jupyter (:mod:`.callback`). The charts need
``bokeh`` and the logger needs ``pandas``; without them the module still imports (``bokeh``
is then a placeholder class, as in MXNet) and using a chart raises an ImportError."""
try:
    import bokeh  # noqa: F401
except ImportError:
    class Bokeh_Failed_To_Import:  # noqa: N801 - MXNet's name
        """Stands for ``bokeh`` when it is not installed."""
    bokeh = Bokeh_Failed_To_Import
