#!/usr/bin/env python3
"""Draw Untrain's toolbar icons (16, 32, 48, 128 px) with the standard library only.

A rounded purple square with a white four-pointed spark, struck through by a diagonal bar.
Anti-aliased by 4x4 supersampling. Run: python3 tools/make_icons.py  (writes extension/icons/).
"""
import math
import os
import struct
import zlib

SIZES = (16, 32, 48, 128)
BG = (91, 43, 181)      # #5b2bb5
FG = (255, 255, 255)
SS = 4                  # supersampling per axis


def inside_rounded_square(x, y, radius):
    # unit coordinates 0..1
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_spark(x, y):
    # four-pointed star centred at (0.5, 0.5): |dx|^p + |dy|^p <= r^p with p < 1
    dx, dy = abs(x - 0.5) / 0.36, abs(y - 0.5) / 0.36
    return dx ** 0.8 + dy ** 0.8 <= 1.0


def strike_distance(x, y):
    # distance to the line from (0.2, 0.8) to (0.8, 0.2)
    return abs((x - 0.5) + (y - 0.5)) / math.sqrt(2)


def pixel(size, px, py):
    bar = max(0.07, 1.6 / size)          # bar half-width, at least ~1.5 px on small icons
    gap = bar + max(0.05, 1.2 / size)    # cut-out around the bar
    acc = [0.0, 0.0, 0.0, 0.0]
    for sy in range(SS):
        for sx in range(SS):
            x = (px + (sx + 0.5) / SS) / size
            y = (py + (sy + 0.5) / SS) / size
            if not inside_rounded_square(x, y, 0.22):
                continue
            d = strike_distance(x, y)
            on_bar = d <= bar and 0.14 <= x <= 0.86
            in_spark = inside_spark(x, y) and d > gap
            color = FG if (on_bar or in_spark) else BG
            acc[0] += color[0]
            acc[1] += color[1]
            acc[2] += color[2]
            acc[3] += 255
    n = SS * SS
    alpha = acc[3] / n
    if alpha == 0:
        return (0, 0, 0, 0)
    covered = acc[3] / 255
    return (round(acc[0] / covered), round(acc[1] / covered), round(acc[2] / covered), round(alpha))


def png(size):
    rows = []
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            row.extend(pixel(size, px, py))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "extension", "icons")
    os.makedirs(out, exist_ok=True)
    for size in SIZES:
        with open(os.path.join(out, f"icon-{size}.png"), "wb") as f:
            f.write(png(size))


if __name__ == "__main__":
    main()
