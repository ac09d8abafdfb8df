// placeholder replaced by the console work
public enum ConsoleEntry { public static func main() async {} }
