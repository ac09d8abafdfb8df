@testable import Console
import Testing

@Suite("SSE parser")
struct SSEParserTests {
    static let wire = Array(": keep-alive\n\nevent: snapshot\ndata: {\"a\":1}\n\nevent: log\ndata: x\ndata: y\n\n".utf8)
    static let expected = [SSEMessage(event: "snapshot", data: "{\"a\":1}"), SSEMessage(event: "log", data: "x\ny")]

    @Test("parses events fed all at once")
    func wholeBuffer() throws {
        var p = SSEParser()
        #expect(try p.feed(Self.wire) == Self.expected)
    }

    @Test("parses events fed one byte at a time")
    func byteByByte() throws {
        var p = SSEParser()
        var out: [SSEMessage] = []
        for b in Self.wire { out += try p.feed([b]) }
        #expect(out == Self.expected)
    }

    @Test("gives the same messages for every split of the input into two chunks")
    func everySplit() throws {
        let wire = Array("event: a\r\ndata: 1\r\n\r\n".utf8) + Self.wire
        var whole = SSEParser()
        let expected = try whole.feed(wire)
        for cut in 0...wire.count {
            var p = SSEParser()
            let out = try p.feed(Array(wire[..<cut])) + p.feed(Array(wire[cut...]))
            #expect(out == expected, "split at \(cut)")
        }
    }

    @Test("accepts CRLF and CR line ends, even split between chunks")
    func crlf() throws {
        var p = SSEParser()
        var out = try p.feed(Array("event: a\r\ndata: 1\r".utf8))
        out += try p.feed(Array("\n\r\nevent: b\rdata: 2\r\r".utf8))
        #expect(out == [SSEMessage(event: "a", data: "1"), SSEMessage(event: "b", data: "2")])
    }

    @Test("names an event without an event line 'message' and ignores comments and id/retry")
    func defaults() throws {
        var p = SSEParser()
        #expect(try p.feed(Array("id: 7\nretry: 10\n: c\ndata:v\n\n".utf8)) == [SSEMessage(event: "message", data: "v")])
    }

    @Test("a blank line without data dispatches nothing")
    func emptyEvent() throws {
        var p = SSEParser()
        #expect(try p.feed(Array("event: x\n\n\n".utf8)).isEmpty)
    }

    @Test("rejects a line longer than the limit")
    func lineLimit() {
        var p = SSEParser(maxLine: 8)
        #expect(throws: SSEParser.ParseError.lineTooLong(8)) { try p.feed(Array("data: 0123456789".utf8)) }
    }
}
