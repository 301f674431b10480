#!/usr/bin/env python3
"""Render a terminal capture with SGR escapes (`tmux capture-pane -e -p`) as a PNG.

    ansi-to-png.py INPUT.ans OUTPUT.png [--columns 120] [--rows 40] [--font-size 15]

Handles the 8/16/256-colour and 24-bit SGR colours, bold, dim, underline and
reverse; other escape sequences are skipped. Light box-drawing characters are
drawn as lines so the pane borders join up; everything else comes from
DejaVu Sans Mono (regular and bold). Needs Pillow.
"""

import argparse
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
REGULAR = FONT_DIR + "DejaVuSansMono.ttf"
BOLD = FONT_DIR + "DejaVuSansMono-Bold.ttf"

DEFAULT_FG = (0xD4, 0xD4, 0xD4)
DEFAULT_BG = (0x1E, 0x1E, 0x1E)
# A common dark-terminal palette (close to xterm's, softened a little).
ANSI16 = [
    (0x00, 0x00, 0x00), (0xCD, 0x31, 0x31), (0x0D, 0xBC, 0x79), (0xE5, 0xE5, 0x10),
    (0x3B, 0x8E, 0xEA), (0xBC, 0x3F, 0xBC), (0x11, 0xA8, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x66, 0x66, 0x66), (0xF1, 0x4C, 0x4C), (0x23, 0xD1, 0x8B), (0xF5, 0xF5, 0x43),
    (0x3B, 0x8E, 0xEA), (0xD6, 0x70, 0xD6), (0x29, 0xB8, 0xDB), (0xFF, 0xFF, 0xFF),
]


def color256(n):
    if n < 16:
        return ANSI16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "underline", "reverse", "italic")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None = default, else an RGB tuple
        self.bg = None
        self.bold = self.dim = self.underline = self.reverse = self.italic = False

    def copy(self):
        other = Style()
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other

    def apply(self, params):
        codes = [int(p) if p.isdigit() else 0 for p in params.replace(":", ";").split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c in (4, 21):
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = ANSI16[c - 30]
            elif 90 <= c <= 97:
                self.fg = ANSI16[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = ANSI16[c - 40]
            elif 100 <= c <= 107:
                self.bg = ANSI16[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                color = None
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    color = color256(codes[i + 2] & 255)
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    color = tuple(v & 255 for v in codes[i + 2:i + 5])
                    i += 4
                if c == 38:
                    self.fg = color
                else:
                    self.bg = color
            i += 1

    def colors(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((f * 55 + b * 45) // 100 for f, b in zip(fg, bg))
        return fg, bg


ESCAPE = re.compile(r"\x1b(?:\[([0-9;:?]*)([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|.)")


def parse(text, columns, rows):
    """A grid of (character, Style) cells, `rows` x `columns`."""
    grid = []
    style = Style()
    for line in text.split("\n")[:rows]:
        cells = []
        pos = 0
        for match in ESCAPE.finditer(line + "\x1b[Z"):  # sentinel flushes the tail
            for ch in line[pos:match.start()]:
                if ch == "\r" or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                    continue
                cells.append((ch, style.copy()))
                if unicodedata.east_asian_width(ch) in ("W", "F"):
                    cells.append(("", style.copy()))
            pos = match.end()
            if match.group(2) == "m":
                style.apply(match.group(1))
        grid.append(cells[:columns])
    while len(grid) < rows:
        grid.append([])
    return grid


# Light and heavy box-drawing characters as (left, right, up, down) arms.
BOX = {
    "─": "lr", "━": "lr", "│": "ud", "┃": "ud",
    "┌": "rd", "┐": "ld", "└": "ru", "┘": "lu",
    "├": "udr", "┤": "udl", "┬": "lrd", "┴": "lru", "┼": "lrud",
    "╭": "rd", "╮": "ld", "╰": "ru", "╯": "lu",
    "╴": "l", "╶": "r", "╵": "u", "╷": "d",
}


def render(grid, columns, rows, out, font_size, padding):
    regular = ImageFont.truetype(REGULAR, font_size)
    bold = ImageFont.truetype(BOLD, font_size)
    ascent, descent = regular.getmetrics()
    cell_w = round(regular.getlength("M"))
    cell_h = ascent + descent
    width, height = columns * cell_w + 2 * padding, rows * cell_h + 2 * padding
    image = Image.new("RGB", (width, height), DEFAULT_BG)
    draw = ImageDraw.Draw(image)
    line_w = max(1, round(font_size / 14))

    for y, cells in enumerate(grid):
        top = padding + y * cell_h
        for x, (ch, style) in enumerate(cells):
            left = padding + x * cell_w
            fg, bg = style.colors()
            if bg != DEFAULT_BG:
                draw.rectangle([left, top, left + cell_w - 1, top + cell_h - 1], fill=bg)
            if ch in BOX:
                arms = BOX[ch]
                cx = left + (cell_w - line_w) // 2
                cy = top + (cell_h - line_w) // 2
                if "l" in arms:
                    draw.rectangle([left, cy, cx + line_w - 1, cy + line_w - 1], fill=fg)
                if "r" in arms:
                    draw.rectangle([cx, cy, left + cell_w - 1, cy + line_w - 1], fill=fg)
                if "u" in arms:
                    draw.rectangle([cx, top, cx + line_w - 1, cy + line_w - 1], fill=fg)
                if "d" in arms:
                    draw.rectangle([cx, cy, cx + line_w - 1, top + cell_h - 1], fill=fg)
            elif ch and ch != " ":
                draw.text((left, top), ch, font=bold if style.bold else regular, fill=fg)
            if style.underline:
                base = top + ascent + max(1, descent // 3)
                draw.rectangle([left, base, left + cell_w - 1, base + line_w - 1], fill=fg)
    image.save(out, optimize=True)
    return width, height


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--font-size", type=int, default=15)
    parser.add_argument("--padding", type=int, default=10)
    args = parser.parse_args()
    with open(args.input, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if text.endswith("\n"):
        text = text[:-1]
    grid = parse(text, args.columns, args.rows)
    width, height = render(grid, args.columns, args.rows, args.output, args.font_size, args.padding)
    print(f"{args.output}: {width}x{height}", file=sys.stderr)


if __name__ == "__main__":
    main()
