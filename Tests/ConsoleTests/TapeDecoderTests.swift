@testable import Console
import Core
import Foundation
import Testing

@Suite("JSON tape and its decoder")
struct TapeDecoderTests {
    static func bytes(_ value: some Encodable) throws -> [UInt8] { Array(try JSONEncoder().encode(value)) }

    @Test("Core objects decode from the tape as they do with JSONDecoder")
    func roundTrip() throws {
        var s = Fixtures.stream("cam \"one\" ☎", bitrate: 4321)
        s.info = "line\nbreak \\ slash / \u{1F600}"
        s.custom = ["a": .array([.number(1.5), .null, .bool(true)]), "b": .object(["c": .string("d")])]
        s.createDate = -1_700_000_000_000
        #expect(try TapeDecoder.decode(Core.Stream.self, from: try Self.bytes(s)) == s)
        var m = Mixer(uri: "mixer://mix", localStreamName: "mix", createDate: 7)
        m.mediaSessions = [Mixer.Input(localStreamName: "a", localMediaSessionId: "1"), Mixer.Input(localStreamName: "b")]
        #expect(try TapeDecoder.decode(Mixer.self, from: try Self.bytes(m)) == m)
        #expect(try TapeDecoder.decode(Mixer.self, from: try Self.bytes(m)) == JSONDecoder().decode(Mixer.self, from: Data(try Self.bytes(m))))
    }

    @Test("escapes, surrogate pairs and numbers in the forms JSON allows")
    func scalars() throws {
        let json = #"{"s":"a\u00e9\ud83d\ude00\t\"","i":-42,"e":1e3,"f":5.0,"d":0.25,"b":false,"n":null}"#
        struct T: Decodable { var s: String; var i: Int; var e: Int; var f: Int64; var d: Double; var b: Bool; var n: String? }
        let t = try TapeDecoder.decode(T.self, from: Array(json.utf8))
        #expect(t.s == "aé😀\t\"")
        #expect(t.i == -42 && t.e == 1000 && t.f == 5 && t.d == 0.25 && !t.b && t.n == nil)
    }

    @Test("a value of the wrong type, a missing key and an overflowing number throw DecodingError")
    func mismatches() {
        struct I: Decodable { var x: Int8 }
        struct S: Decodable { var x: String }
        #expect(throws: DecodingError.self) { try TapeDecoder.decode(I.self, from: Array(#"{"x":300}"#.utf8)) }
        #expect(throws: DecodingError.self) { try TapeDecoder.decode(I.self, from: Array(#"{"x":1.5}"#.utf8)) }
        #expect(throws: DecodingError.self) { try TapeDecoder.decode(S.self, from: Array(#"{"x":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try TapeDecoder.decode(S.self, from: Array(#"{"y":"a"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try TapeDecoder.decode(S.self, from: Array(#"{"x":null}"#.utf8)) }
    }

    @Test("malformed JSON is refused with where it stopped", arguments: [
        "", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "tru", "\"open", "[1] 2", "{\"a\":\"x\ny\"}", "{1:2}",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONTape.ParseError.self) { try JSONTape(Array(text.utf8)) }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func depth() throws {
        let deep = String(repeating: "[", count: JSONTape.maxDepth + 1) + String(repeating: "]", count: JSONTape.maxDepth + 1)
        #expect(throws: JSONTape.ParseError.tooDeep) { try JSONTape(Array(deep.utf8)) }
        let ok = String(repeating: "[", count: JSONTape.maxDepth) + String(repeating: "]", count: JSONTape.maxDepth)
        #expect(try JSONTape(Array(ok.utf8)).nodes.count == JSONTape.maxDepth)
        let value = try TapeDecoder.decode(JSONValue.self, from: Array(ok.utf8))  // decodes without running out of stack
        #expect(value != .null)
    }

    @Test("free-form JSON values decode with every kind of value")
    func jsonValues() throws {
        let value: JSONValue = .object(["a": .array([.number(1), .string("x"), .null, .bool(true), .object([:])]), "b": .array([])])
        #expect(try TapeDecoder.decode(JSONValue.self, from: try Self.bytes(value)) == value)
    }
}
