/// Picks a node for one user's task: claim a warm node, else use a running node with room,
/// else ask for a new one.
///
/// Only the store's conditional writes decide races: every warm node is re-read right
/// before its claim and every claim or assignment may lose, in which case the next node in
/// rank order is tried. A node whose `userID` differs from the request's is dropped on
/// sight, whatever the inventory returned. Work is linear in the user's nodes: each node's
/// figures and sort keys are computed once, the best is found in one pass, and the rest are
/// sorted (on small keys) only when the first claim or assignment of a stage loses.
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
    var resolver = NodeTraits.Resolver(ranking.preferences)
    let listed = try self.inventory.warmNodes(userID: userID)

    var keys: [WarmRanking.Key] = []
    considered.reserveCapacity(considered.count + listed.count)
    // Fields are read straight out of the array: binding a node to a local copies it whole.
    for position in listed.indices where listed[position].userID == userID {
      let traits = resolver.traits(
        type: listed[position].serverType, location: listed[position].location)
      let rejections = ranking.rejections(
        state: listed[position].state, health: listed[position].health, traits: traits)
      if rejections.isEmpty {
        let key = ranking.key(
          warmSinceMs: listed[position].warmSinceMs, traits: traits, position: position,
          slot: considered.count)
        keys.append(key)
      }
      considered.append(
        Consideration(nodeID: listed[position].id, rejections: rejections, stage: .warm))
    }

    var order = BestFirst(keys) { WarmRanking.ranksBefore($0, $1, in: listed) }
    while let key = order.pop() {
      let slot = key.slot
      guard let fresh = try self.inventory.node(id: listed[key.position].id) else {
        considered[slot].rejections = [.gone]
        continue
      }
      guard fresh.userID == userID else {
        considered[slot].rejections = [.ownerChanged]
        continue
      }
      let traits = resolver.traits(type: fresh.serverType, location: fresh.location)
      let rejections = ranking.rejections(
        state: fresh.state, health: fresh.health, traits: traits)
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
    var resolver = NodeTraits.Resolver(filter.preferences)
    let listed = try self.inventory.runningNodes(userID: request.userID)

    var candidates: [Scoring.Candidate] = []
    candidates.reserveCapacity(listed.count)
    considered.reserveCapacity(considered.count + listed.count)
    // Fields are read straight out of the array: binding a node to a local copies it whole.
    for position in listed.indices where listed[position].userID == request.userID {
      let traits = resolver.traits(
        type: listed[position].serverType, location: listed[position].location)
      let figures = LoadFigures(listed[position].metrics, vcpus: traits.vcpus)
      let rejections = filter.rejections(
        state: listed[position].state, health: listed[position].health,
        workspaces: listed[position].workspaces, figures: figures, traits: traits)
      guard rejections.isEmpty else {
        considered.append(Consideration(nodeID: listed[position].id, rejections: rejections))
        continue
      }
      let candidate = scoring.candidate(
        figures: figures, traits: traits, position: position, slot: considered.count
      )
      candidates.append(candidate)
      considered.append(Consideration(nodeID: listed[position].id, score: candidate.score))
    }
    var order = BestFirst(candidates) { Scoring.ranksBefore($0, $1, in: listed) }

    guard let taskID else {
      guard let best = order.pop() else {
        return .provision(.noFit(considered: considered))
      }
      let node = listed[best.position]
      considered[best.slot].chosen = true
      let explanation = Explanation.chose(
        node.id, score: best.score, assigned: false, considered: considered
      )
      return .existingCapacity(node, explanation)
    }

    while let candidate = order.pop() {
      let node = listed[candidate.position]
      let won = try self.inventory.assign(
        nodeID: node.id, userID: request.userID, taskID: taskID,
        workspaceLimit: self.policy.workspaceLimit, nowMs: nowMs
      )
      guard won else {
        considered[candidate.slot].rejections = [.assignmentLost]
        continue
      }
      considered[candidate.slot].chosen = true
      let explanation = Explanation.chose(
        node.id, score: candidate.score, assigned: true, considered: considered
      )
      return .existingCapacity(Self.assigned(node, nowMs: nowMs), explanation)
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
