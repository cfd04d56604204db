#!/usr/bin/python3
"""Write the seed corpus for fuzz-cti from the real baresip capture.

Each seed is one read-size byte followed by input: single netstrings, the
first frames of the stream, the whole agent and customer streams, and the
bundled replay lines. Usage: make-corpus.py SOURCE_ROOT OUT_DIR
"""
import hashlib, os, sys

root, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
data_dir = os.path.join(root, 'tests', 'data', 'baresip')

def frames(raw):
    i = 0
    while i < len(raw):
        colon = raw.index(b':', i)
        n = int(raw[i:colon])
        end = colon + 1 + n + 1
        yield raw[i:end]
        i = end

def seed(blob, size_byte=0):
    body = bytes([size_byte]) + blob
    name = hashlib.sha1(body).hexdigest()
    with open(os.path.join(out, name), 'wb') as f:
        f.write(body)

for name in ('agent-ctrl-tcp.raw', 'customer-ctrl-tcp.raw', 'agent-ctrl-tcp-sent.raw'):
    raw = open(os.path.join(data_dir, name), 'rb').read()
    fs = list(frames(raw))
    seen = set()
    for f in fs:
        key = f[:80]
        if key in seen:
            continue
        seen.add(key)
        seed(f, len(f) % 64)
    seed(b''.join(fs[:8]), 7)
    seed(raw[:4096], 63)

for line in open(os.path.join(root, 'data', 'demo', 'calls.jsonl'), 'rb'):
    if line.startswith(b'{'):
        seed(line.strip(), 0)
print(len(os.listdir(out)), 'seeds in', out)
