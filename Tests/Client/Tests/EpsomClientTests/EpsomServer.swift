import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the server could not be started or reached.
struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real `epsom serve`, built beforehand and named by the environment variable EPSOM_BINARY, on
/// a free loopback port and a new SQLite file in a temporary folder. `stop()` ends it and removes
/// the folder.
final class EpsomServer {
    let url: URL
    private let process: Process
    private let directory: URL

    private init(url: URL, process: Process, directory: URL) {
        self.url = url
        self.process = process
        self.directory = directory
    }

    /// Starts the server and waits until GET /readyz answers 200 (a few tries, should the free
    /// port be taken between finding it and the server binding it).
    static func start() async throws -> EpsomServer {
        guard let binary = ProcessInfo.processInfo.environment["EPSOM_BINARY"], !binary.isEmpty else {
            throw ServerError(
                "EPSOM_BINARY is not set: build the server (swift build --product epsom) and run "
                    + "scripts/api/client_test.sh .build/debug/epsom, or set EPSOM_BINARY to the absolute path of an epsom binary")
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ServerError("EPSOM_BINARY=\(binary) is not an executable file")
        }
        var failures: [String] = []
        for _ in 1...3 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("epsom-client-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = try freeLoopbackPort()
            let log = directory.appendingPathComponent("server.log")
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                throw ServerError("cannot create \(log.path)")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "serve", "--host", "127.0.0.1", "--port", String(port),
                "--database", "sqlite:" + directory.appendingPathComponent("epsom.sqlite").path,
            ]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw ServerError("no URL for port \(port)") }
            try process.run()
            let server = EpsomServer(url: url, process: process, directory: directory)
            if try await server.waitUntilReady() { return server }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            failures.append("port \(port): \(output.suffix(2000))")
            server.stop()
        }
        throw ServerError("\(binary) serve did not become ready:\n" + failures.joined(separator: "\n"))
    }

    /// Polls GET /readyz for up to 30 seconds; false when the process ends or time runs out.
    private func waitUntilReady() async throws -> Bool {
        let readyz = url.appendingPathComponent("readyz")
        for _ in 0..<300 {
            guard process.isRunning else { return false }
            if let (_, response) = try? await URLSession.shared.data(from: readyz),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Ends the server (SIGTERM, then waits for it) and removes its temporary folder.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port on 127.0.0.1 that was free a moment ago: the kernel's pick for a socket bound to 0.
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw ServerError("bind() failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw ServerError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
