import Foundation

/// When two tools spell one function's name differently.
///
/// gdb names a function from its debug information (`lwp::io::read_one<char>`,
/// an unqualified `operator()` for a lambda), while a symbol-table symbolizer
/// demangles the ELF symbol (`long lwp::io::read_one<char>(int)`,
/// `main::{lambda()#1}::operator()() const [clone .constprop.0]`). These rules
/// take away only what is spelling, not identity: clone suffixes, symbol
/// versions, parameter lists, return types, how lambdas and `> >` are written.
/// Two names of one address (glibc's `__GI___libc_read` and `read`) are not a
/// spelling: SymbolEvidence settles those from the module's symbol table.
public enum FunctionNames {
    /// A name with the noise both tools add taken away: clone suffixes,
    /// symbol versions and the parameter list.
    public static func normalized(_ name: String) -> String {
        var name = Substring(name).trimmingTrailingWhitespace()
        // `f(int) [clone .isra.0] [clone .cold]`, from the demangler.
        while name.hasSuffix("]"), let clone = name.range(of: " [clone ", options: .backwards) {
            name = name[..<clone.lowerBound]
        }
        name = droppingSymbolVersion(name)
        name = droppingCloneSuffixes(name)
        // Swift's demangled names (`m.f() -> ()`) are left whole: their
        // parameter lists are part of the name and gdb never prints them.
        if !name.contains(" -> ") {
            name = droppingParameterList(name)
            name = Substring(canonicalLambdas(name))
            // `A<B<C> >` and `A<B<C>>` are one type; how `>` are spaced
            // depends on the tool and on what was substituted above.
            name = Substring(name.replacingOccurrences(of: " >", with: ">"))
        }
        return String(name)
    }

    /// Lambdas are spelled `main()::<lambda()>` by gdb (from DWARF) and
    /// `main::{lambda()#1}` by the demangler. Both become `main::{lambda}`:
    /// the lambda's signature and number go, and so do the empty parentheses
    /// of an enclosing function (`f()::` → `f::`).
    static func canonicalLambdas(_ name: Substring) -> String {
        guard name.contains("lambda") else { return String(name) }
        var result = ""
        var rest = name
        while !rest.isEmpty {
            if let (opener, closer) = [("{lambda(", "}"), ("<lambda(", ">")].first(where: { rest.hasPrefix($0.0) }) {
                // Skip the balanced parameter list, then `#N` up to the closer.
                var depth = 0
                var index = rest.index(rest.startIndex, offsetBy: opener.count - 1)
                while index < rest.endIndex {
                    if rest[index] == "(" { depth += 1 }
                    if rest[index] == ")" { depth -= 1; if depth == 0 { break } }
                    index = rest.index(after: index)
                }
                guard index < rest.endIndex, let close = rest[index...].firstIndex(of: Character(closer)) else {
                    result += rest
                    break
                }
                result += "{lambda}"
                rest = rest[rest.index(after: close)...]
            } else if rest.hasPrefix("()::") {
                result += "::"
                rest = rest.dropFirst(4)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }

    /// True when the two names are one function by the rules above: equal
    /// after normalising, or equal but for a return type the demangler put in
    /// front of a template function (`long f<char>` and `f<char>`), or one is
    /// an unqualified name gdb printed for a qualified function (`operator()`
    /// for `main::{lambda()#1}::operator()`).
    public static func same(_ a: String, _ b: String) -> Bool {
        let a = normalized(a)
        let b = normalized(b)
        if a == b { return true }
        if a.hasSuffix(" " + b) || b.hasSuffix(" " + a) { return true }
        if !b.contains("::"), a.hasSuffix("::" + b) { return true }
        if !a.contains("::"), b.hasSuffix("::" + a) { return true }
        return false
    }

    /// `pthread_cond_wait@@GLIBC_2.3.2` → `pthread_cond_wait`.
    static func droppingSymbolVersion(_ name: Substring) -> Substring {
        guard let at = name.firstIndex(of: "@") else { return name }
        let version = name[at...].drop { $0 == "@" }
        let isVersion = !version.isEmpty && version.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return isVersion ? name[..<at] : name
    }

    /// GCC's local clones, as symbols name them: `f.isra.0`, `f.constprop.0.cold`.
    static func droppingCloneSuffixes(_ name: Substring) -> Substring {
        let markers = [".isra", ".constprop", ".part", ".cold", ".lto_priv", ".localalias"]
        var name = name
        while true {
            // A trailing `.N` belongs to the marker before it.
            var stem = name
            if let dot = stem.lastIndex(of: "."), dot > stem.startIndex {
                let number = stem[stem.index(after: dot)...]
                if !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) { stem = stem[..<dot] }
            }
            guard let marker = markers.first(where: { stem.hasSuffix($0) && stem.count > $0.count }) else { return name }
            name = stem.dropLast(marker.count)
        }
    }

    /// `ns::f(int, char*) const` → `ns::f`; `_M_run(void)` → `_M_run`; keeps
    /// the `()` of `operator()`.
    static func droppingParameterList(_ name: Substring) -> Substring {
        var name = name
        for qualifier in [" const", " volatile", " &&", " &", " noexcept"] where name.hasSuffix(qualifier) {
            name = name.dropLast(qualifier.count)
        }
        guard name.last == ")" else { return name }
        var depth = 0
        var index = name.endIndex
        while index > name.startIndex {
            index = name.index(before: index)
            if name[index] == ")" { depth += 1 }
            if name[index] == "(" {
                depth -= 1
                if depth == 0 {
                    let before = name[..<index]
                    // `operator()` alone: the parentheses are the name.
                    if before.hasSuffix("operator") || before.isEmpty { return name }
                    return before.trimmingTrailingWhitespace()
                }
            }
        }
        return name
    }

    /// glibc's public name for one of its internal spellings: `__GI___libc_read`,
    /// `__libc_read` and `__read` become `read` (strip `__GI_`, then leading
    /// underscores, then `libc_`). For checking what gdb itself shows a fixture
    /// parked in; never for scoring our names, where a guess like this would
    /// also pass `__read_nocancel` for `read_nocancel`.
    public static func glibcPublicName(_ name: String) -> String {
        var name = Substring(normalized(name))
        if name.hasPrefix("__GI_") { name = name.dropFirst(5) }
        name = name.drop { $0 == "_" }
        if name.hasPrefix("libc_"), name.count > 5 { name = name.dropFirst(5) }
        return String(name)
    }
}
