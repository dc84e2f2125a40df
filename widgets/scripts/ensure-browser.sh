#!/usr/bin/env bash
# Makes sure the widget tests have a Chromium: $CHROME_PATH, else Debian's /usr/bin/chromium,
# installing the `chromium` package with apt-get when it is missing (a fresh machine or CI).
set -euo pipefail

browser="${CHROME_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  echo "ensure-browser: using $browser ($("$browser" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [ -n "${CHROME_PATH:-}" ]; then
  echo "ensure-browser: CHROME_PATH=$CHROME_PATH is not an executable" >&2
  exit 1
fi

echo "ensure-browser: $browser is missing; installing Debian's chromium package (apt-get update && apt-get install -y chromium)"
sudo=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "ensure-browser: not root and no sudo: install chromium yourself or set CHROME_PATH" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q chromium
echo "ensure-browser: installed $("$browser" --version 2>/dev/null || echo "$browser")"
