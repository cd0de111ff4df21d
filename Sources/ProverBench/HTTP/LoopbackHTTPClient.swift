#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to 127.0.0.1, for load
/// generation: no allocation beyond the request and response bytes, no event loop in the way.
/// Responses must carry `Content-Length` (Hummingbird's do for complete bodies).
public final class LoopbackHTTPClient {
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let fd: Int32
    private let port: Int
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws(Failure) {
        self.port = port
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect 127.0.0.1:\(port): errno \(errno)")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends one request and reads its response. `headers` are extra lines without the CRLF.
    public func send(_ method: String, _ path: String, body: [UInt8] = [], headers: [String] = []) throws(Failure) -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for header in headers { head += header + "\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try write(Array(head.utf8) + body)
        return try readResponse()
    }

    private func write(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; throws when the peer closed the connection.
    private func fill() throws(Failure) {
        let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "connection closed by the server" : "recv: errno \(errno)") }
        buffer.append(contentsOf: scratch[0..<n])
    }

    private func readResponse() throws(Failure) -> Response {
        // Drop the bytes of earlier responses (offsets below are relative to readIndex).
        if readIndex > 0 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        // Header block: up to the first CRLF CRLF after readIndex.
        var headerEnd: Int?
        var searchFrom = readIndex
        while headerEnd == nil {
            if buffer.count - searchFrom >= 4 {
                for i in searchFrom...(buffer.count - 4)
                where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                    headerEnd = i
                    break
                }
                if headerEnd == nil { searchFrom = buffer.count - 3 }
            }
            if headerEnd == nil {
                guard buffer.count - readIndex < 64 * 1024 else { throw Failure(description: "response header over 64 KiB") }
                try fill()
            }
        }
        let head = String(decoding: buffer[readIndex..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure(description: "malformed status line: \(lines.first ?? "")")
        }
        var length: Int?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " ")
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding", value.lowercased() != "identity" {
                throw Failure(description: "transfer-encoding \(value) is not supported")
            }
        }
        guard let length else { throw Failure(description: "response without Content-Length (status \(status))") }
        let bodyStart = headerEnd! + 4
        while buffer.count - bodyStart < length { try fill() }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        readIndex = bodyStart + length
        return Response(status: status, body: body)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var s = self
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return s
    }
}
