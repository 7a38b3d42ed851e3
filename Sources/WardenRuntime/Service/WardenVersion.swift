/// The version reported by `tokenwarden --version`, `tokenwarden_build_info` and the landing page.
public enum WardenVersion {
    public static let current = "0.1.0"
}
