// The unwinder lands with the backtrace issue.
public enum UnwindPlaceholder {}
