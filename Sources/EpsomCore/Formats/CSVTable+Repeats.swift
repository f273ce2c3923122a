extension CSVTable {
    /// The first row whose trimmed cell in `column` repeats an earlier row's, with that earlier
    /// row, or nil when every cell differs.
    ///
    /// Why not a `Set<String>`: a million study names hashed as strings were a tenth of
    /// `epsom meta`'s time. When every cell is plain ASCII without doubled quotes, two names are
    /// the same string exactly when they are the same bytes, so the cells are compared as bytes
    /// in an open-addressing table. Otherwise (a name such as "Müller" could equal another
    /// written with a combining accent) the strings themselves are compared, as `String` does.
    func firstRepeat(inColumn column: Int) -> (row: Int, earlier: Int)? {
        let width = header.count
        func trimmed(_ row: Int) -> Range<Int> {
            let cell = row * width + column
            var start = Int(starts[cell]), end = Int(ends[cell])
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return start..<end
        }
        let plain = escaped.isEmpty && (0..<rowCount).allSatisfy { row in bytes[trimmed(row)].allSatisfy { $0 < 0x80 } }
        guard plain else {
            var seen: [String: Int] = [:]
            seen.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                if let earlier = seen.updateValue(row, forKey: trimmedText(row, column)) { return (row, earlier) }
            }
            return nil
        }
        return bytes.withUnsafeBufferPointer { all -> (row: Int, earlier: Int)? in
            var capacity = 16
            while capacity < 2 * rowCount { capacity <<= 1 }
            // A slot holds the hash's upper half and the row + 1 (0: empty), so that a probe
            // past another name rarely has to fetch that name's bytes.
            var slots = [UInt64](repeating: 0, count: capacity)
            for row in 0..<rowCount {
                let range = trimmed(row)
                let cell = UnsafeBufferPointer(rebasing: all[range])
                // FNV-1a: fast on short names; the bytes are compared on a full match.
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in cell { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                let fingerprint = hash & 0xFFFF_FFFF_0000_0000
                var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & (capacity - 1)
                while slots[slot] != 0 {
                    if slots[slot] & 0xFFFF_FFFF_0000_0000 == fingerprint {
                        let other = Int(slots[slot] & 0xFFFF_FFFF) - 1
                        if cell.elementsEqual(UnsafeBufferPointer(rebasing: all[trimmed(other)])) { return (row, other) }
                    }
                    slot = (slot + 1) & (capacity - 1)
                }
                slots[slot] = fingerprint | UInt64(row + 1)
            }
            return nil
        }
    }
}
