// Builds dist/: the client's own files from src/ plus the browser VAD (vad-web, its Silero models and worklet) and the
// ONNX Runtime it runs on, copied from node_modules so the page loads nothing from outside the server.
// Run by `npm run build` and by the MSBuild step of src/Vtuber.Server when dist/ is missing or older than src/.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const vendor = join(dist, "vendor");
const vad = join(root, "node_modules", "@ricky0123", "vad-web");
const ort = join(root, "node_modules", "onnxruntime-web");

rmSync(dist, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
cpSync(join(root, "src"), dist, { recursive: true });

const copies = [
  [join(ort, "dist", "ort.wasm.min.js"), "ort.wasm.min.js"],
  // The single-file WebAssembly build ONNX Runtime picks for the wasm backend (threads only when cross-origin isolated).
  [join(ort, "dist", "ort-wasm-simd-threaded.wasm"), "ort-wasm-simd-threaded.wasm"],
  [join(ort, "dist", "ort-wasm-simd-threaded.mjs"), "ort-wasm-simd-threaded.mjs"],
  [join(ort, "package.json"), "onnxruntime-web.package.json"],
  [join(vad, "dist", "bundle.min.js"), "vad.bundle.min.js"],
  [join(vad, "dist", "bundle.min.js.LICENSE.txt"), "vad.bundle.min.js.LICENSE.txt"],
  [join(vad, "dist", "vad.worklet.bundle.min.js"), "vad.worklet.bundle.min.js"],
  [join(vad, "dist", "silero_vad_v5.onnx"), "silero_vad_v5.onnx"],
  [join(vad, "package.json"), "vad-web.package.json"],
];
for (const [from, to] of copies) cpSync(from, join(vendor, to));

writeFileSync(join(vendor, "LICENSES.txt"),
  "vendor/ holds third-party code copied from npm at build time (webclient/package-lock.json pins the versions):\n" +
  "- @ricky0123/vad-web (ISC licence): vad.bundle.min.js, vad.worklet.bundle.min.js, silero_vad_v5.onnx (Silero VAD, MIT)\n" +
  "- onnxruntime-web (MIT licence, Microsoft): ort.wasm.min.js, ort-wasm-simd-threaded.*\n");
console.log(`web client built into ${dist}`);
