/// A store that can seal its secrets anew (key rotation): every settings value of every spoke
/// and every invitation goes through `reseal`, in one transaction, so a failure or a crash
/// leaves all of them as they were.
public protocol SecretResealing: Sendable {
    /// `reseal` returns the new value, or nil to leave it (not a sealed value). The number of
    /// values changed.
    func resealSecrets(_ reseal: (String) throws -> String?) throws -> Int
}
