// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for lwpscope's parsers of untrusted bytes (ELF files,
// DWARF call-frame information, DWARF line tables and inline scopes). Build
// and run with scripts/fuzz, which passes -sanitize=fuzzer; each executable
// hands its callback to libFuzzer's LLVMFuzzerRunDriver from main.swift.
//
// lld, not gold: gold fails to link the sanitizer runtime with SwiftPM's
// `--defsym main=<module>_main` (an internal error in its diagnostics).
let fuzzerLinker: [LinkerSetting] = [.unsafeFlags(["-use-ld=lld"])]

/// fuzz-NAME in Sources/fuzz-NAME, over the lwpscope libraries it reads with.
func fuzzer(_ name: String, reading products: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "lwpscope") },
        path: "Sources/fuzz-\(name)",
        linkerSettings: fuzzerLinker
    )
}

let package = Package(
    name: "lwpscope-fuzz",
    dependencies: [
        .package(name: "lwpscope", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        fuzzer("elf", reading: ["ELF", "Unwind"]),
        fuzzer("cfi", reading: ["Unwind"]),
        fuzzer("dwarf", reading: ["ELF", "DWARF", "Unwind"]),
    ],
    swiftLanguageModes: [.v6]
)
