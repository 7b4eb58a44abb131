/// Hetzner Cloud locations. A preference or a registration naming anything else is a
/// mistake the caller should hear about, not a preference that silently never matches.
public enum Location {
  /// Every location Hetzner Cloud offers servers in.
  public static let known: Set<String> = ["fsn1", "nbg1", "hel1", "ash", "hil", "sin"]

  /// Whether `name` is a Hetzner location (names are lower-case).
  public static func isKnown(_ name: String) -> Bool {
    self.known.contains(name)
  }
}
