import Emulators
import Foundation
import Testing

/// Holds requests at the fault hook until the test opens it: concurrency without sleeps.
actor Gate {
    private var held: [CheckedContinuation<Void, Never>] = []
    private var watchers: [(Int, CheckedContinuation<Void, Never>)] = []
    private var isOpen = false

    func pass() async {
        if isOpen { return }
        await withCheckedContinuation { c in
            held.append(c)
            for (n, w) in watchers where held.count >= n { w.resume() }
            watchers.removeAll { held.count >= $0.0 }
        }
    }

    func waitUntilHeld(_ n: Int) async {
        if held.count >= n { return }
        await withCheckedContinuation { watchers.append((n, $0)) }
    }

    func open() {
        isOpen = true
        held.forEach { $0.resume() }
        held = []
    }
}

@Suite struct FaultTests {
    let op = "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"contacts\"/></m:FolderIds></m:GetFolder>"

    @Test func httpStatusFaults() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        fx.emulator.faults.inject(.httpStatus(503, retryAfter: 7), count: 2)
        fx.emulator.faults.inject(.httpStatus(429, retryAfter: 3), count: 1, operation: "SyncFolderItems")
        let a = try await fx.soap(op), b = try await fx.soap(op), c = try await fx.soap(op)
        #expect([a.status, b.status, c.status] as [Int] == [503, 503, 200])
        #expect(a.header("Retry-After") == ["7"])
        let throttled = try await fx.soap(Ops.sync(state: nil, max: 10))
        #expect(throttled.status == 429 && throttled.header("Retry-After") == ["3"])
        #expect(try await fx.soap(Ops.sync(state: nil, max: 10)).status == 200)
        #expect(fx.emulator.faults.injectedCount == 3 && fx.emulator.faults.pending == 0)
        #expect(fx.emulator.requestCount("GetFolder") == 3 && fx.emulator.requestCount("SyncFolderItems") == 2)
    }

    @Test func serverBusyFaultShape() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        fx.emulator.faults.inject(.serverBusy(backOffMilliseconds: 297_749), operation: "GetFolder")
        let r = try await fx.soap(op)
        #expect(r.status == 500)
        let fault = try #require(r.xml().descendant("Fault"))
        #expect(fault.childText("faultcode") == "a:ErrorServerBusy")
        let detail = try #require(fault.child("detail"))
        #expect(detail.child("ResponseCode")?.ns == "http://schemas.microsoft.com/exchange/services/2006/errors")
        #expect(detail.childText("ResponseCode") == "ErrorServerBusy")
        let value = try #require(detail.child("MessageXml")?.child("Value"))
        #expect(detail.child("MessageXml")?.ns == "http://schemas.microsoft.com/exchange/services/2006/types")
        #expect(value.attr("Name") == "BackOffMilliseconds" && value.text == "297749")
        #expect(try await fx.soap(op).status == 200)
    }

    @Test func dropConnection() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        fx.emulator.faults.inject(.dropConnection)
        await #expect(throws: (any Error).self) { _ = try await fx.soap(op) }
        #expect(try await fx.soap(op).status == 200)
    }

    @Test func concurrencyIsMeasuredPerMailbox() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let gate = Gate()
        fx.emulator.faults.setHook { _ in await gate.pass() }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await fx.soap(op).status } }
            await gate.waitUntilHeld(3)
            #expect(fx.emulator.maxConcurrentRequests(mailbox: EWSFixture.email) == 3)
            await gate.open()
            for try await status in group { #expect(status == 200) }
        }
        fx.emulator.faults.clear()
        #expect(fx.emulator.requestCount("GetFolder") == 3)
    }
}
