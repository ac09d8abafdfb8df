@testable import Console
import Core
import Testing

@Suite("Media file completion")
struct FileCompletionTests {
    let c = FileCompletion(files: ["jingles/outro.wav", "beep.wav", "jingles/intro.wav", "music.mp4"])

    @Test("Tab extends to the longest prefix the matches share: the folder first, then the file")
    func completes() {
        #expect(c.complete("b") == "beep.wav")
        #expect(c.complete("j") == "jingles/")
        #expect(c.complete("jingles/i") == "jingles/intro.wav")
        #expect(c.complete("x") == "x")
        #expect(c.complete("") == "")  // beep, jingles, music share nothing
    }

    @Test("matches are the names starting with the text, sorted")
    func matches() {
        #expect(c.matches("jingles/") == ["jingles/intro.wav", "jingles/outro.wav"])
        #expect(c.matches("").count == 4)
        #expect(c.matches("B").isEmpty)  // file names are case-sensitive on the server
    }

    @Test("the hint says what is going on: loading, no list, empty folder, no match, or the matches")
    func hints() {
        #expect(FileCompletion().hint("") == "listing media files…")
        #expect(FileCompletion(files: nil).hint("a").contains("type the name"))
        #expect(FileCompletion(files: []).hint("") == "the media folder is empty")
        #expect(c.hint("z") == "no file starts with z")
        #expect(c.hint("jingles/") == "jingles/intro.wav  jingles/outro.wav")
        let many = FileCompletion(files: (1...9).map { "f\($0).wav" })
        #expect(many.hint("f").hasSuffix("(+3, Tab)"))
        #expect(FileCompletion(files: nil).complete("beep") == "beep")
    }
}
