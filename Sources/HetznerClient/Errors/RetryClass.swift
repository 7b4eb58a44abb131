/// How a failed call should be treated, per DESIGN.md "Provisioning".
///
/// The client never retries by itself; the provisioning layer reads this (or asks
/// ``RetryPolicy``) and decides.
public enum RetryClass: String, Sendable, Equatable, CaseIterable {
  /// The location has no room now (`placement_error`, `resource_unavailable`,
  /// `no_space_left_in_location`): retry once in place, then try another location.
  case capacity
  /// Worth retrying with backoff (`rate_limit_exceeded`, `locked`, `conflict`, 5xx, timeouts).
  case transient
  /// Retrying cannot help (`resource_limit_exceeded`, `unauthorized`, `invalid_input`...).
  case permanent
}
