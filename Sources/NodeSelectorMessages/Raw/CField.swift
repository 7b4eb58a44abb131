import CNodeSelectorProto

/// Copies fields out of a struct that `..._unpack` returned, into Swift values.
///
/// The C memory belongs to protobuf-c until `..._free_unpacked`; nothing returned here keeps
/// a pointer into it. Every pointer is checked for NULL, even where protobuf-c never leaves
/// one, because the bytes came from outside.
enum CField {
  /// A `char *` field; NULL reads as "", invalid UTF-8 is repaired to U+FFFD.
  static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }

  /// A `bytes` field.
  static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
    guard let base = data.data, data.len > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: base, count: data.len))
  }

  /// A message-typed field: nil when unset.
  static func message<Message, Value>(
    _ pointer: UnsafeMutablePointer<Message>?,
    _ copy: (Message) -> Value
  ) -> Value? {
    guard let pointer else { return nil }
    return copy(pointer.pointee)
  }

  /// A repeated field stored as `n_<name>` elements at `<name>`.
  static func array<Element, Value>(
    _ base: UnsafeMutablePointer<Element>?,
    count: Int,
    _ copy: (Element) -> Value
  ) -> [Value] {
    guard let base, count > 0 else { return [] }
    return UnsafeBufferPointer(start: base, count: count).map(copy)
  }

  /// A repeated message field; a NULL element (never written by protobuf-c) is skipped.
  static func messages<Message, Value>(
    _ base: UnsafeMutablePointer<UnsafeMutablePointer<Message>?>?,
    count: Int,
    _ copy: (Message) -> Value
  ) -> [Value] {
    guard let base, count > 0 else { return [] }
    return UnsafeBufferPointer(start: base, count: count).compactMap { element in
      element.map { copy($0.pointee) }
    }
  }
}
