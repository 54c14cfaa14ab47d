#!/usr/bin/env python3
"""Writes a C file holding every migration, so the binary knows the schema it needs.

usage: embed.py OUTPUT.c MIGRATION.sql...   (files named NNNN_name.sql)
"""
import os
import re
import sys


def c_string(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t').replace('\n', '\\n')
        out.append('\t\t"' + esc + '"')
    return '\n'.join(out) if out else '\t\t""'


def main():
    output, sources = sys.argv[1], sys.argv[2:]
    entries = []
    for path in sources:
        m = re.fullmatch(r'(\d{4})_([a-z0-9_]+)\.sql', os.path.basename(path))
        if not m:
            sys.exit(f'embed.py: bad migration file name: {path}')
        with open(path, encoding='utf-8') as f:
            entries.append((int(m.group(1)), m.group(2), f.read()))
    entries.sort()
    for i, (version, _, _) in enumerate(entries, start=1):
        if version != i:
            sys.exit(f'embed.py: migrations must be numbered 1..N without gaps (found {version} at {i})')
    with open(output, 'w', encoding='utf-8') as f:
        f.write('/* Generated from schema/migrations by schema/embed.py. */\n')
        f.write('#include "db/migrations.h"\n\n')
        f.write('const kd_migration kd_migrations[] = {\n')
        for version, name, sql in entries:
            f.write(f'\t{{ {version}, "{name}",\n{c_string(sql)} }},\n')
        f.write('};\n\n')
        f.write(f'const int kd_migration_count = {len(entries)};\n')


if __name__ == '__main__':
    main()
