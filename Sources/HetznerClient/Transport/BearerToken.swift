/// The API token, wrapped so no textual form (`print`, `dump`, `String(reflecting:)`) can
/// show it. Only ``headerValue`` reads it, for the `Authorization` header.
struct BearerToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  private let secret: String

  init(_ secret: String) {
    self.secret = secret
  }

  /// `Bearer <token>`.
  var headerValue: String { "Bearer \(self.secret)" }

  /// Visible ASCII only: a CR or LF would let the token inject headers.
  var isHeaderSafe: Bool {
    !self.secret.isEmpty && self.secret.utf8.allSatisfy { (0x21...0x7E).contains($0) }
  }

  /// `text` with every occurrence of the token replaced by `[redacted]`.
  func redact(_ text: String) -> String {
    guard !self.secret.isEmpty else {
      return text
    }
    return text.replacingOccurrences(of: self.secret, with: "[redacted]")
  }

  var description: String { "[redacted]" }
  var debugDescription: String { "[redacted]" }
  var customMirror: Mirror { Mirror(self, children: [:]) }
}
