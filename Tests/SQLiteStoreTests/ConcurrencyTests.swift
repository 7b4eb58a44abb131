import NodeSelectorCore
import Testing

@testable import SQLiteStore

/// Races on a real file between real threads. Separate ``NodeStore`` instances stand in
/// for separate daemon processes: each has its own connection, so only SQLite's file locks
/// and BEGIN IMMEDIATE keep them apart.
@Suite("Concurrent writers on one file", .serialized)
struct ConcurrencyTests {
  enum Sharing: String, CaseIterable, Sendable {
    /// One instance shared by every thread: the in-process lock serialises them.
    case oneStore
    /// An instance per thread: the file locks serialise them.
    case storePerThread
  }

  /// One store per thread index, or the same store for all.
  private func stores(_ count: Int, path: String, _ sharing: Sharing) throws -> [NodeStore] {
    switch sharing {
    case .oneStore:
      let store = try NodeStore(path: path)
      return Array(repeating: store, count: count)
    case .storePerThread:
      return try (0..<count).map { _ in try NodeStore(path: path) }
    }
  }

  @Test("a claim racing the warm expiry has exactly one winner", arguments: Sharing.allCases)
  func claimAndExpiryHaveOneWinner(sharing: Sharing) throws {
    let database = try TemporaryDatabase()
    let stores = try self.stores(2, path: database.path, sharing)
    let rounds = 200
    let winners = Locked<[Int: [String]]>([:])
    let failures = Locked<[String]>([])

    for round in 0..<rounds {
      let id = "node-\(round)"
      _ = try stores[0].insertAdopted(.make(id, state: .warm, warmSinceMs: 1))

      onThreads(2) { index in
        do {
          let won: Bool
          if index == 0 {
            won = try stores[0].claimWarm(nodeID: id, userID: "user-1", taskID: id, nowMs: 9)
          } else {
            won = try stores[1].expireWarm(nodeID: id, warmSinceBeforeMs: 5, nowMs: 9) != nil
          }
          if won {
            winners.update { $0[round, default: []].append(index == 0 ? "claim" : "expire") }
          }
        } catch {
          failures.update { $0.append("\(error)") }
        }
      }
    }

    #expect(failures.current == [])
    let counts = winners.current
    let notExactlyOne = (0..<rounds).filter { counts[$0, default: []].count != 1 }
    #expect(notExactlyOne == [])
    for round in 0..<rounds {
      let node = try #require(try stores[0].node(id: "node-\(round)"))
      let claimed = counts[round] == ["claim"]
      #expect(node.state == (claimed ? .running : .destroying))
      #expect(node.workspaces == (claimed ? 1 : 0))
    }
    #expect(try stores[0].openAssignmentMismatches() == [])
  }

  @Test("reservations from 16 threads never exceed the node limit", arguments: Sharing.allCases)
  func reservationsNeverExceedLimit(sharing: Sharing) throws {
    let database = try TemporaryDatabase()
    let seed = try NodeStore(path: database.path)
    _ = try seed.insertAdopted(.make("old-running", state: .running))
    _ = try seed.insertAdopted(.make("old-failed", state: .failed))
    _ = try seed.insertAdopted(.make("old-stopped", state: .stopped))
    let stores = try self.stores(16, path: database.path, sharing)
    let limit = 6
    let outcomes = Locked<[Reservation]>([])
    let failures = Locked<[String]>([])

    onThreads(16) { index in
      for attempt in 0..<3 {
        do {
          let node = Node.make("n-\(index)-\(attempt)", state: .creating)
          let outcome = try stores[index].reserveProvisioning(
            node: node, taskID: "t-\(index)-\(attempt)", nodeLimit: limit, nowMs: 10)
          outcomes.update { $0.append(outcome) }
        } catch {
          failures.update { $0.append("\(error)") }
        }
      }
    }

    #expect(failures.current == [])
    let all = outcomes.current
    let reserved = all.filter { if case .reserved = $0 { true } else { false } }
    #expect(reserved.count == limit - 1)
    #expect(all.count - reserved.count == 16 * 3 - (limit - 1))
    #expect(
      all.allSatisfy { $0 == .limitReached(count: limit, limit: limit) || reserved.contains($0) })
    #expect(try seed.countLive(userID: "user-1") == limit)
    #expect(try seed.openAssignmentMismatches() == [])
  }

  @Test("assignments from 16 threads never exceed the workspace limit", arguments: Sharing.allCases)
  func assignmentsNeverExceedWorkspaceLimit(sharing: Sharing) throws {
    let database = try TemporaryDatabase()
    let seed = try NodeStore(path: database.path)
    _ = try seed.insertAdopted(.make(state: .running))
    let stores = try self.stores(16, path: database.path, sharing)
    let limit = 4
    let wins = Locked(0)
    let failures = Locked<[String]>([])

    onThreads(16) { index in
      do {
        let won = try stores[index].assign(
          nodeID: "node-1", userID: "user-1", taskID: "t-\(index)", workspaceLimit: limit,
          nowMs: 10)
        if won {
          wins.update { $0 += 1 }
        }
      } catch {
        failures.update { $0.append("\(error)") }
      }
    }

    #expect(failures.current == [])
    #expect(wins.current == limit)
    #expect(try seed.node(id: "node-1")?.workspaces == limit)
    #expect(try seed.openAssignmentMismatches() == [])
  }
}
