"""What the benchmark harnesses (bench/*/compare.py) share: vCard value unescaping, setup
commands, and the loop over sizes with its failure and temp-dir handling."""
from __future__ import annotations

import os, re, shutil, subprocess, tempfile
from pathlib import Path


def unesc(v: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), v)


def components(v: str) -> list[str]:
    return [unesc(p).strip() for p in re.split(r"(?<!\\);", v)]


def run_setup(cmd: list[str], log: Path, env=None):
    """A command that is part of the setup, not measured: logged, and fatal when it fails."""
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    if r.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {r.returncode}:\n{r.stdout}{r.stderr}")


def stop_server(proc: subprocess.Popen, log):
    """Ends a server started in its own process group (TERM, then KILL after 10 s), and its log."""
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
    log.close()


def each_size(sizes, args, prefix: str, run_size, out: dict, failures: list):
    """Runs `run_size(n, args, tmp)` per size in a fresh temp dir; yields each result. A setup
    failure is recorded and keeps the temp dirs (args.keep) for a look."""
    for n in sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"{prefix}-{n}-"))
        try:
            size = run_size(n, args, tmp)
        except RuntimeError as e:
            print(f"\nFAIL {n} contacts: {e}")
            failures.append(f"{n}/setup")
            out["sizes"].append({"contacts": n, "error": str(e), "tmp": str(tmp)})
            args.keep = True
            continue
        finally:
            if args.keep:
                print(f"(kept {tmp})")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        yield size
