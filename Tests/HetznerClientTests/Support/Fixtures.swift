import Foundation
import HetznerClient

/// JSON in the API's shape, built from the library's own Codable models.
enum Fixtures {
  static let baseURL = "http://127.0.0.1:9/v1"
  static let token = "hz-test-token-s3cr3t-0123456789"

  static func server(_ id: Int64, name: String? = nil, status: Server.Status = .running)
    -> Server
  {
    Server(
      id: id, name: name ?? "node-\(id)", status: status, publicIPv4: "127.0.0.\(id % 250 + 2)",
      serverType: "cx22", location: "fsn1", labels: ["managed-by": "nodeselector"])
  }

  static func json(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(value) else {
      return "null"
    }
    return String(decoding: data, as: UTF8.self)
  }

  static func serverBody(_ server: Server) -> String {
    #"{"server":\#(json(server))}"#
  }

  static func actionBody(_ action: Action) -> String {
    #"{"action":\#(json(action))}"#
  }

  static func createdBody(_ server: Server, action: Action) -> String {
    #"{"server":\#(json(server)),"action":\#(json(action)),"next_actions":[],"root_password":null}"#
  }

  /// One page of a server list, with Hetzner's pagination meta.
  static func page(_ servers: [Server], page: Int, lastPage: Int, perPage: Int = 50) -> String {
    let next = page < lastPage ? String(page + 1) : "null"
    let previous = page > 1 ? String(page - 1) : "null"
    return #"{"servers":\#(json(servers)),"meta":{"pagination":{"page":\#(page),"#
      + #""per_page":\#(perPage),"previous_page":\#(previous),"next_page":\#(next),"#
      + #""last_page":\#(lastPage),"total_entries":\#(servers.count * lastPage)}}}"#
  }

  static func client(_ transport: HTTPTransport, timeoutMs: Int = 30_000) -> HetznerCloud {
    HetznerCloud(
      baseURL: Self.baseURL, token: Self.token, transport: transport, requestTimeoutMs: timeoutMs)
  }

  static let options = CreateServerOpts(
    name: "node-7", serverType: "cx22", image: "ubuntu-24.04", location: "fsn1",
    labels: ["managed-by": "nodeselector", "nodeselector/node-id": "7"],
    userData: "#cloud-config\n")
}
