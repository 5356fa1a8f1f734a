import Foundation
import TestSupport

/// A Python 3 stdlib server that checks credentials on its own (hashlib; NTLM with pyspnego's
/// acceptor), so the Swift side is proven against independent implementations. Argument: port,
/// then optionally `tls cert key`.
private let script = #"""
import base64, hashlib, http.server, json, os, re, signal, ssl, sys, threading
# Spawned from a Swift concurrency thread, we inherit its blocked signals: unblock so stop() ends us.
signal.pthread_sigmask(signal.SIG_SETMASK, [])
USER, PW, REALM = "alice", "s3cret \"pass\"", "hubsync test"
PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))')
lock, nonces, hits = threading.Lock(), {}, {}
# NTLM: handshakes started (NEGOTIATE), logins, requests answered on a logged-in connection, and
# the connections (client ports) that logged in.
ntlm_stats = {"negotiates": 0, "logins": 0, "served": 0, "connections": []}

def digest_ok(header, method, uri, alg):
    if not header or not header.startswith("Digest "):
        return False
    p = {m.group(1).lower(): (re.sub(r'\\(.)', r'\1', m.group(2)) if m.group(2) is not None else m.group(3))
         for m in PARAM.finditer(header[7:])}
    H = lambda s: hashlib.new("md5" if alg == "MD5" else "sha256", s.encode()).hexdigest()
    if (p.get("username"), p.get("realm"), p.get("uri"), p.get("algorithm"), p.get("qop"), p.get("opaque")) \
            != (USER, REALM, uri, alg, "auth", "op"):
        return False
    with lock:  # each nonce count used once, increasing
        last = nonces.get(p.get("nonce"))
        nc = int(p.get("nc", "0"), 16)
        if last is None or nc <= last:
            return False
        nonces[p["nonce"]] = nc
    ha1, ha2 = H(f"{USER}:{REALM}:{PW}"), H(f"{method}:{uri}")
    return p.get("response") == H(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:auth:{ha2}")

def new_nonce():
    n = base64.b64encode(os.urandom(18)).decode()
    with lock:
        nonces[n] = 0
    return n

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def ntlm(self, auth, echo, bindings=None):
        """Per connection, as IIS does: this handler object lives as long as its socket, so the
        pending handshake and the logged-in user are kept on it. With `bindings` (the
        tls-server-end-point hash), Extended Protection: pyspnego refuses another binding or a bad MIC."""
        import spnego  # pip pyspnego; credentials from the file named by $NTLM_USER_FILE
        from spnego.channel_bindings import GssChannelBindings
        token = base64.b64decode(auth[5:]) if auth and auth.startswith("NTLM ") else b""
        if token[8:9] == b"\x01":  # NEGOTIATE: a new login, on a logged-in connection too
            cb = GssChannelBindings(application_data=b"tls-server-end-point:" + bindings) if bindings else None
            self.ntlm_user, self.ntlm_context = None, spnego.server(protocol="ntlm", channel_bindings=cb)
            with lock:
                ntlm_stats["negotiates"] += 1
            challenge = self.ntlm_context.step(token)
            return self.reply(401, b"", [("WWW-Authenticate", "NTLM " + base64.b64encode(challenge).decode())])
        context, self.ntlm_context = getattr(self, "ntlm_context", None), None
        if token[8:9] == b"\x03" and context:
            try:
                context.step(token)
            except Exception as e:
                print("NTLM login refused:", e, flush=True)
                return self.reply(401, b"", [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")])
            self.ntlm_user = context.client_principal
            with lock:
                ntlm_stats["logins"] += 1
                ntlm_stats["connections"].append(self.client_address[1])
        elif token or not getattr(self, "ntlm_user", None):
            return self.reply(401, b"", [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")])
        with lock:
            ntlm_stats["served"] += 1
        return self.reply(200, f"{self.ntlm_user} ".encode() + echo)

    def any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path, auth = self.path, self.headers.get("Authorization")
        basic = "Basic " + base64.b64encode(f"{USER}:{PW}".encode()).decode()
        echo = f"{self.command} {path} ".encode() + body
        if path.startswith("/ntlm/"):
            return self.ntlm(auth, echo)
        if path.startswith("/ntlm-ep/"):  # bound to this server's certificate (SHA-256 signed)
            return self.ntlm(auth, echo, hashlib.sha256(CERT_DER).digest())
        if path.startswith("/ntlm-ep-proxy/"):  # as behind a proxy that ends TLS with another certificate
            return self.ntlm(auth, echo, hashlib.sha256(b"the proxy's certificate").digest())
        if path == "/ntlm-stats":
            with lock:
                return self.reply(200, json.dumps(ntlm_stats).encode())
        if path.startswith("/digest-"):
            alg = "MD5" if path.startswith("/digest-md5/") else "SHA-256"
            if digest_ok(auth, self.command, path, alg):
                return self.reply(207 if self.command == "PROPFIND" else 200, echo)
            return self.reply(401, b"", [("WWW-Authenticate",
                f'Digest realm="{REALM}", qop="auth", algorithm={alg}, nonce="{new_nonce()}", opaque="op"')])
        if path == "/auto":
            if auth == basic:
                return self.reply(200, b"basic")
            if digest_ok(auth, self.command, path, "SHA-256"):
                return self.reply(200, b"digest")
            return self.reply(401, b"", [("WWW-Authenticate", f'Basic realm="{REALM}"'), ("WWW-Authenticate",
                f'Digest realm="{REALM}", qop="auth", algorithm=SHA-256, nonce="{new_nonce()}", opaque="op"')])
        if path == "/basic":
            if auth == basic:
                return self.reply(200, b"basic")
            return self.reply(401, b"", [("WWW-Authenticate", f'Basic realm="{REALM}"')])
        if path.startswith("/flaky"):
            with lock:
                hits[path] = hits.get(path, 0) + 1
                first = hits[path] == 1
            return self.reply(503, b"busy", [("Retry-After", "1")]) if first else self.reply(200, b"recovered")
        if path.startswith("/trickle-"):  # a hostile server: a byte (or header line) every 0.2 s
            import time
            try:
                if path == "/trickle-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for n in range(200):
                        self.wfile.write(f"X-Slow-{n}: x\r\n".encode())
                        self.wfile.flush()
                        time.sleep(0.2)
                    self.wfile.write(b"Content-Length: 0\r\n\r\n")
                    return
                self.send_response(200)
                self.send_header("Content-Length", "200")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        if path == "/.well-known/carddav":
            return self.reply(301, b"", [("Location", "/digest-sha256/dav/")])
        if path.startswith("/gzip"):  # compressed only when asked, as servers do
            import gzip
            asked = "gzip" in self.headers.get("Accept-Encoding", "")
            if path == "/gzip-bomb":  # 64 MB of zeros in 64 KB
                return self.reply(200, gzip.compress(bytes(64 << 20)), [("Content-Encoding", "gzip")])
            if not asked:
                return self.reply(200, b"plain")
            return self.reply(200, gzip.compress(b"<multistatus>" + b"x" * 100000 + b"</multistatus>"),
                              [("Content-Encoding", "gzip")])
        self.reply(200 if path == "/hello" else 404, b"hello")

    do_GET = do_PUT = do_POST = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = do_HEAD = any

server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
CERT_DER = b""
if len(sys.argv) > 2 and sys.argv[2] == "tls":
    CERT_DER = ssl.PEM_cert_to_DER_cert(open(sys.argv[3]).read())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""#

enum TestServer {
    static let user = "alice"
    static let password = "s3cret \"pass\""
    /// NTLM accounts under /ntlm/: HUBSYNC\alice, and carol known by her UPN only.
    static let ntlmDomain = "HUBSYNC"
    static let upn = "carol@hubsync.test"

    /// Plain HTTP, or HTTPS with a fresh self-signed certificate for 127.0.0.1 (`cert.pem` in the
    /// server's directory).
    static func start(tls: Bool = false) async throws -> ServerProcess {
        try OutsideTools.require(tls ? [.python, .openssl] : [.python])
        // pyspnego reads its accounts from the file named by NTLM_USER_FILE (DOMAIN:user:password).
        let users = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-ntlm-\(UUID().uuidString).txt")
        try "\(ntlmDomain):\(user):\(password)\n:\(upn):\(password)\n".write(to: users, atomically: true, encoding: .utf8)
        return try await ServerProcess("python3", environment: ["NTLM_USER_FILE": users.path]) { port, dir in
            let file = dir.appendingPathComponent("server.py")
            try script.write(to: file, atomically: true, encoding: .utf8)
            guard tls else { return [file.path, "\(port)"] }
            let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                 "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw ServerError("openssl req failed") }
            return [file.path, "\(port)", "tls", cert, key]
        }
    }
}
