import CGRPC

/// Copies between gRPC slices / byte buffers and Swift byte arrays. Every copy across the
/// boundary happens here, so ownership is decided in one place.
enum Bytes {
  /// Copies a slice's bytes; the caller still owns (and unrefs) the slice.
  static func copy(_ slice: inout grpc_slice) -> [UInt8] {
    let length = cgrpcb_slice_length(&slice)
    guard length > 0, let start = cgrpcb_slice_start(&slice) else {
      return []
    }
    return Array(UnsafeBufferPointer(start: start, count: length))
  }

  /// A slice's bytes as text; invalid UTF-8 is repaired, never trusted.
  static func string(_ slice: inout grpc_slice) -> String {
    String(decoding: copy(&slice), as: UTF8.self)
  }

  /// Copies a received message out and destroys the buffer (the caller gave it up).
  static func take(_ buffer: UnsafeMutablePointer<grpc_byte_buffer>) -> [UInt8] {
    var joined = cgrpcb_byte_buffer_join(buffer)
    let bytes = copy(&joined)
    grpc_slice_unref(joined)
    grpc_byte_buffer_destroy(buffer)
    return bytes
  }

  /// A new byte buffer holding a copy of `bytes`; the caller destroys it.
  static func buffer(_ bytes: [UInt8]) -> UnsafeMutablePointer<grpc_byte_buffer> {
    let buffer = bytes.withUnsafeBytes { raw in
      cgrpcb_byte_buffer_copy(raw.baseAddress, raw.count)
    }
    guard let buffer else {
      preconditionFailure("grpc_raw_byte_buffer_create returned NULL")
    }
    return buffer
  }

  /// Reads every key/value pair of a received metadata array.
  static func metadata(_ array: UnsafeMutablePointer<grpc_metadata_array>) -> [(String, String)] {
    var pairs: [(String, String)] = []
    let count = array.pointee.count
    guard count > 0, let entries = array.pointee.metadata else {
      return pairs
    }
    pairs.reserveCapacity(count)
    for index in 0..<count {
      pairs.append((string(&entries[index].key), string(&entries[index].value)))
    }
    return pairs
  }
}
