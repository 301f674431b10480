/// Path text as lwpscope shows it. Modules, source files and commands are
/// shown by file name where full paths are too wide.
public enum Path {
    /// The last component: `libc.so.6` for `/usr/lib/x86_64-linux-gnu/libc.so.6`,
    /// `lib` for `/usr/lib/`. A path with no component (`/`, `""`) and a
    /// pseudo-path such as `[vdso]` stay as they are.
    public static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
