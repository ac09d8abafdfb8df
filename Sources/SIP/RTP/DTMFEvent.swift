import NIOCore

/// A telephone-event payload (RFC 4733 §2.3): event code, end bit, volume and duration.
struct DTMFEvent: Sendable, Equatable {
    /// Event code (RFC 4733 §3.2: 0-9, * = 10, # = 11, A-D = 12-15).
    var event: UInt8
    /// The E bit: this is (a retransmission of) the last packet of the event.
    var isEnd: Bool
    /// Power level in -dBm0, 0...63.
    var volume: UInt8
    /// Duration so far in timestamp units (the audio codec's RTP clock).
    var duration: UInt16

    /// The event code for a DTMF character, nil when it is not one.
    static func code(for digit: Character) -> UInt8? {
        switch digit {
        case "0"..."9": digit.asciiValue.map { $0 - 48 }
        case "*": 10
        case "#": 11
        case "A", "a": 12
        case "B", "b": 13
        case "C", "c": 14
        case "D", "d": 15
        default: nil
        }
    }

    /// Writes the 4-byte payload.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(event)
        buffer.writeInteger((isEnd ? 0x80 : 0) | (volume & 0x3F))
        buffer.writeInteger(duration)
    }

    /// Reads a payload.
    /// - Throws: `SIPError.badRTP` when it is shorter than 4 bytes.
    init(parsing payload: ByteBuffer) throws(SIPError) {
        guard let bytes = payload.getBytes(at: payload.readerIndex, length: 4) else {
            throw .badRTP("telephone-event shorter than 4 bytes")
        }
        event = bytes[0]
        isEnd = bytes[1] & 0x80 != 0
        volume = bytes[1] & 0x3F
        duration = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }

    /// Makes an event payload.
    init(event: UInt8, isEnd: Bool, volume: UInt8 = 10, duration: UInt16) {
        self.event = event
        self.isEnd = isEnd
        self.volume = volume
        self.duration = duration
    }

    /// The packets of one digit sent at 50 ms intervals: growing durations, then the end
    /// packet three times (RFC 4733 §2.5.1.4), for a tone of `milliseconds`. Durations count
    /// `clockRate` units: the audio clock the event's timestamp is on.
    static func packets(for code: UInt8, milliseconds: Int = 200, clockRate: Int = 8_000) -> [DTMFEvent] {
        let step = clockRate / 20 // 50 ms
        let total = max(milliseconds * clockRate / 1_000, step)
        var events: [DTMFEvent] = []
        var duration = step
        while duration < total {
            events.append(DTMFEvent(event: code, isEnd: false, duration: UInt16(duration)))
            duration += step
        }
        let last = DTMFEvent(event: code, isEnd: true, duration: UInt16(min(total, Int(UInt16.max))))
        return events + [last, last, last]
    }
}
