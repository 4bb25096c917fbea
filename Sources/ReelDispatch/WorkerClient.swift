import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Reel
import ReelCore
import ReelMedia

/// A worker as the coordinator sees it: where it is and how to authenticate.
public struct WorkerEndpoint: Sendable, Hashable {
    /// `http(s)://host:port`, without a trailing slash.
    public var url: String
    /// Sent as `Authorization: Bearer`.
    public var token: String?
    /// More headers on every request (Modal's proxy auth: `Modal-Key`, `Modal-Secret`).
    public var headers: [String: String] = [:]
    /// Chunks sent to it at once.
    public var slots: Int
    /// How it is called in progress and reports.
    public var name: String

    public init(url: String, token: String?, headers: [String: String] = [:], slots: Int = 1, name: String? = nil) {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        (self.url, self.token, self.headers, self.slots) = (url, token, headers, slots)
        self.name = name ?? url.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: "")
    }
}

/// Why a request to a worker failed, as the scheduler needs to know it.
public enum WorkerCallError: Error, Sendable {
    /// 429: try later, no one is at fault.
    case busy
    /// 401/403, or a protocol the worker does not speak: this worker cannot serve us.
    case unusable(String)
    /// The worker lacks a blob (it was evicted): upload and try again.
    case blobMissing
    /// Anything else: the attempt failed and may succeed elsewhere.
    case failed(String)
}

/// Talks to one worker over HTTP (AsyncHTTPClient).
public struct WorkerClient: Sendable {
    public let endpoint: WorkerEndpoint
    let http: HTTPClient

    public init(endpoint: WorkerEndpoint, http: HTTPClient) {
        (self.endpoint, self.http) = (endpoint, http)
    }

    private func request(_ path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = method
        if let token = endpoint.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in endpoint.headers { request.headers.add(name: name, value: value) }
        return request
    }

    /// - Throws: `WorkerCallError`.
    public func health(timeout: Double = 15) async throws -> WorkerHealth {
        let body = try await call(request("/v1/health", method: .GET), timeout: timeout, limit: 1 << 20)
        do {
            return try JSONDecoder().decode(WorkerHealth.self, from: Data(body))
        } catch {
            throw WorkerCallError.unusable("its health answer is not Reel's (is this a reel worker, and the same version?)")
        }
    }

    /// Uploads a blob unless the worker has it (HEAD first).
    /// - Throws: `WorkerCallError`; `E-IO-READ` for the local file.
    public func ensureBlob(_ digest: String, from path: String, timeout: Double = 600) async throws {
        do {
            _ = try await call(request("/v1/blobs/" + digest, method: .HEAD), timeout: 30, limit: 0)
            return
        } catch WorkerCallError.failed(let reason) where reason.hasPrefix("404") {
            // Not there: upload below.
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReelError(.fileUnreadable, "cannot read '\(path)' to send it to \(endpoint.name): \(error.localizedDescription)")
        }
        var put = request("/v1/blobs/" + digest, method: .PUT)
        put.body = .bytes(ByteBuffer(bytes: data))
        _ = try await call(put, timeout: timeout, limit: 1 << 16)
    }

    /// Renders a chunk and returns it checked: digest, checksum count, frame range.
    /// - Throws: `WorkerCallError` (a corrupt answer is `.failed`).
    public func render(_ render: RenderRequest, timeout: Double) async throws -> (meta: ChunkMeta, payload: ArraySlice<UInt8>) {
        var post = request("/v1/render", method: .POST)
        post.headers.add(name: "Content-Type", value: "application/json")
        post.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(render)))
        let body = try await call(post, timeout: timeout, limit: 8 << 30)
        do {
            let (meta, payload) = try ChunkEnvelope.decode(body)
            guard meta.first == render.first, meta.last == render.last else {
                throw ReelError(.chunkCorrupt, "asked for frames \(render.first)-\(render.last), got \(meta.first)-\(meta.last)")
            }
            return (meta, payload)
        } catch let error as ReelError {
            throw WorkerCallError.failed(error.message)
        }
    }

    private func call(_ request: HTTPClientRequest, timeout: Double, limit: Int) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw WorkerCallError.failed(String(format: "no answer within %.0f s (--chunk-timeout)", timeout))
        } catch {
            throw WorkerCallError.failed("cannot reach it: \(Self.describe(error))")
        }
        // By status first: a worker refusing a large body answers before reading it and closes
        // the connection, and the body of such an answer may be cut off with the upload.
        switch response.status.code {
        case 429:
            throw WorkerCallError.busy
        case 401, 403:
            throw WorkerCallError.unusable("it refused our token (\(response.status.code)); set REEL_WORKER_TOKEN to the worker's token")
        default:
            break
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: max(limit, 1 << 16))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let status = (200...299).contains(response.status.code) ? "" : "\(response.status.code) "
            throw WorkerCallError.failed(status + "the answer was cut off: \(Self.describe(error))")
        }
        let bytes = Array(body.readableBytesView)
        guard (200...299).contains(response.status.code) else {
            let answer = try? JSONDecoder().decode(WorkerErrorBody.self, from: Data(bytes))
            if answer?.code == ReelError.Code.blobMissing.rawValue { throw WorkerCallError.blobMissing }
            let message = answer.map { $0.error + ($0.detail.map { " (\($0))" } ?? "") } ?? String(decoding: bytes.prefix(200), as: UTF8.self)
            throw WorkerCallError.failed("\(response.status.code) \(message)")
        }
        return bytes
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.description }
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
