/// Runs `body` with a resource and always closes it: on return, on a thrown error and on
/// cancellation (Swift has no `async defer`). An AsyncHTTPClient that is never shut down
/// crashes the whole test process in its deinit, so tests make transports through this.
public func withResource<Resource, T>(
    _ make: () async throws -> Resource, close: (Resource) async throws -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let resource = try await make()
    let result: T
    do {
        result = try await body(resource)
    } catch {
        try? await close(resource)
        throw error
    }
    try await close(resource)
    return result
}
