import Hosting
import JSON

/// Jobs: what an asynchronous deletion's `Location` points at.
extension CloudController {
    static func jobRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/jobs/{guid}") { cc, r in
            let guid = r.parameters["guid"]
            return try cc.read { s throws(CFError) in
                guard let job = s.jobs[guid] else { throw CFError.notFound("Job") }
                return job.json(r.base)
            }
        }
        return table
    }
}
