/// A gRPC status code. A struct over the wire number rather than an enum, so a code this
/// build does not know (from a newer peer) still round-trips.
public struct StatusCode: Hashable, Sendable, CustomStringConvertible {
  public let rawValue: Int32

  public init(rawValue: Int32) {
    self.rawValue = rawValue
  }

  public static let ok = StatusCode(rawValue: 0)
  public static let cancelled = StatusCode(rawValue: 1)
  public static let unknown = StatusCode(rawValue: 2)
  public static let invalidArgument = StatusCode(rawValue: 3)
  public static let deadlineExceeded = StatusCode(rawValue: 4)
  public static let notFound = StatusCode(rawValue: 5)
  public static let alreadyExists = StatusCode(rawValue: 6)
  public static let permissionDenied = StatusCode(rawValue: 7)
  public static let resourceExhausted = StatusCode(rawValue: 8)
  public static let failedPrecondition = StatusCode(rawValue: 9)
  public static let aborted = StatusCode(rawValue: 10)
  public static let outOfRange = StatusCode(rawValue: 11)
  public static let unimplemented = StatusCode(rawValue: 12)
  public static let `internal` = StatusCode(rawValue: 13)
  public static let unavailable = StatusCode(rawValue: 14)
  public static let dataLoss = StatusCode(rawValue: 15)
  public static let unauthenticated = StatusCode(rawValue: 16)

  private static let names = [
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
    "UNAUTHENTICATED",
  ]

  /// The canonical upper-case name, e.g. "NOT_FOUND"; "CODE_<n>" for an unknown number.
  public var description: String {
    guard self.rawValue >= 0, Int(self.rawValue) < Self.names.count else {
      return "CODE_\(self.rawValue)"
    }
    return Self.names[Int(self.rawValue)]
  }
}

/// A failed call: the status a server sends or a client receives, with a message meant for
/// a person.
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
  public var code: StatusCode
  public var message: String

  public init(_ code: StatusCode, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String {
    "\(self.code): \(self.message)"
  }
}
