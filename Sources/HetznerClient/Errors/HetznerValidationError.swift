/// Options that the API would reject, caught before any request is sent.
///
/// Names the field and the rule broken. A label key is quoted because it is caller data
/// already shown in the server list; label values and user data are never quoted, since
/// they may carry something private.
public struct HetznerValidationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `name`, `server_type`, `image`, `location`, `labels`, `user_data` or `token`.
  public let field: String
  public let reason: String

  public init(field: String, reason: String) {
    self.field = field
    self.reason = reason
  }

  public var description: String {
    "\(self.field): \(self.reason)"
  }
}
