import SyncModel

extension EWSSpoke {
    /// The ChangeKey inside a version this spoke gave (which may also name the photo it holds):
    /// what another connector for the same mailbox, Microsoft Graph, knows the item's version by.
    public static func changeKey(of version: RemoteVersion) -> String { EWSVersion(version).changeKey }
}
