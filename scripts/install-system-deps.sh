#!/usr/bin/env bash
# Debian packages the tests and the bench drive, installed only when missing:
# - python3-openpyxl: a strict, independent xlsx reader that checks the workbooks the project
#   and its tests write;
# - poppler-utils: pdftotext reads back the PDFs the report tests print in Chromium;
# - chromium: the real browser the report tests drive (through playwright-core; Playwright's own
#   browser download cannot work on these machines);
# - with --bench, python3-pandas too: `npm run bench` runs ../shared/bench/peer_pandas.py.
set -euo pipefail
need=()
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
if [[ ${1:-} == --bench ]]; then /usr/bin/python3 -c 'import pandas' 2>/dev/null || need+=(python3-pandas); fi
[[ -x /usr/bin/chromium ]] || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if ((${#need[@]})); then
  [[ $(id -u) == 0 ]] || { echo "install these Debian packages first: ${need[*]}" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
