import CNodeSelectorProto

/// Owns the C memory behind one protobuf-c struct built for packing.
///
/// Encoding a message builds its C struct tree (`Nodeselector__V1__Node` and the strings,
/// arrays and nested structs it points to) from a Swift value. Every allocation comes from
/// one arena and is freed, all at once, in `deinit`; the arena must outlive the
/// `..._get_packed_size` and `..._pack` calls (see ``ProtobufCCodec/encode(build:size:pack:)``).
/// Used by one thread at a time, for one encode call.
final class CArena {
  private var allocations: [UnsafeMutableRawPointer] = []

  init() {}

  deinit {
    for allocation in self.allocations {
      allocation.deallocate()
    }
  }

  /// A C message struct set to its defaults by its protoc-c `..._init` function.
  ///
  /// The generated `..._init` copies a static initial value, so the struct's descriptor
  /// pointer is the real C global, never a Swift copy of it.
  func message<Message>(
    _ initialize: (UnsafeMutablePointer<Message>?) -> Void
  ) -> UnsafeMutablePointer<Message> {
    let message = UnsafeMutablePointer<Message>.allocate(capacity: 1)
    self.allocations.append(UnsafeMutableRawPointer(message))
    initialize(message)
    return message
  }

  /// A NUL-terminated UTF-8 copy of `string`.
  ///
  /// TODO: a string holding U+0000 is cut at that character on the wire, because protobuf-c
  /// measures `char *` fields with strlen. No field in proto/ carries such text today; a
  /// contract that needs it should use `bytes`.
  func string(_ string: String) -> UnsafeMutablePointer<CChar> {
    let cString = string.utf8CString
    let copy = UnsafeMutablePointer<CChar>.allocate(capacity: cString.count)
    self.allocations.append(UnsafeMutableRawPointer(copy))
    _ = UnsafeMutableBufferPointer(start: copy, count: cString.count)
      .initialize(fromContentsOf: cString)
    return copy
  }

  /// A C copy of `bytes` for a `bytes` field; empty bytes need no memory.
  func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    ProtobufCBinaryData(len: bytes.count, data: self.array(bytes))
  }

  /// A C array holding `elements`, or NULL when there are none (protobuf-c reads no element
  /// when the count is 0).
  func array<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element>? {
    guard !elements.isEmpty else { return nil }
    let array = UnsafeMutablePointer<Element>.allocate(capacity: elements.count)
    self.allocations.append(UnsafeMutableRawPointer(array))
    _ = UnsafeMutableBufferPointer(start: array, count: elements.count)
      .initialize(fromContentsOf: elements)
    return array
  }

  /// A C array of `char *` for a repeated string field.
  func strings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    self.array(strings.map { Optional(self.string($0)) })
  }

  /// A C array of struct pointers for a repeated message field, each built by `build`.
  func messages<Element, Message>(
    _ elements: [Element],
    _ build: (Element, CArena) -> UnsafeMutablePointer<Message>
  ) -> UnsafeMutablePointer<UnsafeMutablePointer<Message>?>? {
    self.array(elements.map { Optional(build($0, self)) })
  }
}
