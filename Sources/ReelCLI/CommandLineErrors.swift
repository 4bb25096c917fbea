import ArgumentParser
import Foundation
import ReelCore

/// Runs a command's work and turns any failure into one clear line on standard error
/// (`error[E-…]: what happened`), its detail lines, and exit status 1.
package func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ReportableError {
        printError("error[\(error.reportCode)]: \(error.reportSummary)")
        for line in error.reportDetails { printError(line.hasPrefix(" ") ? line : "  " + line) }
        throw ExitCode.failure
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        printError("error[\(ReelError.Code.badArgument)]: \(error.message)")
        throw ExitCode.failure
    } catch {
        // Every failure a user can cause has a code; one without is Reel's bug, and says so.
        printError("error[E-INTERNAL]: \(error)")
        printError("  this is a bug in Reel: please report it with the command and the scene")
        throw ExitCode.failure
    }
}

package func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Splits `--set name=value` arguments; the scene decoder checks names and types.
package func parseOverrides(_ arguments: [String]) throws -> [String: String] {
    var overrides: [String: String] = [:]
    for argument in arguments {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
            throw ValidationError("--set \(argument): write it as name=value")
        }
        overrides[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
    }
    return overrides
}
