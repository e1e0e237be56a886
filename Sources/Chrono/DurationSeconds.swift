extension Duration {
    /// The duration as fractional seconds (for rates, reports and simulated clocks).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
