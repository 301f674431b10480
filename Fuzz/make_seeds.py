#!/usr/bin/env python3
"""Regenerates the fuzzers' seed corpus from the fixture binaries (and libz).

Run from the repository root after `swift build`:  python3 Fuzz/make_seeds.py
Writes Fuzz/Corpus/elf/* (whole or truncated ELF files) and Fuzz/Corpus/cfi/*
(the fuzz-cfi framing: u64 .eh_frame_hdr address, u64 .eh_frame address,
u32 header length, header bytes, .eh_frame bytes).
"""
import os, shutil, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug")
ELF_DIR = os.path.join(ROOT, "Fuzz", "Corpus", "elf")
CFI_DIR = os.path.join(ROOT, "Fuzz", "Corpus", "cfi")


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


def main():
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


if __name__ == "__main__":
    sys.exit(main())
