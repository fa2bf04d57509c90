#!/usr/bin/env python3
"""Draws the pushlab app icon (a white bell with an orange notification dot on a blue
rounded square) as PNGs at 32, 64, 128, 256 and 512 px. Standard library only: shapes are
signed distance functions, anti-aliased by their distance to the pixel centre.

Run from anywhere: python3 icons/generate.py
"""
import math
import os
import struct
import zlib

SIZES = [32, 64, 128, 256, 512]
TOP = (0x4a, 0x8b, 0xf7)     # gradient of the square, top
BOTTOM = (0x1f, 0x55, 0xd9)  # and bottom; the app's brand colour sits between
BELL = (0xff, 0xff, 0xff)
DOT = (0xff, 0x9f, 0x0a)


def round_box(px, py, cx, cy, hw, hh, r):
    qx = abs(px - cx) - hw + r
    qy = abs(py - cy) - hh + r
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - r


def circle(px, py, cx, cy, r):
    return math.hypot(px - cx, py - cy) - r


def trapezoid(px, py, cx, cy, r_top, r_bottom, half_height):
    """Inigo Quilez's isosceles trapezoid; y grows downwards, so 'top' is p.y < 0."""
    x = abs(px - cx)
    y = py - cy
    k1 = (r_bottom, half_height)
    k2 = (r_bottom - r_top, 2.0 * half_height)
    ca = (x - min(x, r_top if y < 0.0 else r_bottom), abs(y) - half_height)
    t = ((k1[0] - x) * k2[0] + (k1[1] - y) * k2[1]) / (k2[0] ** 2 + k2[1] ** 2)
    t = min(max(t, 0.0), 1.0)
    cb = (x - k1[0] + k2[0] * t, y - k1[1] + k2[1] * t)
    s = -1.0 if (cb[0] < 0.0 and ca[1] < 0.0) else 1.0
    return s * math.sqrt(min(ca[0] ** 2 + ca[1] ** 2, cb[0] ** 2 + cb[1] ** 2))


def bell(px, py):
    dome = circle(px, py, 0.5, 0.44, 0.19)
    body = trapezoid(px, py, 0.5, 0.555, 0.19, 0.27, 0.115)
    rim = round_box(px, py, 0.5, 0.675, 0.30, 0.035, 0.035)
    knob = circle(px, py, 0.5, 0.235, 0.04)
    clapper = circle(px, py, 0.5, 0.755, 0.065)
    d = min(dome, body, rim, knob, clapper)
    # Leave a ring of background around the dot.
    return max(d, -(circle(px, py, 0.705, 0.3, 0.105)))


def coverage(d, pixel):
    return min(max(0.5 - d / pixel, 0.0), 1.0)


def over(dst, src, a):
    return tuple(s * a + d * (1.0 - a) for s, d in zip(src, dst))


def render(size):
    pixel = 1.0 / size
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter: none
        py = (j + 0.5) * pixel
        g = py
        bg = tuple(t + (b - t) * g for t, b in zip(TOP, BOTTOM))
        for i in range(size):
            px = (i + 0.5) * pixel
            a_bg = coverage(round_box(px, py, 0.5, 0.5, 0.47, 0.47, 0.21), pixel)
            color = bg
            color = over(color, BELL, coverage(bell(px, py), pixel))
            color = over(color, DOT, coverage(circle(px, py, 0.705, 0.3, 0.075), pixel))
            row.extend(int(round(c)) for c in color)
            row.append(int(round(a_bg * 255)))
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for size in SIZES:
        path = os.path.join(here, f"pushlab-{size}.png")
        with open(path, "wb") as f:
            f.write(render(size))
        print(path)


if __name__ == "__main__":
    main()
