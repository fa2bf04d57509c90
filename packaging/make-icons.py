#!/usr/bin/env python3
"""Makes the macOS (.icns) and Windows (.ico) icons from the PNGs in icons/ (run
icons/generate.py first). Standard library only: both formats can hold PNG data as it is.

Run from anywhere: python3 packaging/make-icons.py
"""
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def png(size):
    with open(os.path.join(ROOT, "icons", f"pushlab-{size}.png"), "rb") as f:
        return f.read()


def icns():
    # ic07/ic08/ic09: 128, 256 and 512 px PNG; icp5/icp6: 32 and 64 px PNG.
    chunks = b""
    for kind, size in [(b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512)]:
        data = png(size)
        chunks += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def ico():
    sizes = [32, 64, 128, 256]
    images = [png(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for size, data in zip(sizes, images):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


if __name__ == "__main__":
    with open(os.path.join(ROOT, "packaging", "macos", "pushlab.icns"), "wb") as f:
        f.write(icns())
    with open(os.path.join(ROOT, "packaging", "windows", "pushlab.ico"), "wb") as f:
        f.write(ico())
    print("wrote packaging/macos/pushlab.icns and packaging/windows/pushlab.ico")
