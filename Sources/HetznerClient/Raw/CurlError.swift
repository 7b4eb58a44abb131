import CCurl

/// A failed libcurl call: the `CURLcode` and the text curl wrote into its error buffer.
///
/// Built in one place, ``CurlEasy``, straight after the failing call so nothing can overwrite
/// the buffer first. It never leaves `Raw/`: ``CurlTransport`` turns it into a
/// ``HTTPTransportError`` so no C type shows up above this folder.
struct CurlError: Error, Sendable, CustomStringConvertible {
  /// The libcurl result code (never `CURLE_OK`).
  let code: CURLcode
  /// The error buffer's text, or `curl_easy_strerror` when curl left the buffer empty.
  let message: String

  init(code: CURLcode, errorBuffer: UnsafePointer<CChar>?) {
    self.code = code
    let buffered = errorBuffer.map { String(cString: $0) } ?? ""
    if buffered.isEmpty {
      self.message = String(cString: curl_easy_strerror(code))
    } else {
      self.message = buffered.trimmingSuffix("\n")
    }
  }

  var description: String {
    "curl error \(self.code.rawValue): \"\(self.message)\""
  }

  /// The transport-level category, the only part of a curl failure the layers above need.
  var transportKind: HTTPTransportError.Kind {
    switch self.code {
    case CURLE_OPERATION_TIMEDOUT:
      return .timedOut
    case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
      return .connectionFailed
    case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
      return .connectionLost
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
      return .invalidRequest
    default:
      return .other
    }
  }
}

extension String {
  fileprivate func trimmingSuffix(_ suffix: String) -> String {
    self.hasSuffix(suffix) ? String(self.dropLast(suffix.count)) : self
  }
}
