import HubCLI

@main enum Entry {
    static func main() async { await HubSyncCommand.main() }
}
