// placeholder replaced by the foundation work
public enum ServerEntry { public static func main() async {} }
