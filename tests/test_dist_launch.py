"""Launch paths of distributed jobs: the ssh launcher with -H and -s (a fake ``ssh`` on PATH
that runs the remote command here, without the ``import mxnet`` alias in its environment: the
launcher forwards it) and MXNet's manual launch through DMLC_* variables (a scheduler and a
server process that wait for the job and exit cleanly, two workers)."""
import json
import os
import subprocess
import sys
import time

import pytest

from mxtorch import launch

SCRIPT = '''
import json, os, sys
import mxnet as mx
kv = mx.kv.create('dist_sync')
kv.init(0, mx.nd.zeros(2))
v = mx.nd.ones(2) * (kv.rank + 1)
kv.pushpull(0, v)
with open(os.path.join(sys.argv[1], 'rank%d.json' % kv.rank), 'w') as f:
    json.dump({'sum': v.asnumpy().tolist(), 'local': [os.environ.get('LOCAL_RANK'),
               os.environ.get('LOCAL_WORLD_SIZE')], 'n': kv.num_workers}, f)
'''

FAKE_SSH = '''#!/bin/bash
# fake ssh for tests: log the arguments, run the remote command (the last one) here
echo "$@" >> "$FAKE_SSH_LOG"
exec bash -c "${@: -1}"
'''


def _shim_path():
    from mxtorch.compat import child_process_path
    return child_process_path()


@pytest.fixture(scope='module')
def jobs(tmp_path_factory):
    base = tmp_path_factory.mktemp('launch')
    script = base / 'job.py'
    script.write_text(SCRIPT)
    bindir = base / 'bin'
    bindir.mkdir()
    (bindir / 'ssh').write_text(FAKE_SSH)
    (bindir / 'ssh').chmod(0o755)
    hosts = base / 'hosts'
    hosts.write_text('# two hosts\nlocalhost\n127.0.0.1:2222\n')
    ssh_out, man_out = base / 'ssh_out', base / 'manual_out'
    ssh_out.mkdir()
    man_out.mkdir()
    env = dict(os.environ, PATH='%s:%s' % (bindir, os.environ['PATH']),
               FAKE_SSH_LOG=str(base / 'ssh.log'),
               PYTHONPATH=os.getcwd())
    ssh = subprocess.Popen([sys.executable, '-m', 'mxtorch.launch', '-n', '3', '-s', '1',
                            '-H', str(hosts),
                            '--port', str(launch._free_port()), sys.executable, str(script),
                            str(ssh_out)], env=env, stderr=subprocess.DEVNULL)
    env = dict(env, PYTHONPATH=os.pathsep.join([_shim_path(), os.getcwd()]))
    yield {'ssh': ssh, 'base': base, 'ssh_out': ssh_out, 'env': env, 'script': script,
           'man_out': man_out}
    if ssh.poll() is None:
        ssh.kill()
        ssh.wait()


@pytest.fixture(scope='module')
def manual(jobs):
    """Started after the ssh job ended (fewer processes at once on a loaded machine)."""
    jobs['ssh'].wait(300)
    env, script, man_out = jobs['env'], jobs['script'], jobs['man_out']
    port = launch._free_port()
    common = dict(env, DMLC_PS_ROOT_URI='127.0.0.1', DMLC_PS_ROOT_PORT=str(port),
                  DMLC_NUM_WORKER='2', DMLC_NUM_SERVER='1')
    logs = [open(str(jobs['base'] / ('%s.log' % role)), 'w+b') for role in ('scheduler',
                                                                           'server')]
    roles = [subprocess.Popen([sys.executable, '-c', 'import mxnet; print("not reached")'],
                              env=dict(common, DMLC_ROLE=role), stdout=log, stderr=log)
             for role, log in zip(('scheduler', 'server'), logs)]
    workers = [subprocess.Popen([sys.executable, str(script), str(man_out)],
                                env=dict(common, DMLC_ROLE='worker', DMLC_WORKER_ID=str(r)),
                                stderr=subprocess.DEVNULL) for r in range(2)]
    yield {'roles': roles, 'workers': workers, 'man_out': man_out, 'logs': logs}
    for p in roles + workers:
        if p.poll() is None:
            p.kill()
            p.wait()
    for log in logs:
        log.close()


def _read(out, n):
    return [json.loads((out / ('rank%d.json' % r)).read_text()) for r in range(n)]


def test_ssh_launcher_with_hostfile(jobs):
    assert jobs['ssh'].wait(240) == 0
    res = _read(jobs['ssh_out'], 3)
    assert [r['sum'] for r in res] == [[6.0, 6.0]] * 3
    # ranks 0 and 2 on localhost, rank 1 on 127.0.0.1
    assert [r['local'] for r in res] == [['0', '2'], ['0', '1'], ['1', '2']]
    log = (jobs['base'] / 'ssh.log').read_text().splitlines()
    assert len(log) == 5  # 3 workers, a scheduler and a server (-s 1), each exited 0
    workers = [line for line in log if 'DMLC_ROLE=worker;' in line]
    hosts = sorted(line.split(' export ')[0] for line in workers)
    assert hosts == ['-o StrictHostKeyChecking=no -p 2222 127.0.0.1'] + \
        ['-o StrictHostKeyChecking=no localhost'] * 2
    assert all('export MASTER_ADDR=localhost;' in line for line in workers)
    roles = sorted(line.split('DMLC_ROLE=')[1].split(';')[0] for line in log)
    assert roles == ['scheduler', 'server'] + ['worker'] * 3
    # the mxnet alias travels: `python -m mxtorch run` and PYTHONPATH with the alias dir
    assert all(' -m mxtorch run ' in line and 'export PYTHONPATH=%s' % launch.ALIAS_DIR in line
               for line in log)


def test_manual_dmlc_launch_scheduler_and_server_wait_and_exit(manual):
    jobs = manual
    assert [p.wait(300) for p in jobs['workers']] == [0, 0]
    start = time.time()
    codes = [p.wait(60) for p in jobs['roles']]
    outputs = []
    for log in jobs['logs']:
        log.seek(0)
        outputs.append(log.read())
    assert codes == [0, 0], [o[-2000:] for o in outputs]
    assert time.time() - start < 30
    assert all(b'not reached' not in o for o in outputs)
    assert [r['sum'] for r in _read(jobs['man_out'], 2)] == [[3.0, 3.0]] * 2


def test_ssh_commands_and_arguments(tmp_path):
    lines = launch.ssh_commands(['python', 'a b.py'], 2, [('h1', None), ('h2', 22)], 9000,
                                {'X': 'y z'}, '/w d')
    assert lines[0][:3] == ['ssh', '-o', 'StrictHostKeyChecking=no'] and lines[0][3] == 'h1'
    assert lines[1][3:6] == ['-p', '22', 'h2']
    assert "export X='y z';" in lines[0][-1]
    assert "cd '/w d'; python -m mxtorch run 'a b.py'" in lines[0][-1]
    assert 'export DMLC_WORKER_ID=1;' in lines[1][-1] and 'export MASTER_ADDR=h1;' in lines[1][-1]
    hosts = tmp_path / 'hosts'
    hosts.write_text('\n# none\n')
    with pytest.raises(SystemExit, match='no hosts'):
        launch.read_hosts(str(hosts))
    assert launch.parse_args(['-n', '2', '-H', str(hosts), 'x']).launcher == 'ssh'
    with pytest.raises(SystemExit):
        launch.parse_args(['-n', '2', '--launcher', 'mpi', 'x'])


def test_server_role_without_workers_times_out(monkeypatch):
    from mxtorch.kvstore import dist
    monkeypatch.setenv('MXNET_KVSTORE_TIMEOUT', '1')
    with pytest.raises(dist.DistKVStoreError, match='found no workers'):
        dist.wait_for_job_end({'DMLC_ROLE': 'server', 'DMLC_PS_ROOT_URI': '127.0.0.1',
                               'DMLC_PS_ROOT_PORT': str(launch._free_port()),
                               'DMLC_NUM_WORKER': '2'})


def test_remote_command_forwards_the_mxnet_alias():
    assert launch.remote_command(['python3', 'a b.py', '--x']) == \
        "python3 -m mxtorch run 'a b.py' --x"
    assert launch.remote_command('python train.py --kv dist') == \
        'python -m mxtorch run train.py --kv dist'
    assert launch.remote_command(['python', '-m', 'pkg.main']) == \
        'python -m mxtorch run -m pkg.main'
    # already redirected, inline code, other programs: unchanged (PYTHONPATH carries the alias)
    assert launch.remote_command(['python', '-m', 'mxtorch', 'run', 'x.py']) == \
        'python -m mxtorch run x.py'
    assert launch.remote_command(['python', '-c', 'print(1)']) == "python -c 'print(1)'"
    assert launch.remote_command('bash run.sh') == 'bash run.sh'
    assert launch.remote_command('python a.py && echo $HOME') == 'python a.py && echo $HOME'
    assert os.path.exists(os.path.join(launch.ALIAS_DIR, 'mxnet.py'))
    line = launch.ssh_commands(['python', 't.py'], 1, [('h', None)], 9, {'PYTHONPATH': '/u'})[0]
    assert 'export PYTHONPATH=%s:/u;' % launch.ALIAS_DIR in line[-1]


def test_launcher_starts_scheduler_and_servers(tmp_path):
    # -s 2: a scheduler and 2 servers run the command with DMLC_ROLE; their `import mxnet`
    # waits for the single worker's job (none: it exits at once) and exits 0
    script = tmp_path / 'role.py'
    script.write_text('import os, sys\n'
                      'open(os.path.join(sys.argv[1], os.environ["DMLC_ROLE"] + '
                      'os.environ.get("DMLC_SERVER_ID", "")), "w").close()\n'
                      'import mxnet\n'
                      'assert os.environ["DMLC_ROLE"] == "worker"\n')
    assert launch.main(['-n', '1', '-s', '2', sys.executable, str(script), str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != 'role.py') == \
        ['scheduler', 'server0', 'server1', 'worker']
    env = launch.role_env('server', 3, 2, 99, base={'RANK': '1', 'WORLD_SIZE': '3'},
                          server_id=1)
    assert 'RANK' not in env and env['DMLC_SERVER_ID'] == '1' and env['DMLC_NUM_SERVER'] == '2'
    with pytest.raises(SystemExit):
        launch.parse_args(['-n', '2', '-s', '-1', 'x'])
