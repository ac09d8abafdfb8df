// swift-tools-version:6.2
// Switchboard: a media server (switchboard-server) and its operator console (switchboard).
import PackageDescription

/// One settings list for every Swift target: Swift 6 mode is the tools-version default;
/// these add the checks the house rules ask for.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableExperimentalFeature("StrictConcurrency=complete"),
]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
]

let package = Package(
    name: "switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard-server", targets: ["SwitchboardServer"]),
        .executable(name: "switchboard", targets: ["SwitchboardConsole"]),
    ],
    dependencies: [
        // traits: [] drops swift-configuration support we do not use (about 20% faster clean build).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: C libraries from Debian (module maps + shims)
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev",
                              "libswresample-dev", "libavfilter-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        // Opus for calls: FFmpeg's decode API has no PLC or FEC (an empty packet means drain).
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSofiaSIP", pkgConfig: "sofia-sip-ua", providers: [.apt(["libsofia-sip-ua-dev"])]),
        // No pkgConfig: ncursesw's .pc only adds -D flags SwiftPM drops; the defines live in shim.h.
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncurses-dev"])]),
        .target(name: "CSofiaShim", dependencies: ["CSofiaSIP"]),

        // MARK: Swift modules
        .target(
            name: "Core",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Media",
            dependencies: [
                "Core", "CFFmpeg",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "RTMP",
            dependencies: ["Core", .product(name: "DequeModule", package: "swift-collections")] + nio,
            swiftSettings: swiftSettings),
        .target(
            name: "SIP", dependencies: ["Core", "Media", "COpus", "CSofiaSIP", "CSofiaShim"] + nio,
            swiftSettings: swiftSettings),
        .target(
            name: "WebRTC", dependencies: ["Core", "Media", "COpenSSL", "CSRTP"] + nio,
            swiftSettings: swiftSettings),
        .target(
            name: "Server",
            dependencies: [
                "Core", "Media", "RTMP", "SIP", "WebRTC", "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
            ] + nio,
            swiftSettings: swiftSettings),
        .executableTarget(name: "SwitchboardServer", dependencies: ["Server", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: swiftSettings),
        // bench/rtmp-fanout: load client (and bare RTMP server) for `make bench`.
        .executableTarget(
            name: "rtmp-fanout", dependencies: ["RTMP", "Core"] + nio, path: "bench/rtmp-fanout/Sources",
            swiftSettings: swiftSettings),
        .target(
            name: "Console",
            dependencies: [
                "Core", "CNCursesW",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + nio,
            swiftSettings: swiftSettings),
        .executableTarget(name: "SwitchboardConsole", dependencies: ["Console"], swiftSettings: swiftSettings),

        // MARK: Tests (Swift Testing); process-level tests with real peers live in Tests/integration (pytest)
        .testTarget(name: "CoreTests", dependencies: ["Core"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CLibraryTests",
            dependencies: ["Media", "SIP", "WebRTC", "Console", "CFFmpeg", "COpenSSL", "COpus", "CSRTP", "CSofiaSIP",
                           "CSofiaShim", "CNCursesW"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RTMPTests",
            dependencies: ["RTMP", "Core", .product(name: "NIOEmbedded", package: "swift-nio")] + nio,
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MediaTests", dependencies: ["Media", "Core", "RTMP"] + nio, swiftSettings: swiftSettings),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "Core"] + nio, swiftSettings: swiftSettings),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Core"] + nio, swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "SIP", .product(name: "Logging", package: "swift-log"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
    ]
)
