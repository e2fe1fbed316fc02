// Peer for `npm run bench -- face`: @vladmandic/face-api's own node-wasm pipeline (SSD MobileNet
// v1, 68 landmarks, recognition net; the same weights as @aiffel/face-embed) over the same photos.
// Usage: node peers/faceapi_peer.cjs <reps> <photo>...   Prints one JSON line.
const path = require('node:path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const sharp = require('sharp');

(async () => {
  const [reps, ...photos] = process.argv.slice(2);
  await faceapi.tf.setBackend('wasm');
  await faceapi.tf.ready();
  const dir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(dir);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  const bytes = photos.map((p) => require('node:fs').readFileSync(p));
  const pass = async () => {
    let faces = 0;
    for (const b of bytes) {
      // Decoding with sharp as ours does, so both sides pay the same for JPEG.
      const { data, info } = await sharp(b).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const t = faceapi.tf.tensor3d(data, [info.height, info.width, 3], 'int32');
      const res = await faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
      t.dispose();
      faces += res.length;
    }
    return faces;
  };
  await pass();
  const times = [];
  let faces = 0;
  for (let r = 0; r < Number(reps); r++) {
    const t0 = performance.now();
    faces = await pass();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(JSON.stringify({ faces, seconds: median, faces_per_second: faces / median, version: require('@vladmandic/face-api/package.json').version }));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
