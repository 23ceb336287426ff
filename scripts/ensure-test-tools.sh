#!/usr/bin/env bash
# The tests make real speech with espeak-ng and sox, a throwaway CA with openssl, and
# drive the dashboard in Debian's Chromium.
# On Debian as root (CI, a fresh test box) they are installed; elsewhere we say how.
set -euo pipefail
missing=()
for tool in espeak-ng sox openssl chromium; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test tools: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
