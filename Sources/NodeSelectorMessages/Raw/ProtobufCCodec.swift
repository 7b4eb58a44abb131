import CNodeSelectorProto

/// Runs one message's generated protoc-c functions to encode or decode it.
///
/// The generated Swift passes the per-message functions (`nodeselector__v1__node__pack`,
/// `..._unpack`, ...) rather than the message descriptor, so protobuf-c always sees the
/// descriptor through the struct that `..._init` or `..._unpack` filled in: a pointer to the
/// real C global, never to a temporary Swift copy of it.
enum ProtobufCCodec {
  typealias Allocator = UnsafeMutablePointer<ProtobufCAllocator>

  /// Builds the C struct in an arena, measures it, packs it and frees the arena.
  static func encode<Message>(
    build: (CArena) -> UnsafeMutablePointer<Message>,
    size: (UnsafePointer<Message>?) -> Int,
    pack: (UnsafePointer<Message>?, UnsafeMutablePointer<UInt8>?) -> Int
  ) -> [UInt8] {
    let arena = CArena()
    return withExtendedLifetime(arena) {
      let message = UnsafePointer(build(arena))
      let byteCount = size(message)
      return [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initializedCount in
        guard byteCount > 0 else { return }
        let written = pack(message, buffer.baseAddress)
        precondition(written == byteCount, "protobuf-c packed \(written) of \(byteCount) bytes")
        initializedCount = written
      }
    }
  }

  /// Unpacks `bytes` with protobuf-c, copies the result out with `copy`, then frees it.
  ///
  /// - Throws: ``MessageDecodingError`` naming `messageName` when `..._unpack` returns NULL.
  static func decode<Message, Value>(
    _ bytes: [UInt8],
    messageName: String,
    unpack: (Allocator?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<Message>?,
    free: (UnsafeMutablePointer<Message>?, Allocator?) -> Void,
    copy: (Message) -> Value
  ) throws(MessageDecodingError) -> Value {
    let unpacked = bytes.withUnsafeBufferPointer { buffer in
      unpack(nil, buffer.count, buffer.baseAddress)
    }
    guard let unpacked else {
      throw MessageDecodingError(messageName: messageName, byteCount: bytes.count)
    }
    defer { free(unpacked, nil) }

    return copy(unpacked.pointee)
  }

  /// ``encode(build:size:pack:)`` for a nested message, for which protoc-c writes only an
  /// `..._init` function: protobuf-c's generic pack reads the descriptor from the struct.
  static func encodeNested<Message>(
    build: (CArena) -> UnsafeMutablePointer<Message>
  ) -> [UInt8] {
    encode(
      build: build,
      size: { protobuf_c_message_get_packed_size(header(of: $0)) },
      pack: { protobuf_c_message_pack(header(of: $0), $1) }
    )
  }

  /// ``decode(_:messageName:unpack:free:copy:)`` for a nested message (only `..._init`).
  ///
  /// The descriptor is read from a struct that `initialize` filled in, so protobuf-c gets
  /// the address of the C global itself, never of a Swift copy.
  static func decodeNested<Message, Value>(
    _ bytes: [UInt8],
    messageName: String,
    initialize: (UnsafeMutablePointer<Message>?) -> Void,
    copy: (Message) -> Value
  ) throws(MessageDecodingError) -> Value {
    let blank = UnsafeMutablePointer<Message>.allocate(capacity: 1)
    defer { blank.deallocate() }
    initialize(blank)
    let descriptor = header(of: UnsafePointer(blank))?.pointee.descriptor

    return try decode(
      bytes,
      messageName: messageName,
      unpack: { allocator, count, data in
        protobuf_c_message_unpack(descriptor, allocator, count, data).map {
          UnsafeMutableRawPointer($0).assumingMemoryBound(to: Message.self)
        }
      },
      free: { message, allocator in
        let header = message.map {
          UnsafeMutableRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)
        }
        protobuf_c_message_free_unpacked(header, allocator)
      },
      copy: copy
    )
  }

  /// The `ProtobufCMessage` that every protoc-c message struct starts with.
  private static func header<Message>(
    of message: UnsafePointer<Message>?
  ) -> UnsafePointer<ProtobufCMessage>? {
    message.map { UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self) }
  }
}
