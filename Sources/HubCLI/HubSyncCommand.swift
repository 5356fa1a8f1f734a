import ArgumentParser

/// `hubsync`: the command line of HubSync.
public struct HubSyncCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hubsync",
        abstract: "Keep contacts the same in every connected address book.",
        discussion: "A hub holds the canonical contacts; each spoke connects it to one source. Start with "
            + "`hubsync demo` (in a browser) or `hubsync tour` (in the terminal); then `hubsync serve`, or "
            + "`hubsync hub create NAME` and `hubsync spoke add`.",
        subcommands: [
            Demo.self, Tour.self, Serve.self, HubGroup.self, SpokeGroup.self, Discover.self, Sync.self, Runs.self, History.self, Restore.self,
            HoldsGroup.self, Export.self, Prune.self, InviteGroup.self, WorkerCommand.self, TokenGroup.self, KeyGroup.self,
            StoreMigrate.self,
        ])

    public init() {}
}
