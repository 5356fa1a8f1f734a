// The loopback servers (Radicale, Xandikos, Python test servers) that many suites start.
@_exported import Loopback
