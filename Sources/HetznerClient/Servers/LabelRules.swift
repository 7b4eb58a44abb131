/// Hetzner's rules for label keys and values and for server names, checked locally.
///
/// Label key: optional prefix (a DNS subdomain of at most 253 characters) and `/`, then a
/// name of 1...63 characters. Label value: empty, or 1...63 characters. Names and values use
/// `a-z A-Z 0-9 - _ .` and start and end with a letter or digit. The `hetzner.cloud/` prefix
/// is reserved for Hetzner.
enum LabelRules {
  static func validate(key: String, value: String) throws(HetznerValidationError) {
    var name = Substring(key)
    if let slash = key.lastIndex(of: "/") {
      let prefix = key[..<slash]
      name = key[key.index(after: slash)...]
      guard prefix.count <= 253, self.isHostname(String(prefix)) else {
        throw HetznerValidationError(
          field: "labels", reason: "key \"\(key)\" has an invalid prefix")
      }
      guard prefix.lowercased() != "hetzner.cloud" else {
        throw HetznerValidationError(
          field: "labels", reason: "key \"\(key)\" uses the reserved prefix hetzner.cloud/")
      }
    }
    guard self.isLabelPart(name) else {
      throw HetznerValidationError(field: "labels", reason: "key \"\(key)\" is invalid")
    }
    guard value.isEmpty || self.isLabelPart(Substring(value)) else {
      throw HetznerValidationError(
        field: "labels", reason: "value of key \"\(key)\" is invalid")
    }
  }

  /// RFC 1123: at most 253 characters; dot-separated parts of 1...63 letters, digits and
  /// hyphens, none starting or ending with a hyphen.
  static func isHostname(_ text: String) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 253 else {
      return false
    }
    return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
      (1...63).contains(part.utf8.count)
        && part.utf8.allSatisfy { self.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        && part.first != "-" && part.last != "-"
    }
  }

  /// A server type, image or location name: 1...128 of `a-z A-Z 0-9 - _ .`.
  static func isIdentifier(_ text: String) -> Bool {
    (1...128).contains(text.utf8.count) && text.utf8.allSatisfy(self.isLabelCharacter)
  }

  private static func isLabelPart(_ text: Substring) -> Bool {
    guard let first = text.utf8.first, let last = text.utf8.last, text.utf8.count <= 63 else {
      return false
    }
    return self.isAlphanumeric(first) && self.isAlphanumeric(last)
      && text.utf8.allSatisfy(self.isLabelCharacter)
  }

  private static func isLabelCharacter(_ byte: UInt8) -> Bool {
    self.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
      || byte == UInt8(ascii: ".")
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default:
      false
    }
  }
}
