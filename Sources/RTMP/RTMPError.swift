/// Errors of the RTMP module. Any of them closes the one connection it happened on.
public enum RTMPError: Error, Sendable, Equatable {
    /// The peer sent bytes that do not follow the protocol; the text says where.
    case protocolViolation(String)
    /// The handshake's version byte (C0/S0) is not 3 (RTMP §5.2.2).
    case unsupportedVersion(UInt8)
    /// A chunk size outside 1...`ChunkDecoder.maxChunkSize` was announced (RTMP §5.4.1).
    case chunkSizeOutOfRange(Int)
    /// A message longer than the decoder's limit was announced.
    case messageTooLong(Int, limit: Int)
    /// More chunk streams were open at once than the decoder allows.
    case tooManyChunkStreams(limit: Int)
    /// An AMF0 value could not be decoded; the text says which and where.
    case malformedAMF0(String)
    /// AMF0 values nest deeper than `AMF0Decoder.maxDepth`.
    case amf0TooDeep(limit: Int)
    /// A URL could not be used; the text says why.
    case invalidURL(String)
    /// The far end refused a command; carries its status code ("NetStream.Publish.BadName").
    case rejected(String)
    /// The connection closed before the operation finished.
    case connectionClosed
    /// The far end did not answer in time.
    case timeout
}
