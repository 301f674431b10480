// The demangler lands with the backtrace issue.
public enum DemanglePlaceholder {}
