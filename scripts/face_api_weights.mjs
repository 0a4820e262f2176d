// Extracts one tensor of a TensorFlow.js model (weights manifest + .bin shards, as shipped in the npm
// package @vladmandic/face-api) into a float64 .npy file, dequantising uint8/uint16 weights
// (value = q * scale + min).
//
//   node scripts/face_api_weights.mjs MODEL_DIR/tiny_face_detector_model conv0/filters out/conv0.npy
// Prints the tensor's shape; TF.js convolution filters are HWIO.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [prefix, wanted, output] = process.argv.slice(2);
if (!prefix || !wanted || !output) {
  console.error('usage: node face_api_weights.mjs MODEL_PREFIX TENSOR_NAME OUT.npy');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(`${prefix}-weights_manifest.json`, 'utf8'));
const bytesPer = { float32: 4, int32: 4, uint8: 1, uint16: 2 };
for (const group of manifest) {
  const data = Buffer.concat(group.paths.map((p) => readFileSync(join(dirname(prefix), p))));
  let offset = 0;
  for (const w of group.weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const stored = w.quantization ? w.quantization.dtype : w.dtype;
    const size = count * bytesPer[stored];
    if (w.name === wanted) {
      const values = new Float64Array(count);
      for (let k = 0; k < count; k++) {
        const at = offset + k * bytesPer[stored];
        const raw = stored === 'float32' ? data.readFloatLE(at)
          : stored === 'int32' ? data.readInt32LE(at)
          : stored === 'uint16' ? data.readUInt16LE(at) : data.readUInt8(at);
        values[k] = w.quantization ? raw * w.quantization.scale + w.quantization.min : raw;
      }
      // .npy version 1.0: magic, header length, header padded to 64 bytes, then the data.
      const shape = `(${w.shape.join(', ')}${w.shape.length === 1 ? ',' : ''})`;
      let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
      header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
      const head = Buffer.alloc(10);
      head.write('\x93NUMPY', 0, 'latin1');
      head[6] = 1;
      head[7] = 0;
      head.writeUInt16LE(header.length, 8);
      writeFileSync(output, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]));
      console.log(`${wanted}: shape [${w.shape.join(', ')}] -> ${output}`);
      process.exit(0);
    }
    offset += size;
  }
}
console.error(`${prefix}: no tensor named ${wanted}`);
process.exit(2);
