import Foundation
import GRPCBridge

/// The whole run of one invocation: parse, validate, call, print; returns the exit status.
///
/// Exit statuses: 0 success; 1 the call failed (or `health` is not serving); 2 the command
/// line is wrong, found before any connection is made. Output goes to stdout, usage errors
/// and (without `--json`) call errors to stderr.
struct NodeSelectorCLI {
  let environment: [String: String]

  func run(_ arguments: [String]) -> Int32 {
    let parser = ArgumentParser(commands: Commands.all)
    let invocation: Invocation
    do {
      invocation = try parser.parse(arguments)
    } catch {
      return self.usageFailure(error)
    }

    if invocation.wantsHelp {
      print(invocation.command.map(HelpText.command) ?? HelpText.overall(Commands.all))
      return 0
    }
    guard let command = invocation.command else {
      return self.usageFailure(UsageError("no command given"))
    }

    let options: GlobalOptions
    let call: PreparedCall
    do {
      options = try GlobalOptions(flags: invocation.flags, environment: self.environment)
      call = try command.prepare(invocation.flags)
    } catch {
      return self.usageFailure(error)
    }

    do {
      let client = try self.connect(options)
      let output = try call(client)
      print(options.json ? output.json.rendered() : output.text)
      return output.exitCode
    } catch {
      return self.callFailure(error, json: options.json)
    }
  }

  private func connect(_ options: GlobalOptions) throws(RPCError) -> Client {
    do {
      let channel = try GRPCChannel(target: options.server)
      return Client(channel: channel, timeoutMilliseconds: options.timeoutMilliseconds)
    } catch {
      throw RPCError(.unavailable, "\(error)")
    }
  }

  private func usageFailure(_ error: UsageError) -> Int32 {
    let help = error.command.map { "nodeselector \($0) --help" } ?? "nodeselector --help"
    self.writeError("error: \(error.message)\nsee '\(help)'")
    return 2
  }

  private func callFailure(_ error: RPCError, json: Bool) -> Int32 {
    if json {
      print(JSONOutput.error(error).rendered())
    } else {
      self.writeError("error: \(error.code): \(error.message)")
    }
    return 1
  }

  private func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
