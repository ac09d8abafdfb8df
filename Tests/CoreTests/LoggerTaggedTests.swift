import Core
import Logging
import Testing

@Suite("logger tags")
struct LoggerTaggedTests {
    @Test("component and tagged add metadata to a copy and leave the original alone")
    func tags() {
        let base = Logger(label: "test")
        let vod = base.component("vod")
        #expect(vod[metadataKey: LogKey.component] == "vod")
        let player = vod.tagged([LogKey.stream: "cam", LogKey.mediaSession: "m1"])
        #expect(player[metadataKey: LogKey.component] == "vod")
        #expect(player[metadataKey: LogKey.stream] == "cam" && player[metadataKey: LogKey.mediaSession] == "m1")
        #expect(base[metadataKey: LogKey.component] == nil && vod[metadataKey: LogKey.stream] == nil)
    }
}
