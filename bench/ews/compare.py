#!/usr/bin/env python3
"""HubSync's Exchange (EWS) spoke vs exchangelib on the same mailbox.

For every size N (default 1,000 and 5,000 contacts) this script starts a fresh EWS
emulator (`spoke-emulator`, in memory, NTLM + Basic), fills the mailbox's Contacts
folder with N realistic contacts through exchangelib (CreateItem, not measured) and
puts a small counting HTTP relay between the tools and the emulator.

Tools, each run as its own process per step, against the same mailbox:
  hubsync    one hub, an Exchange spoke (the mailbox) and a folder spoke (a directory
             of .vcf files): `hubsync sync` pulls the mailbox into the hub and the
             hub into the folder.
  hubsync-ews  a second hub in the same database with the Exchange spoke alone: what
             the EWS spoke and the engine cost without the folder spoke (which lists
             and reads every .vcf file on every sync). Checked with `hubsync export`.
  full       exchangelib 5.6.0 the way a naive script works every run: a full read,
             `account.contacts.all()` with all fields (FindItem + GetItem), the
             contacts written to a JSON file.
  sync_items exchangelib's best incremental: `contacts.sync_items(sync_state=...,
             only_fields=['changekey'])` (SyncFolderItems, ids only), then
             `account.fetch()` of the created/updated items (GetItem, all fields);
             the sync state and a JSON mirror of the contacts are kept in files.

Steps:
  initial      hubsync's first sync; full read; sync_items from no state
  no-op        nothing changed; every tool run --repeat times (median reported)
  incremental  1% of the contacts edited by another client (exchangelib, not timed):
               job title, first email or a phone; then every tool once

After every run the result is checked against the expected mailbox (the generated
contacts with all edits applied), compared as multisets of (display name, given name,
surname, company, department, job title, emails, phone digits, notes, birthday):
hubsync's folder of .vcf files, the EWS-only hub (`hubsync export`), the full read's
JSON and the sync_items mirror. In `incremental` the edited contacts are also counted.

Measured per tool and step:
  wall     time.perf_counter() around the tool's process (interpreter start-up and
           `import exchangelib` included for the baselines; see `work`)
  req      HTTP requests through the relay (NTLM handshakes included), with the
           EWS operations behind them in the JSON and the detail lines
  KB       response bytes through the relay
  peakMB   the tool process's peak RSS (GNU time's %M; see run_measured)
  cpu      the tool process's own CPU seconds, user + system (GNU time)
  emu      CPU seconds the emulator spent while the tool ran (/proc/PID/stat)
  work     the baselines' own time from connecting to the last byte written
           (no interpreter start-up, no import)

Usage: python3 bench/ews/compare.py [--hubsync PATH] [--emulator PATH] [--sizes 1000,5000]
                                    [--seed 1] [--repeat 3] [--auth ntlm|basic] [--json FILE] [--keep]
"""
from __future__ import annotations

import argparse, collections, datetime, json, os, random, re, shutil, socket
import subprocess, sys, tempfile, threading, time, unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchlib import components, each_size, run_setup, stop_server, unesc  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
USER, DOMAIN, PASSWORD, EMAIL = "ada", "EXAMPLE", "bench-Pa55", "ada@example.com"
STEPS = ["initial", "no-op", "incremental"]
TOOLS = ["hubsync", "hubsync-ews", "full", "sync_items"]
LABELS = {"hubsync": "hubsync", "hubsync-ews": "hubsync (EWS only)", "full": "exchangelib full read",
          "sync_items": "exchangelib sync_items"}

# ---------------------------------------------------------------------------- counting relay


class CountingRelay:
    """A TCP relay that parses the HTTP/1.1 it passes on, to count requests and EWS operations.

    Each client connection gets its own upstream connection (1:1), so NTLM, which authenticates
    a connection, works through it. A request is paired with its response in order (no
    pipelining); a 401 counts as an authentication round trip, anything else under the SOAP
    operation named in the request body.
    """

    OP = re.compile(rb"<(?:[A-Za-z0-9_]+:)?Body\b[^>]*>\s*<(?:[A-Za-z0-9_]+:)?([A-Za-z]+)")

    def __init__(self, upstream_port: int):
        self.upstream = upstream_port
        self.lock = threading.Lock()
        self.http = 0
        self.ops: collections.Counter = collections.Counter()
        self.statuses: collections.Counter = collections.Counter()
        self.up = self.down = self.connections = 0
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def snapshot(self) -> dict:
        with self.lock:
            return {"http": self.http, "ops": dict(self.ops), "statuses": dict(self.statuses),
                    "up": self.up, "down": self.down, "connections": self.connections}

    @staticmethod
    def delta(a: dict, b: dict) -> dict:
        ops = collections.Counter(b["ops"]) - collections.Counter(a["ops"])
        st = collections.Counter(b["statuses"]) - collections.Counter(a["statuses"])
        return {"requests": b["http"] - a["http"], "ops": dict(sorted(ops.items())), "statuses": dict(st),
                "auth_401": st.get("401", 0), "sent_kb": round((b["up"] - a["up"]) / 1024, 1),
                "response_kb": round((b["down"] - a["down"]) / 1024, 1),
                "connections": b["connections"] - a["connections"]}

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.connections += 1
            pending: collections.deque = collections.deque()
            threading.Thread(target=self._pump, args=(client, upstream, True, pending), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False, pending), daemon=True).start()

    def _pump(self, src, dst, requests: bool, pending: collections.deque):
        parser = _HTTPStream(requests)
        try:
            while data := src.recv(262144):
                for msg in parser.feed(data):
                    self._record(msg, requests, pending)
                with self.lock:
                    if requests:
                        self.up += len(data)
                    else:
                        self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def _record(self, msg: dict, is_request: bool, pending: collections.deque):
        if is_request:
            m = self.OP.search(msg["body"][:16384])
            pending.append(m.group(1).decode() if m else msg["path"])
            return
        if msg["status"] == 100:
            return
        op = pending.popleft() if pending else "?"
        with self.lock:
            self.http += 1
            self.statuses[str(msg["status"])] += 1
            if msg["status"] != 401:
                self.ops[op] += 1


class _HTTPStream:
    """Incremental HTTP/1.1 message framing (Content-Length or chunked; bodies kept for requests)."""

    def __init__(self, requests: bool):
        self.requests, self.buf, self.msg, self.need = requests, bytearray(), None, None

    def feed(self, data: bytes):
        self.buf += data
        out = []
        while True:
            if self.msg is None:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return out
                head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
                del self.buf[:end + 4]
                first = head[0].split(" ")
                headers = {}
                for line in head[1:]:
                    k, _, v = line.partition(":")
                    headers[k.strip().lower()] = v.strip()
                self.msg = {"headers": headers, "body": b""}
                if self.requests:
                    self.msg["path"] = first[1] if len(first) > 1 else "?"
                else:
                    self.msg["status"] = int(first[1]) if len(first) > 1 and first[1].isdigit() else 0
                if "chunked" in headers.get("transfer-encoding", "").lower():
                    self.need = "chunked"
                elif "content-length" in headers:
                    self.need = int(headers["content-length"])
                elif self.requests or self.msg.get("status") in (100, 204, 304):
                    self.need = 0
                else:
                    self.need = "close"  # body until the connection closes: one message, counted now
                    out.append(self.msg)
                    return out
            if self.need == "close":
                self.buf.clear()
                return out
            if self.need == "chunked":
                end = self.buf.find(b"\r\n0\r\n\r\n")
                if end < 0 and not self.buf.startswith(b"0\r\n\r\n"):
                    return out
                cut = 5 if end < 0 else end + 7
                if self.requests:
                    self.msg["body"] = bytes(self.buf[:cut])
                del self.buf[:cut]
            else:
                if len(self.buf) < self.need:
                    return out
                if self.requests:
                    self.msg["body"] = bytes(self.buf[:self.need])
                del self.buf[:self.need]
            out.append(self.msg)
            self.msg = None

# ---------------------------------------------------------------------------- emulator


class Emulator:
    """spoke-emulator on a free loopback port, one mailbox, no contacts (we seed them)."""

    def __init__(self, binary: str, tmp: Path, auth: str):
        self.log_path = tmp / "emulator.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--user", USER, "--password", PASSWORD, "--email", EMAIL,
             "--domain", DOMAIN, "--auth", auth, "--version", "2016"],
            stdout=subprocess.PIPE, stderr=self._log, text=True, start_new_session=True)
        deadline = time.monotonic() + 30
        self.url = None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self._log.write(line)
            if line.startswith("service URL:"):
                self.url = line.split(":", 1)[1].strip()
                break
        if not self.url:
            self.stop()
            raise SystemExit(f"spoke-emulator did not start, see {self.log_path}")
        self.port = int(re.search(r":(\d+)/", self.url).group(1))
        threading.Thread(target=self._drain, daemon=True).start()
        self.hz = os.sysconf("SC_CLK_TCK")

    def _drain(self):
        for line in self.proc.stdout:
            self._log.write(line)

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.hz  # utime + stime

    def stop(self):
        stop_server(self.proc, self._log)

# ---------------------------------------------------------------------------- exchangelib


def exl_account(url: str, auth: str):
    from exchangelib import BASIC, DELEGATE, NTLM, Account, Build, Configuration, Credentials, Version
    config = Configuration(service_endpoint=url, credentials=Credentials(f"{DOMAIN}\\{USER}", PASSWORD),
                           auth_type={"ntlm": NTLM, "basic": BASIC}[auth],
                           version=Version(build=Build(15, 1, 2507, 0)))
    return Account(primary_smtp_address=EMAIL, config=config, autodiscover=False, access_type=DELEGATE)


def exl_project(c) -> dict:
    """The comparable fields of an exchangelib Contact, as JSON-able data."""
    return {"fn": c.display_name or "", "given": c.given_name or "", "surname": c.surname or "",
            "company": c.company_name or "", "department": c.department or "", "title": c.job_title or "",
            "emails": sorted((e.email or "").strip().lower() for e in (c.email_addresses or []) if e.email),
            "phones": sorted(re.sub(r"\D", "", p.phone_number or "") for p in (c.phone_numbers or []) if p.phone_number),
            "note": str(c.body).replace("\r", "").strip() if c.body else "",
            "bday": c.birthday.isoformat() if c.birthday else ""}


def job_main(argv: list[str]):
    """A baseline run, as its own process: `compare.py --job full|sync_items URL AUTH DIR`."""
    t_start = time.perf_counter()
    mode, url, auth, work_dir = argv
    work_dir = Path(work_dir)
    from exchangelib import Contact  # noqa: the import is part of what a script pays each run
    t_import = time.perf_counter()
    account = exl_account(url, auth)
    folder = account.contacts
    if mode == "full":
        contacts = [exl_project(c) for c in folder.all() if isinstance(c, Contact)]
        (work_dir / "full.json").write_text(json.dumps(contacts, ensure_ascii=False))
        info = {"read": len(contacts)}
    else:
        state_file, mirror_file = work_dir / "sync_state.txt", work_dir / "mirror.json"
        state = state_file.read_text() if state_file.exists() else None
        mirror = json.loads(mirror_file.read_text()) if mirror_file.exists() else {}
        changed, deleted = [], 0
        for kind, item in folder.sync_items(sync_state=state, only_fields=["changekey"]):
            if kind in ("create", "update"):
                changed.append(item)
            elif kind == "delete":
                deleted += mirror.pop(item.id, None) is not None
        for c in account.fetch(ids=changed) if changed else []:
            if isinstance(c, Contact):
                mirror[c.id] = exl_project(c)
        mirror_file.write_text(json.dumps(mirror, ensure_ascii=False))
        state_file.write_text(folder.item_sync_state)
        info = {"read": len(changed), "deleted": deleted}
    t_end = time.perf_counter()
    print(json.dumps({"import_s": round(t_import - t_start, 3), "work_s": round(t_end - t_import, 3), **info}))

# ---------------------------------------------------------------------------- data


FIRST = ["Anna", "José", "Zoë", "Łukasz", "Mei", "Noah", "Søren", "Aïsha", "Liam", "Olga", "Ravi", "Émile",
         "Yuki", "Fatima", "Björn", "Chloé", "Omar", "Ingrid", "Mateo", "Nadia", "Grace", "Tomás", "Hana", "Kofi"]
LAST = ["Müller", "García", "Smith", "Nguyen", "O'Brien", "Kowalski", "Rossi", "Jensen", "Dubois", "Yamada",
        "Okafor", "Petrov", "Silva", "Novák", "Ahmed", "Berg", "Costa", "Lindqvist", "Horváth", "Fischer"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella GmbH", "Soylent & Co", "Stark Industries", "Wayne Enterprises",
             "Hooli", "Vandelay Import/Export", "Müller Logistik AG", "Oceanic Airlines", "Tyrell, Inc."]
TITLES = ["Engineer", "Account Manager", "CFO", "Sales Director", "Support Lead", "Buyer", "Consultant", "Head of R&D"]
DEPTS = ["Sales", "R&D", "Finance", "Customer Support", "Procurement"]
CITIES = [("Springfield", "IL", "62701", "USA"), ("Lyon", "", "69002", "France"), ("München", "BY", "80331", "Germany"),
          ("Kraków", "", "31-001", "Poland"), ("Osaka", "", "530-0001", "Japan")]
NOTES = ["Met at the expo, follow up in Q3", "Prefers email; no calls before 10:00",
         "Key account, see contract #1042", "Introduced by Ravi (\"great contact\")", "Vegetarian; allergic to nuts"]


def ascii_slug(s: str) -> str:
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower())


def generate(n: int, seed: int) -> list[dict]:
    """N contacts as plain data (the same fields exl_project() reads back), plus extras for realism."""
    rng = random.Random(f"{seed}-{n}")
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = ascii_slug(rng.choice(COMPANIES)) + ".example"
        emails = [f"{ascii_slug(first)}.{ascii_slug(last)}{i}@{domain}"]
        emails += [f"{ascii_slug(first)}{i}@mail{k}.example" for k in range(rng.choice((0, 0, 1, 2)))]
        phones = [f"+1 {rng.randint(200, 989)} 555 {rng.randint(1000, 9999)}" for _ in range(rng.choice((0, 1, 1, 2)))]
        c = {"fn": f"{first} {last}", "given": first, "surname": last, "company": rng.choice(COMPANIES),
             "department": rng.choice(DEPTS) if rng.random() < 0.5 else "", "title": rng.choice(TITLES),
             "emails": emails, "phones": phones,
             "note": rng.choice(NOTES) if rng.random() < 0.25 else "",
             "bday": f"{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else "",
             "address": rng.choice(CITIES) if rng.random() < 0.4 else None,
             "categories": rng.choice((None, None, ["Customers"], ["VIP", "Partners"]))}
        out.append(c)
    return out


def expected_projection(c: dict) -> tuple:
    return (c["fn"], c["given"], c["surname"], c["company"], c["department"], c["title"],
            tuple(sorted(e.lower() for e in c["emails"])), tuple(sorted(re.sub(r"\D", "", p) for p in c["phones"])),
            c["note"], c["bday"])


def json_projection(d: dict) -> tuple:
    return (d["fn"], d["given"], d["surname"], d["company"], d["department"], d["title"], tuple(d["emails"]),
            tuple(d["phones"]), d["note"], d["bday"])


PHONE_LABELS = ["MobilePhone", "BusinessPhone", "HomePhone"]


def to_exl(c: dict, folder):
    from exchangelib import Contact
    from exchangelib.ewsdatetime import EWSDate
    from exchangelib.indexed_properties import EmailAddress, PhoneNumber, PhysicalAddress
    addr = None
    if c["address"]:
        city, state, zipcode, country = c["address"]
        addr = [PhysicalAddress(label="Business", street=f"{random.Random(c['fn']).randint(1, 200)} Main St, Suite 4",
                                city=city, state=state or None, zipcode=zipcode, country=country)]
    return Contact(
        folder=folder, display_name=c["fn"], given_name=c["given"], surname=c["surname"], company_name=c["company"],
        department=c["department"] or None, job_title=c["title"],
        email_addresses=[EmailAddress(label=f"EmailAddress{k + 1}", email=e) for k, e in enumerate(c["emails"])] or None,
        phone_numbers=[PhoneNumber(label=PHONE_LABELS[k], phone_number=p) for k, p in enumerate(c["phones"])] or None,
        physical_addresses=addr, categories=c["categories"], body=c["note"] or None,
        birthday=EWSDate.fromisoformat(c["bday"]) if c["bday"] else None)


def seed_mailbox(url: str, auth: str, contacts: list[dict]) -> dict:
    """Create the contacts (straight to the emulator, not through the relay); id -> contact."""
    account = exl_account(url, auth)
    folder = account.contacts
    results = account.bulk_create(folder=folder, items=[to_exl(c, folder) for c in contacts], chunk_size=250)
    bad = [r for r in results if isinstance(r, Exception)]
    if bad:
        raise RuntimeError(f"seeding: {len(bad)} creates failed, first: {bad[0]!r}")
    return {r.id: c for r, c in zip(results, contacts)}


def edit_mailbox(url: str, auth: str, truth: dict, ids: list[str], tag: int) -> list[tuple]:
    """Another client edits some contacts: job title, first email or a phone. Updates `truth`."""
    from exchangelib.indexed_properties import EmailAddress, PhoneNumber
    account = exl_account(url, auth)
    items = list(account.fetch(ids=[(i, None) for i in ids]))
    updates, edits = [], []
    for k, item in enumerate(items):
        c = truth[item.id]
        kind = ("title", "email", "phone")[k % 3]
        if kind == "title":
            c["title"] = item.job_title = f"Director {tag}-{k}"
            updates.append((item, ["job_title"]))
        elif kind == "email":
            new = f"edited{tag}-{k}@edited.example"
            c["emails"] = [new] + c["emails"][1:]
            item.email_addresses = [EmailAddress(label=f"EmailAddress{j + 1}", email=e) for j, e in enumerate(c["emails"])]
            updates.append((item, ["email_addresses"]))
        else:
            new = f"+1 202 555 {1000 + (tag * 37 + k) % 9000:04d}"
            c["phones"] = [new] + c["phones"][1:]
            item.phone_numbers = [PhoneNumber(label=PHONE_LABELS[j], phone_number=p) for j, p in enumerate(c["phones"])]
            updates.append((item, ["phone_numbers"]))
        edits.append((item.id, kind))
    results = list(account.bulk_update(items=updates))
    bad = [r for r in results if isinstance(r, Exception)]
    if bad:
        raise RuntimeError(f"edits: {len(bad)} updates failed, first: {bad[0]!r}")
    return edits

# ---------------------------------------------------------------------------- vCards (hubsync's folder)


def vcard_lines(text: str):
    text = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    for line in text.split("\n"):
        m = re.match(r'((?:[^:;"]|"[^"]*")+?)((?:;(?:[^:"]|"[^"]*")*)?):(.*)$', line)
        if m:
            yield m.group(1).split(".")[-1].upper(), m.group(3)




def vcard_projection(text: str) -> tuple:
    p = collections.defaultdict(list)
    for name, value in vcard_lines(text):
        p[name].append(value)
    one = lambda k: unesc(p[k][0]).replace("\r", "").strip() if p.get(k) else ""
    n = (components(p["N"][0]) + [""] * 5)[:5] if p.get("N") else [""] * 5
    org = (components(p["ORG"][0]) + ["", ""])[:2] if p.get("ORG") else ["", ""]
    bday = one("BDAY").split("T")[0]
    if re.fullmatch(r"\d{8}", bday):
        bday = f"{bday[:4]}-{bday[4:6]}-{bday[6:]}"
    return (one("FN"), n[1], n[0], org[0], org[1], one("TITLE"),
            tuple(sorted(unesc(e).strip().lower() for e in p.get("EMAIL", []))),
            tuple(sorted(re.sub(r"\D", "", unesc(t)) for t in p.get("TEL", []))), one("NOTE"), bday)


def compare(label: str, got: collections.Counter, expected: collections.Counter) -> list[str]:
    compare.last = got
    if got == expected:
        return []
    missing, extra = expected - got, got - expected
    msg = (f"{label}: {sum(got.values())} contacts, expected {sum(expected.values())}; "
           f"{sum(missing.values())} missing/different, {sum(extra.values())} unexpected")
    for what, c in (("expected", missing), ("found", extra)):
        for p in list(c)[:3]:
            msg += f"\n      {what}: {p}"
    return [msg]

# ---------------------------------------------------------------------------- runs


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_measured(cmd: list[str], relay: CountingRelay, emu: Emulator, log: Path, env=None) -> dict:
    """Run a tool once: wall time, exit code, peak RSS, requests through the relay, emulator CPU.

    Peak RSS comes from GNU time (`%M`), which runs the tool as the child of a small process:
    Linux keeps a child's ru_maxrss high-water mark across fork+exec, so os.wait4 on a child of
    this (exchangelib-loaded, ~65 MB) harness would report at least the harness's own RSS.
    """
    before, cpu0 = relay.snapshot(), emu.cpu_s()
    rss_file = log.parent / ".maxrss"
    wrapped = [GNU_TIME, "-f", "%M %U %S", "-o", str(rss_file)] + cmd if GNU_TIME else cmd
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        t0 = time.perf_counter()
        p = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=out, stdin=subprocess.DEVNULL, env=env)
        stdout = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        out.write(stdout)
    time.sleep(0.05)  # let the relay's threads finish their bookkeeping
    rc = os.waitstatus_to_exitcode(status)
    peak_kb, cpu = ru.ru_maxrss, ru.ru_utime + ru.ru_stime  # without GNU time: peak is an upper bound
    if GNU_TIME:
        try:
            kb, user, system = rss_file.read_text().strip().splitlines()[-1].split()
            peak_kb, cpu = int(kb), float(user) + float(system)
        except (OSError, ValueError, IndexError):
            pass
    return {"wall_s": round(wall, 3), "exit": rc, "ok": rc == 0, "peak_mb": round(peak_kb / 1024, 1),
            "cpu_s": round(cpu, 2),
            "emu_cpu_s": round(emu.cpu_s() - cpu0, 2), **CountingRelay.delta(before, relay.snapshot()),
            "stdout": stdout.decode("utf-8", "replace")}



class Tools:
    def __init__(self, args, tmp: Path, relay: CountingRelay, emu: Emulator):
        self.args, self.tmp, self.relay, self.emu = args, tmp, relay, emu
        self.url = f"http://127.0.0.1:{relay.port}/EWS/Exchange.asmx"
        self.out_dir, self.job_dir = tmp / "out", tmp / "exchangelib"
        self.job_dir.mkdir()
        self.env = {**os.environ, "HUBSYNC_DB": str(tmp / "hub.sqlite")}
        self.env.pop("HUBSYNC_PASSWORD", None)
        self.hub_log, self.exl_log = tmp / "hubsync.log", tmp / "exchangelib.log"
        h = args.hubsync
        run_setup([h, "hub", "create", "bench"], self.hub_log, self.env)
        # --url: the relay, so `spoke add`'s own checks already go the way the syncs will.
        run_setup([h, "spoke", "add", "bench", "--name", "Exchange", "--kind", "ews", "--url",
                   f"http://127.0.0.1:{relay.port}", "--user", f"{DOMAIN}\\{USER}", "--password", PASSWORD,
                   "--exchange-version", "2016"], self.hub_log, self.env)
        run_setup([h, "spoke", "add", "bench", "--name", "Out", "--path", str(self.out_dir)], self.hub_log, self.env)
        run_setup([h, "hub", "create", "ews-only"], self.hub_log, self.env)
        run_setup([h, "spoke", "add", "ews-only", "--name", "Exchange", "--kind", "ews", "--url",
                   f"http://127.0.0.1:{relay.port}", "--user", f"{DOMAIN}\\{USER}", "--password", PASSWORD,
                   "--exchange-version", "2016"], self.hub_log, self.env)

    def run(self, tool: str) -> dict:
        if tool.startswith("hubsync"):
            hub = "bench" if tool == "hubsync" else "ews-only"
            r = run_measured([self.args.hubsync, "sync", hub], self.relay, self.emu, self.hub_log, self.env)
            m = re.search(r"^Exchange\s+(\d+)\s+(\d+)/(\d+)/(\d+)\s+(\d+)/(\d+)/(\d+)", r["stdout"], re.M)
            o = re.search(r"^Out\s+(\d+)\s+(\d+)/(\d+)/(\d+)\s+(\d+)/(\d+)/(\d+)", r["stdout"], re.M)
            r["summary"] = {"exchange": m.group(0) if m else None, "out": o.group(0) if o else None}
            return r
        r = run_measured([sys.executable, str(Path(__file__).resolve()), "--job", tool, self.url, self.args.auth,
                          str(self.job_dir)], self.relay, self.emu, self.exl_log)
        try:
            r.update(json.loads(r["stdout"].strip().splitlines()[-1]))
        except (ValueError, IndexError):
            r["ok"] = False
        return r

    def verify(self, tool: str, expected: collections.Counter) -> list[str]:
        if tool == "hubsync":
            got = collections.Counter(vcard_projection(p.read_text(encoding="utf-8"))
                                      for p in self.out_dir.glob("*.vcf"))
            return compare("hubsync folder", got, expected)
        if tool == "hubsync-ews":  # the hub's contents, written out after the timed run
            export = self.tmp / "ews-only.vcf"
            run_setup([self.args.hubsync, "export", "ews-only", "--out", str(export)], self.hub_log, self.env)
            cards = re.findall(r"BEGIN:VCARD.*?END:VCARD", export.read_text(encoding="utf-8"), re.S)
            return compare("hubsync EWS-only hub (export)", collections.Counter(map(vcard_projection, cards)), expected)
        if tool == "full":
            data = json.loads((self.job_dir / "full.json").read_text())
        else:
            data = list(json.loads((self.job_dir / "mirror.json").read_text()).values())
        return compare(f"exchangelib {tool}", collections.Counter(json_projection(d) for d in data), expected)


def run_size(n: int, args, tmp: Path) -> dict:
    print(f"\n=== {n} contacts ===", flush=True)
    emu = Emulator(args.emulator, tmp, args.auth)
    relay = CountingRelay(emu.port)
    try:
        t0 = time.perf_counter()
        truth = seed_mailbox(emu.url, args.auth, generate(n, args.seed))
        print(f"seeded {n} contacts in {time.perf_counter() - t0:.1f}s (not measured)", flush=True)
        tools = Tools(args, tmp, relay, emu)
        rng = random.Random(f"{args.seed}-{n}-edits")
        results, failures, edits = {}, [], []
        for step in STEPS:
            if step == "incremental":
                ids = rng.sample(sorted(truth), max(1, n // 100))
                t0 = time.perf_counter()
                edits = edit_mailbox(emu.url, args.auth, truth, ids, 1)
                print(f"  edited {len(edits)} contacts in {time.perf_counter() - t0:.1f}s (not measured)", flush=True)
            expected = collections.Counter(expected_projection(c) for c in truth.values())
            order = ["hubsync", "hubsync-ews", "sync_items", "full"] if step == "incremental" else TOOLS
            reps = args.repeat if step == "no-op" else 1
            runs = collections.defaultdict(list)
            for rep in range(reps):
                for tool in order:
                    res = tools.run(tool)
                    problems = tools.verify(tool, expected) if res["ok"] else []
                    res["equal"] = res["ok"] and not problems
                    if edits and res["ok"]:  # the edited values, one by one (the comparison above implies it)
                        arrived = sum(1 for i, _ in edits if compare.last[expected_projection(truth[i])] > 0)
                        res["edits_arrived"] = arrived
                        problems += [] if arrived == len(edits) else [f"only {arrived}/{len(edits)} edits arrived"]
                        res["equal"] = not problems
                    runs[tool].append(res)
                    status = "ok" if res["equal"] else "FAIL"
                    work = f" (work {res['work_s']:.2f}s)" if "work_s" in res else ""
                    arrived = f", edits {res['edits_arrived']}/{len(edits)}" if "edits_arrived" in res else ""
                    print(f"  {step:<11} {tool:<11} {res['wall_s']:7.2f}s{work:<17} {res['requests']:5d} req "
                          f"{res['response_kb']:8.0f} KB  exit {res['exit']}  verified: "
                          f"{'yes' if res['equal'] else 'NO'}{arrived}  [{status}]", flush=True)
                    if not res["ok"]:
                        log = tools.hub_log if tool.startswith("hubsync") else tools.exl_log
                        tail = log.read_text(errors="replace").splitlines()[-30:]
                        print(f"    {tool} exited {res['exit']}; end of {log}:\n" + "\n".join("      " + l for l in tail))
                    for p in problems:
                        print("    FAIL " + p)
                    if not res["equal"]:
                        failures.append(f"{n}/{step}/{tool}")
            results[step] = {}
            for tool, rs in runs.items():
                med = sorted(rs, key=lambda r: r["wall_s"])[len(rs) // 2]
                agg = {k: v for k, v in med.items() if k != "stdout"}
                if len(rs) > 1:
                    agg["walls_s"] = [r["wall_s"] for r in rs]
                    agg["requests_all"] = [r["requests"] for r in rs]
                agg["equal"] = all(r["equal"] for r in rs)
                results[step][tool] = agg
        if edits:
            # The edited values must have arrived: checked by the whole comparison above; say so.
            results["incremental"]["edits"] = collections.Counter(k for _, k in edits)
        return {"contacts": n, "steps": results, "failures": failures, "edited": len(edits),
                "auth": args.auth}
    finally:
        relay.close()
        emu.stop()

# ---------------------------------------------------------------------------- report


def report(size: dict):
    steps = size["steps"]
    print(f"\n{size['contacts']} contacts, {size['auth'].upper()} auth, {size['edited']} edited for `incremental`; "
          f"no-op = median of the runs")
    print(f"{'step':<11} {'tool':<23} {'wall':>8} {'work':>7} {'req':>5} {'resp KB':>8} {'peakMB':>6} {'cpu':>6} "
          f"{'emuCPU':>6} | {'full/x':>7} {'sync_items/x':>12}")
    print("-" * 112)
    for step in STEPS:
        s = steps[step]
        for tool in TOOLS:
            r = s[tool]
            work = f"{r['work_s']:6.2f}s" if "work_s" in r else f"{'-':>7}"
            ratios = ""
            if tool.startswith("hubsync"):
                f, si = (s[b]["wall_s"] / max(r["wall_s"], 1e-9) for b in ("full", "sync_items"))
                ratios = f"| {f:6.2f}x {si:11.2f}x"
            print(f"{step:<11} {LABELS[tool]:<23} {r['wall_s']:7.2f}s {work} {r['requests']:5d} {r['response_kb']:8.0f} "
                  f"{r['peak_mb']:6.0f} {r['cpu_s']:6.2f} {r['emu_cpu_s']:6.2f} {ratios}")
    print("  work = exchangelib's time without interpreter start-up and `import exchangelib`; "
          "ratio = baseline wall / hubsync wall")
    for step in STEPS:
        for tool in TOOLS:
            r = steps[step][tool]
            ops = ", ".join(f"{k} {v}" for k, v in r["ops"].items())
            extra = f"; walls {r['walls_s']}" if "walls_s" in r else ""
            print(f"  {step:<11} {tool:<11} ops: {ops}; 401s {r['auth_401']}; connections {r['connections']}{extra}")
    for step in STEPS:
        s = steps[step]["hubsync"].get("summary") or {}
        print(f"  hubsync {step:<11} | {s.get('exchange')} | {s.get('out')}")


def find_binary(given: str | None, name: str) -> str:
    candidates = [given] if given else [REPO / ".build-bench/release" / name, REPO / ".build/release" / name]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return str(Path(c).resolve())
    sys.exit(f"{name} not found (tried {', '.join(map(str, candidates))}); build it with\n"
             f"  swift build -c release --product {name} --scratch-path .build-bench")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--job":
        return job_main(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hubsync", help="the hubsync binary (default: .build-bench/release, then .build/release)")
    ap.add_argument("--emulator", help="the spoke-emulator binary (default: next to hubsync's default)")
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the no-op step per tool (median reported)")
    ap.add_argument("--auth", choices=("ntlm", "basic"), default="ntlm")
    ap.add_argument("--json", help="write the results here (default: a file in the temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (db, folder, logs, mirrors)")
    args = ap.parse_args()
    args.hubsync = find_binary(args.hubsync, "hubsync")
    args.emulator = find_binary(args.emulator, "spoke-emulator")
    import exchangelib
    if exchangelib.__version__ != "5.6.0":
        print(f"note: exchangelib {exchangelib.__version__}, this benchmark was written for 5.6.0")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = {"started": datetime.datetime.now().isoformat(timespec="seconds"), "seed": args.seed,
           "hubsync": args.hubsync, "emulator": args.emulator, "exchangelib": exchangelib.__version__,
           "python": sys.version.split()[0], "auth": args.auth, "sizes": []}
    failures = []
    for size in each_size(sizes, args, "ews-bench", run_size, out, failures):
        report(size)
        failures += size["failures"]
        out["sizes"].append(size)
    out["failures"] = failures
    path = Path(args.json) if args.json else Path(tempfile.gettempdir()) / \
        f"ews-bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False))
    print(f"\nresults: {path}")
    if failures:
        print("FAIL: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
