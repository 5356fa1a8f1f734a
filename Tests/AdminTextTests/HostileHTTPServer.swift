import Foundation
import TestSupport

/// A Python 3 stdlib server that answers every request badly, as its path's first segment says:
/// `/401/…`, `/403/…`, `/404/…`, `/500/…`, `/quota/…` (429, Retry-After an hour), `/badxml/…`
/// (a multistatus or SOAP answer cut short), `/badjson/…` (JSON cut short), `/slow/…` (no
/// answer for a minute). A connector's base URL puts it under one of them.
private let script = #"""
import http.server, signal, sys, time
signal.pthread_sigmask(signal.SIG_SETMASK, [])
BAD_XML = b'<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:">\n<d:response>\n</d:multistatus>\n'
BAD_JSON = b'{"connections": [{"resourceName": "people/c1", '

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        mode = self.path.split("/")[1]
        if mode == "401":
            return self.reply(401, b"no", [("WWW-Authenticate", 'Basic realm="hostile"'), ("WWW-Authenticate", "Bearer")])
        if mode in ("403", "404", "500"):
            return self.reply(int(mode), b"no")
        if mode == "quota":
            return self.reply(429, b"slow down", [("Retry-After", "3600")])
        if mode == "badxml":
            status = 207 if self.command in ("PROPFIND", "REPORT") else 200
            return self.reply(status, BAD_XML, [("Content-Type", "text/xml; charset=utf-8")])
        if mode == "badjson":
            return self.reply(200, BAD_JSON, [("Content-Type", "application/json")])
        if mode == "slow":
            time.sleep(60)
            return self.reply(200, b"")
        self.reply(400, b"unknown mode")

    def log_message(self, *args):
        pass

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = any

server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.daemon_threads = True
server.serve_forever()
"""#

enum HostileHTTPServer {
    static func start() async throws -> ServerProcess {
        try OutsideTools.require(.python)
        return try await ServerProcess("python3") { port, dir in
            let file = dir.appendingPathComponent("hostile.py")
            try script.write(to: file, atomically: true, encoding: .utf8)
            return [file.path, "\(port)"]
        }
    }
}
