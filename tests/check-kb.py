#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-kb.py: validate the sample knowledge base in data/kb/.
#
# Usage: tests/check-kb.py [SOURCE_ROOT]
#
# Checks every data/kb/**/*.md (README.md files excepted):
#  - a header between two "---" lines with the keys id, title, language,
#    intents, tags and updated (an ISO date), nothing else;
#  - language is en or zh and matches the folder (data/kb/en, data/kb/zh);
#  - id is unique, kebab-case and starts with "<language>-";
#  - at least one intent; English articles may only name BANKING77 intents,
#    Chinese articles may also use their own names (credit_limit, ...);
#  - exactly one "## Say this" (en) or "## 话术" (zh) section;
#  - English articles: file name is the primary intent (lower case, without
#    a trailing "?"), the sections of the template are present, the body
#    has 150-400 words;
#  - no raw HTML, no links outside example.com, no placeholder text and
#    nothing that looks like a full card number;
# and that every one of the 77 BANKING77 intents is covered by data/kb/en
# as a primary or secondary intent.
#
# Prints "file:line: message" for each problem and exits 1 if there is one.

import datetime
import json
import os
import re
import sys

KEYS = ("id", "title", "language", "intents", "tags", "updated")
LANGUAGES = ("en", "zh")
SAY_THIS = {"en": "## Say this", "zh": "## 话术"}
EN_SECTIONS = ("## Check first", "## Steps", "## Say this", "## Escalate when")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
INTENT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\??$")
HTML_RE = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>|<!--")
LINK_RE = re.compile(r"\]\(([^)\s]+)")
PAN_RE = re.compile(r"(?<![0-9])(?:[0-9][ -]?){13,19}(?![0-9])")
PLACEHOLDER_RE = re.compile(r"\b(TBD|TODO|FIXME|XXX+|lorem ipsum)\b", re.I)
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.,%-]*")


class Checker:
    def __init__(self, root):
        self.root = root
        self.errors = []

    def error(self, path, line, msg):
        rel = os.path.relpath(path, self.root)
        self.errors.append("%s:%d: %s" % (rel, line, msg))


def load_intents(root):
    for cand in (os.path.join(root, "data", "banking77", "categories.json"),
                 "/work/shared/data/banking77/categories.json"):
        if os.path.isfile(cand):
            with open(cand, encoding="utf-8") as f:
                names = json.load(f)
            if len(names) != 77 or len(set(names)) != 77:
                sys.exit("%s: expected 77 distinct intent names, got %d"
                         % (cand, len(set(names))))
            return cand, names
    sys.exit("check-kb: categories.json not found (data/banking77/ or "
             "/work/shared/data/banking77/)")


def parse_header(ck, path, lines):
    """Return (dict key -> (value, line), index of first body line)."""
    if not lines or lines[0].rstrip("\r\n") != "---":
        ck.error(path, 1, "file must start with a '---' header line")
        return None, 0
    header = {}
    for i in range(1, len(lines)):
        text = lines[i].rstrip("\r\n")
        lineno = i + 1
        if text == "---":
            return header, i + 1
        if not text.strip():
            continue
        m = re.match(r"^([A-Za-z_]+):\s*(.*?)\s*$", text)
        if not m:
            ck.error(path, lineno, "malformed header line %r" % text)
            continue
        key, value = m.group(1), m.group(2)
        if key not in KEYS:
            ck.error(path, lineno, "unknown header key %r" % key)
        elif key in header:
            ck.error(path, lineno, "duplicate header key %r" % key)
        else:
            header[key] = (value, lineno)
    ck.error(path, 1, "header is not closed by a '---' line")
    return None, 0


def check_file(ck, path, folder_lang, known, ids, covered):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    header, body_start = parse_header(ck, path, lines)
    if header is None:
        return
    for key in KEYS:
        if key not in header:
            ck.error(path, 1, "header key %r is missing" % key)
        elif not header[key][0]:
            ck.error(path, header[key][1], "header key %r is empty" % key)

    lang, lang_line = header.get("language", ("", 1))
    if lang and lang not in LANGUAGES:
        ck.error(path, lang_line, "unknown language %r (en|zh)" % lang)
    elif lang and folder_lang in LANGUAGES and lang != folder_lang:
        ck.error(path, lang_line, "language %r but file is in data/kb/%s/"
                 % (lang, folder_lang))

    art_id, id_line = header.get("id", ("", 1))
    if art_id:
        if not ID_RE.match(art_id):
            ck.error(path, id_line, "id %r is not kebab-case" % art_id)
        elif lang in LANGUAGES and not art_id.startswith(lang + "-"):
            ck.error(path, id_line, "id %r must start with %r"
                     % (art_id, lang + "-"))
        if art_id in ids:
            ck.error(path, id_line, "id %r already used by %s"
                     % (art_id, os.path.relpath(ids[art_id], ck.root)))
        else:
            ids[art_id] = path

    updated, upd_line = header.get("updated", ("", 1))
    if updated:
        try:
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", updated):
                raise ValueError
            datetime.date.fromisoformat(updated)
        except ValueError:
            ck.error(path, upd_line, "updated %r is not an ISO date "
                     "(YYYY-MM-DD)" % updated)

    intents_value, int_line = header.get("intents", ("", 1))
    intents = [s.strip() for s in intents_value.split(",")] if intents_value else []
    if "intents" in header and not [s for s in intents if s]:
        ck.error(path, int_line, "at least one intent is required")
    seen = set()
    for name in intents:
        if not name:
            ck.error(path, int_line, "empty intent name in list")
            continue
        if name in seen:
            ck.error(path, int_line, "intent %r listed twice" % name)
        seen.add(name)
        if name in known:
            if folder_lang == "en":
                covered.add(name)
        elif folder_lang == "zh" and INTENT_RE.match(name):
            pass  # Chinese topics may have their own intent names.
        else:
            ck.error(path, int_line, "unknown intent %r (not in BANKING77)"
                     % name)

    # Body.
    body = lines[body_start:]
    say = SAY_THIS.get(lang)
    say_lines = []
    h1 = []
    sections = []
    in_code = False
    for i, line in enumerate(body):
        lineno = body_start + i + 1
        s = line.rstrip("\r")
        if s.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        if s.startswith("# "):
            h1.append((s[2:].strip(), lineno))
        if s.startswith("## "):
            sections.append(s.strip())
        if say and s.strip() == say:
            say_lines.append(lineno)
        if HTML_RE.search(s):
            ck.error(path, lineno, "raw HTML is not allowed")
        for url in LINK_RE.findall(s):
            if not re.match(r"^https://(www\.)?example\.com(/|$)", url):
                ck.error(path, lineno, "link %r: only example.com links "
                         "are allowed" % url)
        if PLACEHOLDER_RE.search(s):
            ck.error(path, lineno, "placeholder text %r"
                     % PLACEHOLDER_RE.search(s).group(0))
        if PAN_RE.search(s):
            ck.error(path, lineno, "looks like a full card number")
    if say:
        if not say_lines:
            ck.error(path, len(lines), "no %r section" % say)
        elif len(say_lines) > 1:
            ck.error(path, say_lines[1], "more than one %r section" % say)

    if folder_lang == "en":
        stem = os.path.splitext(os.path.basename(path))[0]
        if intents and intents[0] and stem != intents[0].lower().rstrip("?"):
            ck.error(path, int_line, "file name %r does not match primary "
                     "intent %r" % (stem, intents[0]))
        title = header.get("title", ("", 1))[0]
        if len(h1) != 1:
            ck.error(path, body_start + 1, "expected exactly one '# ' title "
                     "heading, found %d" % len(h1))
        elif title and h1[0][0] != title:
            ck.error(path, h1[0][1], "heading %r differs from title %r"
                     % (h1[0][0], title))
        for sec in EN_SECTIONS:
            if sec != SAY_THIS["en"] and sec not in sections:
                ck.error(path, len(lines), "missing section %r" % sec)
        words = len(WORD_RE.findall("\n".join(body)))
        if not 150 <= words <= 400:
            ck.error(path, body_start + 1, "body has %d words (150-400 "
                     "expected)" % words)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                           else os.path.join(here, os.pardir))
    kb = os.path.join(root, "data", "kb")
    if not os.path.isdir(kb):
        sys.exit("check-kb: %s is not a directory" % kb)
    src, names = load_intents(root)
    known = set(names)
    ck = Checker(root)
    ids = {}
    covered = set()
    count = 0
    for dirpath, dirnames, filenames in os.walk(kb):
        dirnames.sort()
        rel = os.path.relpath(dirpath, kb)
        folder_lang = rel.split(os.sep)[0] if rel != "." else ""
        for fn in sorted(filenames):
            if not fn.endswith(".md") or fn == "README.md":
                continue
            path = os.path.join(dirpath, fn)
            if folder_lang not in LANGUAGES:
                ck.error(path, 1, "articles belong in data/kb/en/ or "
                         "data/kb/zh/")
            count += 1
            check_file(ck, path, folder_lang, known, ids, covered)
    en_dir = os.path.join(kb, "en")
    for name in names:
        if name not in covered:
            ck.error(en_dir, 1, "BANKING77 intent %r has no English article"
                     % name)
    for e in ck.errors:
        print(e)
    print("check-kb: %d articles, %d/%d BANKING77 intents covered in en, "
          "%d problems (intents from %s)"
          % (count, len(covered), len(names), len(ck.errors), src),
          file=sys.stderr)
    return 1 if ck.errors else 0


if __name__ == "__main__":
    sys.exit(main())
