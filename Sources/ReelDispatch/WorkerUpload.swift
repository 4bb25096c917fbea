import Foundation
import Hummingbird
import NIOCore
import ReelCore
import ReelMedia

extension Worker {
    /// `PUT /v1/blobs/<sha256>`: the body goes to a hidden file in the blob folder as it
    /// arrives, hashed on the way; when it hashes to its name the file is renamed into the
    /// store. An upload holds only what NIO has read and not yet written (a few 64 KiB
    /// buffers), however large the blob; `maxUploads` run at once, more get 429.
    func receiveBlob(_ request: Request, digest: String) async -> Response {
        guard SHA256Hasher.isDigest(digest) else {
            return await Self.refuse(request, .badRequest, ReelError(.workerRequest, "'\(digest.prefix(80))' is not a blob name; blobs are named by 64 lower-case hex digits of their SHA-256"))
        }
        let limit = configuration.maxBlobBytes
        let tooLarge = ReelError(.workerRequest, "the blob is larger than this worker's limit of \(limit) bytes (--max-blob-size)")
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            return await Self.refuse(request, .contentTooLarge, tooLarge)
        }
        guard let slot = SlotLease(uploads) else {
            return await Self.refuse(request, .tooManyRequests, ReelError(.workerBusy, "this worker is receiving \(configuration.maxUploads) upload(s) already (--max-uploads)"))
        }
        defer { slot.release() }
        let sink: UploadSink
        do {
            sink = try UploadSink(folder: blobs.folder)
        } catch {
            return await Self.refuse(request, .internalServerError, error)
        }
        // Hashing runs at a few hundred MB/s: on the cooperative pool, two uploads arriving
        // as fast as loopback carries them would keep both of its threads busy and health
        // waiting. The body is gathered a megabyte at a time and hashed and written on the
        // blocking threads instead, the upload task waiting for each megabyte.
        var batch = ByteBufferAllocator().buffer(capacity: Self.uploadBatch)
        var size = 0
        var failure: Response?
        do {
            for try await part in request.body {
                size += part.readableBytes
                guard size <= limit else {
                    failure = Self.refusal(.contentTooLarge, tooLarge)
                    break
                }
                batch.writeImmutableBuffer(part)
                if batch.readableBytes >= Self.uploadBatch {
                    let full = batch
                    batch.clear()
                    try await uploadPool.run { try sink.append(full) }
                }
            }
            if failure == nil, batch.readableBytes > 0 {
                let last = batch
                try await uploadPool.run { try sink.append(last) }
            }
        } catch let error as ReelError {
            failure = Self.refusal(.internalServerError, error)
        } catch {
            failure = Self.failure(.badRequest, ReelError(.workerRequest, "the upload was cut short after \(size) bytes", detail: "send it again"))
        }
        if let failure {
            sink.discard()
            return failure
        }
        do {
            try await uploadPool.run { [blobs] in
                let actual = try sink.finish()
                guard actual == digest else {
                    throw ReelError(.workerRequest, "the bytes sent hash to \(actual), not \(digest)", detail: "the upload was damaged; send it again")
                }
                try blobs.adopt(digest, file: sink.path, size: Int64(sink.size))
            }
        } catch let error as ReelError {
            sink.discard()
            return Self.failure(error.code == .workerRequest ? .badRequest : .internalServerError, error)
        } catch {
            sink.discard()
            return Self.failure(.internalServerError, ReelError(.dispatchFailed, "\(error)"))
        }
        return Response(status: .created)
    }

    /// How much of an upload is gathered before it is hashed and written: what an upload
    /// holds in memory besides NIO's read buffers.
    static let uploadBatch = 1 << 20
}

/// An upload on its way to the blob store: a hidden file in the blob folder and the SHA-256 of
/// what was written to it. Used by one upload, one step after another (each step on whichever
/// blocking thread is free), never at once: hence unchecked.
final class UploadSink: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private var hasher: SHA256Hasher? = SHA256Hasher()
    private(set) var size = 0
    private var closed = false

    /// Creates `.upload-<uuid>` in `folder`.
    /// - Throws: `E-IO-WRITE`.
    init(folder: String) throws(ReelError) {
        path = folder + "/.upload-" + UUID().uuidString
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ReelError(.fileUnwritable, "cannot store an upload in '\(folder)': \(String(cString: strerror(errno)))", nativeCode: Int(errno))
        }
    }

    deinit {
        if !closed { close(fd) }
    }

    /// Hashes and writes `buffer`.
    /// - Throws: `E-IO-WRITE` (a full disk).
    func append(_ buffer: ByteBuffer) throws(ReelError) {
        let failed: Int32? = buffer.withUnsafeReadableBytes { bytes in
            hasher?.update(bytes)
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failed {
            throw ReelError(.fileUnwritable, "cannot store the upload: \(String(cString: strerror(failed)))", nativeCode: Int(failed), context: "write")
        }
        size += buffer.readableBytes
    }

    /// Flushes the file to disk, closes it and returns the SHA-256 of what was written.
    /// - Throws: `E-IO-WRITE` when the flush fails.
    func finish() throws(ReelError) -> String {
        let synced = fsync(fd) == 0 ? 0 : errno
        close(fd)
        closed = true
        guard synced == 0 else {
            throw ReelError(.fileUnwritable, "cannot store the upload: \(String(cString: strerror(synced)))", nativeCode: Int(synced), context: "fsync")
        }
        guard let hasher = hasher.take() else { return "" }
        return hasher.finalize()
    }

    /// Removes the file (an upload refused or cut short). Idempotent.
    func discard() {
        if !closed {
            close(fd)
            closed = true
        }
        unlink(path)
    }
}
