/// Checks a `HOST:PORT` listen address before gRPC sees it: the C core quietly maps an
/// out-of-range port to another one and a missing port to 443.
enum ListenAddress {
  static func check(_ address: String, flag: String) throws(ConfigError) {
    guard let colon = address.lastIndex(of: ":") else {
      throw ConfigError("\(flag) \(address) needs a port, as in 127.0.0.1:50051")
    }
    let host = address[..<colon]
    let port = address[address.index(after: colon)...]
    guard !host.isEmpty else {
      throw ConfigError("\(flag) \(address) needs a host, as in 127.0.0.1:50051")
    }
    guard let number = Int(port), (0...65535).contains(number) else {
      throw ConfigError("\(flag) \(address): the port must be 0-65535 (0 picks a free one)")
    }
    if host.contains(":") && !(host.hasPrefix("[") && host.hasSuffix("]")) {
      throw ConfigError("\(flag) \(address): write an IPv6 host in brackets, as in [::1]:50051")
    }
  }
}
