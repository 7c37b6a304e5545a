#!/usr/bin/env python3
"""Read baocao's HTML copy with a strict HTML5 parser (html5lib, strict=True: the first parse
error fails) and print, as JSON, what the tests check: the language, the title, the <style>
elements in <head>, the footnote links both ways, every src/href, the headings, the tables,
the draft mark and the body text. Exit 1 with the parser's errors when the file does not parse.
Needs html5lib (pip install html5lib)."""
import json, sys

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"


def text(el):
    """The element's text, whitespace collapsed; a <br> counts as a space."""
    parts = []

    def walk(e):
        if e.tag == NS + "br":
            parts.append(" ")
        parts.append(e.text or "")
        for child in e:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def main(path):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        with open(path, "rb") as f:
            root = parser.parse(f)
    except html5lib.html5parser.ParseError as e:
        print(f"{path}: {e}; {parser.errors[:5]}")
        return 1
    head = root.find(NS + "head")
    body = root.find(NS + "body")
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    notes = []
    for sup in root.iter(NS + "sup"):
        if sup.get("role") != "doc-noteref":
            continue
        a = sup.find(NS + "a")
        target = by_id.get((a.get("href") or "")[1:]) if a is not None else None
        back = None
        if target is not None:
            for s in target.iter(NS + "sup"):
                if s.get("role") == "doc-backlink" and s.find(NS + "a") is not None:
                    back = s.find(NS + "a").get("href")
        notes.append({
            "id": sup.get("id"),
            "number": text(sup),
            "href": a.get("href") if a is not None else None,
            "target_tag": target.tag.replace(NS, "") if target is not None else None,
            "back": back,
            "text": text(target)[:80] if target is not None else None,
        })
    links = []
    for el in root.iter():
        for attr in ("src", "href"):
            if el.get(attr) is not None:
                links.append({"tag": el.tag.replace(NS, ""), "attr": attr, "value": el.get(attr)})
    headings = [
        {"tag": el.tag.replace(NS, ""), "class": el.get("class"), "text": text(el)}
        for el in body.iter()
        if el.tag.replace(NS, "") in ("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    run_in = [
        {"class": el.get("class"), "text": text(el), "parent": None}
        for el in body.iter(NS + "strong")
        if (el.get("class") or "").startswith("nd30-")
    ]
    tables = []
    for t in body.iter(NS + "table"):
        thead = t.find(NS + "thead")
        tables.append({
            "thead_th": len(thead.findall(f"{NS}tr/{NS}th")) if thead is not None else 0,
            "body_rows": len(t.findall(f"{NS}tbody/{NS}tr")),
        })
    draft = [text(el) for el in body.iter() if el.get("class") == "nd30-du-thao"]
    out = {
        "lang": root.get("lang"),
        "title": text(head.find(NS + "title")) if head.find(NS + "title") is not None else None,
        "head_styles": len(head.findall(NS + "style")),
        "body_styles": len(list(body.iter(NS + "style"))),
        "scripts": len(list(root.iter(NS + "script"))),
        "viewport": any(m.get("name") == "viewport" for m in head.iter(NS + "meta")),
        "notes": notes,
        "links": links,
        "headings": headings,
        "run_in": run_in,
        "tables": tables,
        "draft": draft,
        "classes": sorted({c for el in root.iter() for c in (el.get("class") or "").split()}),
        "text": text(body),
    }
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
