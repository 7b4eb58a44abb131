/// Request and response bodies for the server and action endpoints, spelled as the API
/// spells them. Internal: callers see ``Server``, ``Action`` and ``CreateServerResult``.
struct CreateServerBody: Encodable {
  let name: String
  let serverType: String
  let image: String
  let location: String?
  let labels: [String: String]
  let userData: String?
  let startAfterCreate = true

  init(_ options: CreateServerOpts) {
    self.name = options.name
    self.serverType = options.serverType
    self.image = options.image
    self.location = options.location
    self.labels = options.labels
    self.userData = options.userData
  }

  enum CodingKeys: String, CodingKey {
    case name, image, location, labels
    case serverType = "server_type"
    case userData = "user_data"
    case startAfterCreate = "start_after_create"
  }
}

struct CreatedServer: Decodable {
  let server: Server
  let action: Action
  let nextActions: [Action]?

  enum CodingKeys: String, CodingKey {
    case server, action
    case nextActions = "next_actions"
  }
}

struct ServerBody: Decodable {
  let server: Server
}

struct ActionBody: Decodable {
  let action: Action
}

struct ServerList: Decodable {
  let servers: [Server]
  let meta: ListMeta?
}
