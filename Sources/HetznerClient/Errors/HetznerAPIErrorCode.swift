extension HetznerAPIError {
  /// The API's `error.code` string.
  ///
  /// An open set: the API may add codes at any time, so an unknown string is kept as it is
  /// rather than rejected, and ``retryClass(httpStatus:)`` falls back to the HTTP status.
  public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
  {
    public let rawValue: String

    public init(rawValue: String) {
      self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
      self.rawValue = value
    }

    public var description: String { self.rawValue }

    // Capacity: the location cannot take the server now.
    public static let placementError: Code = "placement_error"
    public static let resourceUnavailable: Code = "resource_unavailable"
    public static let noSpaceLeftInLocation: Code = "no_space_left_in_location"

    // Transient: the same request may succeed a little later.
    public static let rateLimitExceeded: Code = "rate_limit_exceeded"
    public static let locked: Code = "locked"
    public static let conflict: Code = "conflict"
    public static let serverError: Code = "server_error"
    public static let serviceError: Code = "service_error"
    public static let timeout: Code = "timeout"
    public static let unavailable: Code = "unavailable"
    public static let maintenance: Code = "maintenance"

    // Permanent: the request or the account must change first.
    public static let resourceLimitExceeded: Code = "resource_limit_exceeded"
    public static let unauthorized: Code = "unauthorized"
    public static let forbidden: Code = "forbidden"
    public static let tokenReadonly: Code = "token_readonly"
    public static let invalidInput: Code = "invalid_input"
    public static let jsonError: Code = "json_error"
    public static let notFound: Code = "not_found"
    public static let uniquenessError: Code = "uniqueness_error"
    public static let protected: Code = "protected"
    public static let unsupportedError: Code = "unsupported_error"

    /// The class of a failure with this code. Known codes decide alone; an unknown code is
    /// transient on 429 or any 5xx and permanent otherwise.
    ///
    /// - Parameter httpStatus: the response status, or nil for an action's async error
    ///   (an unknown async error code is then permanent).
    public func retryClass(httpStatus: Int?) -> RetryClass {
      switch self {
      case .placementError, .resourceUnavailable, .noSpaceLeftInLocation:
        return .capacity
      case .rateLimitExceeded, .locked, .conflict, .serverError, .serviceError, .timeout,
        .unavailable, .maintenance:
        return .transient
      case .resourceLimitExceeded, .unauthorized, .forbidden, .tokenReadonly, .invalidInput,
        .jsonError, .notFound, .uniquenessError, .protected, .unsupportedError:
        return .permanent
      default:
        guard let status = httpStatus, status == 429 || (500...599).contains(status) else {
          return .permanent
        }
        return .transient
      }
    }

    /// The code assumed when an error response carries no API error body (a proxy's 502,
    /// say), chosen so that ``retryClass(httpStatus:)`` still classifies it correctly.
    static func fallback(httpStatus: Int) -> Code {
      switch httpStatus {
      case 401: .unauthorized
      case 403: .forbidden
      case 404: .notFound
      case 409: .conflict
      case 423: .locked
      case 429: .rateLimitExceeded
      case 500...599: .serverError
      default: Code(rawValue: "http_\(httpStatus)")
      }
    }
  }
}
