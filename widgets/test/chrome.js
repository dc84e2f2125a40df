// The Chromium the widget tests and the bench launch: Debian's, or CHROME_PATH.
export const executablePath = process.env.CHROME_PATH || "/usr/bin/chromium";

export const chromeArgs = [
  "--no-sandbox", // root in CI containers
  "--headless=new",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--no-default-browser-check",
];
