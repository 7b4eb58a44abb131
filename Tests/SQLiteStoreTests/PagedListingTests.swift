import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("Paged node listing")
struct PagedListingTests {
  /// Seven nodes, inserted out of id order: u1 owns a, c, d (failed), f; u2 owns b, e, g.
  private func store() throws -> NodeStore {
    let store = try NodeStore(path: ":memory:")
    let rows: [Node] = [
      .make("f", user: "u1", createdAtMs: 1), .make("b", user: "u2", createdAtMs: 2),
      .make("d", user: "u1", state: .failed, createdAtMs: 3),
      .make("a", user: "u1", createdAtMs: 4), .make("g", user: "u2", createdAtMs: 5),
      .make("c", user: "u1", createdAtMs: 6), .make("e", user: "u2", createdAtMs: 7),
    ]
    for node in rows {
      _ = try store.insertAdopted(node)
    }
    return store
  }

  /// Every page of `limit` from the start, as lists of ids.
  private func pages(
    _ store: NodeStore, userID: String?, includeTerminal: Bool, limit: Int
  ) throws -> [[String]] {
    var pages: [[String]] = []
    var after: String?
    while true {
      let page = try store.nodes(
        userID: userID, includeTerminal: includeTerminal, afterID: after, limit: limit)
      pages.append(page.map(\.id))
      guard page.count == limit, let last = page.last else {
        return pages
      }
      after = last.id
    }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let userID: String?
    let includeTerminal: Bool
    let limit: Int
    let pages: [[String]]

    var testDescription: String {
      "\(self.userID ?? "everyone"), terminal \(self.includeTerminal), limit \(self.limit)"
    }
  }

  @Test(
    "pages walk the nodes in id order, filtered, at most limit at a time",
    arguments: [
      // 7 nodes, 3 per page: 3 + 3 + 1.
      Case(
        userID: nil, includeTerminal: true, limit: 3,
        pages: [["a", "b", "c"], ["d", "e", "f"], ["g"]]),
      // d is failed: 6 nodes, so the third page is empty and ends the walk.
      Case(
        userID: nil, includeTerminal: false, limit: 3,
        pages: [["a", "b", "c"], ["e", "f", "g"], []]),
      Case(userID: "u1", includeTerminal: true, limit: 2, pages: [["a", "c"], ["d", "f"], []]),
      Case(userID: "u1", includeTerminal: false, limit: 2, pages: [["a", "c"], ["f"]]),
      Case(userID: "u2", includeTerminal: false, limit: 10, pages: [["b", "e", "g"]]),
      Case(userID: "nobody", includeTerminal: true, limit: 5, pages: [[]]),
    ])
  func pagesWalkNodesInIDOrder(_ row: Case) throws {
    let store = try self.store()
    let pages = try self.pages(
      store, userID: row.userID, includeTerminal: row.includeTerminal, limit: row.limit)
    #expect(pages == row.pages)
  }

  @Test("a page carries the same node values as the unpaged listing")
  func pageNodesEqualUnpagedNodes() throws {
    let store = try self.store()
    _ = try store.assign(nodeID: "a", userID: "u1", taskID: "t", workspaceLimit: 3, nowMs: 9)

    let paged = try store.nodes(userID: "u1", includeTerminal: true, afterID: nil, limit: 10)
    let unpaged = try store.nodes(userID: "u1", includeTerminal: true)
    #expect(paged == unpaged.sorted { $0.id < $1.id })
    #expect(paged.first?.workspaces == 1)
  }

  @Test("a page starts strictly after afterID, which need not be a stored id")
  func pageStartsAfterAnyID() throws {
    let store = try self.store()
    let afterStored = try store.nodes(userID: nil, includeTerminal: true, afterID: "c", limit: 2)
    let afterGap = try store.nodes(userID: nil, includeTerminal: true, afterID: "cc", limit: 2)
    #expect(afterStored.map(\.id) == ["d", "e"])
    #expect(afterGap.map(\.id) == ["d", "e"])
  }

  @Test("a limit below one returns no nodes", arguments: [0, -1])
  func nonPositiveLimitReturnsNothing(limit: Int) throws {
    let store = try self.store()
    #expect(try store.nodes(userID: nil, includeTerminal: true, afterID: nil, limit: limit) == [])
  }
}
