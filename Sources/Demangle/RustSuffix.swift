/// Trailing decorations compilers add after a Rust symbol proper.
enum RustSuffix {
    /// Drops an LLVM ThinLTO `.llvm.<hex>` suffix, which only makes local
    /// symbols unique and carries nothing a reader wants (rustc-demangle does
    /// the same).
    static func strippingLLVMSuffix(_ symbol: Substring) -> Substring {
        guard let range = symbol.firstRange(of: ".llvm.") else { return symbol }
        let tail = symbol[range.upperBound...]
        let isHash = tail.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
                || byte == UInt8(ascii: "@")
        }
        return isHash ? symbol[..<range.lowerBound] : symbol
    }

    /// Whether text left after the mangled name is a kept `.suffix` (like
    /// `.cold` or `.0`) rather than a sign the name was not Rust at all.
    static func isKeepable(_ suffix: some Collection<UInt8>) -> Bool {
        guard suffix.first == UInt8(ascii: ".") else { return false }
        return suffix.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F  // ASCII letters, digits, punctuation.
        }
    }
}
