/// A Hetzner action: the API's handle on a long-running operation such as `create_server`.
///
/// Poll ``HetznerCloud/action(id:)`` until ``status`` is `.success` or `.error`.
public struct Action: Codable, Sendable, Equatable {
  /// The API's `status` string; open, since the API may add states.
  public struct Status: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
      self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
      self.rawValue = value
    }

    public static let running: Status = "running"
    public static let success: Status = "success"
    public static let error: Status = "error"
  }

  /// Why an action failed. Its code uses the same vocabulary as API errors, so a capacity
  /// failure that arrives asynchronously classifies the same way as a synchronous one.
  public struct Failure: Codable, Sendable, Equatable {
    public let code: HetznerAPIError.Code
    public let message: String

    public init(code: HetznerAPIError.Code, message: String) {
      self.code = code
      self.message = message
    }

    public init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      self.code = HetznerAPIError.Code(
        rawValue: try container.decode(String.self, forKey: .code))
      self.message = try container.decode(String.self, forKey: .message)
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(self.code.rawValue, forKey: .code)
      try container.encode(self.message, forKey: .message)
    }

    /// The class of this failure, judged by its code alone.
    public var retryClass: RetryClass {
      self.code.retryClass(httpStatus: nil)
    }

    private enum CodingKeys: String, CodingKey {
      case code, message
    }
  }

  public let id: Int64
  /// What the action does, e.g. `create_server`, `delete_server`.
  public let command: String?
  public let status: Status
  /// Percent done, 0...100.
  public let progress: Int?
  /// Set when ``status`` is `.error`.
  public let error: Failure?

  public init(
    id: Int64, command: String? = nil, status: Status, progress: Int? = nil,
    error: Failure? = nil
  ) {
    self.id = id
    self.command = command
    self.status = status
    self.progress = progress
    self.error = error
  }

  /// True once the action succeeded or failed; it will not change again.
  public var isFinished: Bool {
    self.status == .success || self.status == .error
  }
}
