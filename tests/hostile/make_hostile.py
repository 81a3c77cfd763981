#!/usr/bin/env python3
"""Generates the hostile corpus into a folder (nothing large is committed): the inputs an unlucky
clerk or an attacker could hand to `ipvi`. Each case is a folder OUT/<case>/ holding an export's
files, and OUT/manifest.json says, case by case, which files and columns the file-level commands
(classify-text, link) read and which checks apply. Run by scripts/hostile.sh.

    make_hostile.py OUT
"""
import io
import json
import os
import random
import shutil
import struct
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXPORT = os.path.join(ROOT, "tests", "fixtures", "agency_export")
KINGSPORT_XLSX = os.path.join(ROOT, "tests", "fixtures", "generic", "kingsport.xlsx")
FORMULAS = ['=HYPERLINK("http://example.invalid","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "=1+1"]


def read_export():
    """The agency export fixture: file name -> list of lines (text, without line ends)."""
    out = {}
    for name in sorted(os.listdir(EXPORT)):
        with open(os.path.join(EXPORT, name), encoding="utf-8", newline="") as f:
            out[name] = f.read().splitlines()
    return out


def csv_cell(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


def set_column(lines, column, rows, value):
    """Set `column` of the given data rows (1-based) to `value` (rows are simple: no quotes)."""
    header = lines[0].split(",")
    k = header.index(column)
    for r in rows:
        cells = lines[r].split(",")
        cells[k] = csv_cell(value)
        lines[r] = ",".join(cells)


def write_export(case_dir, files, encoding="utf-8", bom=b""):
    os.makedirs(case_dir, exist_ok=True)
    for name, lines in files.items():
        with open(os.path.join(case_dir, name), "wb") as f:
            f.write(bom + ("\n".join(lines) + "\n").encode(encoding))


def xlsx_parts(sheet_xml):
    return {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


def sheet(rows_xml):
    return '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows_xml + "</sheetData></worksheet>"


def write_xlsx(path, sheet_xml):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in xlsx_parts(sheet_xml).items():
            z.writestr(name, text)


def write_zip_bomb(path, gib):
    """An XLSX whose sheet is `gib` GiB of spaces between <sheetData> and </sheetData>, deflated
    by hand: one MiB of spaces is compressed once (after a full flush the deflate stream is the
    same bytes for the same input) and repeated, so the file is written in about a second."""
    head, tail = sheet("").split("</sheetData>")
    tail = "</sheetData>" + tail
    mib = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [c.compress(head.encode()) + c.flush(zlib.Z_FULL_FLUSH)]
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head.encode())
    n = gib * 1024
    for _ in range(n):
        crc = zlib.crc32(mib, crc)
    out.append(block * n)
    out.append(c.compress(tail.encode()) + c.flush(zlib.Z_FINISH))
    crc = zlib.crc32(tail.encode(), crc)
    data = b"".join(out)
    size = len(head) + n * len(mib) + len(tail)
    assert size < 0xFFFFFFFF
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in xlsx_parts("").items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, text)
    # Append the bomb part and rewrite the central directory by hand.
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    raw = open(path, "rb").read()
    cd_start = struct.unpack("<I", raw[-6:-2])[0]
    body, central = raw[:cd_start], raw[cd_start:-22]
    name = b"xl/worksheets/sheet1.xml"
    offset = len(body)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0) + name
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, offset) + name
    body += local + data
    central += entry
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(infos) + 1, len(infos) + 1, len(central), len(body), 0)
    with open(path, "wb") as f:
        f.write(body + central + end)


def main():
    out = sys.argv[1]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    rnd = random.Random(16)
    base = read_export()
    cases = {}

    def case(name, strict=True, text=None, link=None, note="", inputs=None):
        """strict: rows in = used + rejected is checked; text: [(file, column)] for
        classify-text; link: (file, id column, {field: column}) for ipvi link; inputs: the
        path lists the folder commands are given (default: the case's folder)."""
        cases[name] = {"strict": strict, "text": text or [], "link": link, "note": note, "inputs": inputs}
        return os.path.join(out, name)

    persons_text = [("persons.csv", "last_name")]
    rel_text = [("relationships.csv", "relationship_text")]
    person_link = ("persons.csv", "record_id", {"first_name": "first_name", "last_name": "last_name", "dob": "dob"})

    # The export as it is: the reference every check must pass on.
    write_export(case("baseline", text=rel_text, link=person_link), base)

    # One 100,000-letter word in the relationship text and in a narrative.
    f = {k: list(v) for k, v in base.items()}
    set_column(f["relationships.csv"], "relationship_text", [1, 2], "GIRLFRIEND" * 10_000)
    set_column(f["incidents.csv"], "narrative", [1, 2], "B" * 100_000)
    write_export(case("long_word", text=rel_text + [("incidents.csv", "narrative")], link=person_link), f)

    # Workbooks: a far-corner cell, a zip bomb, a truncated and a garbage one.
    d = case("xlsx_far_corner")
    os.makedirs(d)
    write_xlsx(os.path.join(d, "persons.xlsx"), sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>record_id</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'))
    d = case("xlsx_zip_bomb")
    os.makedirs(d)
    write_zip_bomb(os.path.join(d, "persons.xlsx"), 3)
    # The far-corner workbook behind an XLS signature, and with a damaged first header (found by
    # the workbook fuzz target: calamine's own detection read them as a 512 GiB rectangle).
    far = open(os.path.join(out, "xlsx_far_corner", "persons.xlsx"), "rb").read()
    d = case("xlsx_polyglot")
    os.makedirs(d)
    open(os.path.join(d, "persons.xls"), "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + far)
    open(os.path.join(d, "damaged.xlsx"), "wb").write(b"PK\x03P" + far[4:])
    d = case("xlsx_truncated")
    os.makedirs(d)
    with open(KINGSPORT_XLSX, "rb") as src:
        open(os.path.join(d, "kingsport.xlsx"), "wb").write(src.read()[:1000])
    d = case("xlsx_garbage")
    os.makedirs(d)
    open(os.path.join(d, "export.xlsx"), "wb").write(b"PK\x03\x04" + rnd.randbytes(200_000))
    open(os.path.join(d, "old.xls"), "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + rnd.randbytes(100_000))

    # A flat export with one incident of 4,500 victims and 4,500 offenders.
    d = case("flat_4500x4500", text=[("flat.csv", "RELATIONSHIP")],
             link=("flat.csv", "PERSON_ID", {"first_name": "FIRST_NAME", "last_name": "LAST_NAME", "dob": "DOB"}))
    os.makedirs(d)
    rows = ["CASE_NUMBER,DATE_OCCURRED,PERSON_ID,ROLE,LAST_NAME,FIRST_NAME,DOB,RELATIONSHIP"]
    for i in range(4500):
        rows.append(f"19-000001,01/02/2019,V{i},VICTIM,VLAST{i},VFIRST{i},01/01/1980,GIRLFRIEND")
        rows.append(f"19-000001,01/02/2019,S{i},SUSPECT,SLAST{i},SFIRST{i},02/02/1979,")
    open(os.path.join(d, "flat.csv"), "w").write("\n".join(rows) + "\n")

    # Headers of 100,000 and 1,000,000 columns (two short data rows each).
    for n, label in [(100_000, "header_100k_columns"), (1_000_000, "header_1m_columns")]:
        d = case(label, text=[("wide.csv", "c1")], link=("wide.csv", "c1", {"first_name": "c2", "last_name": "c3", "dob": "c4"}))
        os.makedirs(d)
        with open(os.path.join(d, "wide.csv"), "w") as w:
            w.write(",".join(f"c{i}" for i in range(1, n + 1)) + "\n")
            w.write("1,ANN,LEE,01/02/1990\n2,BO,KIM,03/04/1985\n")

    # A FIFO in the folder and named on the command line (nobody ever writes to it).
    d = os.path.join(out, "fifo")
    case("fifo", text=[("persons.fifo", "last_name")], link=("persons.fifo", "record_id", {"first_name": "first_name"}),
         inputs=[[d], [os.path.join(d, "persons.fifo")]])
    os.makedirs(d)
    os.mkfifo(os.path.join(d, "persons.fifo"))
    os.mkfifo(os.path.join(d, "incidents.csv"))

    # A quote opened on row 21 of persons.csv and never closed.
    f = {k: list(v) for k, v in base.items()}
    f["persons.csv"][21] = f["persons.csv"][21].replace(",", ',"', 3).replace(',"', ",", 2)
    write_export(case("open_quote_row21", text=persons_text, link=person_link), f)

    # Duplicate incidents and record ids, and relationship rows naming nobody (orphans).
    f = {k: list(v) for k, v in base.items()}
    f["incidents.csv"] += f["incidents.csv"][1:6]
    f["persons.csv"] += [f["persons.csv"][1].replace("SMITH", "SMYTHE")] + f["persons.csv"][2:5]
    f["relationships.csv"] += ["NPD19-999999,NPD19-999999-P01,NPD19-999999-P02,BG,BOYFRIEND",
                               "NPD19-000001,NOBODY-P01,NOBODY-P02,SE,WIFE"]
    write_export(case("duplicates_and_orphans", strict=False, text=rel_text, link=person_link,
                      note="duplicate/orphan diagnostics (analyze --diagnostics) to be checked once they exist"), f)

    # Dates in the years 0001 and 9999.
    f = {k: list(v) for k, v in base.items()}
    set_column(f["incidents.csv"], "occurred_date", [1, 3], "01/01/0001")
    set_column(f["incidents.csv"], "report_date", [1, 3], "0001-01-01")
    set_column(f["incidents.csv"], "occurred_date", [2, 4], "12/31/9999")
    set_column(f["incidents.csv"], "report_date", [2, 4], "9999-12-31")
    set_column(f["persons.csv"], "dob", [1, 2], "12/31/9999")
    set_column(f["persons.csv"], "dob", [3], "01/01/0001")
    write_export(case("dates_0001_9999", strict=False, text=rel_text, link=person_link,
                      note="plausible date range diagnostics to be checked once they exist"), f)

    # Formulas in names, addresses, relationship texts, narratives and ids.
    f = {k: list(v) for k, v in base.items()}
    for i, col in enumerate(["last_name", "first_name", "address", "city", "phone"]):
        set_column(f["persons.csv"], col, range(1, len(f["persons.csv"])), FORMULAS[i % len(FORMULAS)])
    set_column(f["relationships.csv"], "relationship_text", range(1, len(f["relationships.csv"])), "@SUM(1)")
    set_column(f["incidents.csv"], "narrative", range(1, len(f["incidents.csv"])), "-2+3")
    f["persons.csv"].append("=1+2,=3+4,victim,=HYPERLINK(1),+x,,,,,,,,,,,,,,too,many")  # a rejected row
    write_export(case("formulas", text=persons_text + rel_text, link=person_link), f)
    open(os.path.join(out, "formulas", "=HYPERLINK(0).csv"), "w").write("a,b\n=1,2,3\n")

    # UTF-16 (little-endian with a mark, big-endian with a mark).
    write_export(case("utf16le", text=[], link=None), base, "utf-16-le", b"\xff\xfe")
    write_export(case("utf16be", text=[], link=None), base, "utf-16-be", b"\xfe\xff")

    # Empty, header only, a mark only, blank lines only.
    d = case("empty_file", text=[("persons.csv", "last_name")], link=person_link)
    os.makedirs(d)
    open(os.path.join(d, "persons.csv"), "wb").close()
    d = case("header_only", text=persons_text, link=person_link)
    write_export(d, {k: v[:1] for k, v in base.items()})
    d = case("mark_and_blank_lines", text=persons_text, link=person_link)
    os.makedirs(d)
    open(os.path.join(d, "persons.csv"), "wb").write(b"\xef\xbb\xbf")
    open(os.path.join(d, "incidents.csv"), "wb").write(b"\n" * 1_000_000)
    open(os.path.join(d, "offenses.csv"), "wb").write(b"\r" * 100_000 + b",,,\r\n" * 10_000)

    # Binary garbage and NUL bytes.
    d = case("binary_garbage", text=[("persons.csv", "last_name")], link=person_link)
    os.makedirs(d)
    open(os.path.join(d, "persons.csv"), "wb").write(rnd.randbytes(2_000_000))
    open(os.path.join(d, "zeros.csv"), "wb").write(b"\0" * 1_000_000)
    f = {k: list(v) for k, v in base.items()}
    for name in ["persons.csv", "relationships.csv"]:
        f[name] = [l[:8] + "\0" + l[8:] if i % 3 == 1 else l for i, l in enumerate(f[name])]
    write_export(case("nul_bytes", text=persons_text + rel_text, link=person_link), f)

    # One line of 50 MB with no line end.
    d = case("one_line_50mb", text=[("big.csv", "x")], link=("big.csv", "x", {"first_name": "x"}))
    os.makedirs(d)
    with open(os.path.join(d, "big.csv"), "wb") as w:
        chunk = (b"ABCDEFGHIJ" * 100 + b" ") * 1000
        for _ in range(50 * (1 << 20) // len(chunk) + 1):
            w.write(chunk)

    # Old Mac line ends (CR only), Windows-1252 mixed with UTF-8, ragged rows.
    f = {k: list(v) for k, v in base.items()}
    d = case("cr_only_mixed_encodings", text=persons_text, link=person_link)
    os.makedirs(d)
    for name, lines in f.items():
        data = "\r".join(lines).encode("utf-8")
        if name == "persons.csv":
            data = data.replace(b"SMITH", "SM\u00cfTH".encode("cp1252"), 3).replace(b"JONES", "J\u00d6NES".encode("utf-8"))
        open(os.path.join(d, name), "wb").write(data)
    f = {k: list(v) for k, v in base.items()}
    f["persons.csv"] = [l + ",extra,cells" * (i % 3) if i > 0 else l for i, l in enumerate(f["persons.csv"])]
    f["relationships.csv"] = [l.rsplit(",", 2)[0] if i % 4 == 1 else l for i, l in enumerate(f["relationships.csv"])]
    write_export(case("ragged_rows", text=persons_text, link=person_link), f)

    # Two files of one name, given on the command line from two folders.
    d = case("same_name_twice", text=rel_text, link=person_link)
    write_export(d, base)
    other = os.path.join(out, "same_name_other")
    write_export(other, {"persons.csv": base["persons.csv"][:1] + base["persons.csv"][30:40],
                         "relationships.csv": base["relationships.csv"][:1] + [l + ",x" for l in base["relationships.csv"][5:9]]})
    cases["same_name_twice"]["inputs"] = [[d, os.path.join(other, "persons.csv"), os.path.join(other, "relationships.csv")]]

    # Many rows of nothing but separators, and a workbook that is really a CSV.
    d = case("separators_only", text=[("persons.csv", "record_id")], link=person_link)
    os.makedirs(d)
    open(os.path.join(d, "persons.csv"), "w").write(base["persons.csv"][0] + "\n" + ",,,,,,,,,,,,,,,\n" * 300_000)
    d = case("csv_named_xlsx")
    write_export(d, {"persons.xlsx": base["persons.csv"], "incidents.xlsx": base["incidents.csv"]})

    with open(os.path.join(out, "manifest.json"), "w") as m:
        json.dump(cases, m, indent=1)


if __name__ == "__main__":
    main()
