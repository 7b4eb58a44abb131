import Foundation
import Testing

@testable import GRPCBridge

/// Real server and real channel over loopback: the bridge must carry bytes, statuses,
/// metadata and deadlines both ways.
@Suite("Unary calls over loopback")
struct UnaryRoundTripTests {
  /// A started server with a few test methods, torn down by `stop()`.
  final class Fixture: @unchecked Sendable {
    let server: GRPCServer
    let channel: GRPCChannel
    let cancelSeen = ResultBox(count: 1)

    init() throws {
      self.server = try GRPCServer(address: "127.0.0.1:0")
      self.server.register("/test.Echo/Echo") { _, request in .success(request) }
      self.server.register("/test.Echo/Fail") { _, request in
        .failure(
          RPCError(.failedPrecondition, "refused: \(String(decoding: request, as: UTF8.self))"))
      }
      self.server.register("/test.Echo/Header") { context, _ in
        .success(Array((context.header("x-who") ?? "none").utf8))
      }
      self.server.register("/test.Echo/Deadline") { context, _ in
        .success(Array(String(context.remainingMilliseconds ?? -1).utf8))
      }
      self.server.register("/test.Echo/Slow") { _, request in
        Thread.sleep(forTimeInterval: 0.3)
        return .success(request)
      }
      let cancelSeen = self.cancelSeen
      self.server.register("/test.Echo/WaitForCancel") { context, _ in
        while !context.isCancelled {
          Thread.sleep(forTimeInterval: 0.005)
        }
        cancelSeen.set(0, true)
        // Answer late on purpose: the caller has given up, so this must never reach it.
        Thread.sleep(forTimeInterval: 0.2)
        return .success(Array("too late".utf8))
      }
      self.server.start()
      self.channel = try GRPCChannel(target: "127.0.0.1:\(self.server.port)")
    }

    func stop() {
      self.server.shutdown(graceMilliseconds: 1000)
    }
  }

  @Test("request bytes come back unchanged, empty and large alike")
  func echoesBytes() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let payloads: [[UInt8]] = [[], [0, 1, 2, 255], Array(repeating: 7, count: 1 << 20)]
    for payload in payloads {
      let answer = try fixture.channel.unary("/test.Echo/Echo", request: payload)
      #expect(answer == payload)
    }
  }

  @Test("a handler's status code and message reach the client")
  func carriesErrorStatus() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let error = #expect(throws: RPCError.self) {
      try fixture.channel.unary("/test.Echo/Fail", request: Array("x".utf8))
    }
    #expect(error == RPCError(.failedPrecondition, "refused: x"))
  }

  @Test("an unknown method gets UNIMPLEMENTED naming the method")
  func unknownMethodIsUnimplemented() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let error = #expect(throws: RPCError.self) {
      try fixture.channel.unary("/test.Echo/Nope", request: [])
    }
    #expect(error?.code == .unimplemented)
    #expect(error?.message.contains("/test.Echo/Nope") == true)
  }

  @Test("request metadata is readable by the handler")
  func readsMetadata() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let answer = try fixture.channel.unary(
      "/test.Echo/Header", request: [], metadata: [("x-who", "alice")])
    #expect(String(decoding: answer, as: UTF8.self) == "alice")
  }

  @Test("the caller's deadline is visible to the handler, and absent when unset")
  func exposesDeadline() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let bounded = try fixture.channel.unary(
      "/test.Echo/Deadline", request: [], timeoutMilliseconds: 5000)
    let left = try #require(Int(String(decoding: bounded, as: UTF8.self)))
    #expect(left > 3000 && left <= 5000)
    let unbounded = try fixture.channel.unary("/test.Echo/Deadline", request: [])
    #expect(String(decoding: unbounded, as: UTF8.self) == "-1")
  }

  @Test("a passed deadline ends the call with DEADLINE_EXCEEDED and the handler sees it")
  func deadlineCancelsWaitingHandler() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let error = #expect(throws: RPCError.self) {
      try fixture.channel.unary(
        "/test.Echo/WaitForCancel", request: [], timeoutMilliseconds: 100)
    }
    #expect(error?.code == .deadlineExceeded)
    for _ in 0..<500 where !fixture.cancelSeen.all {
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(fixture.cancelSeen.all)
    let after = try fixture.channel.unary("/test.Echo/Echo", request: [1])
    #expect(after == [1])
  }

  @Test("many threads share one channel and every call gets its own answer")
  func concurrentCallsStayApart() throws {
    let fixture = try Fixture()
    defer { fixture.stop() }
    let count = 200
    let results = ResultBox(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      let payload = Array("call-\(index)".utf8)
      let answer = try? fixture.channel.unary("/test.Echo/Echo", request: payload)
      results.set(index, answer == payload)
    }
    #expect(results.all)
  }

  @Test("a server with nothing listening makes the client fail with UNAVAILABLE")
  func unreachableServerIsUnavailable() throws {
    let server = try GRPCServer(address: "127.0.0.1:0")
    let port = server.port
    server.start()
    server.shutdown(graceMilliseconds: 100)
    let channel = try GRPCChannel(target: "127.0.0.1:\(port)")
    let error = #expect(throws: RPCError.self) {
      try channel.unary("/test.Echo/Echo", request: [], timeoutMilliseconds: 2000)
    }
    #expect(error?.code == .unavailable || error?.code == .deadlineExceeded)
  }

  @Test("shutdown lets a call in flight finish with its answer")
  func shutdownDrainsCallsInFlight() throws {
    let fixture = try Fixture()
    let answered = DispatchSemaphore(value: 0)
    let result = ResultBox(count: 1)
    Thread.detachNewThread {
      let answer = try? fixture.channel.unary("/test.Echo/Slow", request: [9])
      result.set(0, answer == [9])
      answered.signal()
    }
    Thread.sleep(forTimeInterval: 0.1)
    fixture.server.shutdown(graceMilliseconds: 5000)
    answered.wait()
    #expect(result.all)
  }

  @Test("shutdown past its grace cancels a call that would wait forever")
  func shutdownCancelsAfterGrace() throws {
    let fixture = try Fixture()
    let answered = DispatchSemaphore(value: 0)
    let codes = CodeBox()
    Thread.detachNewThread {
      do {
        _ = try fixture.channel.unary("/test.Echo/WaitForCancel", request: [])
      } catch let error as RPCError {
        codes.code = error.code
      } catch {
        codes.code = .unknown
      }
      answered.signal()
    }
    Thread.sleep(forTimeInterval: 0.1)
    fixture.server.shutdown(graceMilliseconds: 100)
    answered.wait()
    #expect(codes.code != nil)
  }

  @Test("binding an address already in use throws instead of crashing")
  func busyAddressThrows() throws {
    let first = try GRPCServer(address: "127.0.0.1:0")
    defer { first.shutdown(graceMilliseconds: 100) }
    first.start()
    #expect(throws: GRPCBridgeError.self) {
      _ = try GRPCServer(address: "127.0.0.1:\(first.port)")
    }
  }
}

final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Bool]

  init(count: Int) {
    self.values = Array(repeating: false, count: count)
  }

  func set(_ index: Int, _ value: Bool) {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.values[index] = value
  }

  var all: Bool {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.values.allSatisfy { $0 }
  }
}

final class CodeBox: @unchecked Sendable {
  private let lock = NSLock()
  private var value: StatusCode?

  var code: StatusCode? {
    get {
      self.lock.lock()
      defer { self.lock.unlock() }
      return self.value
    }
    set {
      self.lock.lock()
      defer { self.lock.unlock() }
      self.value = newValue
    }
  }
}
