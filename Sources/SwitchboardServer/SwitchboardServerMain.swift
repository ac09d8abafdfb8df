import ArgumentParser
import Server

/// The `switchboard-server` executable: parses the command line and runs the chosen subcommand
/// (async ones awaited), as ArgumentParser's own async entry point does for an `@main` command.
@main
struct SwitchboardServerMain {
    static func main() async {
        do {
            var command = try ServerCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ServerCommand.exit(withError: error)
        }
    }
}
