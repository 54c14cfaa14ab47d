#!/usr/bin/env python3
"""Writes a C file holding every migration, so the binary knows the schema it needs.

usage: embed.py OUTPUT.c DATA_DIR MIGRATION.sql...   (files named NNNN_name.sql)

A migration is a list of steps run in one transaction.  Its text is SQL,
except for lines of the form

    \\copy TABLE (COLUMNS) FROM 'FILE' WITH (OPTIONS)

each of which becomes a COPY ... FROM STDIN step carrying FILE (relative to
DATA_DIR) as its data, so large reference tables load by COPY from the
binary alone.  Versions must increase; a number may be skipped when it is
reserved for a migration kept elsewhere.
"""
import os
import re
import sys

COPY_LINE = re.compile(r"\\copy\s+([a-z_][a-z0-9_]*\s*\([a-z0-9_, ]+\))\s+FROM\s+'([^']+)'"
                       r"\s+WITH\s+(\(.*\))\s*")


def c_string(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t').replace('\n', '\\n').replace('?', '\\?')
        out.append('\t\t"' + esc + '"')
    return '\n'.join(out) if out else '\t\t""'


def steps_of(path, sql, data_dir):
    """[(sql, data bytes or None)] in order."""
    steps, pending = [], []
    for line in sql.splitlines(keepends=True):
        if not line.startswith('\\copy'):
            pending.append(line)
            continue
        m = COPY_LINE.fullmatch(line)
        if not m:
            sys.exit(f'embed.py: {path}: bad \\copy line: {line.strip()}')
        if ''.join(pending).strip():
            steps.append((''.join(pending), None))
        pending = []
        data_path = os.path.normpath(os.path.join(data_dir, m.group(2)))
        if not data_path.startswith(os.path.normpath(data_dir) + os.sep):
            sys.exit(f'embed.py: {path}: data file outside the data directory: {m.group(2)}')
        with open(data_path, encoding='utf-8') as f:
            data = f.read()
        steps.append((f'COPY {m.group(1)} FROM STDIN WITH {m.group(3)}', data))
    if ''.join(pending).strip() or not steps:
        steps.append((''.join(pending), None))
    return steps


def main():
    output, data_dir, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
    entries = []
    for path in sources:
        m = re.fullmatch(r'(\d{4})_([a-z0-9_]+)\.sql', os.path.basename(path))
        if not m:
            sys.exit(f'embed.py: bad migration file name: {path}')
        with open(path, encoding='utf-8') as f:
            entries.append((int(m.group(1)), m.group(2), steps_of(path, f.read(), data_dir)))
    entries.sort()
    for previous, current in zip(entries, entries[1:]):
        if current[0] == previous[0]:
            sys.exit(f'embed.py: two migrations numbered {current[0]}')
    if entries and entries[0][0] != 1:
        sys.exit('embed.py: the first migration must be number 1')
    with open(output, 'w', encoding='utf-8') as f:
        f.write('/* Generated from schema/migrations by schema/embed.py. */\n')
        f.write('#include "db/migrations.h"\n\n')
        for version, _, steps in entries:
            f.write(f'static const kd_migration_step steps_{version}[] = {{\n')
            for sql, data in steps:
                f.write(f'\t{{\n{c_string(sql)},\n')
                if data is None:
                    f.write('\t\tNULL, 0 },\n')
                else:
                    f.write(f'{c_string(data)},\n\t\t{len(data.encode("utf-8"))} }},\n')
            f.write('};\n\n')
        f.write('const kd_migration kd_migrations[] = {\n')
        for version, name, steps in entries:
            f.write(f'\t{{ {version}, "{name}", steps_{version}, {len(steps)} }},\n')
        f.write('};\n\n')
        f.write(f'const int kd_migration_count = {len(entries)};\n')
        f.write(f'const int kd_schema_version = {entries[-1][0] if entries else 0};\n')


if __name__ == '__main__':
    main()
