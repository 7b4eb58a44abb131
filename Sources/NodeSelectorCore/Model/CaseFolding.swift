/// Case-insensitive name comparison that skips `lowercased()` for names already in
/// canonical form.
///
/// The catalog's type names and the store's location names are plain lower-case ASCII, so
/// almost every comparison in a selection is decided by one exact `==`. Only a name with an
/// upper-case or non-ASCII byte pays for lowercasing, and the answer is always the one
/// `name.lowercased() == lowered` would give.
enum CaseFolding {
  /// Whether `name.lowercased()` equals `lowered`, which must already be lowercased.
  static func equal(_ name: String, lowered: String) -> Bool {
    if name == lowered {
      return true
    }
    if Self.isFolded(name) {
      // lowercased() would return `name` unchanged, which was just found unequal.
      return false
    }
    return name.lowercased() == lowered
  }

  /// True when `name` is ASCII without upper-case letters, so `lowercased()` is a no-op.
  static func isFolded(_ name: String) -> Bool {
    name.utf8.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) }
  }
}
