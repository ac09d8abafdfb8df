import Core
import Testing

@Suite("stream names")
struct StreamNameTests {
    @Test("ordinary names pass", arguments: ["cam1", "room#alice", "a.b-c_d", "x@y~z+1"])
    func accepts(name: String) {
        #expect(StreamName.isValid(name))
    }

    @Test("paths, spaces, control and non-ASCII characters are refused",
          arguments: ["", "../etc", "a/b", "a b", "a\nb", "café", ".hidden", String(repeating: "x", count: 129)])
    func refuses(name: String) {
        #expect(!StreamName.isValid(name))
    }
}
