#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ from a few rows of tests/fixtures and
hand-written edge cases (run it again after changing a fixture; the files are committed)."""
import os, io, zipfile, glob
R = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
C = R + "/fuzz/corpus"
SEP = b"\n#FILE#\n"
def put(target, name, data):
    d = f"{C}/{target}"; os.makedirs(d, exist_ok=True)
    open(f"{d}/{name}", "wb").write(data)
def head(path, lines=None, nbytes=None):
    b = open(path, "rb").read()
    if nbytes: return b[:nbytes]
    return b"".join(b.splitlines(True)[:lines])
F = R + "/tests/fixtures"
# csv_stream: mode byte, 8 chunk-size seed bytes, body
csvs = {
 "persons": head(F+"/agency_export/persons.csv", 8),
 "relationships": head(F+"/agency_export/relationships.csv", 8),
 "k1252": head(F+"/generic/kingsport_1252.csv", 6),
 "kutf16": head(F+"/generic/kingsport_utf16.csv", nbytes=800),
 "semicolon": head(F+"/corpus/az_rms_persons_semicolon/involved_persons.csv", 6),
 "flat1252_crlf": head(F+"/corpus/rms_flat_pairs_1252/vic_susp_report.csv", 6),
 "title_line": b"Title line\n\nid;name;dob\n1;ANN;01/02/1990\n2;\"BO;B\";\n3;CY;03/04/1985;extra\n",
 "open_quote": b"id,name,rel\n1,A,GF\n2,\"SMITH, JOHN,GF\n3,B,BF\n4,C,SP\n",
 "quotes": b"name,a,b\nJONES,1,2\n\"SMITH, JOHN\",3,4\n\"LEE, \"\"AL\"\"\",5,6\n\"x\"y,7,8\r\n",
 "bom_tabs": b"\xef\xbb\xbfid\tname\n1\t\xc3\xa9l\xc3\xa8ve\n2\t=HYPERLINK(\"x\")\n",
 "header_only": b"incident_id,victim_id,offender_id,relationship\n",
 "nul": b"id,name\n1,A\x00B\n2,C\n",
}
for k, body in csvs.items():
    put("csv_stream", k + "_whole", bytes([0, 1, 7, 64, 250, 3, 96, 2, 255]) + body)
    put("csv_stream", k + "_streamed", bytes([1, 13, 5, 251, 1, 40, 90, 6, 33]) + body)
# workbook
put("workbook", "kingsport.xlsx", open(F+"/generic/kingsport.xlsx", "rb").read())
def xlsx(sheet_xml, shared=None):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + sheet_xml + '</sheetData></worksheet>')
    return b.getvalue()
put("workbook", "far_corner.xlsx", xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
put("workbook", "small_table.xlsx", xlsx('<row r="1"><c r="A1" t="inlineStr"><is><t>incident_id</t></is></c><c r="B1" t="inlineStr"><is><t>relationship</t></is></c><c r="C1" t="inlineStr"><is><t>date</t></is></c></row><row r="2"><c r="A2"><v>17</v></c><c r="B2" t="inlineStr"><is><t>BOYFRIEND</t></is></c><c r="C2"><v>43794.5</v></c></row>'))
put("workbook", "truncated.xlsx", open(F+"/generic/kingsport.xlsx", "rb").read()[:900])
# nibrs: the extract's files joined in the target's order
names = ["NIBRS_incident.csv","NIBRS_OFFENSE.csv","NIBRS_OFFENDER.csv","NIBRS_VICTIM.csv","NIBRS_VICTIM_OFFENDER_REL.csv","NIBRS_RELATIONSHIP.csv","NIBRS_OFFENSE_TYPE.csv","NIBRS_CIRCUMSTANCES.csv","NIBRS_VICTIM_CIRCUMSTANCES.csv","NIBRS_ACTIVITY_TYPE.csv"]
for case in ["base", "bad_rows", "semicolons", "windows_1252", "truncated_quote", "layout_2021"]:
    parts = []
    for n in names:
        cands = glob.glob(f"{F}/nibrs/{case}/{n}") + glob.glob(f"{F}/nibrs/{case}/{n.lower()}") + glob.glob(f"{F}/nibrs/base/{n}")
        parts.append(open(cands[0], "rb").read() if cands else b"")
    put("nibrs", case, SEP.join(parts))
# mapping: parts whose first line is the file's name
def named(n, b): return n.encode() + b"\n" + b
ae = F + "/agency_export"
put("mapping", "agency_export", SEP.join(named(n, head(f"{ae}/{n}", 6)) for n in ["incidents.csv", "persons.csv", "relationships.csv", "offenses.csv"]))
for d in sorted(glob.glob(F + "/corpus/*/")):
    for f in sorted(os.listdir(d)):
        if f == "expected.json": continue
        b = head(d + f, 5) if "utf16" not in d else head(d + f, nbytes=900)
        put("mapping", os.path.basename(d.rstrip("/")) + "_" + f.split(".")[0], named(f, b))
put("mapping", "nibrs_base", SEP.join(named(n, open(f"{F}/nibrs/base/{n}", "rb").read()) for n in names[:4]))
# textclass
for i, t in enumerate(["BOYFRIEND", "VICTIM WAS OFFENDER'S EX-WIFE", "ex bf", "mother's boyfriend", "Girlfriend / Boyfriend",
        "CHILD IN COMMON", "Spouse (common law)", "victim was stranger", "HUSBND", "Son-in-law",
        "R/P states her boyfriend struck her in the face; the suspect, her ex-husband's brother, fled.",
        "V1 AND S1 ARE DATING. S1 PUSHED V1. V1'S MOTHER CALLED 911.",
        "Acquaintance; formerly dated", "\u00e9poux", "Homosexual relationship", "the victim's former partner's new partner"]):
    put("textclass", f"text{i:02}", t.encode())
# date
for i, s in enumerate(["2019-11-25", "2019-11-25T13:45:00.123", "2019/11/25", "20191125", "11/25/2019", "25/11/2019",
        "11-25-19", "04-MAR-19", "04-MAR-2019", "March 4, 2019", "Mar 4 2019", "4 March 2019", "2020 Mar 04 01:45:00 PM",
        "43794", "43794.5", "0001-01-01", "9999-12-31", "02/29/2000 11:59 PM", "2/3/04", "31.12.1999", "20191125T0800"]):
    put("date", f"date{i:02}", s.encode())
