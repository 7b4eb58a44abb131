/// `meta.pagination` of a list response. Page numbers start at 1.
public struct Pagination: Codable, Sendable, Equatable {
  public let page: Int
  public let perPage: Int
  public let previousPage: Int?
  /// Nil on the last page.
  public let nextPage: Int?
  public let lastPage: Int?
  public let totalEntries: Int?

  public init(
    page: Int, perPage: Int, previousPage: Int? = nil, nextPage: Int? = nil,
    lastPage: Int? = nil, totalEntries: Int? = nil
  ) {
    self.page = page
    self.perPage = perPage
    self.previousPage = previousPage
    self.nextPage = nextPage
    self.lastPage = lastPage
    self.totalEntries = totalEntries
  }

  private enum CodingKeys: String, CodingKey {
    case page
    case perPage = "per_page"
    case previousPage = "previous_page"
    case nextPage = "next_page"
    case lastPage = "last_page"
    case totalEntries = "total_entries"
  }
}

/// The `meta` object of a list response.
public struct ListMeta: Codable, Sendable, Equatable {
  public let pagination: Pagination?

  public init(pagination: Pagination?) {
    self.pagination = pagination
  }
}
