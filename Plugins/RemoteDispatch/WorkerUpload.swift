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
        let temporary = blobs.folder + "/.upload-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return await Self.refuse(request, .internalServerError, ReelError(.fileUnwritable, "cannot store an upload in '\(blobs.folder)': \(reason)"))
        }
        var hasher = SHA256Hasher()
        var size = 0
        var failure: Response?
        do {
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= limit else {
                    failure = Self.refusal(.contentTooLarge, tooLarge)
                    break
                }
                // Hashing and a write to the page cache: tens of microseconds a buffer, fine
                // on the cooperative pool; fsync, which can take seconds, is not done here.
                let written = buffer.withUnsafeReadableBytes { raw in
                    hasher.update(raw)
                    return Self.writeAll(fd, raw)
                }
                if let code = written {
                    failure = Self.refusal(.internalServerError, ReelError(.fileUnwritable, "cannot store the upload: \(String(cString: strerror(code)))", nativeCode: Int(code)))
                    break
                }
            }
        } catch {
            failure = Self.failure(.badRequest, ReelError(.workerRequest, "the upload was cut short after \(size) bytes", detail: "send it again"))
        }
        let actual = hasher.finalize()
        if failure == nil, actual != digest {
            failure = Self.failure(.badRequest, ReelError(.workerRequest, "the bytes sent hash to \(actual), not \(digest)", detail: "the upload was damaged; send it again"))
        }
        if let failure {
            close(fd)
            unlink(temporary)
            return failure
        }
        do {
            try await pool.run { [blobs, size] in
                let synced = fsync(fd) == 0 ? 0 : errno
                close(fd)
                guard synced == 0 else {
                    unlink(temporary)
                    throw ReelError(.fileUnwritable, "cannot store the upload: \(String(cString: strerror(synced)))", nativeCode: Int(synced), context: "fsync")
                }
                try blobs.adopt(digest, file: temporary, size: Int64(size))
            }
        } catch let error as ReelError {
            return Self.failure(error.code == .workerRequest ? .badRequest : .internalServerError, error)
        } catch {
            return Self.failure(.internalServerError, ReelError(.dispatchFailed, "\(error)"))
        }
        return Response(status: .created)
    }

    /// Writes all of `bytes` to `fd`; nil, or the errno of the failure.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
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
}
