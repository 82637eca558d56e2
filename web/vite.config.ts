import { defineConfig } from "vite";

// The media container serves dist/ at its root, beside /api and the WebSockets: one origin.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
});
