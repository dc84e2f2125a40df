import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";
import { chromeArgs, executablePath } from "./test/chrome.js";
import { eventailServers } from "./test/servers.js";

export default {
  // The repository root, so @eventail/client (a workspace link) is served too.
  rootDir: "..",
  files: ["src/**/*.test.ts"],
  nodeResolve: { exportConditions: ["development"] },
  // Two cores: one browser page at a time keeps timings and focus predictable.
  concurrency: 1,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 15_000 } },
  testsFinishTimeout: 300_000,
  // Lit's development build says so once per page; nothing else should be logged.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith("Lit is in dev mode"),
  plugins: [esbuildPlugin({ ts: true, target: "es2022" }), eventailServers()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: chromeArgs,
        dumpio: !!process.env.DUMPIO,
      },
    }),
  ],
};
