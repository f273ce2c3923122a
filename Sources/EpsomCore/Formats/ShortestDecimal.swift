/// The shortest decimal text that reads back as the same `Double` (Swift's `description`:
/// "0.1", "1e-05", "-2.5"), handed over as bytes in a stack buffer instead of a new `String`.
///
/// Why: a report of a million studies formats millions of numbers, and a `String` per number
/// longer than 15 bytes is a heap allocation. The digits come from the standard library's own
/// algorithm through `Double.write(to:)`, so they are exactly `description`'s (`FastIOTests`
/// checks this on awkward values); only the allocation is gone.
enum ShortestDecimal {
    /// The longest text `description` gives is 24 bytes ("-2.2250738585072014e-308").
    static let capacity = 32

    static func withBytes<R>(_ x: Double, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var sink = StackSink(buffer: buffer)
            x.write(to: &sink)
            return try body(UnsafeBufferPointer(rebasing: buffer[..<sink.count]))
        }
    }

    /// A `TextOutputStream` into a fixed buffer. The standard library writes a `Double` through
    /// `_writeASCII` (no `String` made); `write(_:)` covers any other route it may take.
    private struct StackSink: TextOutputStream {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        mutating func write(_ string: String) {
            for byte in string.utf8 { put(byte) }
        }

        mutating func _writeASCII(_ bytes: UnsafeBufferPointer<UInt8>) {
            let n = min(bytes.count, buffer.count - count)
            guard n > 0, let from = bytes.baseAddress, let to = buffer.baseAddress else { return }
            (to + count).update(from: from, count: n)
            count += n
        }

        private mutating func put(_ byte: UInt8) {
            // Never reached for a Double; a longer text is cut rather than overrun the buffer.
            guard count < buffer.count else { return }
            buffer[count] = byte
            count += 1
        }
    }
}
