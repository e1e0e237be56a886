import Chrono
import Engine
import Foundation
import JSON

/// The request floor of `bench job`: the same number of plain `POST /Users` as the job sent to its
/// target, through the same client stack (token, retries, pacing, transport) at the same
/// concurrency, with no engine logic around them. The job's time over this is the engine's cost.
struct RequestFloor {
    struct Result {
        var requests = 0
        var failures = 0
        var seconds = 0.0
    }

    let client: SystemClient
    let usersURL: String
    let dialect: SystemType

    /// Sends `count` creations of users named `floor-…`, `concurrency` in flight at a time.
    func measure(count: Int, concurrency: Int) async -> Result {
        let started = ContinuousClock.now
        var result = Result()
        await withBoundedConcurrency(count: count, limit: concurrency, { await send($0) }) { succeeded in
            result.requests += 1
            if !succeeded { result.failures += 1 }
        }
        result.seconds = (ContinuousClock.now - started).inSeconds
        return result
    }

    private func send(_ index: Int) async -> Bool {
        let answer = try? await client.send("POST", usersURL, json: user(index), purpose: .write(method: "POST"))
        return answer?.isSuccess ?? false
    }

    /// A user of the size the job writes: a bench user as the directory holds it, in the target's dialect.
    private func user(_ index: Int) -> JSONValue {
        var user = BenchCommand.Job.benchUser(String(format: "floor-%06d", index))
        if dialect == .xsuaa {
            user["schemas"] = ["urn:scim:schemas:core:1.0"]
            user["origin"] = "sap.custom"
        }
        return user
    }
}
