/// Source paths as backtraces show them, for code outside this target that
/// must show (and match) the same names.
public enum SourcePaths {
    /// Without the `.` and `dir/..` steps line tables keep: the file a user would open.
    public static func tidied(_ path: String) -> String {
        ModuleFile.lexicallyNormalized(path)
    }
}
