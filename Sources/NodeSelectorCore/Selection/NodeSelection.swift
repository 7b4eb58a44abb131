/// Picks a node for one user's task: claim a warm node, else use a running node with room,
/// else ask for a new one.
///
/// Only the store's conditional writes decide races: every warm node is re-read right
/// before its claim and every claim or assignment may lose, in which case the next node in
/// rank order is tried. A node whose `userID` differs from the request's is dropped on
/// sight, whatever the inventory returned. Work is linear in the user's nodes apart from
/// one sort per stage: each node's figures and sort keys are computed once.
public struct NodeSelection {
  public let inventory: any NodeInventory
  public let policy: SelectionPolicy

  public init(inventory: any NodeInventory, policy: SelectionPolicy = .standard) {
    self.inventory = inventory
    self.policy = policy
  }

  /// Runs the selection for `request` at `nowMs` (Unix milliseconds, passed to the store).
  ///
  /// Without a task id (nil or empty) nothing is claimed or assigned: warm nodes are not
  /// looked at and the best running node is returned as advice.
  /// - Throws: whatever the inventory throws; a rejected node is never an error.
  public func select(_ request: SelectionRequest, nowMs: Int64) throws -> SelectionOutcome {
    // TODO: advice (no task id) skips warm nodes, so a user whose only free nodes are warm is
    // advised to provision. Acceptable for now: advice is defined over running nodes and any
    // real request carries a task id, which claims the warm node. Fix: name the best warm
    // node as advice once the service contract says how to report an unclaimed warm node.
    var considered: [Consideration] = []
    let taskID = request.taskID.flatMap { $0.isEmpty ? nil : $0 }

    if let taskID {
      let claim = WarmClaim(request: request, taskID: taskID, nowMs: nowMs)
      if let node = try self.claimWarm(claim, considered: &considered) {
        return .claimedWarm(node, .claimedWarm(node.id, considered: considered))
      }
    }
    return try self.useCapacity(request, taskID: taskID, nowMs: nowMs, considered: considered)
  }

  private struct WarmClaim {
    let request: SelectionRequest
    let taskID: String
    let nowMs: Int64
  }

  /// Tries the user's warm nodes best first; returns the claimed node or nil.
  private func claimWarm(_ claim: WarmClaim, considered: inout [Consideration]) throws -> Node? {
    let userID = claim.request.userID
    let ranking = WarmRanking(request: claim.request)
    let listed = try self.inventory.warmNodes(userID: userID).filter { $0.userID == userID }

    var eligible: [(node: Node, slot: Int)] = []
    for node in listed {
      let rejections = ranking.rejections(of: node)
      if rejections.isEmpty {
        eligible.append((node, considered.count))
      }
      considered.append(Consideration(nodeID: node.id, rejections: rejections, stage: .warm))
    }

    for position in ranking.rankedIndices(eligible.map(\.node)) {
      let (node, slot) = eligible[position]
      guard let fresh = try self.inventory.node(id: node.id) else {
        considered[slot].rejections = [.gone]
        continue
      }
      guard fresh.userID == userID else {
        considered[slot].rejections = [.ownerChanged]
        continue
      }
      let rejections = ranking.rejections(of: fresh)
      guard rejections.isEmpty else {
        considered[slot].rejections = rejections
        continue
      }
      let won = try self.inventory.claimWarm(
        nodeID: fresh.id, userID: userID, taskID: claim.taskID, nowMs: claim.nowMs
      )
      guard won else {
        considered[slot].rejections = [.warmClaimLost]
        continue
      }
      considered[slot].chosen = true
      return Self.assigned(fresh, nowMs: claim.nowMs)
    }
    return nil
  }

  /// Filters and ranks the user's running nodes, then assigns (or advises) the best.
  private func useCapacity(
    _ request: SelectionRequest, taskID: String?, nowMs: Int64, considered: [Consideration]
  ) throws -> SelectionOutcome {
    var considered = considered
    let filter = CapacityFilter(policy: self.policy, request: request)
    let scoring = Scoring(policy: self.policy)
    let listed = try self.inventory.runningNodes(userID: request.userID)

    var candidates: [Scoring.Candidate] = []
    candidates.reserveCapacity(listed.count)
    for node in listed where node.userID == request.userID {
      let figures = LoadFigures(node)
      let rejections = filter.rejections(of: node, figures: figures)
      guard rejections.isEmpty else {
        considered.append(Consideration(nodeID: node.id, rejections: rejections))
        continue
      }
      let candidate = scoring.candidate(
        node, figures: figures, preferences: filter.preferences, index: considered.count
      )
      candidates.append(candidate)
      considered.append(Consideration(nodeID: node.id, score: candidate.score))
    }
    let ranked = Scoring.ranked(candidates)

    guard let taskID else {
      guard let best = ranked.first else {
        return .provision(.noFit(considered: considered))
      }
      considered[best.index].chosen = true
      let explanation = Explanation.chose(
        best.node.id, score: best.score, assigned: false, considered: considered
      )
      return .existingCapacity(best.node, explanation)
    }

    for candidate in ranked {
      let won = try self.inventory.assign(
        nodeID: candidate.node.id, userID: request.userID, taskID: taskID,
        workspaceLimit: self.policy.workspaceLimit, nowMs: nowMs
      )
      guard won else {
        considered[candidate.index].rejections = [.assignmentLost]
        continue
      }
      considered[candidate.index].chosen = true
      let explanation = Explanation.chose(
        candidate.node.id, score: candidate.score, assigned: true, considered: considered
      )
      return .existingCapacity(Self.assigned(candidate.node, nowMs: nowMs), explanation)
    }
    return .provision(.noFit(considered: considered))
  }

  /// The node as the store holds it after a won claim or assignment.
  private static func assigned(_ node: Node, nowMs: Int64) -> Node {
    var node = node
    node.state = .running
    node.workspaces += 1
    node.warmSinceMs = nil
    node.updatedAtMs = nowMs
    return node
  }
}
