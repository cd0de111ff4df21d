import Foundation
import Hummingbird
import ProverService

/// `GET /v1/events`: task state changes as server-sent events (`event: task`, `data:` the
/// task JSON with `from` and `to`), optionally only those entering `?state=a,b`. The stream
/// ends when the client disconnects or the server shuts down.
struct EventRoutes: Sendable {
    let service: ProverService

    func add(to router: Router<DaemonRequestContext>) {
        router.get("v1/events") { request, _ in
            var states: Set<TaskState>?
            if let text = request.uri.queryParameters.get("state") {
                states = []
                for name in text.split(separator: ",") {
                    guard let s = TaskState(rawValue: String(name)) else {
                        throw APIError(.invalidInput, "unknown state \"\(name.prefix(32))\"", field: "state")
                    }
                    states!.insert(s)
                }
            }
            let events = service.events(states: states)
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: ": connected\n\n"))
                    for await event in events {
                        var object = TaskJSON.task(event.record)
                        object["from"] = event.from?.rawValue ?? NSNull()
                        object["to"] = event.to.rawValue
                        let data = try TaskJSON.encode(object)
                        try await writer.write(ByteBuffer(string: "event: task\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
