const fs = require('fs');
const bytes = fs.readFileSync(process.argv[2]);
WebAssembly.instantiate(bytes, {}).then(({instance}) => {
  for (const [s, p] of [[1n, 3000], [2n, 5000]]) {
    const h = instance.exports.synth_hash(s, p);
    console.log(`${s} ${p} ${(BigInt.asUintN(64, h)).toString(16).padStart(16, '0')}`);
  }
});
