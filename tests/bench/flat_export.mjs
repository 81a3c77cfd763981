// A generated flat export of a records-management system, one row per person involved (11
// columns, about 102 bytes a row, like the Kingsport layout in tests/fixtures/generic): the
// fixed data of the import benchmarks (scripts/bench.sh) and of the streaming browser test.
//
//   node tests/bench/flat_export.mjs <MB> <OUT.csv>
import { openSync, writeSync, closeSync } from "node:fs";

/// Write about `mb` MiB of rows to `path`; returns { bytes, rows }.
export function writeFlatExport(path, mb) {
  const fd = openSync(path, "w");
  writeSync(fd, "Case No.,Occurred On,Dept,DV?,Party Type,Surname,Given Name,Born,Gender,Tie,Charge\r\n");
  let bytes = 0;
  let rows = 0;
  const rels = ["GIRLFRIEND", "WIFE", "SON", "EX-BOYFRIEND", "MOTHER", "FRIEND"];
  while (bytes < mb * 1024 * 1024) {
    const lines = [];
    for (let k = 0; k < 2000; k++, rows += 2) {
      const i = rows / 2;
      const month = String((i % 12) + 1).padStart(2, "0");
      const day = String((i % 28) + 1).padStart(2, "0");
      const year = 2018 + (i % 4);
      lines.push(
        `KPD-${i},${month}/${day}/${year},KINGSPORT PD,Y,VICTIM,SURNAME${i % 997},GIVEN${i % 389},02/11/1990,F,${rels[i % rels.length]},ASSAULT - DOMESTIC`,
        `KPD-${i},${month}/${day}/${year},KINGSPORT PD,Y,SUSPECT,SURNAME${(i * 7) % 991},GIVEN${(i * 3) % 383},07/30/1988,M,,ASSAULT - DOMESTIC`,
      );
    }
    const chunk = lines.join("\r\n") + "\r\n";
    writeSync(fd, chunk);
    bytes += Buffer.byteLength(chunk);
  }
  closeSync(fd);
  return { bytes, rows };
}

if (process.argv[1] && process.argv[1].endsWith("flat_export.mjs")) {
  const [mb, out] = process.argv.slice(2);
  if (!mb || !out) {
    console.error("usage: node tests/bench/flat_export.mjs <MB> <OUT.csv>");
    process.exit(2);
  }
  const { bytes, rows } = writeFlatExport(out, Number(mb));
  console.log(`${out}: ${rows} rows, ${(bytes / 1048576).toFixed(1)} MB`);
}
