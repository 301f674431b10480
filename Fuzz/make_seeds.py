#!/usr/bin/env python3
"""Regenerates the fuzzers' seed corpus from the fixture binaries (and libz).

Run from the repository root after `swift build`:  python3 Fuzz/make_seeds.py
Writes Fuzz/Corpus/elf/* (whole or truncated ELF files) and Fuzz/Corpus/cfi/*
(the fuzz-cfi framing: u64 .eh_frame_hdr address, u64 .eh_frame address,
u32 header length, header bytes, .eh_frame bytes).
Fuzz/Corpus/dwarf/* are small gcc-built programs with DWARF 4, 5 and
compressed sections; `python3 Fuzz/make_seeds.py dwarf` makes only those
(no `swift build` needed).
"""
import os, shutil, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug")
ELF_DIR = os.path.join(ROOT, "Fuzz", "Corpus", "elf")
CFI_DIR = os.path.join(ROOT, "Fuzz", "Corpus", "cfi")
DWARF_DIR = os.path.join(ROOT, "Fuzz", "Corpus", "dwarf")

# Two units, inlined helpers from a header nested in noinline functions: the
# shapes fuzz-dwarf's lookups walk (aranges, ranges, inline chains, call_file).
DWARF_HEADER = """\
extern volatile int sink;
static inline __attribute__((always_inline)) int scale(int x) { sink += x; return x * 7 + sink; }
static inline __attribute__((always_inline)) int accumulate(int n) {
    int t = 0;
    for (int i = 0; i < n; i++) t += scale(i);
    return t;
}
"""
DWARF_MAIN = """\
#include "inl.h"
volatile int sink;
int helper(int n);
__attribute__((noinline)) int first(int n) { int r = accumulate(n); if (r & 1) r += scale(r); return r; }
__attribute__((noinline)) static int second(int n) { int r = 0; for (int i = 0; i < n; i++) r += accumulate(i) + helper(i); return r; }
int main(int argc, char **argv) { (void)argv; return first(argc + 3) + second(argc + 2); }
"""
DWARF_HELPER = """\
#include "inl.h"
__attribute__((noinline)) int helper(int n) { return scale(n) - accumulate(n / 2); }
"""
# What the DWARF reader does not read and only makes the seeds bigger.
DWARF_DROP = [".comment", ".note.gnu.property", ".note.ABI-tag", ".gnu.version", ".gnu.version_r",
              ".gnu.hash", ".dynsym", ".dynstr", ".rela.dyn", ".rela.plt", ".dynamic", ".eh_frame",
              ".eh_frame_hdr", ".debug_frame", ".debug_loc", ".debug_loclists", ".init_array", ".fini_array", ".got", ".got.plt"]


def sections(path):
    """name -> (addr, offset, size) from the section headers (ELF64 LE)."""
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    raw = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]
    out = {}
    for (name, _type, _flags, addr, off, size, *_rest) in raw:
        end = data.index(b"\0", stroff + name)
        out[data[stroff + name:end].decode()] = (addr, off, size)
    return data, out


def cfi_seed(path, out_name, with_header=True):
    data, secs = sections(path)
    eh_addr, eh_off, eh_size = secs[".eh_frame"]
    hdr = b""
    hdr_addr = 0
    if with_header and ".eh_frame_hdr" in secs:
        hdr_addr, hdr_off, hdr_size = secs[".eh_frame_hdr"]
        hdr = data[hdr_off:hdr_off + hdr_size]
    blob = struct.pack("<QQI", hdr_addr, eh_addr, len(hdr)) + hdr + data[eh_off:eh_off + eh_size]
    open(os.path.join(CFI_DIR, out_name), "wb").write(blob)


def dwarf_seeds():
    os.makedirs(DWARF_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in [("inl.h", DWARF_HEADER), ("main.c", DWARF_MAIN), ("helper.c", DWARF_HELPER)]:
            open(os.path.join(tmp, name), "w").write(text)
        for tag, flags in [("dwarf4", ["-gdwarf-4"]), ("dwarf5", ["-gdwarf-5"]), ("gz", ["-gz"])]:
            built = os.path.join(tmp, tag)
            # The prefix map keeps the temporary directory out of DW_AT_comp_dir.
            subprocess.run(["gcc", "-O2", "-g", *flags, "-fdebug-prefix-map=%s=/src" % tmp,
                            # No page-aligned segments: the padding would be most of the seed.
                            "-Wl,-z,noseparate-code,-z,max-page-size=0x40", "-o", built,
                            "main.c", "helper.c"], cwd=tmp, check=True)
            drop = [a for sec in DWARF_DROP for a in ("--remove-section", sec)]
            subprocess.run(["objcopy", *drop, built], check=True)
            shutil.copy(built, os.path.join(DWARF_DIR, "inline-" + tag))


def main():
    if sys.argv[1:] == ["dwarf"]:
        return dwarf_seeds()
    os.makedirs(ELF_DIR, exist_ok=True)
    os.makedirs(CFI_DIR, exist_ok=True)
    churn = os.path.join(BIN, "fixture-churn")
    nofp = os.path.join(BIN, "fixture-threads-nofp")
    cxx = os.path.join(BIN, "fixture-cxx")
    libz = "/usr/lib/x86_64-linux-gnu/libz.so.1"

    # ELF: one whole small binary, a truncated one, a stripped one, one with
    # zlib-compressed debug sections.
    shutil.copy(churn, os.path.join(ELF_DIR, "fixture-churn"))
    open(os.path.join(ELF_DIR, "fixture-threads-nofp.head4k"), "wb").write(open(nofp, "rb").read()[:4096])
    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "s")
        subprocess.run(["strip", "--strip-all", "-o", stripped, churn], check=True)
        shutil.copy(stripped, os.path.join(ELF_DIR, "fixture-churn.stripped"))
        zdebug = os.path.join(tmp, "z")
        subprocess.run(["objcopy", "--compress-debug-sections=zlib", churn, zdebug], check=True)
        shutil.copy(zdebug, os.path.join(ELF_DIR, "fixture-churn.zdebug"))

    # CFI: .eh_frame_hdr + .eh_frame extracts.
    cfi_seed(churn, "fixture-churn")
    cfi_seed(nofp, "fixture-threads-nofp")
    cfi_seed(nofp, "fixture-threads-nofp.nohdr", with_header=False)
    if os.path.exists(cxx):
        cfi_seed(cxx, "fixture-cxx")  # personality + LSDA augmentations
    if os.path.exists(libz):
        cfi_seed(libz, "libz")
    dwarf_seeds()


if __name__ == "__main__":
    sys.exit(main())
