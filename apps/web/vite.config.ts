import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server (apps/server/src/app.ts) serves dist/ as a single-page app; in development Vite proxies the API to it.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // React (+ router) changes far less often than our code: its own long-cached chunk. ECharts is large and
        // only needed by chart pages: its own chunk, loaded on demand. Ant Design is deliberately NOT forced into one
        // chunk: grouped it is ~1.15 MB loaded up front; split by usage the portal's first load is ~1.0 MB in all and
        // Table/DatePicker/Tree arrive with the pages that use them (measured with `vite build`).
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 30 },
            { name: 'vendor-echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 25 },
          ],
        },
      },
    },
  },
});
