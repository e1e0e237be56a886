import Hosting
import JSON

/// Jobs: what an asynchronous deletion's `Location` points at.
extension CloudController {
    static func jobRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/jobs/{guid}", readOne("Job") { _, s, r in s.jobs[r.guid]?.json(r.base) })
        return table
    }
}
