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

let package = Package(
    name: "lwpscope-fuzz",
    dependencies: [
        .package(name: "lwpscope", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        .executableTarget(
            name: "fuzz-elf",
            dependencies: ["FuzzSupport", .product(name: "ELF", package: "lwpscope"),
                           .product(name: "Unwind", package: "lwpscope")],
            path: "Sources/fuzz-elf",
            linkerSettings: fuzzerLinker
        ),
        .executableTarget(
            name: "fuzz-cfi",
            dependencies: ["FuzzSupport", .product(name: "Unwind", package: "lwpscope")],
            path: "Sources/fuzz-cfi",
            linkerSettings: fuzzerLinker
        ),
        .executableTarget(
            name: "fuzz-dwarf",
            dependencies: ["FuzzSupport", .product(name: "ELF", package: "lwpscope"),
                           .product(name: "DWARF", package: "lwpscope")],
            path: "Sources/fuzz-dwarf",
            linkerSettings: fuzzerLinker
        ),
    ],
    swiftLanguageModes: [.v6]
)
