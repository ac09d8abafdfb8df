import ArgumentParser
import Core
import Foundation
import SIP
import Testing

@testable import Server

@Suite("request checking")
struct SchemaTests {
    let schema = Schema.object([
        .required("name", .string), .optional("published", .boolean), .optional("port", .integer),
        .optional("ids", .array(.string)), .optional("encoder", .object([.optional("width", .integer)])),
    ])

    func check(_ body: JSONValue) throws(APIError) -> JSONValue {
        try schema.check(body, at: "", components: Components.all)
    }

    @Test("string booleans and numbers from WCS clients are coerced")
    func coercesLenientForms() throws {
        let out = try check(.object(["name": "a", "published": "TRUE", "port": "5060"]))
        #expect(out["published"] == .bool(true))
        #expect(out["port"] == .number(5060))
    }

    @Test("numbers become strings for string fields (callee 100 is a string in WCS)")
    func numbersToStrings() throws {
        #expect(try check(.object(["name": .number(100)]))["name"] == .string("100"))
        #expect(try check(.object(["name": .number(1e236)]))["name"] != nil)  // no trap on huge numbers
    }

    @Test("a missing required field names itself", arguments: [JSONValue.object([:]), .object(["name": .null])])
    func missingField(body: JSONValue) {
        #expect(throws: APIError.badRequest("missing required field 'name'", field: "name")) { try check(body) }
    }

    @Test("wrong types name the field, nested fields with their path")
    func wrongTypes() {
        func field(_ body: JSONValue) -> String? {
            do { _ = try check(body); return nil } catch { return error.field }
        }
        #expect(field(.object(["name": "a", "published": "maybe"])) == "published")
        #expect(field(.object(["name": "a", "port": "5060.5"])) == "port")
        #expect(field(.object(["name": "a", "port": .number(1e300)])) == "port")
        #expect(field(.object(["name": "a", "ids": .array(["x", .object([:])])])) == "ids[1]")
        #expect(field(.object(["name": "a", "encoder": .object(["width": "wide"])])) == "encoder.width")
        #expect(field(.object(["name": .array([])])) == "name")
    }

    @Test("unknown fields pass through untouched")
    func extrasPass() throws {
        #expect(try check(.object(["name": "a", "appKey": "defaultApp"]))["appKey"] == "defaultApp")
    }
}

@Suite("password hashes")
struct PasswordHashTests {
    @Test("a hash verifies its password only, and survives its stored form")
    func roundTrip() throws {
        let hash = try PasswordHash.make(password: "correct horse", iterations: 1000)
        let parsed = try PasswordHash(parsing: hash.encoded)
        #expect(parsed == hash)
        #expect(parsed.verify("correct horse"))
        #expect(!parsed.verify("correct horse "))
        #expect(try PasswordHash.make(password: "correct horse", iterations: 1000).salt != hash.salt)
    }

    @Test("malformed stored hashes are refused", arguments: ["", "plain", "pbkdf2-sha256$x$aa$bb", "md5$1$aa$bb"])
    func malformed(text: String) {
        #expect(throws: (any Error).self) { try PasswordHash(parsing: text) }
    }

    @Test("basic auth accepts the configured user and password only")
    func basicAuth() throws {
        let auth = BasicAuthenticator(users: ["admin": try PasswordHash.make(password: "pw", iterations: 1000)])
        func header(_ s: String) -> String { "Basic " + Data(s.utf8).base64EncodedString() }
        #expect(auth.isAuthorized(header("admin:pw")))
        #expect(auth.isAuthorized(header("admin:pw")))  // cached path
        #expect(!auth.isAuthorized(header("admin:px")))
        #expect(!auth.isAuthorized(header("root:pw")))
        #expect(!auth.isAuthorized("Bearer x"))
        #expect(!auth.isAuthorized(nil))
    }
}

@Suite("configuration")
struct ServerConfigTests {
    @Test("TOML keys are the flag names")
    func appliesTOML() throws {
        var c = ServerConfig()
        try c.apply(toml: "rest-port = 9000\nbind = \"127.0.0.2\"\nmedia-ports = \"40000-40010\"\nlog-level = \"warn\"\n[users]\nadmin = \"h\"\n",
                    source: "t")
        #expect(c.restPort == 9000 && c.bind == "127.0.0.2" && c.mediaPorts == PortRange(lower: 40000, upper: 40010))
        #expect(c.logLevel == .warning && c.users["admin"] == "h")
        try c.apply(toml: "sip-incoming-users = [\"room42\", \"desk\"]\n", source: "t")
        #expect(c.sipIncomingUsers == ["room42", "desk"], "a TOML array works as well as \"room42,desk\"")
    }

    @Test("unknown keys, wrong types and bad ranges are refused",
          arguments: ["rest-prot = 1", "rest-port = \"x\"", "rest-port = 70000", "media-ports = \"9-1\"", "sip-incoming = \"yes\"",
                      "sip-incoming-users = \"a/b\"", "sip-incoming-users = [1]",
                      "a = ["])
    func refuses(toml: String) {
        var c = ServerConfig()
        #expect(throws: (any Error).self) { try c.apply(toml: toml, source: "t") }
    }

    /// A value for each flag, as TOML and as a flag argument.
    static let samples: [(key: String, toml: String, flag: String)] = [
        ("data-dir", "\"/srv/sb\"", "/srv/sb"), ("bind", "\"127.0.0.2\"", "127.0.0.2"),
        ("rest-port", "9001", "9001"), ("ws-port", "9002", "9002"), ("rtmp-port", "9003", "9003"),
        ("sip-port", "9004", "9004"), ("sip-incoming", "\"accept\"", "accept"),
        ("sip-incoming-users", "\"room42, desk\"", "room42,desk"),
        ("media-ports", "\"40000-40010\"", "40000-40010"),
        ("log-level", "\"debug\"", "debug"),
    ]

    @Test("every flag of --help has a TOML key of the same name that sets the same thing")
    func everyFlagIsATOMLKey() throws {
        let help = ServerCommand.helpMessage(columns: 200)
        // Only the OPTIONS section: the discussion above it mentions flags too ("--data-dir:").
        let options = try #require(help.range(of: "OPTIONS:")).upperBound
        let flags = Set(help[options...].matches(of: /--([a-z][a-z-]*[a-z])/).map { String($0.1) })
            .subtracting(["config", "help", "version"])
        #expect(flags == Set(Self.samples.map(\.key)), "\(help)")
        for sample in Self.samples {
            var fromTOML = ServerConfig()
            try fromTOML.apply(toml: "\(sample.key) = \(sample.toml)\n", source: "t")
            let fromFlag = try ServerCommand.parse(["--\(sample.key)", sample.flag]).resolved()
            #expect(fromTOML != ServerConfig(), "\(sample.key) changed nothing")
            #expect(fromTOML == fromFlag, "\(sample.key)")
        }
    }

    @Test("the embedded defaults are the documented ones")
    func defaults() {
        let c = ServerConfig()
        #expect(c.dataDir == "./var" && c.bind == "127.0.0.1")
        #expect([c.restPort, c.wsPort, c.rtmpPort, c.sipPort] == [Int]([8081, 8080, 1935, 5060]))
        #expect(c.mediaPorts == PortRange(lower: 31000, upper: 32000))
        #expect(c.sipIncoming == .decline && c.sipIncomingUsers.isEmpty)
        #expect(c.logLevel == Logger.Level.info)
        #expect(c.users.isEmpty)
    }

    @Test("the file-only keys: log rotation and users")
    func fileOnlyKeys() throws {
        var c = ServerConfig()
        try c.apply(toml: "log-max-bytes = 65536\nlog-keep = 3\n[users]\nadmin = \"h1\"\nops = \"h2\"\n", source: "t")
        #expect(c.logMaxBytes == 65536 && c.logKeep == 3 && c.users == ["admin": "h1", "ops": "h2"])
    }

    @Test("flags win over the file")
    func flagsWin() throws {
        let dir = NSTemporaryDirectory() + "sbcfg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }  // best effort cleanup
        try "rest-port = 9000\nrtmp-port = 9100\n".write(toFile: dir + "/c.toml", atomically: true, encoding: .utf8)
        let c = try ServerCommand.parse(["--config", dir + "/c.toml", "--rest-port", "0"]).resolved()
        #expect(c.restPort == 0 && c.rtmpPort == 9100)
    }

    @Test("only loopback binds count as private")
    func loopback() {
        var c = ServerConfig()
        #expect(c.isLoopbackOnly)
        c.bind = "0.0.0.0"
        #expect(!c.isLoopbackOnly)
    }
}

import Foundation
import Logging
