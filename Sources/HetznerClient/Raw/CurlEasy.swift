import CCurl
import Foundation

/// One libcurl easy handle, used for one request at a time.
///
/// Owns the `CURL *` (freed with `curl_easy_cleanup` in `deinit`) and its error buffer.
/// Not thread-safe: give each thread its own handle (``CurlTransport`` makes one per request).
/// Every transfer runs with `CURLOPT_NOSIGNAL` (curl must not raise SIGALRM in a
/// multi-threaded process), `CURLOPT_NOPROXY "*"` (an environment proxy must never receive
/// loopback or API traffic), HTTP and HTTPS only, and no redirects (a redirect would carry the
/// bearer token to another host).
final class CurlEasy {
  /// `curl_global_init` exactly once per process. A static `let` is initialised lazily under
  /// `swift_once`, so the first callers racing here still run it a single time.
  private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

  private let handle: UnsafeMutableRawPointer
  private let errorBuffer: UnsafeMutablePointer<CChar>

  /// Fails only if libcurl cannot initialise or allocate a handle.
  init() throws(CurlError) {
    let global = CurlEasy.globalInit
    guard global == CURLE_OK else {
      throw CurlError(code: global, errorBuffer: nil)
    }
    guard let handle = curl_easy_init() else {
      throw CurlError(code: CURLE_FAILED_INIT, errorBuffer: nil)
    }
    self.handle = handle
    self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
  }

  deinit {
    curl_easy_cleanup(self.handle)
    self.errorBuffer.deallocate()
  }

  /// Runs one request to completion on the calling thread.
  ///
  /// Any HTTP status counts as success here; only transport failures throw. The timeout is
  /// `request.timeoutMs` for the whole transfer, connect included.
  func perform(_ request: HTTPRequest) throws(CurlError) -> HTTPResponse {
    curl_easy_reset(self.handle)
    self.errorBuffer[0] = 0
    let sink = ResponseSink()
    let headerList = try CurlHeaderList(request.headers)

    try self.configure(request, headers: headerList)
    let context = Unmanaged.passUnretained(sink).toOpaque()
    try self.check(ccurl_set_write_callback(self.handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
    try self.check(ccurl_set_pointer(self.handle, CURLOPT_WRITEDATA, context))
    try self.check(
      ccurl_set_write_callback(self.handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
    try self.check(ccurl_set_pointer(self.handle, CURLOPT_HEADERDATA, context))

    let result = withExtendedLifetime((sink, headerList)) { curl_easy_perform(self.handle) }
    try self.check(result)

    var status = 0
    try self.check(ccurl_get_long(self.handle, CURLINFO_RESPONSE_CODE, &status))
    return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
  }

  private func configure(_ request: HTTPRequest, headers: CurlHeaderList) throws(CurlError) {
    let timeout = max(1, request.timeoutMs)
    try self.check(ccurl_set_pointer(self.handle, CURLOPT_ERRORBUFFER, self.errorBuffer))
    try self.check(ccurl_set_string(self.handle, CURLOPT_URL, request.url))
    try self.check(ccurl_set_long(self.handle, CURLOPT_NOSIGNAL, 1))
    try self.check(ccurl_set_string(self.handle, CURLOPT_NOPROXY, "*"))
    try self.check(ccurl_set_string(self.handle, CURLOPT_PROTOCOLS_STR, "http,https"))
    try self.check(ccurl_set_long(self.handle, CURLOPT_FOLLOWLOCATION, 0))
    try self.check(ccurl_set_long(self.handle, CURLOPT_TIMEOUT_MS, timeout))
    try self.check(ccurl_set_long(self.handle, CURLOPT_CONNECTTIMEOUT_MS, timeout))
    try self.check(ccurl_set_slist(self.handle, CURLOPT_HTTPHEADER, headers.pointer))
    try self.check(ccurl_set_string(self.handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
    guard let body = request.body ?? request.method.emptyBody else {
      return
    }

    // POSTFIELDSIZE first: COPYPOSTFIELDS copies exactly that many bytes, so the body may
    // hold any bytes and need not outlive this call. The extra byte only keeps the buffer's
    // address non-nil when the body is empty.
    try self.check(ccurl_set_long(self.handle, CURLOPT_POSTFIELDSIZE, body.count))
    var bytes = [UInt8](body) + [0]
    let copied = bytes.withUnsafeMutableBytes { raw in
      ccurl_set_pointer(self.handle, CURLOPT_COPYPOSTFIELDS, raw.baseAddress)
    }
    try self.check(copied)
  }

  /// The one place a `CURLcode` becomes a thrown ``CurlError``, reading the buffer at once.
  private func check(_ code: CURLcode) throws(CurlError) {
    guard code == CURLE_OK else {
      throw CurlError(code: code, errorBuffer: self.errorBuffer)
    }
  }
}

/// Collects one response; passed to the C callbacks as an unretained pointer, kept alive by
/// `withExtendedLifetime` for the length of `curl_easy_perform`.
private final class ResponseSink {
  var body = Data()
  var headers: [HTTPHeader] = []

  /// Takes one raw header line. A new status line (after `100 Continue`) starts over.
  func addHeaderLine(_ line: String) {
    if line.hasPrefix("HTTP/") {
      self.headers.removeAll()
      return
    }
    guard let colon = line.firstIndex(of: ":") else {
      return
    }
    let name = line[..<colon].trimmingCharacters(in: .whitespaces)
    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    self.headers.append(HTTPHeader(name: name, value: value))
  }
}

/// A `curl_slist` of request headers, freed when the list goes away.
private final class CurlHeaderList {
  private(set) var pointer: UnsafeMutablePointer<curl_slist>?

  /// Refuses a header holding CR or LF, which would let a value inject further headers.
  init(_ headers: [HTTPHeader]) throws(CurlError) {
    // An empty "Expect:" stops curl from waiting for `100 Continue` before sending a body.
    for line in headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
      guard !line.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
        throw CurlError(code: CURLE_BAD_FUNCTION_ARGUMENT, errorBuffer: nil)
      }
      guard let next = curl_slist_append(self.pointer, line) else {
        throw CurlError(code: CURLE_OUT_OF_MEMORY, errorBuffer: nil)
      }
      self.pointer = next
    }
  }

  deinit {
    curl_slist_free_all(self.pointer)
  }
}

private let curlWriteBody: ccurl_write_callback = { data, size, count, context in
  guard let data, let context else {
    return 0
  }
  let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
  sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
  return size * count
}

private let curlWriteHeader: ccurl_write_callback = { data, size, count, context in
  guard let data, let context else {
    return 0
  }
  let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
  let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
  sink.addHeaderLine(String(decoding: bytes, as: UTF8.self))
  return size * count
}
