"""A real single-node Slurm for the tests: Debian's `slurm-wlm` and `munge` (installed when
missing), munged, slurmctld and slurmd started from a temporary folder on free local ports, and
stopped by their pids. Nothing here skips: a cluster that cannot be installed or started fails.

The daemons run as the current user (root on the test machines: slurmd must start job steps as the
submitting user) with every file under the temporary folder, so several runs on one machine do not
meet; clients find the cluster through SLURM_CONF."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PROGRAMS = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "srun", "squeue", "scancel", "sinfo")
NODE = "starpii-node"


def ensure_installed() -> None:
    """apt-get install slurm-wlm and munge unless their programs are already there."""
    if all(shutil.which(p) for p in PROGRAMS):
        return
    if os.geteuid() != 0:
        raise RuntimeError("the Slurm tests install slurm-wlm and munge with apt-get: run them as root "
                           "or install the two packages first")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "slurm-wlm", "munge"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    missing = [p for p in PROGRAMS if not shutil.which(p)]
    if missing:
        raise RuntimeError(f"installed slurm-wlm and munge, but {', '.join(missing)} are still missing")


def free_ports(count: int) -> list[int]:
    """Ports the kernel hands out now; held open together so that they differ."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


SLURM_CONF = """\
ClusterName=starpii-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SrunPortRange={srun_low}-{srun_high}
SlurmUser={user}
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={munge_socket}
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd.log
# No cgroups in a container: track processes by parent pid, bind no CPUs.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
# Schedule at once when a job is submitted or ends (dependencies, array throttles), not each minute.
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1,defer_batch
MinJobAge=600
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The node's CPUs and memory as written here, whatever this machine has (tasks are small).
SlurmdParameters=config_overrides
NodeName={node} NodeHostname={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=64000 State=UNKNOWN
PartitionName=cpu Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


class SlurmCluster:
    """munged + slurmctld + slurmd under `root`; `env` is what a client needs (SLURM_CONF)."""

    def __init__(self, root: Path, *, cpus: int = 8) -> None:
        self.root = root
        self.cpus = cpus
        self.procs: list[subprocess.Popen] = []
        self.conf = root / "slurm.conf"
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}

    def start(self) -> SlurmCluster:
        ensure_installed()
        for sub in ("state", "spool", "munge"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root / "munge", 0o700)
        munge = self.root / "munge"
        key = munge / "munge.key"
        subprocess.run(["mungekey", "--create", f"--keyfile={key}"], check=True)
        socket_path = munge / "munge.socket"
        # --force: munged refuses folders that others could write (the temporary folder's parents).
        self._spawn(["munged", "--foreground", "--force", f"--key-file={key}", f"--socket={socket_path}",
                     f"--pid-file={munge / 'munged.pid'}", f"--log-file={munge / 'munged.log'}",
                     f"--seed-file={munge / 'munged.seed'}"], "munged")
        self._wait(socket_path.exists, "munged's socket", munge / "munged.log")
        ctld, slurmd, low = free_ports(3)
        host = socket.gethostname().split(".")[0]
        self.conf.write_text(SLURM_CONF.format(
            host=host, ctld_port=ctld, slurmd_port=slurmd, srun_low=low, srun_high=low + 20,
            user=_user(), munge_socket=socket_path, root=self.root, node=NODE, cpus=self.cpus))
        self._spawn(["slurmctld", "-D", "-i", "-f", str(self.conf)], "slurmctld")
        self._spawn(["slurmd", "-D", "-f", str(self.conf), "-N", NODE], "slurmd")
        self._wait(self._node_ready, "the Slurm node to be idle", self.root / "slurmd.log")
        return self

    def _spawn(self, command: list[str], name: str) -> None:
        with open(self.root / f"{name}.out", "wb") as log:  # the daemon keeps its own copy of the fd
            self.procs.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                               start_new_session=True))

    def _node_ready(self) -> bool:
        for proc in self.procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited ({proc.returncode}): see {self.root}/*.log, *.out")
        out = subprocess.run(["sinfo", "-h", "-N", "-o", "%t"], env=self.env, capture_output=True, text=True)
        return out.returncode == 0 and out.stdout.strip() in ("idle", "mix", "alloc")

    def _wait(self, ready, what: str, log: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
                raise RuntimeError(f"timed out waiting for {what}; {log}:\n{tail}")
            time.sleep(0.2)

    def run(self, *command: str) -> str:
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def wait_idle(self, timeout: float = 90) -> None:
        """Until no job is pending or running (our jobs, and datatrove's stats-merging job)."""
        def idle() -> bool:
            return not self.run("squeue", "-h", "-o", "%i %t").strip()
        self._wait(idle, "the Slurm jobs to end", self.root / "slurmctld.log", timeout)

    def stop(self) -> None:
        """Cancel what is still queued (datatrove's stats jobs may still run), then SIGTERM each
        daemon by its pid (slurmd first), SIGKILL what is left, and the job step daemons
        (slurmstepd) that outlived slurmd: found by their SLURM_CONF, killed by pid."""
        if self.procs and all(proc.poll() is None for proc in self.procs):
            self._cancel_jobs()
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        for pid in self._step_daemons():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _cancel_jobs(self) -> None:
        jobs = subprocess.run(["squeue", "-h", "-o", "%i"], env=self.env, capture_output=True, text=True).stdout.split()
        if jobs:
            subprocess.run(["scancel", *jobs], env=self.env, capture_output=True)
            with contextlib.suppress(RuntimeError):  # still there after 30 s: the SIGKILLs below end them
                self.wait_idle(timeout=30)

    def _step_daemons(self) -> list[int]:
        mine = f"SLURM_CONF={self.conf}".encode()
        pids = []
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if (proc / "comm").read_text().strip() == "slurmstepd" and mine in (proc / "environ").read_bytes().split(b"\0"):
                    pids.append(int(proc.name))
            except OSError:
                continue  # gone, or not ours to read
        return pids


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name
