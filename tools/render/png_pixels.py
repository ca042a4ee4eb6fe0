#!/usr/bin/env python3
"""Prints the colours of a PNG screenshot at given pixels, for the browser tests of `mmu render`.

Usage: png_pixels.py FILE X,Y [X,Y ...]   prints one line per pixel: X,Y #rrggbb

Standard library only (zlib): 8-bit greyscale, RGB, greyscale+alpha or RGBA, not interlaced,
which is what Chromium's --screenshot writes. Anything else is refused with its reason.
"""
import struct
import sys
import zlib


def read(path, last_row):
    """Decodes rows 0 through last_row (the filters chain each row to the one above)."""
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    offset, chunks, header = 8, [], None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        offset += 12 + length
    if header is None:
        sys.exit(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        sys.exit(f"{path}: bit depth {depth}, colour type {colour}, interlace {interlace} (8-bit, non-interlaced grey/RGB/RGBA expected)")
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous, position = [], bytearray(stride), 0
    for _ in range(min(height, last_row + 1)):
        kind = raw[position]
        line = bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
            elif kind != 0:
                sys.exit(f"{path}: unknown filter {kind}")
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    points = [tuple(int(part) for part in argument.split(",")) for argument in sys.argv[2:]]
    width, height, channels, rows = read(sys.argv[1], max(y for _, y in points))
    for x, y in points:
        argument = f"{x},{y}"
        if not (0 <= x < width and 0 <= y < len(rows)):
            sys.exit(f"{argument}: outside the {width}x{height} picture")
        pixel = rows[y][x * channels:(x + 1) * channels]
        rgb = (pixel[0],) * 3 if channels <= 2 else tuple(pixel[:3])
        print(f"{x},{y} #{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}")


if __name__ == "__main__":
    main()
