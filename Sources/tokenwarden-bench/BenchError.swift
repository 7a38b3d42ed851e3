/// Something that stops a measurement from being taken (as opposed to a slow number, which is
/// only ever reported): a daemon that does not start, a tool that is missing, a probe that crashed.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
