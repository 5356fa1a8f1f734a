"""What the benchmark harnesses (bench/*/compare.py) share: vCard value unescaping, setup
commands, the loop over sizes with its failure and temp-dir handling, and for the DAV benches a
local Radicale whose log counts the requests, a small DAV client, a measured run and vdirsyncer."""
from __future__ import annotations

import base64, collections, http.client, os, re, shutil, socket, subprocess, sys, tempfile, threading, time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

USER, PASSWORD = "user", "pass"


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


def fold(line: str) -> str:
    """RFC 6350 / RFC 5545 line folding at 75 octets, never inside a UTF-8 sequence."""
    out, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode())
        if size + n > 75:
            out.append(cur)
            cur, size = " ", 1
        cur += ch
        size += n
    return "\r\n".join(out + [cur]) + "\r\n"


class Radicale:
    """A Radicale 3 server in a temp dir; its log is parsed to count requests."""
    REQ = re.compile(r"\] ([A-Z]+) request for (['\"]).*?\2.* received from")
    RESP = re.compile(r"\] ([A-Z]+) response status for (['\"]).*?\2.*? in ([0-9.]+) seconds"
                      r"(?: \S+ (\d+) bytes)?.*: (\d{3})\b")

    def __init__(self, root: Path):
        self.root = root
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        (root / "users").write_text(f"{USER}:{PASSWORD}\n")
        self.config = root / "radicale.conf"
        self.config.write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {root / 'users'}\nhtpasswd_encryption = plain\n"
            f"[storage]\nfilesystem_folder = {root / 'collections'}\n"
            "[logging]\nlevel = info\n")
        self.log_path = root / "radicale.log"
        self._log = open(self.log_path, "wb")
        # -C replaces the default config files (/etc/radicale/config, ~/.config/radicale/config).
        self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "-C", str(self.config)],
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"radicale did not start, see {self.log_path}:\n{self.log_path.read_text()[-2000:]}")
                time.sleep(0.1)
        self.base = f"http://127.0.0.1:{self.port}"

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def requests_since(self, offset: int) -> dict:
        """Requests, their methods and statuses and the summed server time logged after `offset`."""
        time.sleep(0.05)  # the response line is written before the client sees the answer; be safe
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
        methods, statuses, server, n, size = collections.Counter(), collections.Counter(), 0.0, 0, 0
        by_method = collections.Counter()
        for line in text.splitlines():
            if m := self.REQ.search(line):
                n += 1
                methods[m.group(1)] += 1
            elif m := self.RESP.search(line):
                server += float(m.group(3))
                by_method[m.group(1)] += float(m.group(3))
                size += int(m.group(4) or 0)
                statuses[m.group(5)] += 1
        if n != sum(statuses.values()):
            print(f"    warning: {n} requests but {sum(statuses.values())} responses parsed from {self.log_path}")
        return {"requests": n, "server_s": round(server, 3), "response_kb": round(size / 1024, 1),
                "methods": dict(methods), "statuses": dict(statuses),
                "server_by_method_s": {k: round(v, 3) for k, v in by_method.items()}}

    def stop(self):
        stop_server(self.proc, self._log)


class Dav:
    """Small thread-safe WebDAV client over http.client (one keep-alive connection per thread),
    for address books (`kind` "carddav") or calendars ("caldav")."""
    KINDS = {"carddav": ("urn:ietf:params:xml:ns:carddav", "addressbook", "address-data", "text/vcard"),
             "caldav": ("urn:ietf:params:xml:ns:caldav", "calendar", "calendar-data", "text/calendar")}

    def __init__(self, port: int, kind: str):
        self.port, self.local = port, threading.local()
        self.ns, self.collection, self.data, self.mime = self.KINDS[kind]
        self.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def request(self, method, path, body=b"", headers=None, ok=(200, 201, 204, 207)):
        h = {"Authorization": self.auth, "User-Agent": "hubsync-bench-harness", **(headers or {})}
        for attempt in (0, 1):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            try:
                conn.request(method, path, body=body, headers=h)
                r = conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
        if r.status not in ok:
            raise RuntimeError(f"{method} {path}: {r.status} {r.reason}\n{data[:500]!r}")
        return r.status, data

    def mkcol(self, path):
        """An empty address book or calendar (extended MKCOL, RFC 5689)."""
        comp = '<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>' \
            if self.collection == "calendar" else ""
        body = ('<?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" '
                f'xmlns:C="{self.ns}"><D:set><D:prop><D:resourcetype>'
                f'<D:collection/><C:{self.collection}/></D:resourcetype><D:displayname>'
                f'{path.strip("/").split("/")[-1]}</D:displayname>{comp}</D:prop></D:set></D:mkcol>')
        self.request("MKCOL", path, body.encode(), {"Content-Type": "application/xml"})

    def put_collection(self, path, items):
        """Upload a whole collection in one PUT (Radicale stores each card or series as UID.vcf/.ics)."""
        self.request("PUT", path, "".join(items).encode(), {"Content-Type": self.mime})

    def fetch_all(self, path) -> dict[str, str]:
        """href -> text of every resource in the collection (PROPFIND + multiget)."""
        _, data = self.request("PROPFIND", path, b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop>'
                               b'<resourcetype/><getetag/></prop></propfind>',
                               {"Depth": "1", "Content-Type": "application/xml"})
        hrefs = [unquote(r.findtext("{DAV:}href")) for r in ET.fromstring(data).iter("{DAV:}response")]
        hrefs = [h for h in hrefs if h.rstrip("/") != path.rstrip("/")]
        out = {}
        for i in range(0, len(hrefs), 1000):
            body = (f'<?xml version="1.0"?><C:{self.collection}-multiget xmlns:D="DAV:" '
                    f'xmlns:C="{self.ns}"><D:prop><D:getetag/><C:{self.data}/>'
                    '</D:prop>' + "".join(f"<D:href>{h}</D:href>" for h in hrefs[i:i + 1000])
                    + f"</C:{self.collection}-multiget>")
            _, data = self.request("REPORT", path, body.encode(), {"Depth": "1", "Content-Type": "application/xml"})
            for r in ET.fromstring(data).iter("{DAV:}response"):
                text = r.findtext(f".//{{{self.ns}}}{self.data}")
                if text:
                    out[unquote(r.findtext("{DAV:}href"))] = text
        return out


def run_measured(cmd: list[str], radicale: Radicale, log: Path) -> dict:
    """Run a tool once; wall time, exit code, peak RSS of that process, and the server's view."""
    off = radicale.log_offset()
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    srv = radicale.requests_since(off)
    return {"wall_s": round(wall, 3), "exit": p.returncode, "peak_mb": round(ru.ru_maxrss / 1024, 1), **srv}


def find_vdirsyncer() -> str:
    # Prefer the real entry point next to this interpreter over a pyenv shim (which adds ~0.1 s of bash).
    here = Path(sys.executable).parent / "vdirsyncer"
    return str(here) if here.exists() else (shutil.which("vdirsyncer") or sys.exit("vdirsyncer not found"))


# ---------------------------------------------------------------------------- the two tools


class HubSync:
    """HubSync with a fresh database: hub `bench` and spokes A and B on `{side}-hub` collections of
    the given kind (carddav or caldav); `hub_args`/`spoke_args` add what the kind needs."""
    name, short = "hubsync", "hub"

    def __init__(self, binary, tmp: Path, base: str, kind: str, hub_args=(), spoke_args=()):
        self.binary, self.db, self.log = binary, tmp / "hub.sqlite", tmp / "hubsync.log"
        run_setup([binary, "hub", "create", "bench", *hub_args, "--db", str(self.db)], self.log)
        for side in "AB":
            run_setup([binary, "spoke", "add", "bench", "--db", str(self.db), "--name", side, "--kind", kind,
                       "--url", f"{base}/{USER}/{side}-hub/", "--user", USER, "--password", PASSWORD,
                       *spoke_args], self.log)

    def sync(self, radicale, passes=3):
        """One sync; a pass that stopped a spoke at its time budget (exit 2, "too slow": a big
        first copy to a slow server) is followed by the next, as the scheduler would, and the
        passes count together."""
        cmd = [self.binary, "sync", "bench", "--db", str(self.db)]
        r = run_measured(cmd, radicale, self.log)
        r["passes"] = 1
        while r["exit"] == 2 and r["passes"] < passes and "too slow" in self.log.read_text(errors="replace")[-4000:]:
            more = run_measured(cmd, radicale, self.log)
            for k in ("wall_s", "requests", "server_s", "response_kb"):
                r[k] = round(r[k] + more[k], 3)
            r["peak_mb"] = max(r["peak_mb"], more["peak_mb"])
            r["exit"], r["passes"] = more["exit"], r["passes"] + 1
        r["ok"] = r["exit"] == 0
        return r


class Vdirsyncer:
    """vdirsyncer with a pair `bench` of storages A and B (`{side}-vds`) of the given kind."""
    name, short = "vdirsyncer", "vds"

    def __init__(self, binary, tmp: Path, base: str, kind: str):
        self.binary, self.conf, self.log = binary, tmp / "vdirsyncer.conf", tmp / "vdirsyncer.log"
        storages = "".join(f'[storage {side}]\ntype = "{kind}"\nurl = "{base}/{USER}/{side}-vds/"\n'
                           f'username = "{USER}"\npassword = "{PASSWORD}"\n\n' for side in "AB")
        self.conf.write_text(f'[general]\nstatus_path = "{tmp / "vdirsyncer-status"}/"\n\n'
                             '[pair bench]\na = "A"\nb = "B"\ncollections = null\n'
                             f'conflict_resolution = "a wins"\n\n{storages}')
        run_setup([binary, "-c", str(self.conf), "discover"], self.log)

    def sync(self, radicale):
        r = run_measured([self.binary, "-c", str(self.conf), "sync"], radicale, self.log)
        r["ok"] = r["exit"] == 0
        return r
