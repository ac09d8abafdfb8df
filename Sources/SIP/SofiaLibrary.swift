import CSofiaSIP

/// The sofia-sip library this build runs on.
public enum SofiaLibrary {
    /// sofia-sip's version string.
    public static var version: String { String(cString: sofia_sip_name_version) }
}
