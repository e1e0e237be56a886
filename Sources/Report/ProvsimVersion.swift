/// The version provsim reports in its output and in every report's properties.
public enum ProvsimVersion {
    public static let current = "0.1.0"
}
