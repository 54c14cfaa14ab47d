#!/usr/bin/env python3
"""Writes a C file holding the kiosk page's files, so the daemon serves them
from memory and never reads a file while answering.

usage: embed.py OUTPUT.c NAME=PATH...   (NAME is the file's name under /kiosk/)

Each file gets its Content-Type from its extension and a strong ETag made of
the first 16 hex digits of its SHA-256, both fixed at build time.
"""
import hashlib
import os
import re
import sys

TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
}


def c_bytes(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append('\t' + ''.join(f'0x{b:02x},' for b in data[i:i + 16]))
    return '\n'.join(lines)


def main():
    output, pairs = sys.argv[1], sys.argv[2:]
    entries = []
    for pair in pairs:
        name, sep, path = pair.partition('=')
        if not sep or not re.fullmatch(r'[a-z0-9][a-z0-9._-]*', name):
            sys.exit(f'embed.py: bad NAME=PATH argument: {pair}')
        ext = os.path.splitext(name)[1]
        if ext not in TYPES:
            sys.exit(f'embed.py: no content type for {name}')
        with open(path, 'rb') as f:
            data = f.read()
        entries.append((name, TYPES[ext], data))
    entries.sort()
    with open(output, 'w', encoding='utf-8') as f:
        f.write('/* Generated from service/kiosk by service/kiosk/embed.py. */\n')
        f.write('#include "kiosk/kiosk_files.h"\n\n')
        for i, (_, _, data) in enumerate(entries):
            f.write(f'static const unsigned char file_{i}[] = {{\n{c_bytes(data)}\n\t0x00\n}};\n\n')
        f.write('const kd_kiosk_file kd_kiosk_files[] = {\n')
        for i, (name, ctype, data) in enumerate(entries):
            etag = hashlib.sha256(data).hexdigest()[:16]
            f.write(f'\t{{ "{name}", "{ctype}", "\\"{etag}\\"", file_{i}, {len(data)} }},\n')
        f.write('};\n\n')
        f.write(f'const int kd_kiosk_file_count = {len(entries)};\n')


if __name__ == '__main__':
    main()
