import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 with a kernel-chosen port, for tests only.
///
/// One thread accepts connections and serves them one at a time: it reads a request (head
/// plus `Content-Length` body), asks the handler for a response, writes it and closes. A nil
/// response means "never answer": the connection is held open until ``stop()``, which is how
/// the timeout tests get a server that accepts but stays silent.
final class LoopbackHTTPServer: @unchecked Sendable {
  struct Request: Sendable {
    let method: String
    /// Path and query, as sent.
    let target: String
    /// Header names lowercased.
    let headers: [String: String]
    let body: Data

    var path: String { String(self.target.split(separator: "?", maxSplits: 1)[0]) }

    /// Query parameters, percent-decoded.
    var query: [String: String] {
      let parts = self.target.split(separator: "?", maxSplits: 1)
      guard parts.count == 2 else {
        return [:]
      }
      var result: [String: String] = [:]
      for pair in parts[1].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
        let key = kv[0].removingPercentEncoding ?? kv[0]
        result[key] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
      }
      return result
    }
  }

  struct Response: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: Data = Data()

    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Self {
      Response(
        status: status, headers: [("Content-Type", "application/json")] + headers,
        body: Data(text.utf8))
    }
  }

  let port: Int
  var baseURL: String { "http://127.0.0.1:\(self.port)/v1" }

  private let listener: Int32
  private let handler: @Sendable (Request) -> Response?
  private let lock = NSLock()
  private var held: [Int32] = []
  private var stopped = false
  private let finished = DispatchSemaphore(value: 0)

  init(handler: @escaping @Sendable (Request) -> Response?) throws {
    self.handler = handler
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else {
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
        bind(listener, raw, length) == 0 && listen(listener, 16) == 0
          && getsockname(listener, raw, &length) == 0
      }
    }
    guard bound else {
      let code = errno
      close(listener)
      throw POSIXError(.init(rawValue: code) ?? .EIO)
    }
    self.listener = listener
    self.port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread { [self] in self.acceptLoop() }
    thread.start()
  }

  deinit {
    self.stop()
  }

  /// Closes the listener and every held connection, then waits for the accept thread.
  func stop() {
    let fds: [Int32]? = self.lock.withLock {
      guard !self.stopped else {
        return nil
      }
      self.stopped = true
      defer { self.held.removeAll() }
      return self.held
    }
    guard let fds else {
      return
    }
    shutdown(self.listener, Int32(SHUT_RDWR))
    fds.forEach { close($0) }
    self.finished.wait()
    close(self.listener)
  }

  private func acceptLoop() {
    defer { self.finished.signal() }
    while true {
      let connection = accept(self.listener, nil, nil)
      guard connection >= 0 else {
        if errno == EINTR { continue }
        return
      }
      self.serve(connection)
    }
  }

  private func serve(_ connection: Int32) {
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(
      connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    guard let request = self.readRequest(connection) else {
      close(connection)
      return
    }
    guard let response = self.handler(request) else {
      self.hold(connection)
      return
    }
    self.write(response, to: connection)
    close(connection)
  }

  /// Keeps a connection open, unanswered, until ``stop()``.
  private func hold(_ connection: Int32) {
    let kept = self.lock.withLock {
      guard !self.stopped else {
        return false
      }
      self.held.append(connection)
      return true
    }
    if !kept {
      close(connection)
    }
  }

  private func readRequest(_ connection: Int32) -> Request? {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 4096)
    let separator = Data("\r\n\r\n".utf8)
    while data.range(of: separator) == nil {
      let count = read(connection, &buffer, buffer.count)
      guard count > 0 else { return nil }
      data.append(buffer, count: count)
    }
    guard let headEnd = data.range(of: separator) else { return nil }
    let head = String(decoding: data[..<headEnd.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ").map(String.init)
    guard requestLine.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].lowercased()
      headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body = Data(data[headEnd.upperBound...])
    let expected = Int(headers["content-length"] ?? "0") ?? 0
    while body.count < expected {
      let count = read(connection, &buffer, buffer.count)
      guard count > 0 else { return nil }
      body.append(buffer, count: count)
    }
    return Request(method: requestLine[0], target: requestLine[1], headers: headers, body: body)
  }

  private func write(_ response: Response, to connection: Int32) {
    var head = "HTTP/1.1 \(response.status) Canned\r\n"
    for (name, value) in response.headers {
      head += "\(name): \(value)\r\n"
    }
    head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
    let bytes = [UInt8](head.utf8) + [UInt8](response.body)
    var offset = 0
    while offset < bytes.count {
      let sent = bytes[offset...].withUnsafeBytes { raw in
        send(connection, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { return }
      offset += sent
    }
  }

  /// A loopback port with nothing listening: bound by the kernel, then closed again.
  static func closedPort() throws -> Int {
    let server = try LoopbackHTTPServer { _ in nil }
    server.stop()
    return server.port
  }
}
