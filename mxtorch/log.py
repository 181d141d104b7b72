"""``mx.log``: loggers with MXNet's console format.

``get_logger('name', level=INFO)`` gives a logger whose console lines look like MXNet's (glog
style, coloured): ``I1203 13:19:38 7669 /path/script.py:func:5] message``. With ``filename``
the messages go to that file unformatted, as in MXNet.
"""
import logging
import warnings

from logging import CRITICAL, DEBUG, ERROR, INFO, NOTSET, WARNING

__all__ = ["CRITICAL", "DEBUG", "ERROR", "INFO", "NOTSET", "WARNING", "getLogger", "get_logger",
           "logging", "warnings"]

_LETTERS = {CRITICAL: "C", ERROR: "E", WARNING: "W", INFO: "I", DEBUG: "D"}
_RED, _GREEN, _BLUE, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[34m", "\x1b[0m"


class _Formatter(logging.Formatter):
    """glog-style prefix: level letter, date, time, process id, file:function:line."""

    def __init__(self, colored=True):
        self.colored = colored
        super().__init__(datefmt="%m%d %H:%M:%S")

    @staticmethod
    def _color(level):
        if level >= WARNING:
            return _RED
        return _GREEN if level >= INFO else _BLUE

    def format(self, record):
        label = _LETTERS.get(record.levelno, "U")
        date = self.formatTime(record, self.datefmt)
        prefix = f"{label}{date} {record.process} {record.pathname}:{record.funcName}:" \
                 f"{record.lineno}]"
        if self.colored:
            prefix = self._color(record.levelno) + prefix + _RESET
        record.message = record.getMessage()
        text = f"{prefix} {record.message}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            text += "\n" + record.exc_text
        return text


def getLogger(name=None, filename=None, filemode=None, level=WARNING):  # noqa: N802
    """Deprecated spelling of ``get_logger``."""
    warnings.warn("getLogger is deprecated, Use get_logger instead.", DeprecationWarning,
                  stacklevel=2)
    return get_logger(name, filename, filemode, level)


def get_logger(name=None, filename=None, filemode=None, level=WARNING):
    """A logger configured once with MXNet's format.

    Parameters
    ----------
    name : str, optional
        Logger name; None gives the root logger, left as it is.
    filename : str, optional
        Log to this file (plain messages) instead of the console (formatted).
    filemode : str, optional
        Mode to open ``filename`` with, default 'a'.
    level : int, default WARNING
        Level set when the logger is configured (the first call for ``name``).

    Returns
    -------
    logging.Logger
    """
    logger = logging.getLogger(name)
    if name is not None and not getattr(logger, "_init_done", None):
        logger._init_done = True
        if filename:
            handler = logging.FileHandler(filename, filemode or "a")
        else:
            handler = logging.StreamHandler()
            handler.setFormatter(_Formatter())
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger
