"""``mx.profiler``: wall-clock profiling of operators and of user-defined ranges.

``set_config(...)``, ``set_state('run')``, run code, ``set_state('stop')``, then ``dumps()``
(a table of aggregate statistics, with ``aggregate_stats=True``) or ``dump()`` (a Chrome trace
``filename``, viewable in chrome://tracing or Perfetto). While running, every mxtorch operator
execution (nd, Symbol/Executor, hybridized blocks) is timed under the ``operator`` category with
its MXNet name. ``Domain``/``Task``/``Frame``/``Event``/``Counter``/``Marker`` record ranges,
values and instants of your own.

Operator timing hooks the interpreter's profile function only while the profiler runs, so it
costs nothing otherwise. Times are host wall-clock: on a GPU they measure the launch unless the
code synchronizes. MXNet's C-API and memory statistics have no equivalent (see COMPAT.md).
"""
import contextlib
import json
import sys
import threading
import time
import types
import warnings

from .base import MXNetError, NotSupportedError, py_str  # noqa: F401 - py_str: MXNet's namespace

__all__ = ["set_config", "set_state", "dump", "dumps", "pause", "resume", "dump_profile",
           "profiler_set_config", "profiler_set_state", "set_kvstore_handle", "Domain", "Task",
           "Frame", "Event", "Counter", "Marker", "scope", "warnings", "py_str",
           "profiler_kvstore_handle"]

_DEFAULTS = {"profile_all": False, "profile_symbolic": True, "profile_imperative": True,
             "profile_memory": True, "profile_api": True, "filename": "profile.json",
             "continuous_dump": True, "dump_period": 1.0, "aggregate_stats": False,
             "profile_process": "worker"}
_SORT_KEYS = ("total", "avg", "min", "max", "count")
_MARK_SCOPES = {"global": "g", "process": "p", "thread": "t", "task": "t", "marker": "t"}

profiler_kvstore_handle = None


class _Session:
    """Everything recorded since the last reset: trace events and aggregate statistics."""

    def __init__(self):
        self.lock = threading.Lock()
        self.config = dict(_DEFAULTS)
        self.configured = False
        self.state = "stop"
        self.paused = False
        self.ran = False
        self.events = []
        self.times = {}      # category -> name -> [count, total_us, min_us, max_us]
        self.counters = {}   # category -> name -> [updates, last, min, max, sum]
        self.pids = {}
        self.scope = "<unk>:"

    def recording(self):
        return self.configured and not self.paused

    def pid(self, category):
        if category not in self.pids:
            self.pids[category] = len(self.pids)
            self.events.append({"ph": "M", "args": {"name": category},
                                "pid": self.pids[category], "name": "process_name"})
        return self.pids[category]

    def add_range(self, category, name, start_ns, end_ns, phases=("B", "E"), extra=None):
        duration = (end_ns - start_ns) / 1000.0
        tid = threading.get_ident()
        with self.lock:
            pid = self.pid(category)
            for phase, stamp in zip(phases, (start_ns, end_ns)):
                event = {"name": name, "cat": category, "ph": phase, "ts": _wall_us(stamp),
                         "pid": pid, "tid": tid}
                event.update(extra or {})
                self.events.append(event)
            if self.config["aggregate_stats"]:
                row = self.times.setdefault(category, {}).setdefault(
                    name, [0, 0.0, float("inf"), 0.0])
                row[0] += 1
                row[1] += duration
                row[2] = min(row[2], duration)
                row[3] = max(row[3], duration)

    def add_instant(self, category, name, event):
        with self.lock:
            event.update(name=name, cat=category, ts=_wall_us(time.perf_counter_ns()),
                         pid=self.pid(category), tid=threading.get_ident())
            self.events.append(event)
            if self.config["aggregate_stats"] and event["ph"] == "n":
                row = self.times.setdefault(category, {}).setdefault(
                    name, [0, 0.0, 0.0, 0.0])
                row[0] += 1

    def add_counter(self, category, name, value):
        self.add_instant(category, name, {"ph": "C", "args": {name: value}})
        if self.config["aggregate_stats"]:
            with self.lock:
                row = self.counters.setdefault(category, {}).setdefault(
                    name, [0, value, value, value, 0])
                row[0] += 1
                row[1] = value
                row[2] = min(row[2], value)
                row[3] = max(row[3], value)
                row[4] += value


_SESSION = _Session()
_WALL_OFFSET_NS = time.time_ns() - time.perf_counter_ns()


def _wall_us(perf_ns):
    return (perf_ns + _WALL_OFFSET_NS) // 1000


# --------------------------------------------------------------------------------------------
# operator timing: a profile hook that reacts only to OpDef compute functions
# --------------------------------------------------------------------------------------------


class _OpHook:
    """Times calls of registered operators' compute functions, by code object.

    Several operators may share one compute code object (closures from one factory); their
    closure cells then tell them apart.
    """

    def __init__(self):
        self.codes = {}      # code -> op name, or None when the closure decides
        self.closures = {}   # code -> {closure key: op name}
        self.local = threading.local()
        self.previous = None
        self.suspended = None
        self.active = False

    def build(self):
        from .ops import REGISTRY
        for code in _dunder_codes():
            self.codes[code] = None
            self.closures[code] = _BY_OP_VARIABLE
        self.codes.update(_creation_codes())
        seen = {}
        for op in {id(o): o for o in REGISTRY.values()}.values():
            func = op.compute
            if isinstance(func, types.FunctionType):
                seen.setdefault(func.__code__, []).append((func, op.name))
        for code, entries in seen.items():
            if len(entries) == 1:
                self.codes[code] = entries[0][1]
                continue
            self.codes[code] = None
            table = self.closures.setdefault(code, {})
            for func, name in entries:
                table.setdefault(_closure_key(func), name)

    def name_of(self, frame):
        code = frame.f_code
        name = self.codes.get(code, False)
        if name is None:
            local_vars = frame.f_locals
            table = self.closures[code]
            if table is _BY_OP_VARIABLE:
                return getattr(local_vars.get("op"), "name", code.co_name)
            key = tuple(id(local_vars.get(v)) for v in code.co_freevars)
            name = table.get(key, code.co_name)
        return name

    def __call__(self, frame, event, arg):
        if not self.active:  # a thread started while profiling keeps the hook: stay silent
            return
        if self.previous is not None:
            self.previous(frame, event, arg)
        if event == "call":
            if frame.f_code in self.codes:
                stack = self._stack()
                stack.append((frame, self.name_of(frame), time.perf_counter_ns()))
        elif event == "return":
            stack = getattr(self.local, "stack", None)
            if stack and stack[-1][0] is frame:
                _, name, start = stack.pop()
                if _is_meta(arg):  # shape inference on meta tensors, not an execution
                    return
                _SESSION.add_range("operator", name, start, time.perf_counter_ns(),
                                   extra={"args": {"scope": _SESSION.scope}})

    def _stack(self):
        stack = getattr(self.local, "stack", None)
        if stack is None:
            stack = self.local.stack = []
        return stack

    def start(self):
        if self.active:
            return
        if not self.codes:
            self.build()
        previous = sys.getprofile()
        if previous is not None and not callable(previous):
            warnings.warn(f"profiler: the active profile hook ({type(previous).__name__}, e.g. "
                          "cProfile) is suspended while mx.profiler runs", stacklevel=3)
        self.previous = previous if callable(previous) else None
        self.suspended = None if callable(previous) else previous
        sys.setprofile(self)
        threading.setprofile(self)
        self.active = True

    def stop(self):
        if not self.active:
            return
        restore = self.previous if self.previous is not None else self.suspended
        if restore is not None and not callable(restore):
            restore.enable()  # a C-level profiler such as cProfile.Profile
        else:
            sys.setprofile(restore)
        threading.setprofile(None)
        self.previous = self.suspended = None
        self.active = False


_BY_OP_VARIABLE = {}  # marker: the operator is the closure variable ``op``


def _dunder_codes():
    """Code objects of the NDArray operator fast paths (``a + b``...), which call torch
    kernels directly; their closures hold the OpDef as ``op``."""
    from .ndarray import ndarray as nd_module
    codes = []
    for factory in ("make_array_op", "make_scalar_op"):
        func = getattr(nd_module, factory, None)
        for const in getattr(getattr(func, "__code__", None), "co_consts", ()):
            if isinstance(const, types.CodeType) and "op" in const.co_freevars:
                codes.append(const)
    return codes


def _creation_codes():
    """Array creation helpers that are operators in MXNet (``nd.zeros`` runs ``_zeros``)."""
    from .ndarray import utils
    names = {"zeros": "_zeros", "ones": "_ones", "full": "_full"}
    return {getattr(utils, f).__code__: op for f, op in names.items()
            if isinstance(getattr(utils, f, None), types.FunctionType)}


def _is_meta(value):
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
    return getattr(value, "is_meta", False) is True


def _closure_key(func):
    return tuple(id(cell.cell_contents) for cell in (func.__closure__ or ()))


_HOOK = _OpHook()


def _profiles_ops():
    cfg = _SESSION.config
    return cfg["profile_all"] or cfg["profile_imperative"] or cfg["profile_symbolic"]


def _sync_hook():
    if _SESSION.state == "run" and not _SESSION.paused and _profiles_ops():
        _HOOK.start()
    else:
        _HOOK.stop()


# --------------------------------------------------------------------------------------------
# configuration and state
# --------------------------------------------------------------------------------------------


def set_config(**kwargs):
    """Configure the profiler (keyword arguments only).

    Parameters
    ----------
    filename : str, default 'profile.json'
        Where ``dump`` writes the Chrome trace.
    profile_all : bool
        Profile everything (operators and user objects).
    profile_symbolic, profile_imperative : bool, default True
        Time operators (mxtorch times every operator when either is on).
    profile_memory, profile_api : bool
        Accepted; mxtorch records no memory or C-API statistics.
    continuous_dump : bool, dump_period : float
        Accepted; the trace is written by ``dump``.
    aggregate_stats : bool, default False
        Keep the statistics ``dumps`` prints.
    profile_process : {'worker', 'server'}, default 'worker'
    """
    unknown = sorted(set(kwargs) - set(_DEFAULTS))
    if unknown:
        raise MXNetError(f"profiler.set_config: cannot find argument(s) {unknown}; possible "
                         f"arguments: {sorted(_DEFAULTS)}")
    process = kwargs.get("profile_process", "worker")
    _check_process(process, "set_config")
    if process == "server":
        _server_unsupported("set_config")
    _SESSION.config.update(kwargs)
    _SESSION.config["filename"] = py_str(_SESSION.config["filename"])
    _SESSION.configured = True
    _sync_hook()


def _check_process(process, where):
    if process not in ("worker", "server"):
        raise MXNetError(f"profiler.{where}: profile_process must be 'worker' or 'server', got "
                         f"{process!r}")


def _server_unsupported(where):
    if profiler_kvstore_handle is None:
        raise MXNetError(f"profiler.{where}(profile_process='server') needs a distributed "
                         "kvstore; create one first (its handle is set with set_kvstore_handle)")
    raise NotSupportedError(f"profiler.{where}(profile_process='server'): profiling kvstore "
                            "server processes is not supported by mxtorch")


def set_state(state="stop", profile_process="worker"):
    """Start (``'run'``) or stop (``'stop'``) profiling.

    Parameters
    ----------
    state : {'run', 'stop'}, default 'stop'
    profile_process : {'worker', 'server'}, default 'worker'
    """
    if state not in ("run", "stop"):
        raise KeyError(f"profiler.set_state: state {state!r} is not one of 'run', 'stop'")
    _check_process(profile_process, "set_state")
    if profile_process == "server":
        _server_unsupported("set_state")
    _SESSION.state = state
    if state == "run":
        _SESSION.configured = True
        _SESSION.ran = True
        _SESSION.paused = False
    _sync_hook()


def pause(profile_process="worker"):
    """Stop recording for a while without ending the session (``resume`` continues)."""
    _check_process(profile_process, "pause")
    if profile_process == "server":
        _server_unsupported("pause")
    _SESSION.paused = True
    _sync_hook()


def resume(profile_process="worker"):
    """Continue recording after ``pause``."""
    _check_process(profile_process, "resume")
    if profile_process == "server":
        _server_unsupported("resume")
    _SESSION.paused = False
    _sync_hook()


def set_kvstore_handle(handle):
    """Remember the kvstore whose server processes ``profile_process='server'`` refers to."""
    global profiler_kvstore_handle
    profiler_kvstore_handle = handle


@contextlib.contextmanager
def scope(name="<unk>:", append_mode=False):
    """``with profiler.scope('block1:'):`` tags the operator events recorded inside (the
    ``scope`` argument of their trace events); ``append_mode`` nests under the current scope."""
    if not isinstance(name, str):
        raise TypeError(f"profiler.scope: name must be a str, got {type(name).__name__}")
    old = _SESSION.scope
    if not name.endswith(":"):
        name += ":"
    _SESSION.scope = (old + name) if append_mode and old != "<unk>:" else name
    try:
        yield
    finally:
        _SESSION.scope = old


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------


def dump(finished=True, profile_process="worker"):
    """Write the Chrome trace of everything recorded to the configured ``filename``.

    Parameters
    ----------
    finished : bool, default True
        End the session: recording stops and the recorded events are dropped after writing.
    profile_process : {'worker', 'server'}, default 'worker'
    """
    _check_process(profile_process, "dump")
    if profile_process == "server":
        _server_unsupported("dump")
    if not _SESSION.configured:
        raise MXNetError("profiler.dump: the profiler hasn't been run; call set_config(...) and "
                         "set_state('run') first")
    with _SESSION.lock:
        trace = {"traceEvents": list(_SESSION.events), "displayTimeUnit": "ms"}
    with open(_SESSION.config["filename"], "w") as f:
        json.dump(trace, f)
    if finished:
        set_state("stop")
        with _SESSION.lock:
            _SESSION.events.clear()
            _SESSION.pids.clear()
        _SESSION.configured = False


def dump_profile():
    """Deprecated: use ``dump``."""
    warnings.warn("profiler.dump_profile() is deprecated. Please use profiler.dump() instead",
                  DeprecationWarning, stacklevel=2)
    dump(True)


def dumps(reset=False, format="table", sort_by="total", ascending=False):  # noqa: A002
    """The aggregate statistics (needs ``set_config(aggregate_stats=True)``).

    Parameters
    ----------
    reset : bool, default False
        Clear the statistics afterwards.
    format : {'table', 'json'}, default 'table'
    sort_by : {'total', 'avg', 'min', 'max', 'count'}, default 'total'
        Order of the rows within each category.
    ascending : bool, default False

    Returns
    -------
    str
        Times in milliseconds; '' when no statistics are kept.
    """
    if format not in ("table", "json"):
        raise ValueError(f"profiler.dumps: invalid format {format!r}; supported: 'table', "
                         "'json'")
    if sort_by not in _SORT_KEYS:
        raise ValueError(f"profiler.dumps: invalid sort_by {sort_by!r}; supported: "
                         f"{', '.join(repr(k) for k in _SORT_KEYS)}")
    if not _SESSION.config["aggregate_stats"]:
        return ""
    with _SESSION.lock:
        rows = _time_rows(sort_by, ascending)
        counters = {cat: {n: list(r) for n, r in table.items()}
                    for cat, table in _SESSION.counters.items()}
        if reset:
            _SESSION.times.clear()
            _SESSION.counters.clear()
    return _as_json(rows, counters) if format == "json" else _as_table(rows, counters)


def _time_rows(sort_by, ascending):
    """{category: [(name, count, total, min, max, avg) in ms]} sorted as asked."""
    index = {"count": 1, "total": 2, "min": 3, "max": 4, "avg": 5}[sort_by]
    out = {}
    for category, table in _SESSION.times.items():
        rows = []
        for name, (count, total, low, high) in table.items():
            low = 0.0 if low == float("inf") else low
            rows.append((name, count, total / 1e3, low / 1e3, high / 1e3,
                         total / 1e3 / count if count else 0.0))
        rows.sort(key=lambda r: r[index], reverse=not ascending)
        out[category] = rows
    return out


_HEADER = ("Name                          Total Count        Time (ms)    Min Time (ms)    "
           "Max Time (ms)    Avg Time (ms)\n"
           "----                          -----------        ---------    -------------    "
           "-------------    -------------\n")
_COUNTER_HEADER = ("Name                          Total Count            Value        Min Value"
                   "        Max Value        Avg Value\n"
                   "----                          -----------            -----        ---------"
                   "        ---------        ---------\n")


def _as_table(rows, counters):
    parts = ["\nProfile Statistics:\n\tNote the difference in units for different entries.\n"]
    for category in sorted(set(rows) | set(counters)):
        if category in rows:
            parts.append(f"{category}\n=================\n{_HEADER}")
            parts += [f"{n:<30}{c:>11}{t:>17.4f}{lo:>17.4f}{hi:>17.4f}{a:>17.4f}\n"
                      for n, c, t, lo, hi, a in rows[category]]
            parts.append("\n")
        if category in counters:
            parts.append(f"{category} (counters)\n=================\n{_COUNTER_HEADER}")
            for name, (count, last, low, high, total) in sorted(counters[category].items()):
                parts.append(f"{name:<30}{count:>11}{last:>17}{low:>17}{high:>17}"
                             f"{total / count:>17.4f}\n")
            parts.append("\n")
    return "".join(parts)


def _as_json(rows, counters):
    times = {cat: {n: {"Count": c, "Total": round(t, 4), "Min": round(lo, 4),
                       "Max": round(hi, 4), "Avg": round(a, 4)}
                   for n, c, t, lo, hi, a in table} for cat, table in rows.items()}
    values = {cat: {n: {"Count": c, "Value": last, "Min": lo, "Max": hi, "Avg": s / c}
                    for n, (c, last, lo, hi, s) in table.items()}
              for cat, table in counters.items()}
    return json.dumps({"Time": times, "Counter": values,
                       "Unit": {"Time": "ms", "Memory": "kB"}}, indent=4)


# --------------------------------------------------------------------------------------------
# deprecated 0.x/1.0 entry points
# --------------------------------------------------------------------------------------------


def profiler_set_config(mode="symbolic", filename="profile.json"):
    """Deprecated: use ``set_config``. ``mode`` is 'symbolic' or 'all'."""
    warnings.warn("profiler.profiler_set_config() is deprecated. Please use "
                  "profiler.set_config() instead", DeprecationWarning, stacklevel=2)
    if mode not in ("symbolic", "all"):
        raise ValueError(f"profiler_set_config: mode must be 'symbolic' or 'all', got {mode!r}")
    set_config(profile_all=(mode == "all"), profile_symbolic=True, filename=filename)


def profiler_set_state(state="stop"):
    """Deprecated: use ``set_state``."""
    warnings.warn("profiler.profiler_set_state() is deprecated. Please use "
                  "profiler.set_state() instead", DeprecationWarning, stacklevel=2)
    set_state(state)


# --------------------------------------------------------------------------------------------
# user-defined objects
# --------------------------------------------------------------------------------------------


class Domain:
    """A named group (a trace "process") for tasks, frames, counters and markers.

    Parameters
    ----------
    name : str
    """

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def new_task(self, name):
        """A ``Task`` in this domain."""
        return Task(self, name)

    def new_frame(self, name):
        """A ``Frame`` in this domain."""
        return Frame(self, name)

    def new_counter(self, name, value=None):
        """A ``Counter`` in this domain, optionally set to ``value``."""
        return Counter(self, name, value)

    def new_marker(self, name):
        """A ``Marker`` in this domain."""
        return Marker(self, name)


class _Range:
    """A named interval: ``start()`` ... ``stop()`` records its duration."""
    _phases = ("B", "E")

    def __init__(self, category, name):
        self._category = category
        self.name = name
        self._start = None

    def __str__(self):
        return self.name

    def start(self):
        """Begin the interval."""
        self._start = time.perf_counter_ns()

    def stop(self):
        """End the interval and record it (nothing is recorded while paused/unconfigured)."""
        if self._start is None:
            warnings.warn(f"profiler: {type(self).__name__} {self.name!r} stopped without "
                          "start(); nothing recorded", stacklevel=2)
            return
        start, self._start = self._start, None
        if _SESSION.recording():
            extra = {"id": id(self)} if self._phases == ("b", "e") else None
            _SESSION.add_range(self._category, self.name, start, time.perf_counter_ns(),
                               self._phases, extra)


class Task(_Range):
    """A logical unit of work in a domain (an async trace range).

    Parameters
    ----------
    domain : Domain
    name : str
    """
    _phases = ("b", "e")

    def __init__(self, domain, name):
        super().__init__(str(domain), name)
        self.domain = domain


class Frame(_Range):
    """A repeated region of a domain, e.g. one training iteration.

    Parameters
    ----------
    domain : Domain
    name : str
    """
    _phases = ("(", ")")

    def __init__(self, domain, name):
        super().__init__(f"{domain},frame", name)
        self.domain = domain


class Event(_Range):
    """A named interval outside any domain (category ``event``).

    Parameters
    ----------
    name : str
    """

    def __init__(self, name):
        super().__init__("event", name)


class Counter:
    """A named integer value tracked over time (``+=``, ``-=``, ``set_value``).

    Parameters
    ----------
    domain : Domain
    name : str
    value : int, optional
        Initial value.
    """

    def __init__(self, domain, name, value=None):
        self.domain = domain
        self.name = name
        self.value = 0
        if value is not None:
            self.set_value(value)

    def __str__(self):
        return self.name

    def set_value(self, value):
        """Set the counter to ``value``."""
        self.value = int(value)
        if _SESSION.recording():
            _SESSION.add_counter(str(self.domain), self.name, self.value)

    def increment(self, delta=1):
        """Add ``delta``."""
        self.set_value(self.value + delta)

    def decrement(self, delta=1):
        """Subtract ``delta``."""
        self.set_value(self.value - delta)

    def __iadd__(self, delta):
        self.increment(delta)
        return self

    def __isub__(self, delta):
        self.decrement(delta)
        return self


class Marker:
    """A named instant in a domain.

    Parameters
    ----------
    domain : Domain
    name : str
    """

    def __init__(self, domain, name):
        self.domain = domain
        self.name = name

    def mark(self, scope="process"):  # noqa: F811 - MXNet's parameter name
        """Record the instant; ``scope`` is 'global', 'process', 'thread', 'task' or 'marker'."""
        if scope not in _MARK_SCOPES:
            raise MXNetError(f"Marker.mark: invalid scope {scope!r}; valid values are "
                             f"{sorted(_MARK_SCOPES)}")
        if _SESSION.recording():
            _SESSION.add_instant(f"{self.domain},instant_marker", self.name,
                                 {"ph": "n", "s": _MARK_SCOPES[scope]})
