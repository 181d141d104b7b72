"""``python -m mxtorch.launch``: start a distributed job, with MXNet's ``tools/launch.py``
command line.

Usage::

    python -m mxtorch.launch -n 2 python train.py --kv-store dist_sync
    python -m mxtorch.launch -n 2 --launcher local "python train.py"

The local launcher starts N worker processes on this machine with both MXNet's (``DMLC_*``)
and torchrun's (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``) variables set and
``import mxnet`` redirected to mxtorch. mxtorch's stores need no scheduler or servers; with
``-s S`` (S > 0) the launcher still starts one scheduler and S server processes running the
same command with ``DMLC_ROLE=scheduler|server``, as MXNet's launcher does: their
``import mxnet`` waits until the workers have finished and exits 0. When a process fails
the others are killed and the launcher exits with its status; it exits 0 when all succeed.
``torchrun`` works as well, without this launcher.

``--launcher ssh -H hostfile`` (or just ``-H``) starts worker i on host i mod len(hosts) by
ssh, with the variables exported in the remote command and rank 0 (the rendezvous) on the
first host; ``--sync-dst-dir DIR`` copies the current directory there first (rsync). The
``import mxnet`` redirection travels along: ``python script.py`` runs as
``python -m mxtorch run script.py`` remotely and ``PYTHONPATH`` starts with mxtorch's alias
directory (valid where the hosts see mxtorch at the same path).
"""
import argparse
import os
import shlex
import signal
import socket
import subprocess
import sys
import time

__all__ = ['main', 'parse_args', 'worker_env', 'role_env', 'run_local', 'run_ssh',
           'ssh_commands', 'read_hosts', 'remote_command', 'ALIAS_DIR']

# a static directory whose mxnet.py installs the `import mxnet` alias (for remote PYTHONPATH)
ALIAS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_shims', 'alias')


def parse_args(argv=None):
    """Parse MXNet's launch.py options; `command` is the rest of the line."""
    parser = argparse.ArgumentParser(
        prog='python -m mxtorch.launch',
        description='Launch a distributed mxtorch job (MXNet tools/launch.py command line).')
    parser.add_argument('-n', '--num-workers', required=True, type=int,
                        help='number of worker processes')
    parser.add_argument('-s', '--num-servers', type=int,
                        help='number of server processes (default 0: mxtorch needs none; '
                             'S > 0 starts a scheduler and S servers that wait for the '
                             'workers and exit, as MXNet\'s launcher)')
    parser.add_argument('-H', '--hostfile', type=str,
                        help='file of hosts for --launcher ssh, one "host" or "host:sshport" '
                             'a line; workers go round-robin, rank 0 on the first host (it '
                             'hosts the rendezvous)')
    parser.add_argument('--sync-dst-dir', type=str,
                        help='ssh launcher: rsync the current directory to this directory on '
                             'every host first and run there')
    parser.add_argument('--launcher', type=str, default='local',
                        choices=['local', 'ssh', 'mpi', 'sge', 'yarn'],
                        help='how to start the processes (local or ssh)')
    parser.add_argument('--env', action='append', default=[],
                        help='extra NAME=VALUE (or NAME:VALUE) for the workers')
    parser.add_argument('--port', type=int, default=0,
                        help='rendezvous port (default: a free one)')
    parser.add_argument('command', nargs=argparse.REMAINDER, help='the command to run')
    args = parser.parse_args(argv)
    if args.num_workers < 1:
        parser.error('-n/--num-workers must be at least 1, got %d' % args.num_workers)
    if args.num_servers is not None and args.num_servers < 0:
        parser.error('-s/--num-servers must be >= 0, got %d' % args.num_servers)
    if not args.command:
        parser.error('no command to launch')
    if args.launcher not in ('local', 'ssh'):
        parser.error("--launcher %s is not supported by mxtorch (use local or ssh, or torchrun "
                     "on each host)" % args.launcher)
    if args.launcher == 'ssh' and not args.hostfile:
        parser.error('--launcher ssh needs -H/--hostfile')
    if args.hostfile and args.launcher == 'local':
        args.launcher = 'ssh'  # as MXNet's launch.py: a hostfile means ssh
    return args


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _extra_env(pairs):
    out = {}
    for item in pairs:
        sep = '=' if '=' in item else ':'
        name, found, value = item.partition(sep)
        if not found or not name:
            raise SystemExit('mxtorch.launch: --env expects NAME=VALUE, got %r' % item)
        out[name] = value
    return out


_TORCHRUN_VARS = ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'LOCAL_WORLD_SIZE', 'MASTER_ADDR',
                  'MASTER_PORT', 'DMLC_WORKER_ID', 'DMLC_SERVER_ID')


def _with_alias(base):
    from .compat import child_process_path
    env = dict(os.environ if base is None else base)
    shim = child_process_path()
    env['PYTHONPATH'] = os.pathsep.join(p for p in (shim, env.get('PYTHONPATH')) if p)
    return env


def role_env(role, world, servers, port, base=None, extra=None, server_id=0,
             addr='127.0.0.1'):
    """The environment of a scheduler or server process (``role``) of a job with `world`
    workers and `servers` servers whose rendezvous (worker 0) is at `addr`:`port`."""
    env = _with_alias(base)
    for name in _TORCHRUN_VARS:
        env.pop(name, None)
    env.update({'DMLC_ROLE': role, 'DMLC_NUM_WORKER': str(world),
                'DMLC_NUM_SERVER': str(servers), 'DMLC_PS_ROOT_URI': addr,
                'DMLC_PS_ROOT_PORT': str(port)})
    if role == 'server':
        env['DMLC_SERVER_ID'] = str(server_id)
    env.update(extra or {})
    return env


def worker_env(rank, world, port, base=None, extra=None, servers=0):
    """The environment of worker `rank` of `world` with rendezvous at 127.0.0.1:`port`
    (`servers`: the number of server processes the launcher started)."""
    env = _with_alias(base)
    env.update({'DMLC_ROLE': 'worker', 'DMLC_NUM_WORKER': str(world),
                'DMLC_NUM_SERVER': str(servers), 'DMLC_WORKER_ID': str(rank),
                'DMLC_PS_ROOT_URI': '127.0.0.1', 'DMLC_PS_ROOT_PORT': str(port),
                'RANK': str(rank), 'WORLD_SIZE': str(world), 'LOCAL_RANK': str(rank),
                'LOCAL_WORLD_SIZE': str(world), 'MASTER_ADDR': '127.0.0.1',
                'MASTER_PORT': str(port)})
    env.update(extra or {})
    return env


def _kill_all(procs):
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.time() + 5
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def run_local(command, num_workers, port=0, extra_env=None, num_servers=0):
    """Run `command` (a list of words or a shell string) as `num_workers` workers (and, when
    `num_servers` > 0, as a scheduler and `num_servers` servers); return 0 when all succeed,
    else the status of the first process that failed."""
    port = port or _free_port()
    shell = isinstance(command, str) or len(command) == 1
    line = command if isinstance(command, str) else (command[0] if shell else command)
    servers = num_servers or 0
    envs = [('worker %d' % rank, worker_env(rank, num_workers, port, extra=extra_env,
                                             servers=servers)) for rank in range(num_workers)]
    if servers:
        envs.append(('scheduler', role_env('scheduler', num_workers, servers, port,
                                           extra=extra_env)))
        envs += [('server %d' % i, role_env('server', num_workers, servers, port,
                                            extra=extra_env, server_id=i))
                 for i in range(servers)]
    procs = []
    try:
        for name, env in envs:
            procs.append(subprocess.Popen(line, shell=shell, start_new_session=True, env=env))
        return _wait(procs, [name for name, _ in envs])
    finally:
        _kill_all(procs)


def _wait(procs, names=None):
    names = names or ['worker %d' % rank for rank in range(len(procs))]
    while True:
        done = 0
        for name, p in zip(names, procs):
            code = p.poll()
            if code is None:
                continue
            if code != 0:
                sys.stderr.write('mxtorch.launch: %s exited with status %d; stopping the '
                                 'other processes\n' % (name, code))
                return code if code > 0 else 128 - code
            done += 1
        if done == len(procs):
            return 0
        time.sleep(0.05)


def read_hosts(path):
    """[(host, ssh_port or None)] from a hostfile (blank lines and # comments skipped)."""
    hosts = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            host, _, port = line.partition(':')
            hosts.append((host, int(port) if port else None))
    if not hosts:
        raise SystemExit('mxtorch.launch: hostfile %s lists no hosts' % path)
    return hosts


def _is_python(word):
    base = os.path.basename(word)
    return base.startswith('python') and all(c.isdigit() or c in '.m' for c in base[6:])


def remote_command(command):
    """`command` (a list of words or a shell string) as a shell string with the ``import
    mxnet`` redirection: ``python X.py ...`` and ``python -m M ...`` run through
    ``python -m mxtorch run`` (other commands rely on the exported PYTHONPATH)."""
    if isinstance(command, str):
        if any(c in command for c in ';&|<>()$`\n'):  # shell syntax: left as written
            return command
        words = shlex.split(command) if command.strip() else []
        if len(words) < 2 or not _is_python(words[0]) or not _plain_run(words[1:]):
            return command
        command = words
    words = list(command)
    if len(words) >= 2 and _is_python(words[0]) and _plain_run(words[1:]):
        words = [words[0], '-m', 'mxtorch', 'run'] + words[1:]
    return ' '.join(shlex.quote(c) for c in words)


def _plain_run(args):
    """Whether interpreter arguments `args` start a script or ``-m module`` (not mxtorch)."""
    if args[0] == '-m':
        return len(args) > 1 and args[1] != 'mxtorch'
    return not args[0].startswith('-')


def _ssh_line(host, ssh_port, env, workdir, words):
    env = dict(env)
    user_path = env.pop('PYTHONPATH', None)
    exports = ' '.join('export %s=%s;' % (k, shlex.quote(v)) for k, v in env.items())
    exports += ' export PYTHONPATH=%s%s;' % (shlex.quote(ALIAS_DIR), ':' + shlex.quote(user_path)
                                             if user_path else '${PYTHONPATH:+:$PYTHONPATH}')
    remote = '%s cd %s; %s' % (exports, shlex.quote(workdir or os.getcwd()), words)
    return ['ssh', '-o', 'StrictHostKeyChecking=no'] + \
        (['-p', str(ssh_port)] if ssh_port else []) + [host, remote]


def ssh_commands(command, num_workers, hosts, port, extra_env=None, workdir=None,
                 num_servers=0):
    """The ssh command lines (lists) starting each worker (worker i on host i mod
    len(hosts), the rendezvous on the first host), then, with `num_servers` > 0, the
    scheduler (first host) and the servers (round-robin)."""
    words = remote_command(command)
    placed = [hosts[rank % len(hosts)] for rank in range(num_workers)]
    names = [host for host, _ in placed]
    servers = num_servers or 0
    lines = []
    for rank, (host, ssh_port) in enumerate(placed):
        env = {'DMLC_ROLE': 'worker', 'DMLC_NUM_WORKER': str(num_workers),
               'DMLC_NUM_SERVER': str(servers), 'DMLC_WORKER_ID': str(rank),
               'DMLC_PS_ROOT_URI': names[0], 'DMLC_PS_ROOT_PORT': str(port),
               'RANK': str(rank), 'WORLD_SIZE': str(num_workers),
               'LOCAL_RANK': str(names[:rank].count(host)),
               'LOCAL_WORLD_SIZE': str(names.count(host)),
               'MASTER_ADDR': names[0], 'MASTER_PORT': str(port)}
        env.update(extra_env or {})
        lines.append(_ssh_line(host, ssh_port, env, workdir, words))
    roles = [('scheduler', 0, hosts[0])] if servers else []
    roles += [('server', i, hosts[i % len(hosts)]) for i in range(servers)]
    for role, index, (host, ssh_port) in roles:
        env = {'DMLC_ROLE': role, 'DMLC_NUM_WORKER': str(num_workers),
               'DMLC_NUM_SERVER': str(servers), 'DMLC_PS_ROOT_URI': names[0],
               'DMLC_PS_ROOT_PORT': str(port)}
        if role == 'server':
            env['DMLC_SERVER_ID'] = str(index)
        env.update(extra_env or {})
        lines.append(_ssh_line(host, ssh_port, env, workdir, words))
    return lines


def run_ssh(command, num_workers, hostfile, port=0, extra_env=None, sync_dir=None,
            num_servers=0):
    """Start the workers over ssh (see :func:`ssh_commands`); 0 when all succeed, else the
    status of the first that failed (the others' ssh sessions are ended)."""
    hosts = read_hosts(hostfile)
    port = port or 9091
    if sync_dir:
        for host, ssh_port in sorted(set(hosts)):
            shell = 'ssh -o StrictHostKeyChecking=no' + (' -p %d' % ssh_port if ssh_port else '')
            code = subprocess.call(['rsync', '-az', '-e', shell, os.getcwd() + '/',
                                    '%s:%s' % (host, sync_dir)])
            if code:
                sys.stderr.write('mxtorch.launch: rsync to %s failed (%d)\n' % (host, code))
                return code
    procs = []
    lines = ssh_commands(command, num_workers, hosts, port, extra_env, sync_dir, num_servers)
    names = ['worker %d' % rank for rank in range(num_workers)]
    names += ['scheduler'] + ['server %d' % i for i in range(len(lines) - num_workers - 1)]
    try:
        for line in lines:
            procs.append(subprocess.Popen(line, start_new_session=True))
        return _wait(procs, names)
    finally:
        _kill_all(procs)


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    args = parse_args(argv)
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if args.launcher == 'ssh':
        return run_ssh(command, args.num_workers, args.hostfile, args.port,
                       _extra_env(args.env), args.sync_dst_dir, args.num_servers or 0)
    return run_local(command, args.num_workers, args.port, _extra_env(args.env),
                     args.num_servers or 0)


if __name__ == '__main__':
    sys.exit(main())
