#!/usr/bin/env python3
"""Reproducible zip of a directory: python3 tools/zip.py DIR OUT.zip

Entries are the files under DIR (no directory entries), sorted by their '/'-separated path,
each with a fixed timestamp (1980-01-01 00:00:00), fixed permissions (0644) and
deflate level 9, so the same tree always gives the same bytes.
"""

import os
import sys
import zipfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def files_under(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full) or not os.path.isfile(full):
                raise SystemExit(f"zip.py: not a regular file: {full}")
            out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return sorted(out)


def main(argv):
    if len(argv) != 3:
        raise SystemExit("usage: python3 tools/zip.py DIR OUT.zip")
    root, out = argv[1], argv[2]
    if not os.path.isdir(root):
        raise SystemExit(f"zip.py: no such directory: {root}")
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in files_under(root):
            info = zipfile.ZipInfo(rel, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr is read as a mode
            info.external_attr = (0o100644 & 0xFFFF) << 16
            with open(os.path.join(root, rel), "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv)
