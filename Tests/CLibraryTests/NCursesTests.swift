import CNCursesW
import Foundation
import Glibc
import Testing

@Suite("ncursesw links and works")
struct NCursesTests {
    @Test("ncurses draws UTF-8 text into a pseudo-terminal")
    func drawsIntoPTY() throws {
        var master: Int32 = -1, slaveFD: Int32 = -1
        #expect(cn_openpty(&master, &slaveFD, 24, 80) == 0)
        defer { close(master) }
        let output = try #require(fdopen(slaveFD, "w"))
        let input = try #require(fdopen(dup(slaveFD), "r"))
        defer { fclose(output); fclose(input) }

        setlocale(LC_ALL, "C.UTF-8")
        let screen = try #require(newterm("xterm-256color", output, input))
        let window = try #require(cn_stdscr())
        mvwaddstr(window, 2, 3, "Grüße ✓ switchboard")
        wattron(window, Int32(bitPattern: cn_a_bold()))
        mvwaddstr(window, 4, 3, "bold line")
        wattroff(window, Int32(bitPattern: cn_a_bold()))
        wrefresh(window)
        #expect(cn_lines() == 24 && cn_cols() == 80)
        endwin()
        delscreen(screen)
        fflush(output)

        var bytes = [UInt8](repeating: 0, count: 65536)
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
        var collected: [UInt8] = []
        for _ in 0..<50 {
            let n = read(master, &bytes, bytes.count)
            if n > 0 { collected += bytes[0..<n] } else { usleep(10_000) }
            if String(decoding: collected, as: UTF8.self).contains("bold line") { break }
        }
        let text = String(decoding: collected, as: UTF8.self)
        #expect(text.contains("Grüße ✓ switchboard"))
        #expect(text.contains("bold line"))
        #expect(text.contains("\u{1B}["))  // escape sequences: it really drove a terminal
    }
}
